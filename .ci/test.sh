#!/usr/bin/env bash
# Set everything up and run the whole test suite: venv, project with test extras, the system
# libraries Qt needs offscreen (when root on Debian/Ubuntu), ruff, mypy, import contracts, pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${MUTOLAA_VENV:-.venv}"
QT_LIBS="libegl1 libgl1 libfontconfig1 libfreetype6 libxkbcommon0 libdbus-1-3 libglib2.0-0 libx11-6"
# The end-to-end test (tests/e2e) runs the real window on its own Xvfb, types with xdotool and
# takes screenshots with ImageMagick; Qt's xcb platform plugin needs these libraries.
X_PKGS="xvfb xauth imagemagick xdotool fonts-dejavu-core libx11-xcb1 libxcb1 libxcb-cursor0
  libxcb-glx0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
  libxcb-render0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1
  libxkbcommon-x11-0"

apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "== installing system packages: $*"
    apt-get update -qq >/dev/null || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "missing system packages: $* (install them with: sudo apt-get install $*)" >&2
  fi
}

missing=()
if command -v dpkg-query >/dev/null; then
  for pkg in $QT_LIBS $X_PKGS; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
fi
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

if [ ! -x "$VENV/bin/python" ]; then
  echo "== creating the virtual environment $VENV"
  python3 -m venv "$VENV" 2>/dev/null || { rm -rf "$VENV"; apt_install python3-venv; python3 -m venv "$VENV"; }
fi
echo "== installing Mutolaa with its test extras"
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q -c .ci/constraints.txt -e ".[test]"

export QT_QPA_PLATFORM=offscreen
echo "== ruff";        "$VENV/bin/ruff" check . && "$VENV/bin/ruff" format --check .
echo "== mypy";        "$VENV/bin/mypy"
echo "== contracts";   "$VENV/bin/lint-imports"
echo "== pytest";      "$VENV/bin/pytest" "$@"
