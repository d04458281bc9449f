#!/usr/bin/env bash
# The collector's sustained ingest (docs/performance.md, "The collector's ingest"): a real PostgreSQL (Debian's,
# initdb and pg_ctl in a temporary folder, as nobody under root), `blockwatch collector` on it,
# and N realistic 20-60 KB measurements submitted by C concurrent probes; prints measurements per
# second and the database's size per million measurements. A benchmark: it asserts nothing.
#
#   scripts/bench-collector.sh [N (default 20000)] [C (default 16)]
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
. "$root/scripts/find-jdk.sh"
blockwatch_find_jdk || exit 1
n="${1:-20000}" c="${2:-16}"
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
[ -x "$bin/pg_ctl" ] || { echo "bench-collector: needs Debian's postgresql" >&2; exit 1; }
work="$(mktemp -d)"
as_pg=()
if [ "$(id -u)" = 0 ]; then chown nobody:nogroup "$work"; as_pg=(setpriv --reuid=nobody --regid=nogroup --clear-groups); fi
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
collector=""
cleanup() {
    [ -z "$collector" ] || kill "$collector" 2> /dev/null || true
    (cd "$work" && "${as_pg[@]}" "$bin/pg_ctl" -D "$work/data" -m fast -w stop > /dev/null 2>&1) || true
    rm -rf "$work"
}
trap cleanup EXIT
(cd "$work" && "${as_pg[@]}" "$bin/initdb" -D "$work/data" -U postgres --auth=trust -E UTF8 > "$work/initdb.log")
# Durable settings (fsync on, synchronous_commit on): what a collector would run with.
(cd "$work" && "${as_pg[@]}" "$bin/pg_ctl" -D "$work/data" -l "$work/pg.log" -o "-k $work -p $pg_port -h 127.0.0.1" -w start > /dev/null)
[ -f "$root/probe-bench/target/benchmarks.jar" ] || (cd "$root" && JAVA_HOME="$BLOCKWATCH_JAVA_HOME" ./mvnw -B -ntp -q -DskipTests package -pl probe-bench -am)
"$root/blockwatch" collector --database "postgresql://postgres@127.0.0.1:$pg_port/postgres" --listen "127.0.0.1:$port" \
    --rate-per-minute 1000000 > "$work/collector.out" 2> "$work/collector.log" &
collector=$!
for _ in $(seq 1 300); do grep -q listening "$work/collector.out" 2> /dev/null && break; sleep 0.2; done
# CPU time (clock ticks) of the collector and of PostgreSQL (the postmaster and its children), from /proc.
ticks() {
    local pm pids
    pm=$(head -n 1 "$work/data/postmaster.pid")
    pids="$collector $pm $(ps -o pid= --ppid "$pm" | tr '\n' ' ')"
    for p in $pids; do awk '{ print $14 + $15 }' "/proc/$p/stat" 2> /dev/null || true; done | awk '{ s += $1 } END { print s + 0 }'
}
collector_ticks() { awk '{ print $14 + $15 }' "/proc/$collector/stat"; }
before=$(ticks) before_c=$(collector_ticks)
"$BLOCKWATCH_JAVA_HOME/bin/java" -cp "$root/probe-bench/target/benchmarks.jar" org.blockwatch.bench.CollectorIngest "http://127.0.0.1:$port/" "$n" "$c"
after=$(ticks) after_c=$(collector_ticks) hz=$(getconf CLK_TCK)
awk -v t=$((after - before)) -v c=$((after_c - before_c)) -v hz="$hz" -v n="$n" 'BEGIN {
    ms = t / hz * 1000 / n
    printf "server CPU: %.2f ms per measurement (collector %.2f, PostgreSQL %.2f): about %.0f measurements/s per core of server\n", ms, c / hz * 1000 / n, (t - c) / hz * 1000 / n, 1000 / ms }'
psql_() { psql -h 127.0.0.1 -p "$pg_port" -U postgres -At -c "$1"; }
count=$(psql_ "SELECT count(*) FROM measurements")
bytes=$(psql_ "SELECT coalesce(sum(pg_total_relation_size(inhrelid)), 0) FROM pg_inherits WHERE inhparent = 'measurements'::regclass")
awk -v c="$count" -v b="$bytes" 'BEGIN { printf "stored: %d measurements, %.1f MB with indexes and TOAST: %.1f GB per million measurements\n", c, b / 1e6, b / c * 1e6 / 1e9 }'
