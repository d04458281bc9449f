#!/usr/bin/env bash
# Builds blockwatch's self-contained runtime image for this machine (Linux, its CPU), one of two
# packages from the same jars:
#   volunteer: <out>/blockwatch-<version>-linux-<cpu>/   what volunteers install (run, measure, status,
#              pause, resume, targets, consent, export from stores, demo): no server-only library
#              (the collector, PostgreSQL's driver, Flyway, HikariCP)
#   operator:  <out>/blockwatch-server-<version>-linux-<cpu>/   every command, control-server,
#              collector and export --from postgresql:// included
# each bin/blockwatch, bin/java, lib/ (a jlink runtime), app/ (the jars, sqlite's native library,
# AppCDS), and its .tar.gz. The operator image is built first: the volunteer image's training run
# asks its control server.
# Usage: build-image.sh VERSION AGENT_TARGET_DIR OUT_DIR [volunteer|operator]   (run by `./mvnw -Pdist package`)
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(dirname "$here")"
version="$1" agent="$2" out="$3" flavour="${4:-volunteer}"
case "$flavour" in
    volunteer|operator) ;;
    *) echo "build-image: the package is volunteer or operator, not '$flavour'" >&2; exit 2 ;;
esac
# The jars only operators need: the collector and what it alone uses.
server_only='^(probe-collector|postgresql|flyway-core|flyway-database-postgresql|HikariCP|jackson-dataformat-toml)-[0-9]'
# shellcheck source=../scripts/find-jdk.sh
. "$root/scripts/find-jdk.sh"
blockwatch_find_jdk
jdk="$BLOCKWATCH_JAVA_HOME"
cpu="$(uname -m)"
name="blockwatch-$version-linux-$cpu"
server_name="blockwatch-server-$version-linux-$cpu"
[ "$flavour" = operator ] && name="$server_name"
image="$out/$name"
work="$out/image-work"
log="$out/image-build.log"
rm -rf "$image" "$work" "$out/$name.tar.gz"
mkdir -p "$work"
: > "$log"
step() { echo "[image] $*"; }

# 1. The application: the agent's jar and exactly the jars its manifest names.
step "application jars from $agent"
(cd "$work" && "$jdk/bin/jar" xf "$agent/blockwatch.jar" META-INF/MANIFEST.MF)
classpath=$(sed -e ':a;N;$!ba;s/\r//g;s/\n //g' "$work/META-INF/MANIFEST.MF" | sed -n 's/^Class-Path: //p')
mkdir -p "$work/app/lib"
cp "$agent/blockwatch.jar" "$work/app/"
for entry in $classpath; do
    # A jar the manifest names and the image lacks is skipped by the JVM: the volunteers' leaves these out.
    if [ "$flavour" = volunteer ] && [[ "$(basename "$entry")" =~ $server_only ]]; then continue; fi
    cp "$agent/$entry" "$work/app/$entry"
done

# 2. The JDK modules they use (jdeps), less java.desktop: only snakeyaml's bean introspection and
# Micrometer's Log4j2 binder refer to it, and neither runs here (a 12 MB module). jdk.charsets decodes
# pages in windows-1251 and KOI8-R; jdk.crypto.ec holds TLS's elliptic curves on Java 21.
modules=$(for j in "$work/app/blockwatch.jar" "$work"/app/lib/*.jar; do
    "$jdk/bin/jdeps" --module-path "$work/app/lib" --multi-release 21 --ignore-missing-deps --print-module-deps "$j" 2>>"$log" | tail -n 1
done | tr ',' '\n' | grep -E '^(java|jdk)\.' | grep -vx java.desktop | sort -u)
modules="$modules jdk.charsets"
if "$jdk/bin/java" --list-modules | grep -q '^jdk.crypto.ec@'; then modules="$modules jdk.crypto.ec"; fi
modules=$(echo "$modules" | tr ' ' '\n' | sort -u | paste -sd, -)
step "jlink: $modules"
# Uncompressed modules: the .tar.gz and the .deb compress them better than jlink would.
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
    --compress=zip-0 --output "$image" >>"$log"
if command -v strip >/dev/null; then strip --strip-unneeded "$image/lib/server/libjvm.so"; fi

# Security providers whose modules the image leaves out: the JDK would look for them through
# ServiceLoader on every provider list (OkHttp asks for it), reading every jar on the class path.
declare -A provider_module=([SunJGSS]=java.security.jgss [SunSASL]=java.security.sasl [XMLDSig]=java.xml.crypto
    [SunPCSC]=java.smartcardio [JdkLDAP]=java.naming [JdkSASL]=jdk.security.jgss [SunPKCS11]=jdk.crypto.cryptoki
    [SunMSCAPI]=jdk.crypto.mscapi [SunEC]=jdk.crypto.ec)
present=$("$image/bin/java" --list-modules | sed 's/@.*//')
security="$image/conf/security/java.security"
n=0
while IFS= read -r line; do
    if [[ "$line" =~ ^security\.provider\.[0-9]+=([^[:space:]]+) ]]; then
        p="${BASH_REMATCH[1]}" m="${provider_module[${BASH_REMATCH[1]}]:-java.base}"
        if [ "$p" = SunEC ] && ! grep -qx jdk.crypto.ec <<<"$present"; then m=java.base; fi
        grep -qx "$m" <<<"$present" || continue
        n=$((n + 1))
        line="security.provider.$n=$p"
    fi
    printf '%s\n' "$line"
done < "$security" > "$work/java.security"
cp "$work/java.security" "$security"

# 3. Every jar rewritten uncompressed: gzip and xz then compress the classes of all jars together,
# which makes the download 3 MB smaller than jars compressed one entry at a time (and class
# loading reads them without inflating). sqlite's native library for this CPU comes out of its jar,
# unpacked once here rather than at every start.
case "$cpu" in
    x86_64|amd64) sqlite_cpu=x86_64 ;;
    aarch64|arm64) sqlite_cpu=aarch64 ;;
    armv7*) sqlite_cpu=armv7 ;;
    *) echo "build-image: no sqlite native library known for CPU $cpu" >&2; exit 1 ;;
esac
mkdir -p "$work/app/native"
for jar in "$work/app/blockwatch.jar" "$work"/app/lib/*.jar; do
    x="$work/unpacked"
    rm -rf "$x" && mkdir -p "$x"
    (cd "$x" && "$jdk/bin/jar" xf "$jar")
    if [ -d "$x/org/sqlite/native" ]; then
        cp "$x/org/sqlite/native/Linux/$sqlite_cpu/libsqlitejdbc.so" "$work/app/native/"
        rm -rf "$x/org/sqlite/native"
    fi
    rm "$jar"
    if [ -f "$x/META-INF/MANIFEST.MF" ]; then
        mv "$x/META-INF/MANIFEST.MF" "$work/manifest"
        "$jdk/bin/jar" --create --no-compress --file "$jar" --manifest "$work/manifest" -C "$x" .
    else
        "$jdk/bin/jar" --create --no-compress --file "$jar" --no-manifest -C "$x" .
    fi
done
[ -f "$work/app/native/libsqlitejdbc.so" ] || { echo "build-image: sqlite's native library for $sqlite_cpu not found" >&2; exit 1; }

# 4. The launcher, the sample configuration, the application.
cp -r "$work/app" "$image/app"
cp "$root/scripts/jvm-options.sh" "$image/app/"
cp "$here/bin/blockwatch" "$image/bin/blockwatch"
mkdir -p "$image/share/blockwatch"
cp "$root/config/blockwatch.sample.yaml" "$root/README.md" "$root/docs/volunteers.md" "$root/docs/risks.md" "$root/docs/risks.ru.md" "$root/docs/risks.kk.md" \
    "$image/share/blockwatch/"
[ "$flavour" = volunteer ] || cp "$root/docs/operators.md" "$root/docs/operators-servers.md" "$image/share/blockwatch/"
# AppCDS checks each jar's size and time: fix the times now, so that the archive stays valid
# wherever the image is unpacked or installed.
stamp="@${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)}"
find "$image/app" -name '*.jar' -exec touch -d "$stamp" {} +

# 5. The JDK's own class-data archive, dumped with the launcher's options: the JVM refuses parts of
# an archive dumped with other module options (--enable-native-access).
major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$image/release")
# shellcheck source=../scripts/jvm-options.sh
. "$root/scripts/jvm-options.sh"
# shellcheck disable=SC2046
"$image/bin/java" -Xshare:dump $(blockwatch_jvm_options demo "$major") >>"$log" 2>&1

# 6. The AppCDS archive, from a training run: `measure` of a loopback site over HTTP and HTTPS with
# a control (the image's own control server), the path every first measurement takes (DNS, TCP, TLS,
# HTTP, the control, the verdict, JSON). Then a check that every command maps it (-Xshare:on fails
# otherwise) and that the JVM has nothing to complain about.
step "AppCDS archive (training: blockwatch measure)"
train_home="$work/home"
mkdir -p "$train_home"
export HOME="$train_home" XDG_CONFIG_HOME="$train_home/.config" XDG_DATA_HOME="$train_home/.local/share"
control_image="$image"
[ "$flavour" = operator ] || control_image="$out/$server_name"
[ -x "$control_image/bin/blockwatch" ] || { echo "build-image: the volunteer image trains against the operator image's control server: build $control_image first" >&2; exit 1; }
BLOCKWATCH_APPCDS=off "$control_image/bin/blockwatch" control-server --listen 127.0.0.1:0 --allow-private-destinations \
    >"$work/control.out" 2>>"$log" &
control_pid=$!
trap 'kill "$control_pid" 2>/dev/null || true' EXIT
control=""
for _ in $(seq 1 100); do
    control=$(sed -n 's/^control server listening on \(http:[^ ]*\).*/\1/p' "$work/control.out")
    [ -n "$control" ] && break
    kill -0 "$control_pid" 2>/dev/null || break
    sleep 0.1
done
[ -n "$control" ] || { echo "build-image: the control server for the training run did not start; see $log" >&2; exit 1; }
port="${control##*:}" port="${port%/}"
JDK_JAVA_OPTIONS="-XX:ArchiveClassesAtExit=$image/app/blockwatch.jsa" BLOCKWATCH_APPCDS=off \
    "$image/bin/blockwatch" measure --json --control "$control" "http://localhost:$port/" "https://localhost:$port/" \
    >>"$log" 2>&1 || { echo "build-image: the training run failed; see $log" >&2; exit 1; }
kill "$control_pid"
wait "$control_pid" 2>/dev/null || true
for appcds in on off; do
    for args in "--version" "run --version" "measure --help"; do
        # shellcheck disable=SC2086
        if ! BLOCKWATCH_APPCDS=$appcds JDK_JAVA_OPTIONS="-Xshare:on" "$image/bin/blockwatch" $args >/dev/null 2>"$work/check.err" \
            || grep -v '^NOTE: Picked up' "$work/check.err" | grep -q .; then
            cat "$work/check.err" >&2
            echo "build-image: class-data archive (AppCDS $appcds) does not load cleanly for '$args'" >&2
            exit 1
        fi
    done
done

# 7. The .tar.gz.
step "$out/$name.tar.gz"
tar -C "$out" --sort=name --owner=0 --group=0 --numeric-owner -cf - "$name" | gzip -9n > "$out/$name.tar.gz"
rm -rf "$work"
du -sh "$image" "$out/$name.tar.gz" | sed 's/^/[image] /'
