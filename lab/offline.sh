#!/usr/bin/env bash
# An agent in a home whose line is dead, for 10 minutes: it must make no more than a handful of
# connection attempts a minute once its first sweep found nothing answering, and its log must say
# why. Needs root (a network namespace and iptables). lab/run runs it beside its other phases.
#
#   lab/offline.sh [--minutes N] OUTPUT_DIRECTORY
#
# The namespace bwlab-offline has loopback and an eth0 to a second namespace, bwlab-offline-isp,
# which drops every packet before routing it (as an ISP's shut-down line does: no answer, no ICMP;
# only ARP still works). Its resolver, the control, the STUN
# server, the collector and the remote-write receiver are all addresses behind that link: the
# agent runs with a volunteer's configuration (every subsystem on) and reaches none of them.
# Each new flow leaving eth0 (a TCP connection attempt, a UDP exchange) is counted
# by iptables, and the counts are read once a minute. Exit status 0 only when every check passed.
set -euo pipefail
lab="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(dirname "$lab")"
NS=bwlab-offline
ISP=bwlab-offline-isp
minutes=10
# At most this many connection attempts in any minute after the first sweep ("a handful").
MOST_PER_MINUTE=6
while [ $# -gt 0 ]; do
    case "$1" in
        --minutes) minutes="${2:?--minutes needs a number}"; shift 2 ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "offline: unknown option '$1'" >&2; exit 2 ;;
        *) break ;;
    esac
done
out="${1:?offline: give an output directory (see --help)}"
[[ "$minutes" =~ ^[1-9][0-9]?$ ]] || { echo "offline: --minutes must be a number from 1 to 99, not '$minutes'" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "offline: needs root for a network namespace and iptables" >&2; exit 1; }
mkdir -p "$out"
rm -rf "$out"/offline.db*
work="$(mktemp -d /tmp/blockwatch-offline.XXXXXX)"
chmod 755 "$work"
say() { echo "offline: $*"; }

# shellcheck source=lab/netns.sh
. "$lab/netns.sh"
down() { netns_down "$NS" "$ISP"; rm -rf "/etc/netns/$NS"; }
trap 'down; rm -rf "$work"' EXIT
down

ip netns add "$NS"
ip netns add "$ISP"
ip -n "$NS" link set lo up
ip netns exec "$NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec "$ISP" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add eth0 netns "$NS" type veth peer name line netns "$ISP"
ip -n "$NS" addr add 10.78.0.2/24 dev eth0
ip -n "$NS" link set eth0 up
ip -n "$NS" route add default via 10.78.0.1
ip -n "$ISP" addr add 10.78.0.1/24 dev line
ip -n "$ISP" link set line up
ip netns exec "$ISP" iptables -w -t raw -A PREROUTING -i line -j DROP
mkdir -p "/etc/netns/$NS"
echo "nameserver 10.78.0.1" > "/etc/netns/$NS/resolv.conf"
# Sealed: eth0 is the only way out, and it leads to a namespace with no other link.
netns_links_are "$NS" "eth0 lo" || { echo "offline: $NS has other links than eth0 and lo" >&2; exit 1; }
netns_links_are "$ISP" "line lo" || { echo "offline: $ISP has other links than line and lo" >&2; exit 1; }
ip netns exec "$NS" iptables -w -N bwcount
# Only a flow's first packet is counted: an unanswered flow stays NEW to conntrack, and its
# retransmissions would count again, so each flow is marked once counted.
ip netns exec "$NS" iptables -w -A OUTPUT -o eth0 -m connmark --mark 0 -j bwcount
ip netns exec "$NS" iptables -w -A OUTPUT -o eth0 -j CONNMARK --set-mark 1
# One counter per kind of attempt, in this order: DNS, the control, STUN, the address URL, the
# collector, remote write, anything else.
COUNTED="dns control stun address collector push other"
for rule in "-d 10.78.0.1 -p udp --dport 53" "-d 10.78.0.1 -p tcp --dport 53" "-d 10.78.1.1" "-d 10.78.1.2" "-d 10.78.1.3" "-d 10.78.1.4" "-d 10.78.1.5" ""; do
    ip netns exec "$NS" iptables -w -A bwcount $rule -j RETURN
done
# The attempts so far, one number per kind of $COUNTED (DNS over UDP and TCP added up).
attempts() { ip netns exec "$NS" iptables -w -L bwcount -nvx | awk 'NR > 2 { n[NR - 2] = $1 } END { print n[1] + n[2], n[3], n[4], n[5], n[6], n[7], n[8] }'; }

{
    echo "url,category_code,category_description,date_added,source,notes"
    for i in $(seq 1 48); do echo "https://site$i.test/,NEWS,News Media,2026-12-01,blockwatch lab,"; done
    echo "https://bank.test/,FINANCE,Finance,2026-12-01,blockwatch lab,domestic baseline"
} > "$work/targets.csv"
echo "not-a-real-token" > "$work/token"
# A volunteer's configuration: the defaults, with every server one of the lab's dead addresses.
cat > "$work/agent.yaml" << EOF
consent: true
targets:
  lists: [$work/targets.csv]
tests:
  enabled: [web_connectivity]   # the apps (on by default) would leave the lab; its scenarios are pages
control:
  helpers: [https://10.78.1.1/]
metrics:
  listen: 127.0.0.1:9466
  remote_write:
    url: http://10.78.1.5:9090/api/v1/write
store:
  path: $out/offline.db
network:
  stun_servers: [10.78.1.2:3478]
  address_urls: [http://10.78.1.3/]
  asn_zone: asn.test
  whoami: whoami.test
upload:
  collector: http://10.78.1.4:8080/
  token_file: $work/token
EOF

say "the agent in $NS, whose line is dead, for $minutes minutes (a volunteer's configuration: 49 targets, 4 at a time)"
ip netns exec "$NS" env XDG_CONFIG_HOME="$work/xdg" XDG_DATA_HOME="$work/xdg-data" "$root/blockwatch" run --config "$work/agent.yaml" \
    > "$out/offline-agent.log" 2>&1 &
agent=$!
: > "$out/offline-attempts.tsv"
status=0
first_sweep_done() { grep -q 'sweep: [0-9]* measured, ' "$out/offline-agent.log"; }
for m in $(seq 1 "$minutes"); do
    # A measurement taken once a minute, not a wait for something: the agent runs on meanwhile.
    sleep 60
    kill -0 "$agent" 2> /dev/null || { echo "offline: FAIL the agent exited" >&2; tail -n 20 "$out/offline-agent.log" >&2; exit 1; }
    printf '%s\t%s\t%s\n' "$m" "$(attempts)" "$(first_sweep_done && echo swept || echo sweeping)" >> "$out/offline-attempts.tsv"
done
kill -TERM "$agent"
wait "$agent" || { echo "offline: FAIL the agent did not exit 0 on SIGTERM" >&2; status=1; }

# Per minute: the attempts made in it (the counters' differences).
python3 - "$out/offline-attempts.tsv" "$MOST_PER_MINUTE" "$COUNTED" << 'EOF' || status=1
import sys
rows = [line.split("\t") for line in open(sys.argv[1]).read().splitlines()]
most, kinds = int(sys.argv[2]), sys.argv[3].split()
before, last, fail, swept = 0, [0] * len(kinds), False, False
for minute, counts, phase in rows:
    now = [int(c) for c in counts.split()]
    made, before = sum(now) - before, sum(now)
    what = ", ".join(f"{k} {n - b}" for k, n, b in zip(kinds, now, last) if n > b)
    last = now
    # A minute is the first sweep's until a sample has seen it end; every later one is offline.
    bad = swept and made > most
    fail |= bad
    print(f"  minute {minute}: {made} connection attempts ({'offline' if swept else 'the first sweep'}){': ' + what if what else ''}"
          + (f"  FAIL: more than {most}" if bad else ""))
    swept = swept or phase == "swept"
print(f"  in all: {before} connection attempts in {len(rows)} minutes")
if not swept:
    print("  FAIL: the first sweep never ended"); fail = True
sys.exit(1 if fail else 0)
EOF
grep -q 'network: still offline (.*); next look in' "$out/offline-agent.log" \
    || { echo "offline: FAIL the agent's log never says why it is still offline" >&2; status=1; }
grep -m 1 'network: still offline' "$out/offline-agent.log" | sed 's/^/  the log: /'
if grep -q '10\.78\.0\.2' "$out/offline-agent.log"; then echo "offline: FAIL the probe's address is in the log" >&2; status=1; fi
if [ "$status" = 0 ]; then say "PASS"; else say "FAIL (log: $out/offline-agent.log)"; fi
exit "$status"
