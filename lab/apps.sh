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

# What the apps cost (lab/run --apps-cost, a benchmark: it prints figures and asserts nothing but
# that each measurement was made). iptables in bwlab-apps counts the bytes on its link (IP packets,
# headers included) to the resolver, the control and the apps' servers.
#  1. `blockwatch measure APP` from a terminal, open and blocked, three times each: the bytes, and
#     the process's CPU (user + system, the JVM's start included) from /usr/bin/time;
#  2. the agent (`blockwatch run`) with the four apps on, a sweep a minute: after a first sweep
#     (the JIT's warm-up), three sweeps; the agent's CPU (/proc/PID/stat) and the bytes between them.
# The lab's apps have fewer endpoints than the real ones (lab/apps.tsv): 2 data centres (the
# spec's 6), 2 WhatsApp names (16), 2 Signal services (4); Messenger's 7 names as the spec's.
apps_cost_counters_up() {
    local c=(ip netns exec bwlab-apps iptables -w) p
    "${c[@]}" -N AC_OUT
    "${c[@]}" -N AC_IN
    "${c[@]}" -A OUTPUT -o eth0 -j AC_OUT
    "${c[@]}" -A INPUT -i eth0 -j AC_IN
    for p in udp tcp; do
        "${c[@]}" -A AC_OUT -p "$p" --dport 53 -m comment --comment dns -j RETURN
        "${c[@]}" -A AC_IN -p "$p" --sport 53 -m comment --comment dns -j RETURN
    done
    "${c[@]}" -A AC_OUT -d "$LAB_CONTROL_IP" -m comment --comment control -j RETURN
    "${c[@]}" -A AC_IN -s "$LAB_CONTROL_IP" -m comment --comment control -j RETURN
    "${c[@]}" -A AC_OUT -m comment --comment app -j RETURN
    "${c[@]}" -A AC_IN -m comment --comment app -j RETURN
}
apps_cost_zero() { ip netns exec bwlab-apps iptables -w -Z AC_OUT && ip netns exec bwlab-apps iptables -w -Z AC_IN; }
apps_cost_read() { # bytes to and from the resolver, the control and the apps' servers, tab-separated
    { ip netns exec bwlab-apps iptables -w -L AC_OUT -nvx; ip netns exec bwlab-apps iptables -w -L AC_IN -nvx; } \
        | awk 'match($0, /\/\* [a-z]+ \*\//) { sum[substr($0, RSTART + 3, RLENGTH - 6)] += $2 }
               END { printf "%d\t%d\t%d", sum["dns"], sum["control"], sum["app"] }'
}
apps_cpu() { # pid: the process's user + system CPU, in clock ticks
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}

apps_cost_agent_config() { # directory
    echo "consent: true"
    echo "tests:"
    echo "  enabled: [telegram, whatsapp, signal, facebook_messenger]"
    local c
    for c in tg-open wa-open sig-open fb-open; do apps_config "$c" | sed '/^tests:/d; /^  enabled:/d'; done
    cat << EOF
schedule:
  interval: 1m
  jitter: 0s
measurement:
  timeout: 5s
  resolver: $LAB_APPS_RESOLVER
  trust_ca: [$work/ca/lab-root.pem]
control:
  helpers: [$LAB_CONTROL_URL]
metrics:
  listen: 127.0.0.1:9467
store:
  path: $1/agent.db
network:
  asn: AS64500
  country: KZ
  name: blockwatch lab
lab:
  public_ranges: [$LAB_PUBLIC_RANGE]
EOF
}

apps_cost_phase() { # output directory
    local out="$1" rows="$1/apps-cost.tsv" name app config rep t dir pid java_pid cpu0 cpu1 ticks
    mkdir -p "$out/apps-cost"
    apps_cost_counters_up
    printf 'what\tapp\tscenario\trepetition\tdns\tcontrol\tapp_bytes\tcpu_seconds\n' > "$rows"
    say "the apps from a terminal: blockwatch measure APP, open and blocked, three times each"
    for rep in 1 2 3; do
        while IFS=$'\t' read -r name app config _; do
            case "$name" in tg-open|tg-tcp-blocked|wa-open|sig-open|sig-mitm|fb-open|fb-dns-outside) ;; *) continue ;; esac
            dir="$work/apps-cost/$name"
            mkdir -p "$dir"
            apps_config "$config" > "$dir/config.yaml"
            apps_cost_zero
            ip netns exec bwlab-apps /usr/bin/time -f '%U %S' -o "$dir/time" "$root/blockwatch" measure --json --timeout 5 \
                --resolver "$LAB_APPS_RESOLVER" --control "$LAB_CONTROL_URL" --trust-ca "$work/ca/lab-root.pem" \
                --public-range "$LAB_PUBLIC_RANGE" --config "$dir/config.yaml" "$app" > "$dir/out.jsonl" 2> "$dir/log" || true
            grep -q '"test_name"' "$dir/out.jsonl" || fail "apps cost: blockwatch measure $app ($name) wrote no measurement (see $dir/log)"
            t="$(awk '{ printf "%.2f", $1 + $2 }' "$dir/time")"
            printf 'measure\t%s\t%s\t%d\t%s\t%s\n' "$app" "$name" "$rep" "$(apps_cost_read)" "$t" >> "$rows"
        done < "$lab/apps.tsv"
    done

    say "the agent with the four apps on, a sweep a minute: the first to warm up, then three"
    dir="$work/apps-cost/agent"
    mkdir -p "$dir"
    apps_cost_agent_config "$dir" > "$dir/agent.yaml"
    cp "$dir/agent.yaml" "$out/apps-cost/agent.yaml"
    ip netns exec bwlab-apps env XDG_CONFIG_HOME="$dir/xdg" "$root/blockwatch" run --config "$dir/agent.yaml" > "$out/apps-cost/agent.log" 2>&1 &
    pid=$!
    wait_for "the agent's first sweep" 180 sweeps_done "$out/apps-cost/agent.log" 1 || { tail -n 20 "$out/apps-cost/agent.log" >&2; kill "$pid"; return 1; }
    # The launcher execs java or starts it as a child: the agent's CPU is the java process's.
    java_pid="$(pgrep -P "$pid" java || echo "$pid")"
    ticks="$(getconf CLK_TCK)"
    apps_cost_zero
    cpu0="$(apps_cpu "$java_pid")"
    wait_for "three more sweeps" 300 sweeps_done "$out/apps-cost/agent.log" 4 || { tail -n 20 "$out/apps-cost/agent.log" >&2; kill "$pid"; return 1; }
    cpu1="$(apps_cpu "$java_pid")"
    printf 'agent: 3 sweeps\tall four\topen\t1\t%s\t%s\n' "$(apps_cost_read)" \
        "$(awk -v a="$cpu0" -v b="$cpu1" -v t="$ticks" 'BEGIN { printf "%.2f", (b - a) / t }')" >> "$rows"
    kill "$pid"; wait "$pid" 2> /dev/null || true
    grep 'sweep: [0-9]* measured' "$out/apps-cost/agent.log" | tail -n 4 | sed 's/^/  /'
    python3 "$lab/check.py" apps-cost "$rows" | tee "$out/apps-cost.md"
}
