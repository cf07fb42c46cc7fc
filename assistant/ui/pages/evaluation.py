"""Page: Evaluatie (latest evaluation run)."""

from pathlib import Path

from assistant.settings import ROOT
from assistant.ui.eval_page import render_eval_page

render_eval_page(Path(ROOT / "eval" / "runs"))
