# What issue 31's measurements cost (sourced by lab/run; lab/run --dns-cost). A benchmark: it
# prints figures and asserts nothing but that each measurement was made. Every measurement is
# `blockwatch measure --json` in bwlab-client, three times each, with a configuration of its own
# (a fresh XDG_CONFIG_HOME, so that no user's file counts): the bytes on the client's link (IP
# packets both ways, headers included, counted by iptables there), the process's CPU (user +
# system, the JVM's start included) and its wall time (/usr/bin/time).
#  1. dnscheck per protocol: the Do53 resolver abroad that nothing intercepts, DoT and DoH of the
#     open one, and the blocked ones (DoH by SNI, DoT by port): lab/dns.sh's dns_config;
#  2. the SNI attribution's cost: sni-reset, sni-stall and ip-tls-drop against open.test
#     (accessible: no such follow-up), with no extra resolver; a page's third connection to an
#     address and later are counted apart too: the throttling follow-up's, which a cold JVM's slow
#     first handshake can set off in a one-shot `measure`;
#  3. portfiltering against the port-filter helper (lab/ports.sh), every channel open, then in the
#     agent phase's whitelist shutdown (only tcp/3785 and udp/53 through);
#  4. open.test with no extra resolver and with resolver-open.test's DoH as the extra one.
# The follow-up after a failed handshake (x_sni_probes, follow_up tls_failure) makes its
# connections to the address whose handshake failed, after the measurement's own: in the
# client's mangle table every TCP connection is marked at its SYN (counted), and one to an
# address's port 443 that this measurement has connected to already (xt_recent, cleared before
# each measurement) is marked a later one; its bytes are counted apart. That is the follow-up
# exactly when the measurement made one connection of its own there (check.py says when not).
# Those bytes are counted with their peer's too (the site's, a resolver's): "later" is a part.
# Each flow (TCP connection, UDP exchange) is also marked with its measurement's number, its
# generation: a measurement counts only its own flows' packets, and its flows' packets after its
# process exited (the kernel retransmitting a ClientHello that the censor drops, for a minute or
# two) are counted to it too, apart ("after exit"), from per-generation counters read at the end.

# The chains: DC_CONN (mangle) marks flows; DC_OUT and DC_IN (filter) count bytes per kind of peer
# for the current generation; DC_GEN counts each generation's bytes, never zeroed.
DC_CONNMARK_SEEN=0x10000
DC_CONNMARK_LATER=0x20000
DC_CONNMARK_THIRD=0x40000
DC_CONNMARK_GENERATION=0xff

dns_cost_counters_up() {
    local c=(ip netns exec bwlab-client iptables -w) m=(ip netns exec bwlab-client iptables -w -t mangle) p
    local seen="$DC_CONNMARK_SEEN" later="$DC_CONNMARK_LATER" third="$DC_CONNMARK_THIRD"
    # The first packet of each flow the client opens; a SYN sent again carries the mark already.
    "${m[@]}" -N DC_CONN
    "${m[@]}" -A OUTPUT -o eth0 -m connmark --mark "0/$seen" -j DC_CONN
    "${m[@]}" -A DC_CONN -p tcp --syn --dport 443 -m recent --name dc443 --rdest --rcheck -j CONNMARK --set-xmark "$later/$later"
    # A third connection or later: after a page's own two (the reach's, the fetch's), the
    # throttling follow-up's (after a slow handshake, as a cold JVM's first can be).
    "${m[@]}" -A DC_CONN -p tcp --syn --dport 443 -m recent --name dc443 --rdest --rcheck --hitcount 2 -j CONNMARK --set-xmark "$third/$third"
    "${m[@]}" -A DC_CONN -p tcp --syn --dport 443 -m recent --name dc443 --rdest --set
    # Rule 4, the generation's: dns_cost_generation replaces it.
    "${m[@]}" -A DC_CONN -j CONNMARK --set-xmark "$seen/$seen"
    "${m[@]}" -A DC_CONN -p tcp --syn -m comment --comment conns
    "${m[@]}" -A DC_CONN -p tcp --syn -m connmark --mark "$later/$later" -m comment --comment later_conns
    "${m[@]}" -A DC_CONN -p tcp --syn -m connmark --mark "$third/$third" -m comment --comment third_conns
    "${c[@]}" -N DC_GEN
    "${c[@]}" -N DC_OUT
    "${c[@]}" -N DC_IN
    "${c[@]}" -A OUTPUT -o eth0 -j DC_GEN
    "${c[@]}" -A INPUT -i eth0 -j DC_GEN
    "${c[@]}" -A OUTPUT -o eth0 -j DC_OUT
    "${c[@]}" -A INPUT -i eth0 -j DC_IN
    # Rule 1 of each, the generation's: another's packets (an earlier measurement's) are not counted here.
    "${c[@]}" -A DC_OUT -m comment --comment stray -j RETURN
    "${c[@]}" -A DC_IN -m comment --comment stray -j RETURN
    # Counted, not returned: a later connection's bytes are also counted with its peer's below.
    "${c[@]}" -A DC_OUT -m connmark --mark "$later/$later" -m comment --comment later
    "${c[@]}" -A DC_IN -m connmark --mark "$later/$later" -m comment --comment later
    "${c[@]}" -A DC_OUT ! -d "$LAB_RESOLVERS_NET" -m connmark --mark "$third/$third" -m comment --comment third
    "${c[@]}" -A DC_IN ! -s "$LAB_RESOLVERS_NET" -m connmark --mark "$third/$third" -m comment --comment third
    # The resolvers abroad (all ports: Do53, DoT, DoH) before port 53, which is the ISP's resolver otherwise.
    "${c[@]}" -A DC_OUT -d "$LAB_RESOLVERS_NET" -m comment --comment resolver -j RETURN
    "${c[@]}" -A DC_IN -s "$LAB_RESOLVERS_NET" -m comment --comment resolver -j RETURN
    for p in udp tcp; do
        "${c[@]}" -A DC_OUT -p "$p" --dport 53 -m comment --comment dns -j RETURN
        "${c[@]}" -A DC_IN -p "$p" --sport 53 -m comment --comment dns -j RETURN
    done
    "${c[@]}" -A DC_OUT -d "$LAB_CONTROL_IP" -m comment --comment control -j RETURN
    "${c[@]}" -A DC_IN -s "$LAB_CONTROL_IP" -m comment --comment control -j RETURN
    "${c[@]}" -A DC_OUT -d "$LAB_HELPER_NET" -m comment --comment helper -j RETURN
    "${c[@]}" -A DC_IN -s "$LAB_HELPER_NET" -m comment --comment helper -j RETURN
    "${c[@]}" -A DC_OUT -m comment --comment site -j RETURN
    "${c[@]}" -A DC_IN -m comment --comment site -j RETURN
}
# A measurement's number: its flows are marked with it, and counted under it.
dns_cost_generation() { # number (1 to 255)
    local g="$1" mask=$((DC_CONNMARK_SEEN | DC_CONNMARK_GENERATION)) gen="$DC_CONNMARK_GENERATION"
    ip netns exec bwlab-client iptables -w -t mangle -R DC_CONN 4 -j CONNMARK --set-xmark "$((DC_CONNMARK_SEEN | g))/$mask"
    ip netns exec bwlab-client iptables -w -R DC_OUT 1 -m connmark ! --mark "$g/$gen" -m comment --comment stray -j RETURN
    ip netns exec bwlab-client iptables -w -R DC_IN 1 -m connmark ! --mark "$g/$gen" -m comment --comment stray -j RETURN
    ip netns exec bwlab-client iptables -w -A DC_GEN -m connmark --mark "$g/$gen" -m comment --comment "generation $g"
}
# Each generation's bytes so far: "number<TAB>bytes" lines.
dns_cost_generations() {
    ip netns exec bwlab-client iptables -w -L DC_GEN -nvx | awk 'match($0, /\/\* generation [0-9]+ \*\//) { print substr($0, RSTART + 14, RLENGTH - 17) "\t" $2 }'
}
# Whether the client's connections are over (none left but listeners and TIME-WAIT).
dns_cost_quiet() { [ -z "$(ip netns exec bwlab-client ss -Htan | grep -v -e '^LISTEN' -e '^TIME-WAIT')" ]; }

dns_cost_zero() {
    ip netns exec bwlab-client iptables -w -Z DC_OUT
    ip netns exec bwlab-client iptables -w -Z DC_IN
    ip netns exec bwlab-client iptables -w -t mangle -Z DC_CONN
    # Forget the addresses connected to ("/" clears an xt_recent list).
    ip netns exec bwlab-client sh -c 'echo / > /proc/net/xt_recent/dc443'
}
dns_cost_read() { # bytes to and from each kind of peer, then connections, tab-separated (the header's order)
    { ip netns exec bwlab-client iptables -w -L DC_OUT -nvx; ip netns exec bwlab-client iptables -w -L DC_IN -nvx; } \
        | awk 'match($0, /\/\* [a-z_]+ \*\//) { sum[substr($0, RSTART + 3, RLENGTH - 6)] += $2 }
               END { printf "%d\t%d\t%d\t%d\t%d\t%d\t%d", sum["dns"], sum["control"], sum["resolver"], sum["helper"], sum["site"], sum["later"], sum["third"] }'
    # Packets of DC_CONN's counting rules: one SYN per connection (a retransmitted SYN carries the mark already).
    ip netns exec bwlab-client iptables -w -t mangle -L DC_CONN -nvx \
        | awk 'match($0, /\/\* [a-z_]+ \*\//) { n[substr($0, RSTART + 3, RLENGTH - 6)] += $1 }
               END { printf "\t%d\t%d\t%d", n["conns"], n["later_conns"], n["third_conns"] }'
}

# A measurement's configuration (YAML) for one row. $work must be set.
dns_cost_config() { # kind [resolver-url]
    case "$1" in
        dnscheck) dns_config dnscheck "$2" ;;
        web) printf 'measurement:\n  trust_ca: [%s]\n  extra_resolvers: []\n' "$work/ca/lab-root.pem" ;;
        web-extra) printf 'measurement:\n  trust_ca: [%s]\n  extra_resolvers: [%s]\n' "$work/ca/lab-root.pem" "$2" ;;
        ports) printf 'measurement:\n  extra_resolvers: []\n' ;;
        *) echo "lab: no dns-cost configuration named '$1'" >&2; return 1 ;;
    esac
}

dns_cost_phase() { # output directory
    local out="$1" rows="$1/dns-cost.tsv" status=0 rep section name kind resolver input dir record args ports_pid=""
    mkdir -p "$out/dns-cost"
    dns_resolvers_up || { echo "lab: FAIL unbound did not start (see $work/log/unbound.log)" >&2; return 1; }
    local ports_on=""
    if ports_supported; then
        ports_pid="$(ports_helper_up "$work/log/ports-helper.log")"
        if wait_for "the port-filter helper on its ports" 60 ports_helper_listening; then ports_on=1
        else tail -n 20 "$work/log/ports-helper.log" >&2; echo "lab: FAIL the port-filter helper did not listen" >&2; status=1; fi
    else
        echo "lab: FAIL 'blockwatch control-server' has no --ports-tcp: portfiltering is left out" >&2
        status=1
    fi
    dns_cost_counters_up
    printf 'section\tname\tinput\trepetition\tgeneration\tdns\tcontrol\tresolver\thelper\tsite\tlater\tthird\tconns\tlater_conns\tthird_conns\tcpu_seconds\twall_seconds\trecord\n' > "$rows"

    # section, name, kind (dns_cost_config's), resolver (or -), the measure's input.
    local plan
    plan="$(cat << EOF
dnscheck	udp (Do53, not intercepted)	dnscheck	udp://$LAB_FOREIGN_DIRECT_IP:53	dnscheck
dnscheck	dot (open)	dnscheck	dot://resolver-open.test:853	dnscheck
dnscheck	doh (open)	dnscheck	https://resolver-open.test/dns-query	dnscheck
dnscheck	doh blocked by SNI	dnscheck	https://doh-blocked.test/dns-query	dnscheck
dnscheck	dot blocked by port	dnscheck	dot://dot-blocked.test:853	dnscheck
sni	open.test (accessible)	web	-	https://open.test/
sni	sni-reset.test	web	-	https://sni-reset.test/
sni	sni-stall.test	web	-	https://sni-stall.test/
sni	ip-tls-drop.test	web	-	https://ip-tls-drop.test/
extra	open.test, extra resolver resolver-open.test (DoH)	web-extra	https://resolver-open.test/dns-query	https://open.test/
EOF
)"
    if [ -n "$ports_on" ]; then
        plan+=$'\n'"ports	every channel open	ports	-	portfilter://$LAB_PORTS_HELPER_IP"
        plan+=$'\n'"ports-whitelist	whitelist shutdown ($LAB_PORTS_THROUGH through)	ports	-	portfilter://$LAB_PORTS_HELPER_IP"
    fi
    say "what issue 31's measurements cost: $(echo "$plan" | wc -l) measurements from bwlab-client, three times each"
    local whitelist="" generation=0
    for rep in 1 2 3; do
        while IFS=$'\t' read -r section name kind resolver input; do
            # The agent phase's whitelist shutdown, for its rows only (it cuts the control too).
            if [ "$section" = ports-whitelist ] && [ -z "$whitelist" ]; then
                ip netns exec bwlab-censor iptables -w -I FORWARD 1 -i lan ! -d "$(lab_ip domestic.test)" -j DROP
                ports_whitelist_holes -I
                whitelist=1
            elif [ "$section" != ports-whitelist ] && [ -n "$whitelist" ]; then
                ports_whitelist_holes -D
                ip netns exec bwlab-censor iptables -w -D FORWARD -i lan ! -d "$(lab_ip domestic.test)" -j DROP
                whitelist=""
            fi
            dir="$work/dns-cost/$section-$(echo "$name" | tr -c 'A-Za-z0-9.\n-' '_')"
            mkdir -p "$dir/xdg"
            dns_cost_config "$kind" "$resolver" > "$dir/config.yaml"
            args=(--resolver "$LAB_ISP_RESOLVER")
            [ "$kind" = dnscheck ] || args+=(--trust-ca "$work/ca/lab-root.pem")
            record="$out/dns-cost/$(basename "$dir")-$rep.jsonl"
            generation=$((generation + 1))
            dns_cost_generation "$generation"
            dns_cost_zero
            ip netns exec bwlab-client env XDG_CONFIG_HOME="$dir/xdg" /usr/bin/time -f '%e %U %S' -o "$dir/time" \
                "$root/blockwatch" measure --json --timeout 5 --control "$LAB_CONTROL_URL" --public-range "$LAB_PUBLIC_RANGE" \
                --config "$dir/config.yaml" "${args[@]}" "$input" < /dev/null > "$record" 2> "$dir/log" || true
            if ! grep -q '"test_name"' "$record"; then
                tail -n 5 "$dir/log" | sed 's/^/    /' >&2
                echo "lab: FAIL dns cost: blockwatch measure $input ($name) wrote no measurement (see $out/dns-cost/)" >&2
                cp "$dir/log" "${record%.jsonl}.log"
                status=1
                continue
            fi
            printf '%s\t%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\n' "$section" "$name" "$input" "$rep" "$generation" "$(dns_cost_read)" \
                "$(awk '{ printf "%.2f", $2 + $3 }' "$dir/time")" "$(awk '{ printf "%.2f", $1 }' "$dir/time")" "$record" >> "$rows"
        done <<< "$plan"
        say "  repetition $rep of 3 done"
    done
    if [ -n "$whitelist" ]; then
        ports_whitelist_holes -D
        ip netns exec bwlab-censor iptables -w -D FORWARD -i lan ! -d "$(lab_ip domestic.test)" -j DROP
    fi
    if [ -n "$ports_pid" ]; then kill -TERM "$ports_pid" 2> /dev/null || true; fi
    # The last measurements' connections may still be retransmitting: their bytes count too.
    wait_for "the client's last connections to end" 180 dns_cost_quiet \
        || echo "lab: dns cost: connections still open after 3 minutes; their later bytes are left out" >&2
    { printf 'generation\tbytes\n'; dns_cost_generations; } > "$out/dns-cost-generations.tsv"
    python3 "$lab/check.py" dns-cost "$rows" "$out/dns-cost-generations.tsv" | tee "$out/dns-cost.md" || status=1
    return "$status"
}
