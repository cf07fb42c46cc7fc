.PHONY: setup run index test test-fast lint format eval bench clean
setup:      ; bash scripts/setup.sh dev
run:        ; bash scripts/run_app.sh
index:      ; .venv/bin/python -m assistant index
test:       ; bash scripts/test.sh
test-fast:  ; .venv/bin/python -m pytest -q -m "not slow"
lint:       ; .venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy assistant eval
format:     ; .venv/bin/ruff format . && .venv/bin/ruff check --fix .
eval:       ; .venv/bin/python -m eval run --questions eval/questions_dev.jsonl --out eval/runs/latest-extractive
bench:      ; .venv/bin/python bench/bench.py
clean:      ; rm -rf index/builds index/ACTIVE
