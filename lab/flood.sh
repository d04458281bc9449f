#!/usr/bin/env bash
# A connection flood and a slowloris against each of the program's servers: `control-server`, and
# the agent's /metrics (`blockwatch run`, metrics on a lab address). Needs root (network
# namespaces). lab/run runs it after its other phases.
#
#   lab/flood.sh [--idle N] [--trickle N] [--seconds N] OUTPUT_DIRECTORY
#
# The servers run in the namespace bwlab-flood (10.77.0.1), as the program runs them, with their
# default limits. From a second namespace, bwlab-flood-cli (10.77.0.2), lab/flood.py holds
# --idle connections (default 10,000) that send nothing and --trickle ones (default 1,000) that
# send half a request and then a byte every 5 s, reopening each that the server closes. Once both
# are held at once, a normal client (10.77.0.3) sends a normal request every 2 s for --seconds
# (default 30). Each must be answered 200 within 2 s, and the server's peak RSS stay under
# 256 MB. Exit status 0 only when every check passed.
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
seconds=30
MOST_SECONDS=2
MOST_RSS_MB=256
while [ $# -gt 0 ]; do
    case "$1" in
        --idle) idle="${2:?--idle needs a number}"; shift 2 ;;
        --trickle) trickle="${2:?--trickle needs a number}"; shift 2 ;;
        --seconds) seconds="${2:?--seconds needs a number}"; shift 2 ;;
        -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "flood: unknown option '$1'" >&2; exit 2 ;;
        *) break ;;
    esac
done
out="${1:?flood: give an output directory (see --help)}"
for n in "$idle" "$trickle" "$seconds"; do
    [[ "$n" =~ ^[0-9]{1,5}$ ]] || { echo "flood: --idle, --trickle and --seconds take a number up to 99999, not '$n'" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "flood: needs root for network namespaces" >&2; exit 1; }
for tool in ip curl python3; do
    command -v "$tool" > /dev/null || { echo "flood: needs $tool (Debian: iproute2, curl, python3)" >&2; exit 1; }
done
mkdir -p "$out"
work="$(mktemp -d /tmp/blockwatch-flood.XXXXXX)"
chmod 755 "$work"
say() { echo "flood: $*"; }
status=0
failed() { echo "flood: FAIL $*" >&2; status=1; }

# shellcheck source=lab/netns.sh
. "$lab/netns.sh"
down() { netns_down "$NS" "$CLI"; }
trap 'down; rm -rf "$work"' EXIT
down

ip netns add "$NS"
ip netns add "$CLI"
for ns in "$NS" "$CLI"; do
    ip -n "$ns" link set lo up
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip link add eth0 netns "$NS" type veth peer name eth0 netns "$CLI"
ip -n "$NS" addr add "$SERVER_IP/24" dev eth0
ip -n "$CLI" addr add "$ATTACKER_IP/24" dev eth0
ip -n "$CLI" addr add "$CLIENT_IP/24" dev eth0
ip -n "$NS" link set eth0 up
ip -n "$CLI" link set eth0 up
# Sealed: the two namespaces have each other and nothing else.
for ns in "$NS" "$CLI"; do
    netns_links_are "$ns" "eth0 lo" || { echo "flood: $ns has other links than eth0 and lo" >&2; exit 1; }
done
# The connections need descriptors on each side: as many as this shell may have (the hard limit).
ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge $((idle + trickle + 1024)) ] \
    || { echo "flood: $((idle + trickle)) connections need more open files than the limit here ($(ulimit -n))" >&2; exit 1; }
ip netns exec "$CLI" sysctl -qw net.ipv4.ip_local_port_range="10000 65000"

# Built once before the two servers start (each launcher would build it at once otherwise).
"$root/blockwatch" --version > /dev/null || { echo "flood: blockwatch does not build" >&2; exit 1; }
# A page for the normal requests to measure, and the servers as the program runs them.
printf '<html><head><title>Local news</title></head><body>news</body></html>' > "$work/index.html"
ip netns exec "$NS" python3 -m http.server 8000 --bind "$SERVER_IP" --directory "$work" > "$work/web.log" 2>&1 &
ip netns exec "$NS" "$root/blockwatch" control-server --listen "$SERVER_IP:8080" --allow-private-destinations \
    > "$out/flood-control-server.log" 2>&1 &
control=$!
{
    echo "url,category_code,category_description,date_added,source,notes"
    echo "http://$SERVER_IP:8000/,NEWS,News Media,2026-12-01,blockwatch lab,"
} > "$work/targets.csv"
cat > "$work/agent.yaml" << EOF
consent: true
targets:
  lists: [$work/targets.csv]
schedule:
  interval: 1h
control:
  helpers: [http://$SERVER_IP:8080/]
metrics:
  listen: $SERVER_IP:9466
store:
  path: $work/agent.db
network:
  asn: AS64500
  country: KZ
lab:
  public_ranges: [10.77.0.0/24]
EOF
ip netns exec "$NS" env XDG_CONFIG_HOME="$work/xdg" XDG_DATA_HOME="$work/xdg-data" "$root/blockwatch" run --config "$work/agent.yaml" \
    > "$out/flood-agent.log" 2>&1 &
agent=$!

# Polls (never a fixed sleep standing in for it) until the command holds, up to $2 seconds.
wait_for() { local end=$((SECONDS + $2)); until eval "$1"; do [ "$SECONDS" -lt "$end" ] || return 1; sleep 0.2; done; }
# The JVM behind a launcher's process (the launcher may exec it or run it as a child).
java_pid() { pgrep -P "$1" java || echo "$1"; }
peak_rss_mb() { awk '$1 == "VmHWM:" { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
wait_for "grep -q listening '$out/flood-control-server.log' || ! kill -0 $control" 120
grep -q listening "$out/flood-control-server.log" || { echo "flood: control-server did not start" >&2; cat "$out/flood-control-server.log" >&2; exit 1; }
wait_for "ip netns exec $CLI curl -fsS -o /dev/null --interface $CLIENT_IP http://$SERVER_IP:9466/metrics 2> /dev/null || ! kill -0 $agent" 120
kill -0 "$agent" 2> /dev/null || { echo "flood: the agent did not start" >&2; tail -n 20 "$out/flood-agent.log" >&2; exit 1; }
# The normal request to each server.
control_request="{\"http_request\":\"http://$SERVER_IP:8000/\",\"http_request_headers\":{},\"tcp_connect\":[\"$SERVER_IP:8000\"]}"
normal() { # control | metrics
    if [ "$1" = control ]; then
        ip netns exec "$CLI" curl -sS -o /dev/null --interface "$CLIENT_IP" --max-time 10 -w '%{http_code} %{time_total}' \
            -H 'Content-Type: application/json' --data "$control_request" "http://$SERVER_IP:8080/"
    else
        ip netns exec "$CLI" curl -sS -o /dev/null --interface "$CLIENT_IP" --max-time 10 -w '%{http_code} %{time_total}' \
            "http://$SERVER_IP:9466/metrics"
    fi
}

: > "$out/flood.tsv"
for target in control metrics; do
    case "$target" in
        control) port=8080 path=/ pid=$(java_pid "$control") ;;
        metrics) port=9466 path=/metrics pid=$(java_pid "$agent") ;;
    esac
    say "$target ($SERVER_IP:$port): $idle idle connections and $trickle trickling ones from $ATTACKER_IP, a normal request from $CLIENT_IP every 2 s for $seconds s"
    answer="$(normal "$target" || true)"
    [ "${answer%% *}" = 200 ] || failed "$target: no 200 before the flood ($answer)"
    rm -f "$work/status-$target"
    ip netns exec "$CLI" python3 "$lab/flood.py" "$SERVER_IP" "$port" "$path" "$idle" "$trickle" "$work/status-$target" \
        > "$out/flood-$target.log" 2>&1 &
    flood=$!
    held() { [ -s "$work/status-$target" ] && python3 -c "import json,sys; s=json.load(open(sys.argv[1])); sys.exit(not (s['most_idle'] >= $idle and s['most_trickle'] >= $trickle))" "$work/status-$target"; }
    if ! wait_for held 180; then
        failed "$target: the flood never held $idle idle and $trickle trickling connections ($(cat "$work/status-$target" 2> /dev/null))"
    fi
    slow=0 answered=0 worst=0
    for _ in $(seq 1 $((seconds / 2))); do
        answer="$(normal "$target" || true)"
        code="${answer%% *}" took="${answer##* }"
        flood_now="$(cat "$work/status-$target" 2> /dev/null)"
        printf '%s\t%s\t%s\t%s\n' "$target" "$code" "$took" "$flood_now" >> "$out/flood.tsv"
        if [ "$code" = 200 ]; then answered=$((answered + 1)); else failed "$target: a normal request got '$answer' during the flood"; fi
        if awk -v t="$took" -v m="$MOST_SECONDS" 'BEGIN { exit !(t > m) }'; then slow=$((slow + 1)); fi
        worst="$(awk -v t="$took" -v w="$worst" 'BEGIN { print (t > w) ? t : w }')"
        sleep 2 # the pace of the normal client, not a wait for anything
    done
    kill -0 "$pid" 2> /dev/null || failed "$target: the server died during the flood"
    rss="$(peak_rss_mb "$pid" 2> /dev/null || echo 0)"
    kill -TERM "$flood"; wait "$flood" 2> /dev/null || true
    say "$target: $answered of $((seconds / 2)) normal requests answered 200, the slowest in ${worst} s; peak RSS $rss MB; the flood: $(cat "$work/status-$target")"
    [ "$slow" = 0 ] || failed "$target: $slow normal requests took over $MOST_SECONDS s"
    [ "$rss" -lt "$MOST_RSS_MB" ] || failed "$target: peak RSS $rss MB, not under $MOST_RSS_MB MB"
done
kill -TERM "$agent" "$control" 2> /dev/null || true
wait "$agent" "$control" 2> /dev/null || true
[ "$status" = 0 ] && say "PASS" || say "FAIL"
exit "$status"
