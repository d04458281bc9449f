# shellcheck shell=bash
# The network namespaces of the lab's standalone scripts (offline.sh, flood.sh): taking them down
# and checking that they are sealed.

# Kills every process in each namespace given, then deletes it.
netns_down() {
    local pids ns
    for ns in "$@"; do
        [ -e "/run/netns/$ns" ] || continue
        pids="$(ip netns pids "$ns" 2> /dev/null || true)"
        [ -z "$pids" ] || kill -9 $pids 2> /dev/null || true
        ip netns del "$ns" 2> /dev/null || true
    done
}

# Whether namespace $1 has exactly the links $2 (sorted, space-separated, e.g. "eth0 lo").
netns_links_are() {
    [ "$(ip -n "$1" -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | sort | tr '\n' ' ')" = "$2 " ]
}
