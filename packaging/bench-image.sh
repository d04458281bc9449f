#!/usr/bin/env bash
# Benchmark of what volunteers install (docs/performance.md, "Size and start-up"): the download size of the runtime
# image and of the .deb, and the time from process start to the first measurement, with and without
# the AppCDS archive. The measurement: `blockwatch measure --json --no-control` of a loopback site
# (the operators' image's control server serves HTTP; an IP address, so that no resolver outside is asked),
# timed to its first line of output: start-up and the measurement, not a control's round trip; then
# measure's one-shot CPU for 1 and for 30 URLs with the control.
# Usage: bench-image.sh [RUNS]   after ./mvnw -Pdist package
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
runs="${1:-10}"
image=$(ls -d "$here"/target/blockwatch-[0-9]*-linux-"$(uname -m)" | head -n 1)
server=$(ls -d "$here"/target/blockwatch-server-*-linux-"$(uname -m)" | head -n 1)
[ -x "$image/bin/blockwatch" ] && [ -x "$server/bin/blockwatch" ] || { echo "bench-image: build first: ./mvnw -Pdist package" >&2; exit 1; }
for f in "$image.tar.gz" "$server.tar.gz" "$here"/target/blockwatch_*.deb; do
    [ -f "$f" ] && printf '%-48s %6.1f MB\n' "$(basename "$f")" "$(awk -v b="$(stat -c %s "$f")" 'BEGIN { print b / 1e6 }')"
done
out=$(mktemp -d)
"$server/bin/blockwatch" control-server --listen 127.0.0.1:0 --allow-private-destinations > "$out/control" 2>/dev/null &
control_pid=$!
trap 'kill $control_pid 2>/dev/null || true; rm -rf "$out"' EXIT
for _ in $(seq 1 100); do grep -q '^control server listening' "$out/control" && break; sleep 0.1; done
control=$(sed -n 's/^control server listening on \(http:[^ ]*\).*/\1/p' "$out/control")
port="${control##*:}" port="${port%/}"
# Nothing beside the loopback site (issue 31's defaults): no extra resolver (Cloudflare's DoH), no identity check of the
# system's resolver.
printf 'measurement:\n  extra_resolvers: []\ndns:\n  identities: []\n' > "$out/measure.yaml"
python3 - "$image/bin/blockwatch" "http://127.0.0.1:$port/" "$runs" "$out/measure.yaml" <<'PY'
import os, statistics, subprocess, sys, time
launcher, target, runs, config = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def first_measurement(appcds):
    env = dict(os.environ, BLOCKWATCH_APPCDS=appcds)
    t0 = time.monotonic()
    p = subprocess.Popen([launcher, "measure", "--json", "--config", config, "--no-control", target], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, env=env)
    line = p.stdout.readline()
    t = time.monotonic() - t0
    p.wait()
    if b'"test_name":"web_connectivity"' not in line:
        sys.exit(f"bench-image: no measurement from {launcher}")
    return t
for appcds in ("on", "off"):
    first_measurement(appcds)  # warm the page cache
    times = [first_measurement(appcds) for _ in range(runs)]
    print(f"first measurement, AppCDS {appcds:3}: median {statistics.median(times):.3f} s, "
          f"min {min(times):.3f} s, max {max(times):.3f} s ({runs} runs)")

# measure's one-shot cost: the CPU (user + system, the JVM's every thread) of a whole run of 1 and
# of 30 URLs, with the control (the image's own control server on loopback), AppCDS on.
def cpu_of(urls):
    before = os.times()
    p = subprocess.run([launcher, "measure", "--json", "--config", config, "--parallel", "8", "--control", target] + urls,
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=dict(os.environ, BLOCKWATCH_APPCDS="on"))
    after = os.times()
    if p.stdout.count(b'"test_name":"web_connectivity"') != len(urls):
        sys.exit(f"bench-image: {len(urls)} URLs gave {p.stdout.count(b'web_connectivity')} measurements")
    return (after.children_user - before.children_user) + (after.children_system - before.children_system)
for n in (1, 30):
    urls = [f"{target}?n={i}" for i in range(n)]
    cpu_of(urls)
    cpus = [cpu_of(urls) for _ in range(max(3, runs // 3))]
    c = statistics.median(cpus)
    print(f"measure of {n:2} URL{'s' if n > 1 else ' '} with the control: median {c:.2f} s of CPU, {c / n:.3f} s per URL")
PY
