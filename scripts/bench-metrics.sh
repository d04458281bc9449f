#!/usr/bin/env bash
# Benchmark (not a test): what N targets cost in metrics. One agent sweeps N targets served on
# loopback (a Python web server, blockwatch's own control server), pushing by remote write every
# 15 s to a local Prometheus (Debian's, with its receiver on; from the PATH). After its first sweep
# it prints the series count (all, and per target), /metrics in bytes (plain and gzip), what
# Prometheus received, and the agent's CPU per minute while it only pushes (no sweep runs: the
# interval is an hour), JVM housekeeping included.
# Usage: scripts/bench-metrics.sh [N]   (default 1000)
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
n="${1:-1000}"
command -v prometheus > /dev/null || { echo "bench-metrics: needs prometheus on the PATH (Debian's prometheus package)" >&2; exit 1; }
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

. "$root/scripts/lib-bench.sh"

printf '<html><head><title>Local news</title></head><body>%s</body></html>' "$(head -c 3000 /dev/zero | tr '\0' 'x')" > "$work/page.html"
web_port=$(free_port)
python3 -m http.server "$web_port" --bind 127.0.0.1 --directory "$work" > "$work/web.log" 2>&1 &
pids+=($!)
control_port=$(free_port)
"$root/blockwatch" control-server --listen "127.0.0.1:$control_port" --allow-private-destinations --rate-per-minute 100000 \
    --max-concurrent 16 > "$work/control.log" 2>&1 &
pids+=($!)
prom_port=$(free_port)
printf 'global:\n  scrape_interval: 1m\n' > "$work/prometheus.yml"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prom" --web.listen-address="127.0.0.1:$prom_port" \
    --web.enable-remote-write-receiver > "$work/prometheus.log" 2>&1 &
pids+=($!)
wait_for "grep -q listening '$work/control.log'"
wait_for "curl -sf http://127.0.0.1:$prom_port/-/ready > /dev/null"

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
schedule: {interval: 1h, jitter: 0s, concurrency: 8, sweep_budget: 1h, bandwidth_per_hour: 10GB}
control: {helpers: [http://127.0.0.1:$control_port/]}
metrics:
  listen: 127.0.0.1:0
  remote_write: {url: "http://127.0.0.1:$prom_port/api/v1/write", probe: bench, interval: 15s}
store: {path: $work/store.db}
network: {asn: AS64500, country: KZ}
lab: {public_ranges: [127.0.0.0/8]}
YAML

"$root/blockwatch" run --config "$work/config.yaml" > /dev/null 2> "$work/agent.log" &
agent=$!
pids+=($agent)
wait_for "grep -q 'metrics http' '$work/agent.log'"
metrics_port=$(sed -n 's/.*metrics http:\/\/127.0.0.1:\([0-9]*\)\/metrics.*/\1/p' "$work/agent.log" | head -n 1)
wait_for '[ "$(grep -c " sweep: [0-9]* measured, " "$work/agent.log")" -ge 1 ]'
# The states confirmed (a second measurement each) are published by the end of the first sweep.
sleep 20 # let the sweep's last pushes go: this measures the steady state, it synchronises nothing
cpu1=$(cpu_seconds "$agent"); t1=$(date +%s.%N)
sleep 120
cpu2=$(cpu_seconds "$agent"); t2=$(date +%s.%N)
curl -s "http://127.0.0.1:$metrics_port/metrics" -o "$work/metrics.txt"
curl -s -H 'Accept-Encoding: gzip' "http://127.0.0.1:$metrics_port/metrics" -o "$work/metrics.gz"
received=$(curl -s "http://127.0.0.1:$prom_port/api/v1/query" --data-urlencode 'query=count({instance="bench"})' \
    | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else 0)')
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$agent/status")
kill -TERM "$agent"; wait "$agent" || true

python3 - "$n" "$work/metrics.txt" "$work/metrics.gz" "$cpu1" "$cpu2" "$t1" "$t2" "$received" "$rss_kb" <<'PY'
import os, re, sys
n, text, gz, cpu1, cpu2, t1, t2, received, rss = sys.argv[1:]
lines = [l for l in open(text, encoding="utf-8") if l.strip() and not l.startswith("#")]
per_target = {}
for l in lines:
    m = re.search(r'target="([^"]+)"', l)
    if m:
        per_target[m.group(1)] = per_target.get(m.group(1), 0) + 1
minutes = (float(t2) - float(t1)) / 60
print(f"targets {n}: {len(lines)} series in /metrics, {len(lines) - sum(per_target.values())} of them not per target; "
      f"per target at most {max(per_target.values())} (mean {sum(per_target.values()) / len(per_target):.1f})")
print(f"/metrics: {os.path.getsize(text) / 1000:.0f} kB plain, {os.path.getsize(gz) / 1000:.0f} kB gzip")
print(f"Prometheus received {received} series from the probe")
print(f"agent CPU while only pushing every 15 s: {(float(cpu2) - float(cpu1)) / minutes:.2f} s per minute (JVM housekeeping included); RSS {int(rss) / 1024:.0f} MB")
PY
