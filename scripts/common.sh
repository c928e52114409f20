# Shared by run.sh and test.sh: system packages, the virtual environment, npm packages.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
export DEBIAN_FRONTEND=noninteractive

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
  echo "OnRecord setup: need root to install: $*" >&2; return 1; fi; }

# (grep without -q: with pipefail, a grep that stops at the first match can fail the pipeline on SIGPIPE.)
apt_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep "ok installed" >/dev/null; }
apt_candidate() { apt-cache policy "$1" 2>/dev/null | grep '^  Candidate: [^(]' >/dev/null; }

# A line of a list may name alternatives, "new|old": a package Debian or Ubuntu renamed (Ubuntu 24.04's
# 64-bit time transition made libasound2 libasound2t64). The first one installed satisfies the line;
# otherwise the first one this system's apt can install is chosen.
apt_choose() {
  local alt
  IFS='|' read -r -a alts <<< "$1"
  for alt in "${alts[@]}"; do if apt_candidate "$alt"; then echo "$alt"; return; fi; done
  echo "${alts[0]}"  # none known: apt-get names it in its error
}

apt_lines() { grep -hv '^\s*#' "$@" | grep -v '^\s*$' | tr -d ' '; }

apt_plan() {  # apt_plan LIST_FILE...: for each line, "installed NAME" or "missing LINE"
  local lines line alt found installed
  mapfile -t lines < <(apt_lines "$@")
  # One dpkg-query for every name (not one per name): a second start of run.sh should take no time here.
  # (dpkg-query exits 1 when it knows one of the names not at all, as Debian 12 does libasound2t64.)
  installed=" $({ dpkg-query -W -f='${Package} ${Status}\n' $(printf '%s\n' "${lines[@]}" | tr '|' '\n') 2>/dev/null \
    || true; } | awk '/ ok installed$/ {print $1}' | tr '\n' ' ') "
  for line in "${lines[@]}"; do
    found=
    IFS='|' read -r -a alts <<< "$line"
    for alt in "${alts[@]}"; do case "$installed" in *" $alt "*) found="$alt"; break ;; esac; done
    if [ -n "$found" ]; then echo "installed $found"; else echo "missing $line"; fi
  done
}

install_apt() {  # install_apt LIST_FILE...: the packages of these lists that are not yet installed
  local missing=() chosen=() line
  mapfile -t missing < <(apt_plan "$@" | sed -n 's/^missing //p')
  if [ "${#missing[@]}" -gt 0 ]; then
    as_root apt-get update -qq
    for line in "${missing[@]}"; do chosen+=("$(apt_choose "$line")"); done
    echo "Installing system packages: ${chosen[*]}"
    as_root apt-get install -y -qq --no-install-recommends "${chosen[@]}" >/dev/null
  fi
}

# The package is installed editable, so a change to its code needs no reinstall: only a change to what
# it depends on (pyproject.toml) or to the extras asked for does. Skipping pip otherwise makes a second
# start take seconds, not half a minute, and work without the package registry.
install_python() {  # install_python EXTRAS (comma-separated)
  local stamp="$VENV/.onrecord-installed" deps had="" want extra missing=""
  deps="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
  # The stamp: the hash of pyproject.toml the install was made from, then the extras it has.
  if [ -x "$VENV/bin/onrecord" ] && [ -f "$stamp" ] && [ "$(head -n1 "$stamp")" = "$deps" ]; then
    had="$(sed -n 2p "$stamp")"
    for extra in ${1//,/ }; do case ",$had," in *",$extra,"*) ;; *) missing=1 ;; esac; done
    [ -n "$missing" ] || return 0
  fi
  want="$(printf '%s\n' ${had//,/ } ${1//,/ } | sort -u | paste -sd, -)"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -e "$ROOT[$want]"
  printf '%s\n%s\n' "$deps" "$want" > "$stamp"
}

# `onrecord` on the PATH, as the README uses it next: a link in ~/.local/bin, which Debian's and Ubuntu's
# ~/.profile put on the PATH at login once the folder exists.
link_command() {
  local bin="${XDG_BIN_HOME:-$HOME/.local/bin}"
  mkdir -p "$bin"
  ln -sfn "$VENV/bin/onrecord" "$bin/onrecord"
  case ":$PATH:" in
    *":$bin:"*) echo "The onrecord command is ready (a link in $bin)." ;;
    *) echo "The onrecord command is linked in $bin, which is not on your PATH in this shell yet: open a new" \
            "terminal, or run: export PATH=\"$bin:\$PATH\"" ;;
  esac
}

install_npm() {
  if [ -f "$ROOT/package.json" ]; then
    (cd "$ROOT" && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi)
  fi
}
