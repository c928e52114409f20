#!/usr/bin/env bash
# Sets up everything the tests need on a fresh Debian machine, then runs every test:
# the extension's unit tests (node --test), then the Python suite (pytest), which includes the
# browser tests in real Chromium and Firefox ESR (Firefox driven from node by tests/e2e/firefox/flow.mjs),
# the helper over real HTTP, the keyring tests on a real Secret Service, the settings window under Xvfb
# and the packaged binary.
source "$(dirname "$0")/common.sh"
cd "$ROOT"

install_apt scripts/apt-packages.txt
install_python "test,qt,package"
install_npm

status=0
if compgen -G "tests/extension/*.test.js" >/dev/null; then
  node --test tests/extension/ || status=$?
fi
# The keyring tests need a D-Bus session with an unlocked gnome-keyring; with-keyring.sh gives both.
bash scripts/with-keyring.sh "$VENV/bin/python" -m pytest "$@" || status=$?
exit $status
