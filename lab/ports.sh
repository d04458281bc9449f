# What survives a whitelist shutdown (sourced by lab/run; issue 31), in the agent phase: a
# port-filter helper in bwlab-helper (its address in lab/sites.sh) listens on TCP and UDP ports;
# the agent, with portfiltering on, reaches each through the censor. In the whitelist shutdown
# the censor forwards only to domestic.test and, to the helper, TCP 3785 and UDP 53: the agent
# must say restricted and name those two as still open (its record, `blockwatch status`, /metrics).
# check.py's `ports` names the record's, status's and metrics' planned forms (PORTS_* there).

# The helper's ports, and what the whitelist lets through to it (as the probe names channels).
LAB_PORTS_TCP=22,53,80,443,853,1194,3785,5222,8080
LAB_PORTS_UDP=53,443
LAB_PORTS_THROUGH="tcp/3785 udp/53"

# PLANNED (issue 31): the helper's command line (after the launcher); its options are being designed.
LAB_PORTS_HELPER_ARGS="control-server --listen $LAB_PORTS_HELPER_IP:9080 --ports-tcp $LAB_PORTS_TCP --ports-udp $LAB_PORTS_UDP"

# The agent's tests block with portfiltering (probe-cli's name for ts-038) on, pointed at the helper.
ports_agent_tests() {
    cat << EOF
tests:
  enabled: [web_connectivity, portfiltering]   # the apps and dnscheck (on by default) would leave the lab; its scenarios are pages
  portfiltering:
    helper: $LAB_PORTS_HELPER_IP
EOF
}

# Whether this blockwatch has the helper's options (the feature merged).
ports_supported() { "$root/blockwatch" control-server --help 2>&1 | grep -q -- '--ports-tcp'; }

ports_helper_up() { # log file; prints the helper's pid
    # shellcheck disable=SC2086
    ip netns exec bwlab-helper "$root/blockwatch" $LAB_PORTS_HELPER_ARGS >> "$1" 2>&1 &
    echo $!
}
ports_helper_listening() {
    local p
    for p in ${LAB_PORTS_TCP//,/ }; do listening bwlab-helper t "$p" || return 1; done
    for p in ${LAB_PORTS_UDP//,/ }; do listening bwlab-helper u "$p" || return 1; done
}

# The whitelist's holes to the helper (before the whitelist's DROP, which is rule 1 when called).
ports_whitelist_holes() { # -I or -D
    local channel proto port
    for channel in $LAB_PORTS_THROUGH; do
        proto="${channel%/*}" port="${channel#*/}"
        if [ "$1" = -I ]; then
            ip netns exec bwlab-censor iptables -w -I FORWARD 1 -i lan -d "$LAB_PORTS_HELPER_IP" -p "$proto" --dport "$port" -j ACCEPT
        else
            ip netns exec bwlab-censor iptables -w -D FORWARD -i lan -d "$LAB_PORTS_HELPER_IP" -p "$proto" --dport "$port" -j ACCEPT
        fi
    done
}

# The censor's whitelist as the helper's ports see it from the agent's client, with python's
# sockets (the probe not involved): a TCP port passes when it connects or is refused (the helper's
# namespace answered), a UDP port when an answer or a port-unreachable comes back; it is cut when
# nothing comes back. Prints "pass  lab: ..." or "FAIL  lab: ..." lines; exit 1 on a FAIL.
ports_lab_check() { # "through" channels expected to pass, e.g. "tcp/3785 udp/53"
    ip netns exec bwlab-client python3 - "$LAB_PORTS_HELPER_IP" "$LAB_PORTS_TCP" "$LAB_PORTS_UDP" "$1" << 'EOF'
import socket, sys
helper, tcp, udp, through = sys.argv[1], sys.argv[2].split(","), sys.argv[3].split(","), set(sys.argv[4].split())

def tcp_passes(port):
    try:
        socket.create_connection((helper, int(port)), timeout=3).close()
        return "connects"
    except ConnectionRefusedError:
        return "refused"
    except OSError:
        return None

def udp_passes(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(3)
    s.connect((helper, int(port)))
    # A DNS query for the root (on 53 a helper may expect one; elsewhere, any datagram).
    s.send(bytes.fromhex("abcd01000001000000000000000001" "0001"))
    try:
        s.recv(2048)
        return "answers"
    except ConnectionRefusedError:
        return "port unreachable"
    except OSError:
        return None

# All at once: a cut port costs its whole timeout.
from concurrent.futures import ThreadPoolExecutor
jobs = [(f"tcp/{p}", tcp_passes, p) for p in tcp] + [(f"udp/{p}", udp_passes, p) for p in udp]
with ThreadPoolExecutor(len(jobs)) as pool:
    results = list(pool.map(lambda j: j[1](j[2]), jobs))
failed = 0
for (channel, _, _), got in zip(jobs, results):
    expected = channel in through
    ok = (got is not None) == expected
    failed += not ok
    print(f"{'pass' if ok else 'FAIL'}  lab: {channel} to the helper {'passes' if expected else 'is cut'}"
          f" ({got or 'nothing came back'})")
sys.exit(1 if failed else 0)
EOF
}
