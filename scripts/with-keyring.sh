#!/usr/bin/env bash
# Runs a command inside its own D-Bus session with gnome-keyring running and its login collection
# unlocked, so `keyring` finds a real Secret Service backend (never a plaintext fallback). Used by the
# tests and on headless machines. The keyring lives in a throw-away folder removed when the command ends,
# and the daemon started here is stopped then too.
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
export XDG_DATA_HOME="$KEYRING_HOME/data"
mkdir -p -m 700 "$XDG_DATA_HOME"
# gnome-keyring creates the login collection, unlocked, from the password on standard input. An empty
# password does not work: the daemon then asks a graphical prompter, which cannot run headless. The
# password is random because the collection is thrown away with this session.
password="$(head -c 18 /dev/urandom | base64)"

start_daemon() {  # start_daemon [--replace]: in the foreground of a background job, so its pid is ours
  : >"$KEYRING_HOME/env"
  gnome-keyring-daemon --foreground "$@" --unlock --components=secrets <<<"$password" \
    >"$KEYRING_HOME/env" 2>>"$KEYRING_HOME/daemon.log" &
  echo "$!" >"$KEYRING_HOME/pid"
  for _ in $(seq 1 200); do
    grep -q '^GNOME_KEYRING_CONTROL=' "$KEYRING_HOME/env" 2>/dev/null && return 0
    sleep 0.05
  done
  echo "with-keyring.sh: gnome-keyring-daemon did not start: $(tail -n 3 "$KEYRING_HOME/daemon.log")" >&2
  return 1
}

stop_all() {
  set +e  # clean up as much as there is, whatever has already gone
  local pid=""
  [ -n "${watchdog:-}" ] && kill "$watchdog" 2>/dev/null
  read -r pid <"$KEYRING_HOME/pid" 2>/dev/null
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  rm -rf "$KEYRING_HOME"
}
trap 'stop_all 2>/dev/null' EXIT

start_daemon
export "$(grep '^GNOME_KEYRING_CONTROL=' "$KEYRING_HOME/env")"

# Should the daemon stop in the middle of a long run, D-Bus would start a new one whose collection is
# locked, and every keyring call after it would fail. The watchdog starts it again (replacing any such
# one) with the same password, which unlocks the same collection, items and all.
(
  while sleep 1; do
    if ! kill -0 "$(cat "$KEYRING_HOME/pid" 2>/dev/null)" 2>/dev/null; then
      echo "with-keyring.sh: gnome-keyring-daemon stopped; starting it again" >&2
      start_daemon --replace || exit 1
    fi
  done
) &
watchdog=$!

# The command runs as a child (not exec) so the trap cleans up afterwards.
status=0
"$@" || status=$?
exit $status
