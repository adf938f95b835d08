#!/usr/bin/env bash
# Set up (first run only) and open the module in JupyterLab on the start notebook.
#   bash start.sh
set -euo pipefail
cd "$(dirname "$0")"
source scripts/venv.sh requirements.txt
exec .venv/bin/jupyter lab notebooks/00_start_here.ipynb "$@"
