#!/usr/bin/env bash
# The test command of the README: installs what the tests need, then runs every quality gate.
# Works with Debian 12's own /usr/bin/python3 (externally managed, PEP 668) and any Python >= 3.11:
# everything Python goes into the virtual environment .venv (the one the README's install command
# creates; set PYTHON to choose the interpreter that creates it). Fails (non-zero) on the first
# failing gate. Safe to run again: installs are skipped when present.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
VENV=.venv

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "qimma needs Python 3.11 or newer; '$PYTHON' is $("$PYTHON" --version 2>&1 || echo missing)." >&2
  echo "Install one, or run: PYTHON=/path/to/python3.11 bash scripts/test.sh" >&2
  exit 1
fi

# Debian packages the tests use: a browser for the web-app tests, fonts and poppler for the reports,
# PostgreSQL for the store tests on a real server; python3-venv where Debian's Python lacks venv.
DEB_PACKAGES="chromium fonts-noto-core fonts-hosny-amiri poppler-utils postgresql"
if [ ! -x "$VENV/bin/python" ] && ! "$PYTHON" -c 'import ensurepip' 2>/dev/null; then
  DEB_PACKAGES="$DEB_PACKAGES python3-venv"
fi
missing=""
if command -v dpkg >/dev/null; then
  for p in $DEB_PACKAGES; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
  done
fi
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "installing Debian packages:$missing"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "creating the virtual environment $VENV with $("$PYTHON" --version)"
  "$PYTHON" -m venv "$VENV"
fi
PY="$VENV/bin/python"
echo "installing qimma (editable) and the test extra into $VENV"
"$PY" -m pip install -q --disable-pip-version-check -e ".[test]"

echo "== ruff check"; "$PY" -m ruff check .
echo "== ruff format --check"; "$PY" -m ruff format --check .
echo "== mypy src/"; "$PY" -m mypy src/
echo "== pytest"
rc=0
"$PY" -m pytest -n 2 -q tests || rc=$?
if [ "$rc" = 5 ]; then
  echo "pytest collected no tests: that is a failure, not a pass" >&2
  exit 1
fi
[ "$rc" = 0 ] || exit "$rc"

echo "== the README's quick start in a fresh clone"; bash scripts/check_install.sh
