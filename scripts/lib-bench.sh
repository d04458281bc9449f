# shellcheck shell=bash
# What the benchmark scripts share: free ports on loopback, polling, a process's CPU and memory.
# Sourced by scripts/bench-*.sh.

# A free TCP port on loopback.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Polls (never a fixed sleep standing in for it) until the shell condition holds, for at most
# $2 seconds (10 minutes unless told).
wait_for() { # condition [seconds]
    local tries=$(( ${2:-600} * 5 ))
    for _ in $(seq 1 "$tries"); do eval "$1" && return 0; sleep 0.2; done
    echo "timed out: $1" >&2
    return 1
}

# CPU seconds (user and system) that process $1 has used so far.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$1/stat"; }

# Process $1's memory in MB from /proc: $2 is VmRSS (now) or VmHWM (its peak).
rss_mb() { awk -v k="$2" '$1 == k":" { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
