"""End to end: `streamlit run app.py` in a subprocess, driven by Debian's headless Chromium.

Run: `python -m pytest -m e2e tests/e2e -v` (Chromium: `apt-get install -y chromium`).

The server gets a fresh temporary index folder, so its first page load prepares what is missing
and builds the index with the real e5 embedder (a few minutes on two cores); both tests share that
server. Environment knobs:
- ASSISTANT_EMBEDDER=fake: passed on to the app (index build in seconds instead of minutes);
- E2E_INDEX_DIR=<folder>: use (and keep) this index folder instead of a fresh one, e.g. `index`;
- E2E_SCREENSHOT=<path>: also save the chat screenshot there (docs/screenshot.png for the README).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.corpus.loaders import load_corpus
from assistant.settings import ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FIRST_LOAD_MS = 15 * 60 * 1000  # model preparation and index build on a busy machine
ANSWER_MS = 3 * 60 * 1000
QUESTION = "Welke bekostigingsmodellen passen bij domeinoverstijgende samenwerking?"

if not CHROMIUM.is_file():
    pytest.skip("Chromium ontbreekt (/usr/bin/chromium): installeer het met `apt-get install -y chromium`",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="het pakket playwright ontbreekt")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit stopte met code {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"streamlit werd niet gezond binnen {timeout:.0f} s:\n{log.read_text()[-3000:]}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)  # the server runs in its own process group
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bool]:
    """(index folder, whether it starts empty so the app must build it)."""
    chosen = os.environ.get("E2E_INDEX_DIR")
    if chosen:
        return (ROOT / chosen).resolve(), False
    return tmp_path_factory.mktemp("e2e-index"), True


@pytest.fixture(scope="module")
def server(index_dir: tuple[Path, bool], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log = tmp_path_factory.mktemp("e2e-log") / "streamlit.log"
    env = os.environ | {"ASSISTANT_INDEX_DIR": str(index_dir[0]), "HF_HUB_OFFLINE": "1",
                        "TRANSFORMERS_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1",
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    with log.open("w") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, log)
        yield url
    finally:
        _stop(proc)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1700}, accept_downloads=True)
    context.set_default_timeout(60_000)
    yield context.new_page()
    context.close()


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _corpus_texts() -> list[str]:
    return [_normalise(doc.text) for doc in load_corpus(ROOT / "corpus").documents.values()]


def _open_chat(page: Any, url: str, fresh_index: bool) -> Any:
    page.goto(url)
    if fresh_index:  # the first session shows the build's progress (still there when it is done)
        status = page.get_by_text(re.compile("Eerste start: de kennisbank|De kennisbank is klaar"))
        sync_api.expect(status.first).to_be_visible(timeout=FIRST_LOAD_MS)
    box = page.get_by_test_id("stChatInputTextArea")
    box.wait_for(timeout=FIRST_LOAD_MS)
    return box


def _save_screenshot(page: Any, tmp_path: Path) -> None:
    page.set_viewport_size({"width": 1400, "height": 2100})  # title, question, answer and open source
    page.wait_for_timeout(800)
    page.mouse.move(700, 800)
    page.mouse.wheel(0, -20000)  # the chat sticks to the bottom; a user scroll releases it
    page.wait_for_timeout(800)
    shot = tmp_path / "chat.png"
    page.screenshot(path=str(shot))
    target = os.environ.get("E2E_SCREENSHOT")
    if target:
        shutil.copyfile(shot, ROOT / target)


def test_chat_answer_has_sources_quoted_from_the_corpus(server: str, index_dir: tuple[Path, bool],
                                                        page: Any, tmp_path: Path) -> None:
    box = _open_chat(page, server, fresh_index=index_dir[1])
    box.fill(QUESTION)
    box.press("Enter")
    sync_api.expect(page.get_by_test_id("stChatMessage")).to_have_count(2, timeout=ANSWER_MS)
    expanders = page.get_by_test_id("stExpander")
    sync_api.expect(expanders.first).to_be_visible(timeout=ANSWER_MS)
    assert re.search(r"^\[1\] ", expanders.first.locator("summary").inner_text(), re.M)  # after the icon
    expanders.first.locator("summary").click()
    mark = expanders.first.locator("mark").first
    sync_api.expect(mark).to_be_visible()
    quote = _normalise(mark.inner_text())
    assert len(quote) > 20
    assert any(quote in text for text in _corpus_texts()), f"citaat niet in het corpus: {quote!r}"
    _save_screenshot(page, tmp_path)
    expanders.first.get_by_text("Open het volledige document").click()
    sync_api.expect(page.get_by_role("heading", name="Documenten")).to_be_visible()
    assert "doc=" in page.url
    sync_api.expect(page.get_by_text("Geciteerde passage")).to_be_visible()
    assert quote in _normalise(page.locator("mark").first.inner_text())


def _choose_radio(page: Any, label: str) -> None:
    page.get_by_test_id("stRadio").get_by_text(label, exact=True).click()


def _choose_options(page: Any, labels: list[str]) -> None:
    select = page.get_by_test_id("stMultiSelect")
    for label in labels:
        select.click()
        page.get_by_role("option", name=label).click()
    page.keyboard.press("Escape")


def _next(page: Any, name: str = "Volgende") -> None:
    page.get_by_role("button", name=name).click()


def test_funding_wizard_result_downloads_with_citations(server: str, page: Any) -> None:
    page.goto(f"{server}/bekostiging")
    sync_api.expect(page.get_by_text("Wat is uw rol?")).to_be_visible(timeout=FIRST_LOAD_MS)
    _choose_radio(page, "Gemeente")
    _next(page)
    sync_api.expect(page.get_by_text("Met welke wetten")).to_be_visible()
    _choose_options(page, ["Zorgverzekeringswet (Zvw)", "Wet maatschappelijke ondersteuning (Wmo)"])
    _next(page)
    sync_api.expect(page.get_by_text("Welke knelpunten")).to_be_visible()
    _choose_options(page, ["Geen structurele bekostiging voor preventie"])
    _next(page)
    sync_api.expect(page.get_by_text("In welke fase zit uw samenwerking?")).to_be_visible()
    _choose_radio(page, "Experiment en uitvoering (pilot)")
    _next(page, "Bekijk advies")
    sync_api.expect(page.get_by_role("heading", name=re.compile("Knelpunt: Geen structurele"))).to_be_visible()
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("button", name="Download Markdown").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".md")
    content = Path(download.path()).read_text(encoding="utf-8")
    assert content.startswith("# Bekostigingswizard")
    assert "## Bronnen" in content
    markers = set(re.findall(r"\[(\d+)\]", content))
    sources = set(re.findall(r"^(\d+)\. .+“.+”", content, re.M))
    assert markers and markers <= sources, "elke [n] in de tekst heeft een bron met citaat"
