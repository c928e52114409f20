#!/usr/bin/env bash
# Sets up OnRecord on a Debian or Ubuntu machine and starts it: the helper and its settings window.
# The first run installs what is missing; later runs install nothing unless pyproject.toml changed, so
# they start in seconds and without the package registry. It also links the `onrecord` command into
# ~/.local/bin. It does not make OnRecord start at login: `onrecord autostart enable` does that.
# Arguments are passed to `onrecord run` (for example --no-window).
source "$(dirname "$0")/common.sh"
cd "$ROOT"
install_apt packaging/linux/apt-runtime.txt
install_python "qt"
link_command
exec "$VENV/bin/onrecord" run "$@"
