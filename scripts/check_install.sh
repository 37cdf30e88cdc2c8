#!/usr/bin/env bash
# Follows the README's quick start exactly, as a new user would: a fresh clone of this repository,
# Debian's own /usr/bin/python3 first on PATH, the README's install command verbatim (read from the
# README, so the two cannot drift apart), and its first `qimma forecast`, whose table must appear.
# Run by scripts/test.sh after pytest (a full install from the package index takes minutes: too
# slow for the test suite). The clone holds the committed HEAD: commit before judging a change.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=/usr/bin/python3
if [ ! -x "$PY" ]; then
  echo "check_install: no $PY on this machine, so the Debian quick start cannot be followed" >&2
  exit 1
fi
cmd=$(awk '/^## Quick start/{q=1} q && /^```bash/{getline; print; exit}' README.md)
case "$cmd" in
  *"python3 -m venv .venv"*"qimma forecast"*) ;;
  *) echo "check_install: README's quick start command not found (got: '$cmd')" >&2; exit 1 ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git clone -q "$ROOT" "$tmp/qimma"
cd "$tmp/qimma"
echo "check_install: in a fresh clone, with $("$PY" --version) as python3: $cmd"
start=$(date +%s)
# nothing of the caller's Python setup leaks in: only Debian's directories on PATH
env -u PYTHONPATH -u VIRTUAL_ENV -u PYTHONHOME PATH=/usr/bin:/bin \
  bash -euo pipefail -c "$cmd" >"$tmp/forecast.txt" 2>"$tmp/stderr.txt" || {
  echo "check_install: the README's command failed:" >&2
  tail -30 "$tmp/stderr.txt" >&2
  exit 1
}
elapsed=$(($(date +%s) - start))
[ "$(.venv/bin/python -c 'import sys; print(sys.base_prefix)')" = /usr ] || {
  echo "check_install: the virtual environment is not based on Debian's Python" >&2
  exit 1
}
for word in Ensemble TERR NEUTRAL compromise; do
  grep -q "$word" "$tmp/forecast.txt" || {
    echo "check_install: qimma forecast printed no '$word':" >&2
    cat "$tmp/forecast.txt" >&2
    exit 1
  }
done
echo "check_install: passed in ${elapsed} s (install and first forecast, Numba compile included)"
