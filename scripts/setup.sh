#!/usr/bin/env bash
# Create .venv with Python 3.11, install requirements, prepare the embedding model.
# Usage: bash scripts/setup.sh [dev]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
"$PY" -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 nodig, gevonden: " + sys.version' 
[ -x .venv/bin/python ] || "$PY" -m venv .venv
. .venv/bin/activate
python -m pip install -q --upgrade pip
req=requirements.txt
[ "${1:-}" = "dev" ] && req=requirements-dev.txt
# Install torch first so nothing else can pull a CUDA build.
python -m pip install -q torch==2.13.0
python -m pip install -q -r "$req"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
python -m assistant prepare
