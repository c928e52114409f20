# Shared by run.sh and test.sh: system packages, the virtual environment, npm packages.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
export DEBIAN_FRONTEND=noninteractive

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
  echo "OnRecord setup: need root to install: $*" >&2; return 1; fi; }

install_apt() {  # install_apt LIST_FILE...: the packages of these lists that are not yet installed
  local wanted=() missing=()
  for f in "$@"; do mapfile -t -O "${#wanted[@]}" wanted < <(grep -v '^\s*#' "$f" | grep -v '^\s*$'); done
  for p in "${wanted[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "Installing system packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

install_python() {  # install_python EXTRAS
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -e "$ROOT[$1]"
}

install_npm() {
  if [ -f "$ROOT/package.json" ]; then
    (cd "$ROOT" && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi)
  fi
}
