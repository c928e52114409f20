#!/usr/bin/env bash
# Runs a command inside its own D-Bus session with gnome-keyring unlocked, so `keyring` finds a real
# Secret Service backend (no plaintext fallback). Used by the tests and on headless machines.
set -euo pipefail
if [ -z "${ONRECORD_IN_KEYRING_SESSION:-}" ]; then
  export ONRECORD_IN_KEYRING_SESSION=1
  exec dbus-run-session -- "$0" "$@"
fi
export XDG_DATA_HOME="${XDG_DATA_HOME:-$(mktemp -d)}"
# An empty password unlocks (and if need be creates) the login keyring for this session.
eval "$(printf '' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)" || true
eval "$(gnome-keyring-daemon --start --components=secrets 2>/dev/null)" || true
export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true
exec "$@"
