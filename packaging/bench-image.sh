#!/usr/bin/env bash
# Benchmark of what volunteers install (README, "Installing"): the download size of the runtime
# image and of the .deb, and the time from process start to the first measurement, with and without
# the AppCDS archive. The measurement: `blockwatch measure --json --no-control` of a loopback site
# (the image's own control server serves HTTP; an IP address, so that no resolver outside is asked),
# timed to its first line of output: start-up and the measurement, not a control's round trip.
# Usage: bench-image.sh [RUNS]   after ./mvnw -Pdist package
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
runs="${1:-10}"
image=$(ls -d "$here"/target/blockwatch-*-linux-"$(uname -m)" | head -n 1)
[ -x "$image/bin/blockwatch" ] || { echo "bench-image: build first: ./mvnw -Pdist package" >&2; exit 1; }
for f in "$image.tar.gz" "$here"/target/blockwatch_*.deb; do
    [ -f "$f" ] && printf '%-48s %6.1f MB\n' "$(basename "$f")" "$(awk -v b="$(stat -c %s "$f")" 'BEGIN { print b / 1e6 }')"
done
out=$(mktemp -d)
"$image/bin/blockwatch" control-server --listen 127.0.0.1:0 --allow-private-destinations > "$out/control" 2>/dev/null &
control_pid=$!
trap 'kill $control_pid 2>/dev/null || true; rm -rf "$out"' EXIT
for _ in $(seq 1 100); do grep -q '^control server listening' "$out/control" && break; sleep 0.1; done
control=$(sed -n 's/^control server listening on \(http:[^ ]*\).*/\1/p' "$out/control")
port="${control##*:}" port="${port%/}"
python3 - "$image/bin/blockwatch" "http://127.0.0.1:$port/" "$runs" <<'PY'
import os, statistics, subprocess, sys, time
launcher, target, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
def first_measurement(appcds):
    env = dict(os.environ, BLOCKWATCH_APPCDS=appcds)
    t0 = time.monotonic()
    p = subprocess.Popen([launcher, "measure", "--json", "--no-control", target], stdout=subprocess.PIPE,
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
PY
