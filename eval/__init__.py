"""Evaluation harness: answer quality of the assistant as numbers.

`python -m eval run --questions eval/questions_dev.jsonl --out eval/runs/NAME` asks every
question through the assistant's Python API and writes per-question results, a summary
(JSON and Markdown) and plots; `python -m eval compare RUN_A RUN_B` shows what changed.
Metric definitions live in `eval.metrics`; the key-point measure in `eval.keypoints`.
"""
