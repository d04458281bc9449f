#!/usr/bin/env bash
# Benchmark (not a test): the agent's memory and CPU over one sweep of N targets served locally.
# Everything runs on loopback: a Python web server, blockwatch's own control server, the agent.
# Usage: scripts/bench-agent-footprint.sh [N]   (default 500)
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
n="${1:-500}"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
[ -n "${KEEP:-}" ] && trap - EXIT

. "$root/scripts/lib-bench.sh"

printf '<html><head><title>Local news</title></head><body>%s</body></html>' "$(head -c 3000 /dev/zero | tr '\0' 'x')" > "$work/page.html"
web_port=$(free_port)
python3 -m http.server "$web_port" --bind 127.0.0.1 --directory "$work" > "$work/web.log" 2>&1 &
pids+=($!)
control_port=$(free_port)
"$root/blockwatch" control-server --listen "127.0.0.1:$control_port" --allow-private-destinations --rate-per-minute 100000 \
    --max-concurrent 16 > "$work/control.log" 2>&1 &
pids+=($!)
wait_for "grep -q listening '$work/control.log'"

{
    echo "url,category_code,category_description,date_added,source,notes"
    for i in $(seq 1 "$n"); do echo "http://127.0.0.1:$web_port/page.html?target=$i,NEWS,News Media,2026-01-01,bench,"; done
} > "$work/targets.csv"
cat > "$work/config.yaml" <<YAML
consent: true
targets: {lists: [$work/targets.csv]}
tests: {enabled: [web_connectivity]}   # loopback pages only: the apps and dnscheck (on by default) would leave the machine
measurement: {extra_resolvers: []}      # nor Cloudflare's DoH beside each page (issue 31's default)
dns: {identities: []}                   # nor an identity query to the system's resolver
schedule: {interval: 1m, jitter: 0s, concurrency: 4, sweep_budget: 1h, bandwidth_per_hour: 10GB}
control: {helpers: [http://127.0.0.1:$control_port/]}
metrics: {listen: 127.0.0.1:0}
store: {path: $work/store.db}
network: {asn: AS64500, country: KZ}
lab: {public_ranges: [127.0.0.0/8]}
YAML

"$root/blockwatch" run --config "$work/config.yaml" > /dev/null 2> "$work/agent.log" &
agent=$!
pids+=($agent)
wait_for "grep -q 'metrics http' '$work/agent.log'"
metrics_port=$(sed -n 's/.*metrics http:\/\/127.0.0.1:\([0-9]*\)\/metrics.*/\1/p' "$work/agent.log" | head -n 1)

# Sweeps are followed in the agent's log: scraping /metrics every moment would cost the agent more
# CPU than measuring (Prometheus scrapes every 15-60 s).
scrape() { curl -s "http://127.0.0.1:$metrics_port/metrics" -o "$work/metrics.txt"; }
metric() { awk -v name="$1" '$0 ~ "^" name {s += $NF} END {print s}' "$work/metrics.txt"; }
sweeps() { grep -c ' sweep: [0-9]* measured, ' "$work/agent.log" || true; }

start=$(date +%s.%N)
wait_for '[ "$(sweeps)" -ge 1 ]'
end=$(date +%s.%N)
cpu1=$(cpu_seconds "$agent")
scrape
m1=$(metric blockwatch_measurements_total)
# The second sweep, a minute later (the shortest interval): each target once, states unchanged.
wait_for '[ "$(sweeps)" -ge 2 ]'
cpu2=$(cpu_seconds "$agent")
scrape
m2=$(metric blockwatch_measurements_total)
hwm_kb=$(awk '/VmHWM/ {print $2}' "/proc/$agent/status")
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$agent/status")
[ -n "${NMT:-}" ] && "${BLOCKWATCH_JDK:?}/bin/jcmd" "$agent" VM.native_memory summary | grep -E "committed" | head -30
kill -TERM "$agent"; wait "$agent" || true

python3 - "$n" "$m1" "$m2" "$cpu1" "$cpu2" "$hwm_kb" "$rss_kb" "$start" "$end" <<'PY'
import sys
n, m1, m2, cpu1, cpu2, hwm, rss, start, end = sys.argv[1:]
m1, m2, cpu1, cpu2 = float(m1), float(m2) - float(m1), float(cpu1), float(cpu2) - float(cpu1)
print(f"targets {n}; first sweep: {m1:.0f} measurements (new states confirmed by a second one) in {float(end) - float(start):.1f} s")
print(f"CPU, first sweep with JVM start-up and JIT warm-up: {cpu1:.1f} s, {cpu1 * 1000 / m1:.2f} ms per measurement")
print(f"CPU, second sweep ({m2:.0f} measurements): {cpu2:.1f} s, {cpu2 * 1000 / m2:.2f} ms per measurement")
print(f"peak RSS over both sweeps {int(hwm) / 1024:.0f} MB; {int(rss) / 1024:.0f} MB at the end")
PY
