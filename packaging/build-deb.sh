#!/usr/bin/env bash
# Builds the Debian package from the runtime image (build-image.sh):
#   /opt/blockwatch/                      the image
#   /usr/bin/blockwatch                   -> /opt/blockwatch/bin/blockwatch
#   /etc/blockwatch/blockwatch.yaml       the settings (a conffile: kept on upgrade and removal)
#   /lib/systemd/system/blockwatch.service
# Usage: build-deb.sh DEB_VERSION IMAGE_VERSION OUT_DIR   (run by `./mvnw -Pdist package`)
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
root="$(dirname "$here")"
deb_version="$1" image_version="$2" out="$3"
image="$out/blockwatch-$image_version-linux-$(uname -m)"
[ -x "$image/bin/blockwatch" ] || { echo "build-deb: no runtime image at $image (build-image.sh first)" >&2; exit 1; }
command -v dpkg-deb >/dev/null || { echo "build-deb: dpkg-deb is needed (Debian's dpkg package)" >&2; exit 1; }
arch=$(dpkg --print-architecture)
pkg="$out/deb-root"
rm -rf "$pkg"
mkdir -p "$pkg/DEBIAN" "$pkg/opt" "$pkg/usr/bin" "$pkg/etc/blockwatch" "$pkg/lib/systemd/system" "$pkg/usr/share/doc/blockwatch"
cp -a "$image" "$pkg/opt/blockwatch"
ln -s /opt/blockwatch/bin/blockwatch "$pkg/usr/bin/blockwatch"
{
    echo "# blockwatch settings for the system service (blockwatch.service); read at its start:"
    echo "#   sudo systemctl restart blockwatch"
    echo "# The service keeps its measurements in /var/lib/blockwatch/blockwatch.db (store.path below), so"
    echo "# that 'sudo blockwatch status --config /etc/blockwatch/blockwatch.yaml' (and pause, resume,"
    echo "# export) find them."
    echo "#"
    # The store's path, stated: the one key whose default (the user's own data folder) differs for the service.
    awk '/^store:/ { s = 1 } s && /^  path: null/ { sub(/path: null */, "path: /var/lib/blockwatch/blockwatch.db  "); s = 0 } { print }' \
        "$root/config/blockwatch.sample.yaml"
} > "$pkg/etc/blockwatch/blockwatch.yaml"
grep -q '^  path: /var/lib/blockwatch/blockwatch.db' "$pkg/etc/blockwatch/blockwatch.yaml" \
    || { echo "build-deb: could not set store.path in the service's settings" >&2; exit 1; }
cp "$here/systemd/blockwatch.service" "$pkg/lib/systemd/system/"
# What a volunteer reads: the front door, the volunteers' page and the risks (the consent text points here).
cp "$root/README.md" "$root/docs/volunteers.md" "$root/docs/risks.md" "$root/docs/risks.ru.md" "$root/docs/risks.kk.md" "$pkg/usr/share/doc/blockwatch/"
for f in postinst prerm postrm; do install -m 0755 "$here/deb/$f" "$pkg/DEBIAN/$f"; done
echo /etc/blockwatch/blockwatch.yaml > "$pkg/DEBIAN/conffiles"
size=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
sed -e "s/@VERSION@/$deb_version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" "$here/deb/control" > "$pkg/DEBIAN/control"
deb="$out/blockwatch_${deb_version}_$arch.deb"
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$deb" >/dev/null
rm -rf "$pkg"
du -h "$deb" | sed 's/^/[deb] /'
