#!/usr/bin/env bash
# Set up (first run only) and run every test: package, data, notebooks, grading, browser.
#   bash test.sh            (extra arguments go to the first run: -x, -k maps, or test files)
# Browser tests need Debian's chromium (/usr/bin/chromium); without it they skip and say how to
# enable them, except under CI=true, where a missing browser is a failure.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/venv.sh requirements-dev.txt
PY=.venv/bin/python
status=0
echo "== 1/3 package, data, grading and browser tests"
has_path=0
for arg in "$@"; do [ -e "${arg%%::*}" ] && has_path=1; done
[ "$has_path" = 1 ] || set -- tests "$@"
$PY -m pytest "$@" || status=$?
echo "== 2/3 lessons and solutions, stored outputs compared (nbval strict)"
$PY -m pytest -p no:cacheprovider --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg \
    notebooks solutions || status=$?
echo "== 3/3 exercises run top to bottom unanswered (nbval lax)"
if compgen -G "exercises/*.ipynb" > /dev/null; then
    $PY -m pytest -p no:cacheprovider --nbval-lax exercises || status=$?
else
    echo "no exercise notebooks yet"
fi
exit $status
