# Addresses of the lab (sourced by lab/run). 198.18.0.0/15 plays the public internet (the lab
# passes --public-range for it); every address lives only inside the lab's namespaces.
#
#   bwlab-client 10.77.0.2 --- 10.77.0.1 bwlab-censor 198.18.0.1 --- 198.18.0.2 bwlab-net
#   (probe, agent)        (ISP resolver, iptables, tc,           (nsd, nginx websites,
#                          nginx blockpage/interception/proxy)    control server)

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

# The websites: name and address in bwlab-net (names sharing an address share a server).
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
"

lab_names="$(echo "$lab_sites" | awk 'NF { print $1 }' | sort -u | tr '\n' ' ')"

# The address of a lab site.
lab_ip() {
    local ip
    ip="$(echo "$lab_sites" | awk -v n="$1" '$1 == n { print $2; exit }')"
    [ -n "$ip" ] || { echo "lab: no address for $1" >&2; return 1; }
    echo "$ip"
}
