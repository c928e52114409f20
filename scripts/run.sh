#!/usr/bin/env bash
# Sets up OnRecord on a fresh Debian or Ubuntu machine and starts it: the helper and its settings window.
# Arguments are passed to `onrecord run` (for example --no-window).
source "$(dirname "$0")/common.sh"
cd "$ROOT"
install_apt packaging/linux/apt-runtime.txt
install_python "qt"
exec "$VENV/bin/onrecord" run "$@"
