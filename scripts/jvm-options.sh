# shellcheck shell=bash
# The JVM options of every blockwatch command. Sourced by ./blockwatch (development) and by the
# runtime image's bin/blockwatch, so that both run the program the same way.

# Prints the options for blockwatch command $1 on a Java of major version $2.
# BLOCKWATCH_JAVA_OPTS replaces the tunable part (memory, GC, logging).
blockwatch_jvm_options() {
    local command="$1" major="$2" opts
    if [ -n "${BLOCKWATCH_JAVA_OPTS:-}" ]; then
        echo "$BLOCKWATCH_JAVA_OPTS -XX:+ExitOnOutOfMemoryError -Dstdout.encoding=UTF-8 -Dstderr.encoding=UTF-8 -Dsun.net.inetaddr.ttl=0 -Dsun.net.inetaddr.negative.ttl=0"
        return
    fi
    case "$command" in
        # The agent is a small long-running service: a small heap that grows only as far as the live
        # set needs, capped metaspace and code cache, small thread stacks; it waits on the network,
        # so C1 alone compiles well enough.
        run) opts="-Xms16m -Xmx96m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:TieredStopAtLevel=1"
             opts="$opts -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=32m -Xss512k" ;;
        # The test helper is a long-running service too, on a server: its heap starts small and
        # follows the live set, so that a flood of connections costs what they hold, not a heap
        # committed up front (with the default initial heap, a quarter of the maximum or more).
        control-server) opts="-Xms16m -Xmx96m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:MaxDirectMemorySize=64m" ;;
        collector) opts="-Xms16m -Xmx160m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:MaxDirectMemorySize=64m" ;;
        # A one-shot run ends before C2's optimised code pays for its compilation: C1 alone takes a
        # third less CPU for 30 URLs (docs/performance.md, "What the JVM's options buy").
        measure) opts="-Xmx256m -XX:TieredStopAtLevel=1" ;;
        *) opts="-Xmx256m" ;;
    esac
    # The same garbage collector for every command, so that one class-data archive (AppCDS) serves
    # them all. JVM messages go to stderr: stdout carries only results (tables, JSONL, exports).
    opts="$opts -XX:+UseSerialGC -Xlog:disable -Xlog:all=warning:stderr"
    # sqlite-jdbc loads its native library; JDK 22+ warns unless native access is granted.
    [ "$major" -ge 22 ] && opts="$opts --enable-native-access=ALL-UNNAMED"
    # Remote write's snappy (aircompressor) uses sun.misc.Unsafe; JDK 24+ warns on stderr unless allowed.
    [ "$major" -ge 23 ] && opts="$opts --sun-misc-unsafe-memory-access=allow"
    # Output in UTF-8 whatever locale the JVM could load (LANG=ru_RU.UTF-8 on a machine that has not
    # generated it would otherwise print Russian and IDN hosts as '?'); the launcher sees to a UTF-8 locale.
    opts="$opts -Dstdout.encoding=UTF-8 -Dstderr.encoding=UTF-8"
    # A JVM out of memory exits (and systemd restarts the service) rather than limping on half dead.
    opts="$opts -XX:+ExitOnOutOfMemoryError"
    # No JVM DNS cache: every lookup must reach the resolver being measured.
    echo "$opts -Dsun.net.inetaddr.ttl=0 -Dsun.net.inetaddr.negative.ttl=0"
}

# Command-line arguments reach Java in the locale's charset: under a POSIX locale (a bare service
# environment, `env -i`) an IDN such as https://новости.kz/ would arrive as '?'. Ask for UTF-8.
blockwatch_utf8_locale() {
    case "${LC_ALL:-${LC_CTYPE:-${LANG:-}}}" in
        *UTF-8*|*utf-8*|*UTF8*|*utf8*) ;;
        *)
            if [ "$(uname -s)" = Linux ]; then
                if [ -n "${LC_ALL:-}" ]; then export LC_ALL=C.UTF-8; else export LC_CTYPE=C.UTF-8; fi
            fi
            ;;
    esac
    # glibc's per-thread malloc arenas would multiply the agent's native memory for nothing.
    export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
}
