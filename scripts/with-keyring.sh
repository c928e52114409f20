#!/usr/bin/env bash
# Runs a command inside its own D-Bus session with gnome-keyring running and its login collection
# unlocked, so `keyring` finds a real Secret Service backend (never a plaintext fallback). Used by the
# tests and on headless machines. The keyring lives in a throw-away folder removed when the command ends.
set -euo pipefail
if [ "$#" -eq 0 ]; then
  echo "usage: bash scripts/with-keyring.sh COMMAND [ARGS...]" >&2
  exit 2
fi
if [ -z "${ONRECORD_IN_KEYRING_SESSION:-}" ]; then
  for tool in dbus-run-session gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null; then
      echo "with-keyring.sh: $tool is missing: install the Debian packages dbus and gnome-keyring" \
           "(they are listed in scripts/apt-packages.txt)" >&2
      exit 2
    fi
  done
  export ONRECORD_IN_KEYRING_SESSION=1
  exec dbus-run-session -- bash "$0" "$@"
fi

KEYRING_HOME="$(mktemp -d)"
trap 'rm -rf "$KEYRING_HOME"' EXIT
export XDG_DATA_HOME="$KEYRING_HOME/data"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$KEYRING_HOME/run}"
mkdir -p -m 700 "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
# gnome-keyring creates the login collection, unlocked, from the password on standard input. An empty
# password does not work: the daemon then asks a graphical prompter, which cannot run headless. The
# password is random because the collection is thrown away with this session.
password="$(head -c 18 /dev/urandom | base64)"
eval "$(printf '%s' "$password" | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
export GNOME_KEYRING_CONTROL
unset password
# The command runs as a child (not exec) so the trap removes the keyring folder afterwards.
status=0
"$@" || status=$?
exit $status
