# Sourced by ./blockwatch, ./run-tests and .ci/run: sets BLOCKWATCH_JAVA_HOME to a JDK >= 21.
# Looks at JAVA_HOME, then `java` on PATH, then /usr/lib/jvm/* (newest first).

blockwatch_java_major() {
    # Prints the major version of the java binary $1 (8 for 1.8), or nothing.
    "$1" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9.]*\).*/\1/p' | head -n 1 |
        awk -F. '{ if ($1 == 1) print $2; else print $1 }'
}

blockwatch_find_jdk() {
    local candidates=() c major seen=""
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
    if command -v java >/dev/null 2>&1; then
        candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
    fi
    if [ -d /usr/lib/jvm ]; then
        while IFS= read -r c; do candidates+=("$c"); done < <(ls -1d /usr/lib/jvm/*/ 2>/dev/null | sed 's:/$::' | sort -rV)
    fi
    for c in "${candidates[@]}"; do
        case " $seen " in *" $c "*) continue ;; esac
        seen="$seen $c"
        [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
        major=$(blockwatch_java_major "$c/bin/java")
        if [ -n "$major" ] && [ "$major" -ge 21 ]; then
            BLOCKWATCH_JAVA_HOME="$c"
            return 0
        fi
    done
    {
        echo "blockwatch: no JDK 21 or newer found."
        echo "  Looked at: JAVA_HOME (${JAVA_HOME:-unset}), 'java' on PATH, /usr/lib/jvm/*."
        echo "  Install one (e.g. Temurin or OpenJDK 21+) and set JAVA_HOME to it."
    } >&2
    return 1
}
