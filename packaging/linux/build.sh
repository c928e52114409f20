#!/usr/bin/env bash
# Builds the Linux packages from the one-folder build in dist/onrecord:
#   dist/onrecord-VERSION-linux-ARCH.tar.gz  (unpack, run ./install.sh: no root needed)
#   dist/onrecord_VERSION_ARCH.deb           (installs to /opt/onrecord, starts at every user's login)
# Runs PyInstaller first unless SKIP_PYINSTALLER=1 and the one-folder build already exists.
# DIST (default dist) and BUILD (default build) choose the output and scratch folders; GZIP_LEVEL
# (default 9) trades package size for build time.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/packaging/linux"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
cd "$ROOT"
DIST="$(realpath -m "${DIST:-dist}")"
BUILD="$(realpath -m "${BUILD:-build}")"

if [ "${SKIP_PYINSTALLER:-0}" != 1 ] || [ ! -x "$DIST/onrecord/onrecord" ]; then
  "$PY" -m PyInstaller packaging/onrecord.spec --noconfirm --distpath "$DIST" --workpath "$BUILD/pyinstaller"
fi
# The program browsers start for native messaging, beside the executable (host_program() looks there).
install -m 0755 "$HERE/onrecord-native-host" "$DIST/onrecord/onrecord-native-host"
VERSION="$("$DIST/onrecord/onrecord" --version | awk '{print $2}')"
ARCH="$(dpkg --print-architecture 2>/dev/null || uname -m)"
MACHINE="$(uname -m)"

# The tarball: the program folder, the menu entry and icon, and the scripts that put them in place.
NAME="onrecord-$VERSION-linux-$MACHINE"
STAGE="$BUILD/linux/$NAME"
rm -rf "$BUILD/linux" && mkdir -p "$STAGE/share/applications" "$STAGE/share/icons/hicolor/256x256/apps" "$STAGE/autostart"
cp -a "$DIST/onrecord" "$STAGE/onrecord"
cp "$HERE/onrecord.desktop" "$STAGE/share/applications/"
# For a system-wide install in /opt/onrecord (docs/it-guide.md); install.sh uses `onrecord autostart`.
sed "s|@BINDIR@|/opt/onrecord|g" "$HERE/onrecord-autostart.desktop" > "$STAGE/autostart/onrecord.desktop"
cp assets/icons/onrecord.png "$STAGE/share/icons/hicolor/256x256/apps/onrecord.png"
cp "$HERE/install.sh" "$HERE/uninstall.sh" "$STAGE/"
tar -C "$BUILD/linux" -cf - "$NAME" | gzip -n -"${GZIP_LEVEL:-9}" > "$DIST/$NAME.tar.gz"
echo "built $DIST/$NAME.tar.gz"

# The .deb: /opt/onrecord, a command on the PATH, the menu entry, and a system-wide autostart entry
# that each user can switch off with `onrecord autostart disable`.
DEB="$BUILD/deb/onrecord"
rm -rf "$BUILD/deb" && mkdir -p "$DEB/DEBIAN" "$DEB/opt" "$DEB/usr/bin" "$DEB/usr/share/applications" \
  "$DEB/usr/share/icons/hicolor/256x256/apps" "$DEB/etc/xdg/autostart" "$DEB/usr/share/doc/onrecord"
cp -a "$DIST/onrecord" "$DEB/opt/onrecord"
ln -s /opt/onrecord/onrecord "$DEB/usr/bin/onrecord"
sed "s|@BINDIR@|/opt/onrecord|g" "$HERE/onrecord.desktop" > "$DEB/usr/share/applications/onrecord.desktop"
sed "s|@BINDIR@|/opt/onrecord|g" "$HERE/onrecord-autostart.desktop" > "$DEB/etc/xdg/autostart/onrecord.desktop"
cp assets/icons/onrecord.png "$DEB/usr/share/icons/hicolor/256x256/apps/onrecord.png"
cp docs/it-guide.md "$DEB/usr/share/doc/onrecord/" 2>/dev/null || true
SIZE_KB="$(du -sk "$DEB" | cut -f1)"
sed -e "s|@VERSION@|$VERSION|" -e "s|@ARCH@|$ARCH|" "$HERE/control" > "$DEB/DEBIAN/control"
echo "Installed-Size: $SIZE_KB" >> "$DEB/DEBIAN/control"
install -m 0755 "$HERE/postinst" "$HERE/prerm" "$HERE/postrm" "$DEB/DEBIAN/"
dpkg-deb --root-owner-group -Zgzip -z"${GZIP_LEVEL:-9}" --build "$DEB" "$DIST/onrecord_${VERSION}_${ARCH}.deb" >/dev/null
echo "built $DIST/onrecord_${VERSION}_${ARCH}.deb"
