# Sourced by start.sh and test.sh: make .venv (Python >= 3.11) and install a requirements file.
# Re-installs only when the requirements file changed since the last install.
REQ="$1"
PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
    for candidate in python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null && "$candidate" -c \
            'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
            PYTHON="$candidate"; break
        fi
    done
fi
if [ -z "$PYTHON" ]; then
    echo "error: Python 3.11 or newer is needed (pandas 3 requires it). Install it, or set" >&2
    echo "PYTHON=/path/to/python3.11 and run this again." >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    echo "Creating .venv with $PYTHON ..."
    "$PYTHON" -m venv .venv
fi
STAMP=".venv/.installed-$(basename "$REQ")"
if [ ! -f "$STAMP" ] || [ -n "$(find requirements*.txt -newer "$STAMP")" ]; then
    echo "Installing $REQ into .venv (first run takes a few minutes) ..."
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -r "$REQ"
    touch "$STAMP"
fi
