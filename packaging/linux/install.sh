#!/bin/sh
# Installs OnRecord for the current user from this unpacked tarball: no administrator rights needed.
#   ./install.sh            install into ~/.local and start OnRecord at login
#   ./install.sh --no-autostart
# PREFIX (default ~/.local) chooses where.
set -eu
HERE="$(cd "$(dirname "$0")" && pwd)"
PREFIX="${PREFIX:-$HOME/.local}"
DATA="${XDG_DATA_HOME:-$PREFIX/share}"
APP="$PREFIX/lib/onrecord"
BIN="$PREFIX/bin"

rm -rf "$APP.new"
mkdir -p "$APP.new" "$BIN" "$DATA/applications" "$DATA/icons/hicolor/256x256/apps"
cp -a "$HERE/onrecord/." "$APP.new/"
rm -rf "$APP" && mv "$APP.new" "$APP"   # an earlier version is replaced whole
ln -sf "$APP/onrecord" "$BIN/onrecord"
cp "$HERE/share/icons/hicolor/256x256/apps/onrecord.png" "$DATA/icons/hicolor/256x256/apps/onrecord.png"
sed "s|@BINDIR@|$APP|g" "$HERE/share/applications/onrecord.desktop" > "$DATA/applications/onrecord.desktop"

# The browsers this user has find OnRecord by native messaging (no pairing code).
"$APP/onrecord" native-host install

if [ "${1:-}" != "--no-autostart" ]; then
  "$APP/onrecord" autostart enable
fi
echo "OnRecord is installed in $APP. Open it from your applications menu, or run: $BIN/onrecord run"
