#!/bin/sh
# Removes what install.sh put in place. Your profile and audit record stay unless you add --purge.
set -eu
PREFIX="${PREFIX:-$HOME/.local}"
DATA="${XDG_DATA_HOME:-$PREFIX/share}"
APP="$PREFIX/lib/onrecord"
if [ -x "$APP/onrecord" ]; then
  "$APP/onrecord" autostart disable || true
  "$APP/onrecord" native-host uninstall || true
fi
if [ "${1:-}" = "--purge" ] && [ -x "$APP/onrecord" ]; then
  # The data folder is wherever this installation keeps it (ONRECORD_HOME or the XDG data folder).
  DATADIR="${ONRECORD_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/OnRecord}"
  rm -rf "$DATADIR"
fi
rm -rf "$APP" "$PREFIX/bin/onrecord" "$DATA/applications/onrecord.desktop" \
  "$DATA/icons/hicolor/256x256/apps/onrecord.png"
echo "OnRecord has been removed."
