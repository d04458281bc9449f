#!/usr/bin/env bash
# A connection flood and a slowloris against each of the program's servers: `control-server` and
# `collector` (on a real PostgreSQL), from one client address and then from 50 at once, and the
# agent's /metrics (`blockwatch run`, metrics on a lab address). Needs root (network namespaces).
# lab/run runs it after its other phases.
#
#   lab/flood.sh [--idle N] [--trickle N] [--seconds N] [--addresses N] OUTPUT_DIRECTORY
#
# The servers run in the namespace bwlab-flood (10.77.0.1), as the program runs them, with their
# default limits and JVM options. From a second namespace, bwlab-flood-cli, lab/flood.py holds
# --idle connections (default 10,000) that send the start of a request head and then nothing, and
# --trickle ones (default 1,000) that send it and then a byte every 5 s, against each server,
# reopening each that the server closes: in round "one", all from 10.77.0.2; in round "many",
# shared by --addresses (default 50) addresses 10.77.1.x. The control server and the collector are
# flooded at once; the metrics after them, from one address. Once every flood has opened its
# connections, a normal client (10.77.0.3) sends, every 2 s for --seconds (default 60), a control
# request and a measurement submitted through the collector protocol (the agent, which uploads
# to the collector, goes on meanwhile). Each must be answered 200 within 2 s; each server's peak
# RSS stays under 256 MB; every submission answered 200, and every measurement of the agent, is in
# the database afterwards; each server answers after the floods. The heap each server uses at the
# end of a flood (and after a full GC: its live set) is written to flood-heap.tsv. Exit status 0
# only when every check passed.
set -euo pipefail
lab="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(dirname "$lab")"
NS=bwlab-flood
CLI=bwlab-flood-cli
SERVER_IP=10.77.0.1
ATTACKER_IP=10.77.0.2
CLIENT_IP=10.77.0.3
idle=10000
trickle=1000
seconds=60
addresses=50
MOST_SECONDS=2
MOST_RSS_MB=256
while [ $# -gt 0 ]; do
    case "$1" in
        --idle) idle="${2:?--idle needs a number}"; shift 2 ;;
        --trickle) trickle="${2:?--trickle needs a number}"; shift 2 ;;
        --seconds) seconds="${2:?--seconds needs a number}"; shift 2 ;;
        --addresses) addresses="${2:?--addresses needs a number}"; shift 2 ;;
        -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "flood: unknown option '$1'" >&2; exit 2 ;;
        *) break ;;
    esac
done
out="${1:?flood: give an output directory (see --help)}"
for n in "$idle" "$trickle" "$seconds" "$addresses"; do
    [[ "$n" =~ ^[0-9]{1,5}$ ]] || { echo "flood: --idle, --trickle, --seconds and --addresses take a number up to 99999, not '$n'" >&2; exit 2; }
done
[ "$addresses" -ge 1 ] && [ "$addresses" -le 250 ] || { echo "flood: --addresses takes 1 to 250" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "flood: needs root for network namespaces" >&2; exit 1; }
for tool in ip curl python3 psql setpriv; do
    command -v "$tool" > /dev/null || { echo "flood: needs $tool (Debian: iproute2, curl, python3, postgresql, util-linux)" >&2; exit 1; }
done
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -n 1)"
[ -x "$pg_bin/pg_ctl" ] || { echo "flood: needs Debian's postgresql (pg_ctl)" >&2; exit 1; }
# shellcheck source=scripts/find-jdk.sh
. "$root/scripts/find-jdk.sh"
blockwatch_find_jdk > /dev/null || { echo "flood: needs a JDK (jcmd)" >&2; exit 1; }
mkdir -p "$out"
work="$(mktemp -d /tmp/blockwatch-flood.XXXXXX)"
chmod 755 "$work"
say() { echo "flood: $*"; }
status=0
failed() { echo "flood: FAIL $*" >&2; status=1; }

# shellcheck source=lab/netns.sh
. "$lab/netns.sh"
as_pg=(ip netns exec "$NS" setpriv --reuid=nobody --regid=nogroup --clear-groups)
down() {
    [ ! -f "$work/pg/data/postmaster.pid" ] || "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg/data" -m immediate -w stop > /dev/null 2>&1 || true
    netns_down "$NS" "$CLI"
}
trap 'down; rm -rf "$work"' EXIT
down

ip netns add "$NS"
ip netns add "$CLI"
for ns in "$NS" "$CLI"; do
    ip -n "$ns" link set lo up
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip link add eth0 netns "$NS" type veth peer name eth0 netns "$CLI"
ip -n "$NS" addr add "$SERVER_IP/16" dev eth0
ip -n "$CLI" addr add "$ATTACKER_IP/16" dev eth0
ip -n "$CLI" addr add "$CLIENT_IP/16" dev eth0
many=""
for i in $(seq 1 "$addresses"); do
    ip -n "$CLI" addr add "10.77.1.$i/16" dev eth0
    many="$many${many:+,}10.77.1.$i"
done
ip -n "$NS" link set eth0 up
ip -n "$CLI" link set eth0 up
# Sealed: the two namespaces have each other and nothing else.
for ns in "$NS" "$CLI"; do
    netns_links_are "$ns" "eth0 lo" || { echo "flood: $ns has other links than eth0 and lo" >&2; exit 1; }
done
# The connections need descriptors on each side (each flood is a process of its own): as many as
# this shell may have (the hard limit).
ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge $((idle + trickle + 1024)) ] \
    || { echo "flood: $((idle + trickle)) connections need more open files than the limit here ($(ulimit -n))" >&2; exit 1; }
ip netns exec "$CLI" sysctl -qw net.ipv4.ip_local_port_range="10000 65000"
# Connections the servers close first wait in TIME_WAIT on the client side's ports too: reuse them.
ip netns exec "$CLI" sysctl -qw net.ipv4.tcp_tw_reuse=1

# Built once before the servers start (each launcher would build it at once otherwise).
"$root/blockwatch" --version > /dev/null || { echo "flood: blockwatch does not build" >&2; exit 1; }
# PostgreSQL for the collector, in the servers' namespace, as nobody (as lab/run's fleet phase).
mkdir -p "$work/pg" && chown nobody:nogroup "$work/pg"
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg/data" -U postgres --auth=trust -E UTF8 > "$work/initdb.log" 2>&1 \
    || { cat "$work/initdb.log" >&2; echo "flood: initdb failed" >&2; exit 1; }
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/postgresql.log" -o "-k $work/pg -p 5432 -h 127.0.0.1" -w start > /dev/null \
    || { cat "$work/pg/postgresql.log" >&2; echo "flood: PostgreSQL did not start" >&2; exit 1; }
psql_() { ip netns exec "$NS" psql -h 127.0.0.1 -p 5432 -U postgres -At -c "$1"; }

# A page for the normal requests to measure, and the servers as the program runs them.
printf '<html><head><title>Local news</title></head><body>news</body></html>' > "$work/index.html"
ip netns exec "$NS" python3 -m http.server 8000 --bind "$SERVER_IP" --directory "$work" > "$work/web.log" 2>&1 &
ip netns exec "$NS" "$root/blockwatch" control-server --listen "$SERVER_IP:8080" --allow-private-destinations \
    > "$out/flood-control-server.log" 2>&1 &
control=$!
ip netns exec "$NS" "$root/blockwatch" collector --listen "$SERVER_IP:8081" --database postgresql://postgres@127.0.0.1:5432/postgres \
    > "$out/flood-collector.log" 2>&1 &
collector=$!
{
    echo "url,category_code,category_description,date_added,source,notes"
    echo "http://$SERVER_IP:8000/,NEWS,News Media,2026-12-01,blockwatch lab,"
} > "$work/targets.csv"
# The agent measures every minute and uploads each measurement to the collector under flood.
cat > "$work/agent.yaml" << EOF
consent: true
targets:
  lists: [$work/targets.csv]
tests:
  enabled: [web_connectivity]   # the apps (on by default) would leave the lab; its scenarios are pages
schedule:
  interval: 1m
  jitter: 0s
control:
  helpers: [http://$SERVER_IP:8080/]
metrics:
  listen: $SERVER_IP:9466
store:
  path: $work/agent.db
upload:
  collector: http://$SERVER_IP:8081/
network:
  asn: AS64500
  country: KZ
lab:
  public_ranges: [10.77.0.0/16]
EOF
ip netns exec "$NS" env XDG_CONFIG_HOME="$work/xdg" XDG_DATA_HOME="$work/xdg-data" "$root/blockwatch" run --config "$work/agent.yaml" \
    > "$out/flood-agent.log" 2>&1 &
agent=$!

# Polls (never a fixed sleep standing in for it) until the command holds, up to $2 seconds.
wait_for() { local end=$((SECONDS + $2)); until eval "$1"; do [ "$SECONDS" -lt "$end" ] || return 1; sleep 0.2; done; }
# The JVM behind a launcher's process (the launcher may exec it or run it as a child).
java_pid() { pgrep -P "$1" java || echo "$1"; }
peak_rss_mb() { awk '$1 == "VmHWM:" { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
# The heap in use (MB, young and old generations), from the JVM itself.
heap_used_mb() {
    "$BLOCKWATCH_JAVA_HOME/bin/jcmd" "$1" GC.heap_info 2> /dev/null \
        | awk '/(generation|DefNew|Tenured) +total/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); s += v } } END { printf "%.0f", s / 1024 }'
}
for server in control-server collector; do
    wait_for "grep -q listening '$out/flood-$server.log' || ! pgrep -f 'blockwatch.*$server' > /dev/null" 120 || true
    grep -q listening "$out/flood-$server.log" || { echo "flood: $server did not start" >&2; cat "$out/flood-$server.log" >&2; exit 1; }
done
wait_for "ip netns exec $CLI curl -fsS -o /dev/null --interface $CLIENT_IP http://$SERVER_IP:9466/metrics 2> /dev/null || ! kill -0 $agent" 120
kill -0 "$agent" 2> /dev/null || { echo "flood: the agent did not start" >&2; tail -n 20 "$out/flood-agent.log" >&2; exit 1; }

# The normal requests, from CLIENT_IP: each prints "CODE SECONDS".
control_request="{\"http_request\":\"http://$SERVER_IP:8000/\",\"http_request_headers\":{},\"tcp_connect\":[\"$SERVER_IP:8000\"]}"
curl_() { ip netns exec "$CLI" curl -sS -o "$work/answer" --interface "$CLIENT_IP" --max-time 10 -w '%{http_code} %{time_total}' "$@"; }
report="$(ip netns exec "$CLI" curl -sS --interface "$CLIENT_IP" --max-time 10 -H 'Content-Type: application/json' \
    --data '{"format":"json","probe_asn":"AS64500","probe_cc":"KZ","software_name":"blockwatch-lab","software_version":"flood","test_name":"web_connectivity"}' \
    "http://$SERVER_IP:8081/report" | python3 -c 'import json,sys; print(json.load(sys.stdin)["report_id"])')" \
    || { echo "flood: the collector opened no report" >&2; exit 1; }
submitted=0
normal() { # control | collector | metrics
    case "$1" in
        control) curl_ -H 'Content-Type: application/json' --data "$control_request" "http://$SERVER_IP:8080/" ;;
        collector)
            local now uid
            now="$(date -u '+%Y-%m-%d %H:%M:%S')" uid="$(printf 'flood-%06d' "$submitted")"
            curl_ -H 'Content-Type: application/json' --data "{\"format\":\"json\",\"content\":{\"data_format_version\":\"0.2.0\",\
\"input\":\"http://$SERVER_IP:8000/\",\"measurement_start_time\":\"$now\",\"test_start_time\":\"$now\",\"measurement_uid\":\"$uid\",\
\"probe_asn\":\"AS64500\",\"probe_cc\":\"KZ\",\"probe_network_name\":\"LABTEL\",\"report_id\":\"$report\",\"software_name\":\"blockwatch-lab\",\
\"software_version\":\"flood\",\"test_name\":\"web_connectivity\",\"test_version\":\"0.4.3\",\"test_keys\":{\"x_verdict\":{\"status\":\"accessible\"}}}}" \
                "http://$SERVER_IP:8081/report/$report" ;;
        metrics) curl_ "http://$SERVER_IP:9466/metrics" ;;
    esac
}
port_of() { case "$1" in control) echo 8080 ;; collector) echo 8081 ;; metrics) echo 9466 ;; esac; }
path_of() { case "$1" in control) echo / ;; collector) echo /report ;; metrics) echo /metrics ;; esac; }
pid_of() { case "$1" in control) java_pid "$control" ;; collector) java_pid "$collector" ;; metrics) java_pid "$agent" ;; esac; }
accepted=0

: > "$out/flood.tsv"
printf 'round\tserver\theap_used_mb\tlive_mb\tpeak_rss_mb\n' > "$out/flood-heap.tsv"
# One round: floods against servers $2.. at once, from the addresses $1 (comma-separated).
round() {
    local name="$1" sources="$2" targets="$3" t flooders=() answer code took slow=0 worst=0 n=0 pid rss used live
    for t in $targets; do
        [ "$t" != collector ] || submitted=$((submitted + 1))
        answer="$(normal "$t" || true)"
        [ "${answer%% *}" = 200 ] || failed "$name/$t: no 200 before the flood ($answer)"
        [ "$t" != collector ] || [ "${answer%% *}" != 200 ] || accepted=$((accepted + 1))
        rm -f "$work/status-$name-$t"
        ip netns exec "$CLI" python3 "$lab/flood.py" "$SERVER_IP" "$(port_of "$t")" "$(path_of "$t")" "$idle" "$trickle" \
            "$work/status-$name-$t" "$sources" > "$out/flood-$name-$t.log" 2>&1 &
        flooders+=($!)
    done
    say "round $name: $idle unfinished heads and $trickle trickling ones against each of $targets from ${sources//,/ }; normal requests from $CLIENT_IP every 2 s for $seconds s"
    # The flood is on once each has opened all its connections at least once (the server may close them as fast).
    for t in $targets; do
        opened() { [ -s "$work/status-$name-$t" ] && python3 -c "import json,sys; s=json.load(open(sys.argv[1])); sys.exit(s['opened'] < $idle + $trickle)" "$work/status-$name-$t"; }
        wait_for opened 180 || failed "$name/$t: the flood never opened $((idle + trickle)) connections ($(cat "$work/status-$name-$t" 2> /dev/null))"
    done
    for _ in $(seq 1 $((seconds / 2))); do
        for t in $targets; do
            [ "$t" != collector ] || submitted=$((submitted + 1))
        answer="$(normal "$t" || true)"
            code="${answer%% *}" took="${answer##* }"
            printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$t" "$code" "$took" "$(cat "$work/status-$name-$t" 2> /dev/null)" >> "$out/flood.tsv"
            n=$((n + 1))
            if [ "$code" = 200 ]; then
                [ "$t" != collector ] || accepted=$((accepted + 1))
            else
                failed "$name/$t: a normal request got '$answer' during the flood"
            fi
            if awk -v t="$took" -v m="$MOST_SECONDS" 'BEGIN { exit !(t > m) }'; then slow=$((slow + 1)); fi
            worst="$(awk -v t="$took" -v w="$worst" 'BEGIN { print (t > w) ? t : w }')"
        done
        sleep 2 # the pace of the normal client, not a wait for anything
    done
    for t in $targets; do
        pid="$(pid_of "$t")"
        kill -0 "$pid" 2> /dev/null || { failed "$name/$t: the server died during the flood"; continue; }
        used="$(heap_used_mb "$pid")"
        "$BLOCKWATCH_JAVA_HOME/bin/jcmd" "$pid" GC.run > /dev/null 2>&1 || true
        live="$(heap_used_mb "$pid")"
        rss="$(peak_rss_mb "$pid" 2> /dev/null || echo 0)"
        printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$t" "$used" "$live" "$rss" >> "$out/flood-heap.tsv"
        say "round $name/$t: heap in use ${used} MB (live after a full GC ${live} MB), peak RSS $rss MB; the flood: $(cat "$work/status-$name-$t")"
        [ "$rss" -lt "$MOST_RSS_MB" ] || failed "$name/$t: peak RSS $rss MB, not under $MOST_RSS_MB MB"
    done
    kill -TERM "${flooders[@]}" 2> /dev/null || true
    wait "${flooders[@]}" 2> /dev/null || true
    say "round $name: $n normal requests, the slowest answered in ${worst} s, $slow over $MOST_SECONDS s"
    [ "$slow" = 0 ] || failed "$name: $slow normal requests took over $MOST_SECONDS s"
    # Still answering once the flood is over.
    for t in $targets; do
        [ "$t" != collector ] || submitted=$((submitted + 1))
        answer="$(normal "$t" || true)"
        if [ "${answer%% *}" = 200 ]; then [ "$t" != collector ] || accepted=$((accepted + 1)); else failed "$name/$t: no 200 after the flood ($answer)"; fi
    done
}

round one "$ATTACKER_IP" "control collector"
round many "$many" "control collector"
round metrics "$ATTACKER_IP" "metrics"

# Nothing lost: every submission answered 200 is stored, and every measurement the agent took
# reaches the database (its uploader may be backing off after a refused connection: it gets time).
stored="$(psql_ "SELECT count(*) FROM measurements WHERE measurement_uid LIKE 'flood-%'")"
say "submissions: $submitted sent, $accepted answered 200, $stored stored"
[ "$stored" = "$accepted" ] || failed "$accepted submissions were answered 200 but $stored are stored"
agent_took() { "$root/blockwatch" export --db "$work/agent.db" --format ooni-jsonl 2> /dev/null | wc -l; }
agent_stored() { psql_ "SELECT count(*) FROM measurements WHERE measurement_uid NOT LIKE 'flood-%'"; }
took_n="$(agent_took)"
wait_for '[ "$(agent_stored)" -ge "$took_n" ]' 150 || true
say "the agent: $took_n measurements taken, $(agent_stored) in the collector's database"
[ "$took_n" -ge 1 ] || failed "the agent took no measurement during the floods"
[ "$(agent_stored)" -ge "$took_n" ] || failed "the agent's measurements did not all reach the collector"
kill -TERM "$agent" "$control" "$collector" 2> /dev/null || true
wait "$agent" "$control" "$collector" 2> /dev/null || true
[ "$status" = 0 ] && say "PASS" || say "FAIL"
exit "$status"
