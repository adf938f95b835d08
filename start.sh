#!/usr/bin/env bash
# Set up (first run only) and open the module in JupyterLab on the start notebook.
#   bash start.sh
set -euo pipefail
cd "$(dirname "$0")"
source scripts/venv.sh requirements.txt
# Serve the whole project (the maps load their world outline from data/) and open the start
# notebook. (Passing the notebook as an argument instead would serve only notebooks/.)
exec .venv/bin/jupyter lab --ServerApp.root_dir="$PWD" \
    --LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb "$@"
