# The dns phase (sourced by lab/run; issue 31): resolvers abroad, one unbound in bwlab-resolvers
# (conf/unbound.conf; addresses and names in lab/sites.sh), measured from a client of its own,
# bwlab-dns, through the censor, each scenario of lab/dns.tsv with `blockwatch measure --json`:
#   - a "foreign" resolver over plain DNS whose port 53 the censor redirects to its own dnsmasq
#     (interception, told by the resolver's identity), and the same resolver left alone;
#   - encrypted resolvers: one open (DoH and DoT), a DoH one blocked by its name (SNI), a DoT one
#     blocked by its port.
# Before measuring, the phase checks the lab itself with standard tools (kdig, curl --doh-url,
# python's ssl): the servers answer, the censor does what lab/dns.tsv says (and what the SNI
# scenarios of lab/scenarios.tsv rest on). Runs beside the other phases: it touches only its own
# link, bwlab-resolvers and the addresses there.

# The probe's configuration of one scenario, as YAML: the identity each foreign resolver answers
# to CHAOS TXT id.server when nothing intercepts it (dns.identities, HOST=REGEX, found in the
# answer); for a web measurement the foreign resolver as the path's (measurement.resolver: a
# lie there is the user's answer) and no extra resolver (nothing in the lab answers Cloudflare's);
# for dnscheck its resolvers (tests.dnscheck.resolvers). $work must be set.
dns_config() { # test resolver-url
    echo "dns:"
    echo "  identities: [\"$LAB_FOREIGN_IP=^$LAB_FOREIGN_IDENTITY\$\", \"$LAB_FOREIGN_DIRECT_IP=^$LAB_FOREIGN_IDENTITY\$\"]"
    echo "measurement:"
    echo "  trust_ca: [$work/ca/lab-root.pem]"
    echo "  extra_resolvers: []"
    case "$1" in
        web_connectivity) local hostport="${2#udp://}"; echo "  resolver: ${hostport%%/*}" ;;
        dnscheck) printf 'tests:\n  enabled: [dnscheck]\n  dnscheck:\n    resolvers: [%s]\n' "$2" ;;
        *) echo "lab: no dns configuration for a test named '$1'" >&2; return 1 ;;
    esac
}

# The censor's rules for the dns phase (bwlab-censor), on the resolvers' addresses and names only.
lab_dns_censor_rules() {
    ipt() { ip netns exec bwlab-censor iptables -w "$@"; }
    # On the clients' traffic only (10.77.0.0/16): the control server reaches the resolvers
    # through the censor too, and keeps the open path.
    local clients=10.77.0.0/16
    # Interception: plain DNS for the foreign resolver answered by the ISP's dnsmasq instead.
    ipt -t nat -A PREROUTING -s "$clients" -d "$LAB_FOREIGN_IP" -p udp --dport 53 -j DNAT --to-destination "$LAB_DNS_RESOLVER:53"
    ipt -t nat -A PREROUTING -s "$clients" -d "$LAB_FOREIGN_IP" -p tcp --dport 53 -j DNAT --to-destination "$LAB_DNS_RESOLVER:53"
    # DoH blocked by its name: a reset after the ClientHello that carries it.
    ipt -A FORWARD -s "$clients" -p tcp --dport 443 -m string --algo bm --string doh-blocked.test -j REJECT --reject-with tcp-reset
    # DoT blocked by its port: TCP 853 to dot-blocked.test dropped (its DoH on 443 passes).
    ipt -A FORWARD -s "$clients" -d "$(lab_ip dot-blocked.test)" -p tcp --dport 853 -j DROP
}

dns_resolvers_up() {
    mkdir -p "$work/unbound"
    chown nobody:nogroup "$work/unbound"
    render "$lab/conf/unbound.conf" "$work/conf/unbound.conf"
    # Ports below 1024 for anyone, in this namespace only: unbound runs as nobody from the start.
    ip netns exec bwlab-resolvers sysctl -qw net.ipv4.ip_unprivileged_port_start=0
    # Not a job of this shell (whose waits are for its measurements); lab_down stops it.
    (ip netns exec bwlab-resolvers setpriv --reuid=nobody --regid=nogroup --clear-groups \
        unbound -c "$work/conf/unbound.conf" > "$work/log/unbound.log" 2>&1 &)
    # DoH (HTTP/1.1 and HTTP/2) in front of it: dnsdist.
    render "$lab/conf/dnsdist.conf" "$work/conf/dnsdist.conf"
    (ip netns exec bwlab-resolvers setpriv --reuid=nobody --regid=nogroup --clear-groups \
        dnsdist --supervised --disable-syslog -C "$work/conf/dnsdist.conf" > "$work/log/dnsdist.log" 2>&1 &)
    resolvers_listening() { listening bwlab-resolvers u 53 && listening bwlab-resolvers t 443 && listening bwlab-resolvers t 853; }
    wait_for "unbound on 53 and 853, dnsdist on 443 in bwlab-resolvers" 20 resolvers_listening \
        || { cat "$work/log/unbound.log" "$work/log/dnsdist.log" >&2; return 1; }
}

# A DNS query from the dns phase's client with kdig: "STATUS answer..." (answers' data, in
# order), or kdig's complaint when nothing came back. Options after the name go to kdig.
dns_query() { # server name [type [class]] [kdig options...]
    local server="$1" name="$2"
    shift 2
    ip netns exec bwlab-dns kdig +timeout=2 +retry=0 "@$server" "$name" "$@" 2>&1 | awk '
        /status: / { match($0, /status: [A-Z]+/); status = substr($0, RSTART + 8, RLENGTH - 8) }
        /^;; ANSWER SECTION:/ { answers = 1; next }
        answers && /^$/ { answers = 0 }
        answers && !/^;/ { out = out " " $NF }
        /^;; (WARNING|ERROR)/ { problem = problem " " $0 }
        END { if (status != "") print status out; else print "no answer:" problem }'
}

# A TLS handshake from the dns phase's client to ADDRESS:443 with NAME as its SNI (none when
# empty), certificates not checked: handshake, reset, timeout (connected, no answer), or how the
# connect failed. What the probe's SNI attribution compares.
tls_outcome() { # address name
    ip netns exec bwlab-dns python3 - "$@" << 'EOF'
import socket, ssl, sys
address, name = sys.argv[1], sys.argv[2]
context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE
try:
    sock = socket.create_connection((address, 443), timeout=3)
except OSError as e:
    print("connect " + ("timeout" if isinstance(e, socket.timeout) else type(e).__name__))
    sys.exit()
try:
    context.wrap_socket(sock, server_hostname=name or None).close()
    print("handshake")
except socket.timeout:
    print("timeout")
except ConnectionResetError:
    print("reset")
except OSError as e:
    print(type(e).__name__)
EOF
}

# Whether the lab does what lab/dns.tsv (and the SNI scenarios of lab/scenarios.tsv) say, with
# standard tools: "pass  lab: ..." or "FAIL  lab: ...". The probe is not involved.
dns_lab_checks() {
    local failed=0 ca="$work/ca/lab-root.pem" random="r$RANDOM$RANDOM.test"
    local open_ip doh_blocked_ip dot_blocked_ip
    open_ip="$(lab_ip resolver-open.test)" doh_blocked_ip="$(lab_ip doh-blocked.test)" dot_blocked_ip="$(lab_ip dot-blocked.test)"
    expect() { # what expected(glob) command...
        local got
        got="$("${@:3}" 2>&1 | tr '\n' ' ' | sed 's/ *$//')" || true
        # shellcheck disable=SC2053
        if [[ "$got" == $2 ]]; then echo "pass  lab: $1 ($got)"
        else echo "FAIL  lab: $1: got '$got', expected '$2'"; failed=1; fi
    }
    doh() { # url curl-options...: fetches https://open.test/ resolving its name by DoH (curl --doh-url)
        local url="$1"
        shift
        ip netns exec bwlab-dns curl -s -o /dev/null -w '%{http_code}' --max-time 5 --cacert "$ca" --doh-url "$url" "$@" https://open.test/
    }
    doh11() { # url: an RFC 8484 POST over HTTP/1.1, as the probe sends it: "HTTP-STATUS BYTES"
        ip netns exec bwlab-dns python3 -c 'import struct,sys; sys.stdout.buffer.write(struct.pack(">6H",0,256,1,0,0,0)+b"\x04open\x04test\x00"+struct.pack(">2H",1,1))' \
            | ip netns exec bwlab-dns curl -s -o /dev/null -w '%{http_code} %{size_download}' --max-time 5 --http1.1 --cacert "$ca" \
                -H 'content-type: application/dns-message' --data-binary @- "$1"
    }
    local id='"'"$LAB_FOREIGN_IDENTITY"'"'
    expect "the foreign resolver, left alone, answers id.server with its identity" "NOERROR $id" dns_query "$LAB_FOREIGN_DIRECT_IP" id.server TXT CH
    expect "... and hostname.bind, over TCP" "NOERROR $id" dns_query "$LAB_FOREIGN_DIRECT_IP" hostname.bind TXT CH +tcp
    expect "... and the lab's names, truthfully" "NOERROR $(lab_ip dns-bogon.test)" dns_query "$LAB_FOREIGN_DIRECT_IP" dns-bogon.test A
    expect "... and dnscheck's default name ($LAB_DNSCHECK_DOMAIN)" "NOERROR $(lab_ip open.test)" dns_query "$LAB_FOREIGN_DIRECT_IP" "$LAB_DNSCHECK_DOMAIN" A
    expect "intercepted (DNAT to dnsmasq): id.server is not its identity" "NOTIMPL" dns_query "$LAB_FOREIGN_IP" id.server TXT CH
    expect "intercepted: version.bind tells dnsmasq answered" "NOERROR \"dnsmasq-*\"" dns_query "$LAB_FOREIGN_IP" version.bind TXT CH
    expect "intercepted over TCP too" "NOTIMPL" dns_query "$LAB_FOREIGN_IP" id.server TXT CH +tcp
    expect "intercepted: the ISP's lie comes back" "NOERROR 10.64.0.1" dns_query "$LAB_FOREIGN_IP" dns-bogon.test A
    expect "resolver-open.test: DoT answers" "NOERROR $(lab_ip open.test)" dns_query "$open_ip" open.test A -p 853 +tls-ca="$ca" +tls-hostname=resolver-open.test
    expect "resolver-open.test: DoT by address (the certificate names it)" "NOERROR $(lab_ip open.test)" dns_query "$open_ip" open.test A -p 853 +tls-ca="$ca"
    expect "resolver-open.test: DoH answers over HTTP/1.1 (dnsdist)" "200 *" doh11 https://resolver-open.test/dns-query
    expect "resolver-open.test: DoH answers (HTTP/2)" "NOERROR $(lab_ip open.test)" dns_query "$open_ip" open.test A +https=/dns-query +tls-ca="$ca" +tls-hostname=resolver-open.test
    expect "curl --doh-url https://resolver-open.test/dns-query fetches https://open.test/" "200" doh https://resolver-open.test/dns-query
    expect "doh-blocked.test: DoH with its name fails" "no answer:*" dns_query "$doh_blocked_ip" open.test A +https=/dns-query +tls-ca="$ca" +tls-hostname=doh-blocked.test +tls-sni=doh-blocked.test
    expect "doh-blocked.test: its name is reset after the ClientHello" "reset" tls_outcome "$doh_blocked_ip" doh-blocked.test
    expect "doh-blocked.test: another name ($random) at its address is not" "handshake" tls_outcome "$doh_blocked_ip" "$random"
    expect "doh-blocked.test: DoH with another SNI answers" "NOERROR $(lab_ip open.test)" dns_query "$doh_blocked_ip" open.test A +https=/dns-query +tls-ca="$ca" +tls-hostname=doh-blocked.test +tls-sni="$random"
    expect "curl --doh-url https://doh-blocked.test/dns-query fails" "000" doh https://doh-blocked.test/dns-query
    expect "dot-blocked.test: DoT times out" "no answer:*" dns_query "$dot_blocked_ip" open.test A -p 853 +tls-ca="$ca" +tls-hostname=dot-blocked.test
    expect "dot-blocked.test: its DoH answers" "NOERROR $(lab_ip open.test)" dns_query "$dot_blocked_ip" open.test A +https=/dns-query +tls-ca="$ca" +tls-hostname=dot-blocked.test
    # The SNI scenarios of lab/scenarios.tsv (the measure phase): the censor judges the name, or the address.
    local site ip outcome
    for site in sni-reset.test xn--90ascm.test sni-stall.test moved-new.test; do
        ip="$(lab_ip "$site")"
        case "$site" in sni-stall.test|moved-new.test) outcome=timeout ;; *) outcome=reset ;; esac
        expect "$site: its name gets a $outcome" "$outcome" tls_outcome "$ip" "$site"
        expect "$site: a random name of the same TLD passes" "handshake" tls_outcome "$ip" "$random"
        expect "$site: no name passes" "handshake" tls_outcome "$ip" ""
    done
    # "timeout" is after a connect: TCP passes, the ClientHello does not.
    ip="$(lab_ip ip-tls-drop.test)"
    expect "ip-tls-drop.test: TCP connects, its name stalls" "timeout" tls_outcome "$ip" ip-tls-drop.test
    expect "ip-tls-drop.test: a random name stalls too" "timeout" tls_outcome "$ip" "$random"
    expect "ip-tls-drop.test: no name stalls too" "timeout" tls_outcome "$ip" ""
    return "$failed"
}

dns_phase() { # output directory
    local out="$1" status=0 name test resolver input running=0 n=0 failed
    mkdir -p "$out/dns"
    render "$lab/dns.tsv" "$out/dns.tsv"
    say "the dns phase: resolvers abroad (unbound in bwlab-resolvers) measured from bwlab-dns (lab/dns.tsv)"
    dns_resolvers_up || { echo "lab: FAIL unbound did not start (see $work/log/unbound.log)" >&2; return 1; }
    say "the lab, checked with standard tools:"
    dns_lab_checks | sed 's/^/  /' || { echo "lab: FAIL the lab itself is not as lab/dns.tsv says (above)" >&2; status=1; }

    dns_measure() { # name test resolver input
        local config="$out/dns/$1.yaml" rc=0 args=()
        mkdir -p "$work/dns-xdg/$1"
        dns_config "$2" "$3" > "$config" || return 1
        if [ "$2" = dnscheck ]; then args=(--resolver "$LAB_DNS_RESOLVER" dnscheck); else args=("$4"); fi
        ip netns exec bwlab-dns env XDG_CONFIG_HOME="$work/dns-xdg/$1" "$root/blockwatch" measure --json --timeout 5 \
            --control "$LAB_CONTROL_URL" --public-range "$LAB_PUBLIC_RANGE" --config "$config" "${args[@]}" \
            > "$out/dns/$1.jsonl" 2> "$out/dns/$1.log" || rc=$?
        echo "$rc" > "$out/dns/$1.rc"
        if [ "$rc" != 0 ]; then
            echo "lab: FAIL blockwatch measure ($1) exited $rc:" >&2
            tail -n 5 "$out/dns/$1.log" | sed 's/^/    /' >&2
        fi
    }
    while IFS=$'\t' read -r name test resolver input _; do
        case "$name" in ''|'#'*) continue ;; esac
        dns_measure "$name" "$test" "$resolver" "$input" &
        n=$((n + 1)); running=$((running + 1))
        if [ "$running" -ge 3 ]; then wait -n || true; running=$((running - 1)); fi
    done < "$out/dns.tsv"
    wait
    say "  $n measured"
    python3 "$lab/check.py" dns "$out/dns.tsv" "$out/dns" "$out/dns-verdicts.tsv" "$root/docs/ooni-measurement.schema.json" || status=1
    failed="$(grep -Lx 0 "$out"/dns/*.rc | xargs -r -n 1 basename | sed 's/\.rc$//' | tr '\n' ' ')"
    if [ -n "$failed" ]; then echo "lab: FAIL blockwatch measure exited non-zero for: $failed" >&2; status=1; fi
    return "$status"
}
