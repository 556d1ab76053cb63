#!/usr/bin/env bash
# Set everything up and start Mutolaa: the window, or the command given (`start.sh list`);
# with --demo, import two generated sample books into a temporary library and search them.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${MUTOLAA_VENV:-.venv}"
# what Qt's window (xcb) needs on Debian/Ubuntu; installed when root, else named
WINDOW_LIBS="libegl1 libgl1 libfontconfig1 libfreetype6 libxkbcommon0 libdbus-1-3 libglib2.0-0
  libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-glx0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-shm0
  libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0"
missing=()
if command -v dpkg-query >/dev/null; then
  for pkg in $WINDOW_LIBS; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq >/dev/null || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "the window needs: sudo apt-get install ${missing[*]}" >&2
  fi
fi
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV" 2>/dev/null || {
    rm -rf "$VENV"
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq >/dev/null || true
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    fi
    python3 -m venv "$VENV"
  }
fi
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q -c .ci/constraints.txt -e .
if [ "${1:-}" = "--demo" ]; then
  demo="$(mktemp -d)"
  "$VENV/bin/python" - "$demo" <<'PY'
import sys
from pathlib import Path
import pymupdf
folder = Path(sys.argv[1])
texts = {
    "darslik.pdf": ("Oʻzbek tili", "Kutubxona — bilim manbai. Talabalar oʻquv zalida kitoblarni oʻqiydilar."),
    "uchebnik.pdf": ("Русский язык", "Библиотека университета. Студенты читают книги в библиотеке."),
}
for name, (title, text) in texts.items():
    doc = pymupdf.open()
    for n in range(3):
        page = doc.new_page()
        page.insert_htmlbox(page.rect + (60, 60, -60, -60), f"<p>{text} ({n + 1})</p>")
    doc.set_metadata({"title": title})
    doc.save(folder / name)
PY
  export MUTOLAA_HOME="$demo/library"
  echo "== mutolaa import $demo"; "$VENV/bin/mutolaa" import "$demo"
  echo "== mutolaa search кутубхона"; "$VENV/bin/mutolaa" search кутубхона
  echo "== mutolaa search \"o'quv\""; "$VENV/bin/mutolaa" search "o'quv"
  echo "== mutolaa search библиотеки"; "$VENV/bin/mutolaa" search библиотеки
  echo "(demo library in $MUTOLAA_HOME)"
else
  exec "$VENV/bin/mutolaa" "$@"
fi
