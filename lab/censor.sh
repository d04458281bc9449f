# The censor's techniques in bwlab-censor (sourced by lab/run): iptables and tc. DNS blocking is in
# conf/dnsmasq.conf, the censor's servers in conf/nginx-censor.conf.

lab_censor_rules() {
    local ns=bwlab-censor
    ipt() { ip netns exec "$ns" iptables -w "$@"; }

    # Connection-level blocking by address.
    ipt -A FORWARD -d "$(lab_ip tcp-drop.test)" -p tcp --dport 443 -j DROP
    ipt -A FORWARD -d "$(lab_ip tcp-reset.test)" -p tcp --dport 443 -j REJECT --reject-with tcp-reset

    # DPI on the server name in the ClientHello: a reset, or silence (the handshake stalls).
    ipt -A FORWARD -p tcp --dport 443 -m string --algo bm --string sni-reset.test -j REJECT --reject-with tcp-reset
    ipt -A FORWARD -p tcp --dport 443 -m string --algo bm --string xn--90ascm.test -j REJECT --reject-with tcp-reset
    ipt -A FORWARD -p tcp --dport 443 -m string --algo bm --string sni-stall.test -j DROP
    ipt -A FORWARD -p tcp --dport 443 -m string --algo bm --string moved-new.test -j DROP

    # Every TLS ClientHello to one address dropped, whatever its name, or with none: TCP connects,
    # the handshake stalls. u32 reads the TCP payload's first byte (0x16, a handshake record) and
    # its sixth (0x01, a ClientHello); the name is not looked at.
    ipt -A FORWARD -d "$(lab_ip ip-tls-drop.test)" -p tcp --dport 443 \
        -m u32 --u32 "0>>22&0x3C@12>>26&0x3C@0>>24=0x16&&0>>22&0x3C@12>>26&0x3C@4>>16&0xFF=0x01" -j DROP

    # DPI on the Host header of plain HTTP.
    ipt -A FORWARD -p tcp --dport 80 -m string --algo bm --string "Host: host-reset.test" -j REJECT --reject-with tcp-reset

    # Redirection of connections to the censor's own servers.
    ipt -t nat -A PREROUTING -d "$(lab_ip blockpage.test)" -p tcp --dport 80 -j DNAT --to-destination "$LAB_BLOCKPAGE_IP:80"
    ipt -t nat -A PREROUTING -d "$(lab_ip injected.test)" -p tcp --dport 80 -j DNAT --to-destination "$LAB_INJECTOR_IP:80"
    ipt -t nat -A PREROUTING -d "$(lab_ip injected.test)" -p tcp --dport 443 -j DNAT --to-destination "$LAB_INJECTOR_IP:443"
    ipt -t nat -A PREROUTING -d "$(lab_ip qaznet.test)" -p tcp --dport 443 -j DNAT --to-destination "$LAB_INTERCEPTOR_IP:443"
    ipt -t nat -A PREROUTING -d "$(lab_ip shared-headers.test)" -p tcp --dport 80 -j DNAT --to-destination "$LAB_MIMIC_IP:80"

    # DPI on the page itself: the packet that carries the forbidden words, and every one after it on
    # that connection, never reaches the client: the page stops mid-transfer.
    ipt -A FORWARD -p tcp --sport 80 -s "$(lab_ip cut.test)" -m string --algo bm --string bwlab-forbidden-words -j CONNMARK --set-mark 0x20
    ipt -A FORWARD -p tcp --sport 80 -s "$(lab_ip cut.test)" -m connmark --mark 0x20 -j DROP

    # Throttling by SNI: the ClientHello marks its connection; every packet of a marked connection
    # towards the client goes through a 16 kbit/s token bucket with a short queue, so the excess
    # is dropped (a policer, as Russia's throttling of Twitter was) rather than queued for minutes.
    # 16 kbit/s is what a reliability probe saw in a censor's network: the handshake alone takes
    # seconds, while the same address answers another name at once.
    ipt -t mangle -A FORWARD -p tcp --dport 443 -m string --algo bm --string throttled.test -j CONNMARK --set-mark 0x10
    ipt -t mangle -A POSTROUTING -o lan -m connmark --mark 0x10 -j CLASSIFY --set-class 1:10
    ip netns exec "$ns" tc qdisc add dev lan root handle 1: htb default 20
    ip netns exec "$ns" tc class add dev lan parent 1: classid 1:20 htb rate 10gbit quantum 60000
    ip netns exec "$ns" tc class add dev lan parent 1: classid 1:10 htb rate 10gbit quantum 60000
    ip netns exec "$ns" tc qdisc add dev lan parent 1:10 handle 10: tbf rate 16kbit burst 2kb limit 8kb
}
