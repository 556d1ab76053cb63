#!/usr/bin/env bash
# Set everything up and run the benchmarks (T1-T7); writes docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${MUTOLAA_VENV:-.venv}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install -q -c .ci/constraints.txt -e ".[test]"
exec "$VENV/bin/python" -m tests.benchmarks.run "$@"
