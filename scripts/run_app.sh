#!/usr/bin/env bash
# Everything for the app on a fresh machine: venv, install, model, index, launch.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. .venv/bin/activate
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
python -m assistant index --if-stale
exec streamlit run app.py "$@"
