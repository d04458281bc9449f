#!/usr/bin/env bash
# Benchmark (not a test): the agent against Prometheus's blackbox_exporter on the same work, one
# after the other on this machine: N local pages, probed every minute.
#   - blockwatch: `blockwatch run`, 4 at a time, with its control server on loopback; each page is
#     measured and compared with the control, stored, and its verdict made.
#   - blackbox: Debian's prometheus-blackbox-exporter (unpacked from its .deb, never installed)
#     with its http_2xx module, driven by a real Prometheus scraping /probe for each page every
#     minute: a fetch and a status check, no control, no verdict, nothing stored.
# It reports CPU seconds per measurement (per probe) in steady state (the two minutes after the
# first), peak and steady RSS, and the agent's sweep wall time. Everything is on loopback.
# Usage: scripts/bench-vs-blackbox.sh [--agent-only] [N...]   (default: 50 500)
#   --agent-only: blockwatch alone (to compare JVM options: BLOCKWATCH_JAVA_OPTS replaces the
#   agent's memory and GC options; with -XX:NativeMemoryTracking=summary it also prints where the
#   agent's memory went at the end of sweep 3).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
agent_only=""
if [ "${1:-}" = --agent-only ]; then agent_only=1; shift; fi
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(50 500)
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

. "$root/scripts/lib-bench.sh"

# The tools: blackbox_exporter and prometheus from Debian's packages, unpacked here.
tools="$work/tools"
mkdir -p "$tools"
for pkg in prometheus-blackbox-exporter prometheus; do
    (cd "$tools" && { apt-get download -qq "$pkg" 2>/dev/null || { apt-get update -qq && apt-get download -qq "$pkg"; }; } \
        && dpkg-deb -x "$(ls "$tools"/"$pkg"_*.deb | head -n 1)" root) || { echo "bench-vs-blackbox: cannot fetch Debian's $pkg" >&2; exit 1; }
done
blackbox="$tools/root/usr/bin/prometheus-blackbox-exporter"
prometheus="$tools/root/usr/bin/prometheus"

printf '<html><head><title>Local news</title></head><body>%s</body></html>' "$(head -c 3000 /dev/zero | tr '\0' 'x')" > "$work/page.html"
web_port=$(free_port)
python3 -m http.server "$web_port" --bind 127.0.0.1 --directory "$work" > "$work/web.log" 2>&1 &
pids+=($!)
control_port=$(free_port)
"$root/blockwatch" control-server --listen "127.0.0.1:$control_port" --allow-private-destinations --rate-per-minute 1000000 \
    --max-concurrent 16 > "$work/control.log" 2>&1 &
pids+=($!)
wait_for "grep -q listening '$work/control.log'"

printf '%-6s %-11s %14s %10s %10s %18s %10s\n' N program "CPU/measure" "peak RSS" "RSS" "sweep wall times" "ideal"
for n in "${sizes[@]}"; do
    urls=()
    for i in $(seq 1 "$n"); do urls+=("http://127.0.0.1:$web_port/page.html?target=$i"); done

    # blockwatch: three sweeps a minute apart; steady state is sweeps 2 and 3.
    {
        echo "url,category_code,category_description,date_added,source,notes"
        for u in "${urls[@]}"; do echo "$u,NEWS,News Media,2026-01-01,bench,"; done
    } > "$work/targets-$n.csv"
    cat > "$work/agent-$n.yaml" <<YAML
consent: true
targets: {lists: [$work/targets-$n.csv]}
tests: {enabled: [web_connectivity]}   # loopback pages only: the apps and dnscheck (on by default) would leave the machine
measurement: {extra_resolvers: []}      # nor Cloudflare's DoH beside each page (issue 31's default)
dns: {identities: []}                   # nor an identity query to the system's resolver
schedule: {interval: 1m, jitter: 0s, concurrency: 4, sweep_budget: 1h, bandwidth_per_hour: 10GB}
control: {helpers: [http://127.0.0.1:$control_port/]}
metrics: {listen: 127.0.0.1:0}
store: {path: $work/store-$n.db}
network: {asn: AS64500, country: KZ}
lab: {public_ranges: [127.0.0.0/8]}
YAML
    "$root/blockwatch" run --config "$work/agent-$n.yaml" > "$work/agent-$n.log" 2>&1 &
    agent=$!
    pids+=("$agent")
    sweeps() { grep -c 'sweep: [0-9]* measured, ' "$work/agent-$n.log" || true; }
    wait_for "[ \$(sweeps) -ge 1 ]" 1200
    agent_pid=$(pgrep -P "$agent" java || echo "$agent")
    c1=$(cpu_seconds "$agent_pid")
    wait_for "[ \$(sweeps) -ge 3 ]" 1200
    c3=$(cpu_seconds "$agent_pid")
    # Sweeps 2 and 3: their wall time, and their ideal time (the agent's own figure: its targets' own
    # times over the concurrency).
    took=$(grep 'sweep: [0-9]* measured, ' "$work/agent-$n.log" | tail -n 2 | sed -n 's/.*took \([^ ]*\) .*$/\1/p' | tr '\n' ' ')
    ideal=$(grep 'sweep: [0-9]* measured, ' "$work/agent-$n.log" | tail -n 2 | sed -n 's/.*(ideal \([^)]*\))$/\1/p' | tr '\n' ' ')
    printf '%-6s %-11s %12.1f ms %7s MB %7s MB %18s %10s\n' "$n" blockwatch "$(awk -v a="$c1" -v b="$c3" -v n="$n" 'BEGIN { print (b - a) / (2 * n) * 1000 }')" \
        "$(rss_mb "$agent_pid" VmHWM)" "$(rss_mb "$agent_pid" VmRSS)" "$took" "$ideal"
    if [[ "${BLOCKWATCH_JAVA_OPTS:-}" == *NativeMemoryTracking* ]]; then
        jcmd="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/jcmd"
        "$jcmd" "$agent_pid" GC.class_histogram | sed -n '2,13p' # what the heap holds (after a full GC)
        "$jcmd" "$agent_pid" VM.native_memory summary \
            | sed -n 's/^- *\([A-Za-z ]*\) (reserved=[0-9]*KB, committed=\([0-9]*\)KB.*/  \1: \2 KB committed/p; s/^Total: .*committed=\([0-9]*\)KB.*/  NMT total: \1 KB committed/p'
    fi
    kill "$agent"; wait "$agent" 2>/dev/null || true
    [ -z "$agent_only" ] || continue

    # blackbox_exporter, scraped by Prometheus once a minute per page: steady state is minutes 2 and 3.
    bb_port=$(free_port)
    "$blackbox" --config.file="$tools/root/etc/prometheus/blackbox.yml" --web.listen-address="127.0.0.1:$bb_port" > "$work/bb-$n.log" 2>&1 &
    bb=$!
    pids+=("$bb")
    wait_for "python3 -c 'import urllib.request; urllib.request.urlopen(\"http://127.0.0.1:$bb_port/metrics\")' 2>/dev/null"
    prom_port=$(free_port)
    {
        echo "global: {scrape_interval: 1m, scrape_timeout: 10s}"
        echo "scrape_configs:"
        echo "  - job_name: blackbox"
        echo "    metrics_path: /probe"
        echo "    params: {module: [http_2xx]}"
        echo "    static_configs:"
        echo "      - targets:"
        for u in "${urls[@]}"; do echo "        - '$u'"; done
        echo "    relabel_configs:"
        echo "      - {source_labels: [__address__], target_label: __param_target}"
        echo "      - {source_labels: [__param_target], target_label: instance}"
        echo "      - {target_label: __address__, replacement: '127.0.0.1:$bb_port'}"
    } > "$work/prometheus-$n.yml"
    "$prometheus" --config.file="$work/prometheus-$n.yml" --storage.tsdb.path="$work/tsdb-$n" \
        --web.listen-address="127.0.0.1:$prom_port" > "$work/prom-$n.log" 2>&1 &
    prom=$!
    pids+=("$prom")
    started=$SECONDS
    wait_for "[ \$((SECONDS - started)) -ge 60 ]"
    c1=$(cpu_seconds "$bb") p1=$(cpu_seconds "$prom")
    wait_for "[ \$((SECONDS - started)) -ge 180 ]"
    c3=$(cpu_seconds "$bb") p3=$(cpu_seconds "$prom")
    printf '%-6s %-11s %12.1f ms %7s MB %7s MB %18s %10s\n' "$n" blackbox "$(awk -v a="$c1" -v b="$c3" -v n="$n" 'BEGIN { print (b - a) / (2 * n) * 1000 }')" \
        "$(rss_mb "$bb" VmHWM)" "$(rss_mb "$bb" VmRSS)" "-" "-"
    # The Prometheus that drives it (scheduling, storing the results): blackbox alone has no schedule.
    printf '%-6s %-11s %12.1f ms %7s MB %7s MB %18s %10s\n' "$n" "+prometheus" "$(awk -v a="$p1" -v b="$p3" -v n="$n" 'BEGIN { print (b - a) / (2 * n) * 1000 }')" \
        "$(rss_mb "$prom" VmHWM)" "$(rss_mb "$prom" VmRSS)" "-" "-"
    kill "$prom" "$bb"; wait "$prom" "$bb" 2>/dev/null || true
done

# One shot, as `blockwatch measure` is used: blackbox started, K pages probed through /probe (8 at
# a time, as measure's --parallel default), then stopped; the CPU of the whole process, start-up
# included. (`packaging/bench-image.sh` gives the same for `blockwatch measure`, from the runtime image.)
[ -z "$agent_only" ] || exit 0
printf '\n%-8s %-10s %14s %14s\n' "one shot" program "CPU" "CPU per URL"
for k in 1 30; do
    bb_port=$(free_port)
    "$blackbox" --config.file="$tools/root/etc/prometheus/blackbox.yml" --web.listen-address="127.0.0.1:$bb_port" > "$work/bb-once-$k.log" 2>&1 &
    bb=$!
    pids+=("$bb")
    wait_for "python3 -c 'import urllib.request; urllib.request.urlopen(\"http://127.0.0.1:$bb_port/metrics\")' 2>/dev/null"
    seq 1 "$k" | xargs -P 8 -I{} python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1]).read()' \
        "http://127.0.0.1:$bb_port/probe?module=http_2xx&target=http://127.0.0.1:$web_port/page.html?target={}"
    c=$(cpu_seconds "$bb")
    printf '%-8s %-10s %12.3f s %12.3f s\n' "$k URLs" blackbox "$c" "$(awk -v c="$c" -v k="$k" 'BEGIN { print c / k }')"
    kill "$bb"; wait "$bb" 2>/dev/null || true
done
