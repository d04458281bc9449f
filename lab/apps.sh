# The apps phase (sourced by lab/run): Telegram, WhatsApp, Signal and Facebook Messenger measured
# with `blockwatch measure APP` in bwlab-apps, each scenario of lab/apps.tsv with a configuration of
# its own whose tests.<app>.* keys point at the lab's stand-ins for the app's servers (names in the
# test zone, addresses in bwlab-net: lab/sites.sh; servers: conf/nginx-net.conf; the ISP
# resolver's lies: conf/dnsmasq.conf). What the censor does to each is here.

# The configuration of one scenario ($1, apps.tsv's config column), as YAML. $work must be set.
apps_config() {
    case "$1" in
        tg-open) apps_telegram 198.19.1.1 198.19.1.2 web.tg-open.test ;;
        tg-tcp) apps_telegram 198.19.1.3 198.19.1.4 web.tg-tcp.test ;;
        tg-443) apps_telegram 198.19.1.5 198.19.1.6 web.tg-443.test ;;
        tg-stall) apps_telegram 198.19.1.7 198.19.1.8 web.tg-stall.test ;;
        wa-open|wa-5222)
            cat << EOF
tests:
  enabled: [whatsapp]
  whatsapp:
    endpoints: [e1.$1.test, e2.$1.test]
    registration: https://v.$1.test/v2/register
    web: https://web.$1.test/
EOF
            ;;
        sig-open|sig-mitm)
            # The lab's root stands for Signal's own (which the app pins): its sites' chain is Signal's.
            cat << EOF
tests:
  enabled: [signal]
  signal:
    services: [https://chat.$1.test/, https://storage.$1.test/]
    uptime: uptime.$1.test
    roots: [$work/ca/lab-root.pem]
EOF
            ;;
        fb-open|fb-dns)
            cat << EOF
tests:
  enabled: [facebook_messenger]
  facebook_messenger:
    services: ["b_api=b-api.$1.test", "b_graph=b-graph.$1.test", "edge=edge-mqtt.$1.test", "external_cdn=external.$1.test",
      "scontent_cdn=scontent.$1.test", "star=star.$1.test", "stun=stun.$1.test"]
    address_space: [198.19.4.0/24]
EOF
            ;;
        *) echo "lab: no apps configuration named '$1'" >&2; return 1 ;;
    esac
}

apps_telegram() { # dc dc web-host
    cat << EOF
tests:
  enabled: [telegram]
  telegram:
    datacenters: [$1, $2]
    web: https://$3/
EOF
}

# The censor's rules for the apps' scenarios (bwlab-censor), each on that scenario's addresses or
# names only: the other scenarios of the same app stay open.
lab_apps_censor_rules() {
    ipt() { ip netns exec bwlab-censor iptables -w "$@"; }
    # tg-tcp: every connection to the data centres refused (one by a reset, the other dropped).
    ipt -A FORWARD -d 198.19.1.3 -p tcp -j REJECT --reject-with tcp-reset
    ipt -A FORWARD -d 198.19.1.4 -p tcp -j DROP
    # tg-443: port 443 of the data centres dropped; their port 80 answers the app's POST.
    ipt -A FORWARD -d 198.19.1.5,198.19.1.6 -p tcp --dport 443 -j DROP
    # tg-stall: the web client's ClientHello dropped on its SNI (the handshake stalls); the data centres answer.
    ipt -A FORWARD -p tcp --dport 443 -m string --algo bm --string web.tg-stall.test -j DROP
    # wa-5222: port 443 of every endpoint fails (a reset, a drop); 5222 answers, and so do registration and web.
    ipt -A FORWARD -d 198.19.2.3 -p tcp --dport 443 -j REJECT --reject-with tcp-reset
    ipt -A FORWARD -d 198.19.2.4 -p tcp --dport 443 -j DROP
    # sig-mitm: Signal's services sent to the censor's interceptor (the Qaznet-named chain).
    ipt -t nat -A PREROUTING -d 198.19.3.3,198.19.3.4 -p tcp --dport 443 -j DNAT --to-destination "$LAB_INTERCEPTOR_IP:443"
    # fb-dns is the ISP resolver's lie (conf/dnsmasq.conf): *.fb-dns.test answered with the
    # blockpage server's address, outside the configured address space.
}
