# Addresses of the lab (sourced by lab/run). 198.18.0.0/15 plays the public internet (the lab
# passes --public-range for it); every address lives only inside the lab's namespaces.
#
#   bwlab-client 10.77.0.2 --- 10.77.0.1 bwlab-censor 198.18.0.1 --- 198.18.0.2 bwlab-net
#   (probe, agent)        (ISP resolver, iptables, tc,           (nsd, nginx websites,
#                          nginx blockpage/interception/proxy)    control server)
#   bwlab-apps 10.77.1.2 --- 10.77.1.1 (the apps phase's client, its own link to the censor)
#   bwlab-dns  10.77.2.2 --- 10.77.2.1 (the dns phase's client, its own link to the censor)
#   bwlab-resolvers 198.18.5.2 --- 198.18.5.1 (resolvers abroad: unbound, Do53, DoT, DoH)
#   bwlab-helper    198.18.6.2 --- 198.18.6.1 (the port-filter helper of the agent phase)
#   The last two hang off the censor, not bwlab-net: nginx holds *:80 and *:443 there, and these
#   servers need ports 80 and 443 of addresses of their own.

LAB_PUBLIC_RANGE=198.18.0.0/15
LAB_CLIENT_IP=10.77.0.2
LAB_ISP_RESOLVER=10.77.0.1
LAB_HONEST_RESOLVER=198.19.0.53
LAB_CONTROL_IP=198.19.0.80
LAB_CONTROL_URL=http://198.19.0.80:8080/

# The censor's own servers (on its loopback).
LAB_BLOCKPAGE_IP=198.18.100.1      # answers every host with a redirect to the blockpage, and serves it as homeline.kg
LAB_INJECTOR_IP=198.18.100.2       # answers "Object not found" on 80 and plain HTTP on 443
LAB_INTERCEPTOR_IP=198.18.100.3    # TLS with the Qaznet-named chain
LAB_PROXY_IP=198.18.100.4          # a transparent proxy that passes requests through to the real site
# Where a measurement was taken (the location phase): a STUN server (coturn) in the "internet", and
# the public addresses the ISP's NAT gives the client on its home network and, after a move, on a
# mobile one. The ISP's resolver serves Team Cymru's records for them in the zone asn.lab, and
# whoami.lab (its answer: the resolver's own egress, 198.18.0.1, in yet another network).
LAB_STUN_IP=198.19.0.50
LAB_PUBLIC_HOME=198.18.77.2
LAB_PUBLIC_MOBILE=198.18.78.2
# The collector that the fleet phase's agents upload to (PostgreSQL beside it, on its loopback).
LAB_COLLECTOR_IP=198.19.0.81
LAB_MIMIC_IP=198.18.100.5          # a blockpage server that sends the same header names as the lab's sites

# The apps phase's own client (bwlab-apps) on a link of its own to the censor, so that cutting its
# uplink, or the agent phase cutting the first client's, disturbs no other phase. The ISP resolver
# (dnsmasq) listens on the censor's end of that link too.
LAB_APPS_CLIENT_IP=10.77.1.2
LAB_APPS_RESOLVER=10.77.1.1
# The dns phase (lab/dns.sh, lab/dns.tsv; issue 31): its own client (bwlab-dns) on a link of its
# own to the censor, where dnsmasq, the ISP's resolver, listens too; one unbound in bwlab-resolvers
# (conf/unbound.conf) stands for the resolvers abroad.
LAB_DNS_CLIENT_IP=10.77.2.2
LAB_DNS_RESOLVER=10.77.2.1
# A "foreign" public resolver over plain DNS: the censor redirects port 53 (UDP and TCP) of the
# first address to its own dnsmasq (DNAT); the second is the same unbound, left alone.
LAB_FOREIGN_IP=198.19.5.53
LAB_FOREIGN_DIRECT_IP=198.19.5.54
# What that resolver answers to CHAOS TXT id.server and hostname.bind (dnsmasq answers NOTIMPL).
LAB_FOREIGN_IDENTITY=bwlab-foreign
# Encrypted resolvers, the same unbound: DoH on 443 (/dns-query) and DoT on 853 at each address;
# names in the test zone, a certificate from the lab root with these names and addresses.
# resolver-open.test: nothing done to it; doh-blocked.test: ClientHellos with its name reset;
# dot-blocked.test: its port 853 dropped (its DoH answers). lab/dns.sh has the censor's rules.
lab_resolvers="
resolver-open.test 198.19.5.1
doh-blocked.test 198.19.5.2
dot-blocked.test 198.19.5.3
"
LAB_RESOLVERS_NET=198.19.5.0/24
# The name dnscheck resolves by default (OONI's): the lab's authoritative serves it (open.test's
# address), so that no configuration has to name another.
LAB_DNSCHECK_DOMAIN=example.org
# What survives a whitelist shutdown (lab/ports.sh, the agent phase): a port-filter helper.
LAB_PORTS_HELPER_IP=198.19.6.1
LAB_HELPER_NET=198.19.6.0/24

# Telegram's data centres, by address only (the app has them built in): two per scenario of
# lab/apps.tsv, in bwlab-net (nginx answers the app's POST on 80 and, in plain HTTP, on 443).
LAB_TELEGRAM_DCS="198.19.1.1 198.19.1.2 198.19.1.3 198.19.1.4 198.19.1.5 198.19.1.6 198.19.1.7 198.19.1.8"

# The websites: name and address in bwlab-net (names sharing an address share a server). From
# web.tg-open.test on: the apps phase's servers (lab/apps.sh says which scenario has which).
lab_sites="
open.test 198.19.0.10
throttled.test 198.19.0.10
neighbour.test 198.19.0.11
sni-reset.test 198.19.0.11
dns-bogon.test 198.19.0.12
dns-localhost.test 198.19.0.13
dns-nxdomain.test 198.19.0.14
tcp-drop.test 198.19.0.15
tcp-reset.test 198.19.0.16
sni-stall.test 198.19.0.17
host-reset.test 198.19.0.18
qaznet.test 198.19.0.19
blockpage.test 198.19.0.20
injected.test 198.19.0.21
refused.test 198.19.0.23
expired.test 198.19.0.24
moved.test 198.19.0.25
moved-new.test 198.19.0.26
xn--b1amnebsh.test 198.19.0.27
xn--90ascm.test 198.19.0.28
captcha.test 198.19.0.29
proxied.test 198.19.0.30
shared-headers.test 198.19.0.31
big100k.test 198.19.0.32
big3m.test 198.19.0.33
cut.test 198.19.0.34
domestic.test 198.19.0.40
ttd.test 198.19.0.41
echo.test 198.19.0.42
ip-tls-drop.test 198.19.0.43
web.tg-open.test 198.19.1.11
web.tg-tcp.test 198.19.1.12
web.tg-443.test 198.19.1.13
web.tg-stall.test 198.19.1.14
e1.wa-open.test 198.19.2.1
e2.wa-open.test 198.19.2.2
v.wa-open.test 198.19.2.11
web.wa-open.test 198.19.2.12
e1.wa-5222.test 198.19.2.3
e2.wa-5222.test 198.19.2.4
v.wa-5222.test 198.19.2.13
web.wa-5222.test 198.19.2.14
chat.sig-open.test 198.19.3.1
storage.sig-open.test 198.19.3.2
uptime.sig-open.test 198.19.3.9
chat.sig-mitm.test 198.19.3.3
storage.sig-mitm.test 198.19.3.4
uptime.sig-mitm.test 198.19.3.10
b-api.fb-open.test 198.19.4.1
b-graph.fb-open.test 198.19.4.2
edge-mqtt.fb-open.test 198.19.4.3
external.fb-open.test 198.19.4.4
scontent.fb-open.test 198.19.4.5
star.fb-open.test 198.19.4.6
stun.fb-open.test 198.19.4.7
b-api.fb-dns.test 198.19.4.11
b-graph.fb-dns.test 198.19.4.12
edge-mqtt.fb-dns.test 198.19.4.13
external.fb-dns.test 198.19.4.14
scontent.fb-dns.test 198.19.4.15
star.fb-dns.test 198.19.4.16
stun.fb-dns.test 198.19.4.17
"

lab_names="$(echo "$lab_sites" | awk 'NF { print $1 }' | sort -u | tr '\n' ' ')"

# The address of a lab site or resolver.
lab_ip() {
    local ip
    ip="$(echo "$lab_sites$lab_resolvers" | awk -v n="$1" '$1 == n { print $2; exit }')"
    [ -n "$ip" ] || { echo "lab: no address for $1" >&2; return 1; }
    echo "$ip"
}
