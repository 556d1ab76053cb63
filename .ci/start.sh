#!/usr/bin/env bash
# Set everything up and start Mutolaa. Until the desktop window lands this shows the command
# line's help and, with --demo, imports two generated sample books and searches them.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${MUTOLAA_VENV:-.venv}"
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
