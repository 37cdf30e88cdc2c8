#!/usr/bin/env bash
# The test command of the README: installs what the tests need, then runs every quality gate.
# Fails (non-zero) on the first failing gate. Safe to run again: installs are skipped when present.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use: a browser for the web-app tests, fonts and poppler for the reports,
# PostgreSQL for the store tests on a real server.
DEB_PACKAGES="chromium fonts-noto-core fonts-hosny-amiri poppler-utils postgresql"
missing=""
for p in $DEB_PACKAGES; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "installing Debian packages:$missing"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

python3 -m pip install -q --disable-pip-version-check -e ".[test]"

echo "== ruff check"; python3 -m ruff check .
echo "== ruff format --check"; python3 -m ruff format --check .
echo "== mypy src/"; python3 -m mypy src/
echo "== pytest"; python3 -m pytest -n 2 -q tests
