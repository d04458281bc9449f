#!/usr/bin/env bash
# Installs the .deb on this machine and checks it as a volunteer would meet it: the files where
# docs/volunteers.md says, the demo from the installed image (also as an unprivileged user), the systemd unit
# (systemd-analyze verify, and its exposure score), consent, an upgrade that keeps the settings and
# the measurements, a removal that keeps them, a purge that deletes them.
# Needs root and changes this machine (/opt, /etc, /usr/bin, /var/lib): CI runs it; elsewhere it
# asks for --yes-install-here. Usage: test-deb.sh [--yes-install-here] PACKAGE.deb
set -euo pipefail
if [ "${1:-}" = --yes-install-here ]; then shift; elif [ "${CI:-}" != true ]; then
    echo "test-deb: this installs blockwatch on this machine; run it with --yes-install-here (or in CI)" >&2
    exit 2
fi
deb="$(readlink -f "$1")"
[ "$(id -u)" = 0 ] || { echo "test-deb: needs root (dpkg -i)" >&2; exit 1; }
if dpkg -s blockwatch >/dev/null 2>&1; then echo "test-deb: blockwatch is already installed here; remove it first" >&2; exit 1; fi
work=$(mktemp -d)
chmod 755 "$work" # the unprivileged demo below works in a folder inside
cleanup() { dpkg --purge blockwatch >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
failures=0
ok() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
check() { local what="$1"; shift; if "$@"; then ok "$what"; else fail "$what"; fi; }

echo "== install $(basename "$deb")"
dpkg -i "$deb" > "$work/install.log" 2>&1 || { cat "$work/install.log"; exit 1; }
check "the install says how to consent" grep -q "sudo blockwatch consent --accept --config /etc/blockwatch/blockwatch.yaml" "$work/install.log"
for f in /opt/blockwatch/bin/blockwatch /opt/blockwatch/bin/java /opt/blockwatch/app/blockwatch.jar \
         /opt/blockwatch/app/blockwatch.jsa /opt/blockwatch/app/native/libsqlitejdbc.so \
         /etc/blockwatch/blockwatch.yaml /lib/systemd/system/blockwatch.service /opt/blockwatch/share/blockwatch/volunteers.md /usr/share/doc/blockwatch/README.md /usr/share/doc/blockwatch/volunteers.md /usr/share/doc/blockwatch/risks.md /usr/share/doc/blockwatch/risks.ru.md /usr/share/doc/blockwatch/risks.kk.md; do
    check "installed: $f" test -f "$f"
done
check "on PATH: blockwatch -> /opt/blockwatch/bin/blockwatch" test "$(readlink -f "$(command -v blockwatch)")" = /opt/blockwatch/bin/blockwatch
check "a conffile: /etc/blockwatch/blockwatch.yaml" grep -qx /etc/blockwatch/blockwatch.yaml /var/lib/dpkg/info/blockwatch.conffiles
# Only what runs ships: no test library (OkHttp's mockwebserver3, JUnit, AssertJ) in any of the image's jars.
test_only_classes() {
    python3 - /opt/blockwatch/app/*.jar /opt/blockwatch/app/lib/*.jar <<'PY'
import re, sys, zipfile
for jar in sys.argv[1:]:
    for name in zipfile.ZipFile(jar).namelist():
        if re.match(r"(mockwebserver3|okhttp3/mockwebserver|org/junit|org/assertj)/", name):
            print(jar, name)
PY
    [ $? = 0 ] || echo "the image's jars could not be read"
}
check "no test-only library in the image's jars" test -z "$(test_only_classes)"
# What volunteers install carries no server-only library (issue 28): no collector, PostgreSQL driver, Flyway or HikariCP class.
server_only_classes() {
    python3 - /opt/blockwatch/app/*.jar /opt/blockwatch/app/lib/*.jar <<'PY'
import re, sys, zipfile
for jar in sys.argv[1:]:
    for name in zipfile.ZipFile(jar).namelist():
        if re.match(r"(org/postgresql|org/flywaydb|com/zaxxer/hikari|org/blockwatch/collector)/", name):
            print(jar, name)
PY
    [ $? = 0 ] || echo "the image's jars could not be read"
}
check "no server-only library in the volunteers' image (PostgreSQL, Flyway, HikariCP, the collector)" test -z "$(server_only_classes)"
collector_err=$(blockwatch collector --database postgresql://x@127.0.0.1/x 2>&1 >/dev/null; echo "exit $?")
check "collector in the volunteers' package: exit 2, naming the operators' package" \
    bash -c '[[ "$1" == *"operators'"'"' package, blockwatch-server"*"exit 2" ]]' _ "$collector_err"
check "the installed image is the program" test "$(blockwatch --version)" = "blockwatch $(dpkg-deb -f "$deb" Version | tr '~' '-')"

echo "== the demo from the installed image"
blockwatch demo --metrics-listen 127.0.0.1:0 --store "$work/demo.db" > "$work/demo.out" 2> "$work/demo.err" || true
check "demo: every verdict as expected" grep -Eq '^([0-9]+) of \1 verdicts match' "$work/demo.out"
check "the AppCDS archive maps (-Xshare:on)" bash -c 'JDK_JAVA_OPTIONS=-Xshare:on /opt/blockwatch/bin/blockwatch --version >/dev/null 2>&1'
mkdir -p "$work/nobody" && chown 65534:65534 "$work/nobody"
setpriv --reuid=65534 --regid=65534 --clear-groups --no-new-privs --inh-caps=-all --bounding-set=-all \
    env HOME="$work/nobody" /opt/blockwatch/bin/blockwatch demo --metrics-listen 127.0.0.1:0 --store "$work/nobody/demo.db" \
    > "$work/nobody.out" 2> "$work/nobody.err" || true
check "demo as an unprivileged user without capabilities" grep -Eq '^([0-9]+) of \1 verdicts match' "$work/nobody.out"

echo "== the systemd unit"
unit=/lib/systemd/system/blockwatch.service
if systemd-analyze verify "$unit" > "$work/verify.log" 2>&1 && ! grep -q blockwatch "$work/verify.log"; then
    ok "systemd-analyze verify"
else
    cat "$work/verify.log"; fail "systemd-analyze verify"
fi
systemd-analyze security --offline=true "$unit" > "$work/security.log" 2>&1 || true
exposure=$(sed -n 's/.*Overall exposure level for blockwatch.service: \([0-9.]*\).*/\1/p' "$work/security.log")
echo "     exposure level: ${exposure:-?} (0 = fully confined, 10 = not at all)"
check "systemd-analyze security: exposure at most 2.5" awk -v e="${exposure:-99}" 'BEGIN { exit !(e <= 2.5) }'
for key in DynamicUser=yes NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes PrivateTmp=yes PrivateDevices=yes \
           CapabilityBoundingSet= StateDirectory=blockwatch LogsDirectory=blockwatch ConfigurationDirectory=blockwatch \
           MemoryDenyWriteExecute=no Restart=on-failure; do
    check "unit: $key" grep -qx "$key" "$unit"
done
check "unit: enabled for multi-user.target" test -L /etc/systemd/system/multi-user.target.wants/blockwatch.service

echo "== consent"
check "no consent: the service's condition fails (exit 1)" bash -c 'blockwatch consent --check --config /etc/blockwatch/blockwatch.yaml >/dev/null; test $? = 1'
blockwatch consent --accept --config /etc/blockwatch/blockwatch.yaml > "$work/consent.out"
check "consent recorded in /etc/blockwatch/consent" test -f /etc/blockwatch/consent
check "consented: the service's condition holds" bash -c "blockwatch consent --check --config /etc/blockwatch/blockwatch.yaml >/dev/null"

echo "== upgrade keeps the settings and the measurements"
mkdir -p /var/lib/blockwatch
cp "$work/demo.db" /var/lib/blockwatch/blockwatch.db
sum=$(sha256sum /var/lib/blockwatch/blockwatch.db | cut -d' ' -f1)
echo "# the volunteer's own line" >> /etc/blockwatch/blockwatch.yaml
dpkg -i "$deb" > "$work/upgrade.log" 2>&1 || { cat "$work/upgrade.log"; exit 1; }
check "upgrade: the edited settings are kept" grep -q "the volunteer's own line" /etc/blockwatch/blockwatch.yaml
check "upgrade: the store is kept" test "$(sha256sum /var/lib/blockwatch/blockwatch.db | cut -d' ' -f1)" = "$sum"
check "upgrade: the consent is kept" test -f /etc/blockwatch/consent
# The demo runs the agent's sweep twice, so that its exports show timelines: every site at least
# three times (each new state is confirmed by a second measurement), its STUN servers too.
sites=$(sed -En 's/^([0-9]+) of [0-9]+ verdicts match.*/\1/p' "$work/demo.out")
measured=$(blockwatch export --db /var/lib/blockwatch/blockwatch.db --format ooni-jsonl | wc -l)
check "the kept store exports its $measured measurements, at least three of each of the $sites sites" \
    test "$(blockwatch export --db /var/lib/blockwatch/blockwatch.db --format ooni-jsonl | grep -c '"test_name":"web_connectivity"')" -ge $((3 * sites))
check "the kept store exports its STUN measurements (stunreachability)" \
    bash -c '[ "$(blockwatch export --db /var/lib/blockwatch/blockwatch.db --format ooni-jsonl | grep -c "\"test_name\":\"stunreachability\"")" -ge 6 ]'

echo "== status, pause and resume find the service's store through its settings"
conf=/etc/blockwatch/blockwatch.yaml
blockwatch status --config "$conf" > "$work/status.out" 2>&1 || true
check "status reads the service's store" grep -q "^Store: *\/var\/lib\/blockwatch\/blockwatch.db ($measured measurements)" "$work/status.out"
check "pause 2h" blockwatch pause 2h --config "$conf"
check "pause: written beside the service's store" test -f /var/lib/blockwatch/blockwatch.paused
blockwatch status --config "$conf" > "$work/status.out" 2>&1 || true
check "status shows the pause" grep -q "^Paused: *until " "$work/status.out"
check "resume" blockwatch resume --config "$conf"
check "resume: the pause is gone" test ! -e /var/lib/blockwatch/blockwatch.paused

echo "== remove keeps them"
dpkg -r blockwatch > "$work/remove.log" 2>&1 || { cat "$work/remove.log"; exit 1; }
check "remove: the program is gone" test ! -e /opt/blockwatch -a ! -e /usr/bin/blockwatch -a ! -e "$unit"
check "remove: the store is kept" test "$(sha256sum /var/lib/blockwatch/blockwatch.db | cut -d' ' -f1)" = "$sum"
check "remove: the settings are kept" test -f /etc/blockwatch/blockwatch.yaml

echo "== purge deletes them"
dpkg --purge blockwatch > "$work/purge.log" 2>&1 || { cat "$work/purge.log"; exit 1; }
check "purge: the store is gone" test ! -e /var/lib/blockwatch
check "purge: the settings are gone" test ! -e /etc/blockwatch

if [ "$failures" -gt 0 ]; then
    echo "test-deb: $failures check(s) failed"
    for f in demo.err nobody.err; do [ -s "$work/$f" ] && { echo "--- $f"; tail -20 "$work/$f"; }; done
    exit 1
fi
echo "test-deb: every check passed"
