#!/usr/bin/env bash
# End-to-end check of the launcher: `./blockwatch measure --json` against a web server started
# here on loopback must print exactly one measurement that carries every step's records.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
work="$(mktemp -d)"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

printf '<html><head><title>smoke</title></head><body>ok</body></html>' > "$work/index.html"
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$work" > "$work/server.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 1 100); do
    port=$(sed -n 's/.*port \([0-9][0-9]*\).*/\1/p' "$work/server.log" | head -n 1)
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { echo "smoke: the loopback web server did not start" >&2; cat "$work/server.log" >&2; exit 1; }

"$root/blockwatch" measure --json --no-control --timeout 5 "http://127.0.0.1:$port/index.html" > "$work/out.jsonl"
python3 - "$work/out.jsonl" "$port" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1, f"expected one JSON line, got {len(lines)}"
m = json.loads(lines[0])
k = m["test_keys"]
assert m["test_name"] == "web_connectivity" and m["probe_ip"] == "127.0.0.1", m
assert k["tcp_connect"][0]["status"]["success"] is True, k["tcp_connect"]
assert k["requests"][0]["response"]["code"] == 200, k["requests"]
assert k["requests"][0]["response"]["x_title"] == "smoke", k["requests"]
print(f"smoke: ./blockwatch measure --json http://127.0.0.1:{sys.argv[2]}/index.html printed one valid measurement")
PY

# The README's first command: the in-process demo must build, run and find every verdict as expected.
"$root/blockwatch" demo --metrics-listen 127.0.0.1:0 > "$work/demo.txt"
grep -q 'verdicts match what the censor did' "$work/demo.txt"
grep -q '^Metrics: http://127.0.0.1:' "$work/demo.txt"
echo "smoke: ./blockwatch demo: $(grep 'verdicts match' "$work/demo.txt")"
