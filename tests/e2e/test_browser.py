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
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FIRST_LOAD_MS = 15 * 60 * 1000  # model preparation and index build on a busy machine
ANSWER_MS = 3 * 60 * 1000
QUESTION = "Welke bekostigingsmodellen passen bij domeinoverstijgende samenwerking?"

if not CHROMIUM.is_file():
    pytest.skip(
        "Chromium ontbreekt (/usr/bin/chromium): installeer het met `apt-get install -y chromium`",
        allow_module_level=True,
    )
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


class Server:
    """`streamlit run app.py` in its own process group; `restart()` stops it and starts a new one
    on the same index and app data (as an operator restarting the service would)."""

    def __init__(self, index_dir: Path, data_dir: Path, log: Path) -> None:
        self.env = os.environ | {
            "ASSISTANT_INDEX_DIR": str(index_dir),
            "ASSISTANT_DATA_DIR": str(data_dir),
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "PYTHONPATH": str(ROOT),
        }
        self.log = log
        self.url = ""
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        port = _free_port()
        command = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ]
        with self.log.open("a") as out:
            self.proc = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.url = f"http://127.0.0.1:{port}"
        _wait_healthy(self.url, self.proc, self.log)

    def stop(self) -> None:
        if self.proc is not None:
            _stop(self.proc)

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture(scope="module")
def server(index_dir: tuple[Path, bool], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("e2e-log") / "streamlit.log"
    running = Server(index_dir[0], tmp_path_factory.mktemp("e2e-data"), log)
    try:
        running.start()
        yield running
    finally:
        running.stop()


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
    """The chat with the reader pane open beside it (docs/screenshot.png when E2E_SCREENSHOT is set)."""
    page.wait_for_timeout(800)
    shot = tmp_path / "chat.png"
    page.screenshot(path=str(shot))
    target = os.environ.get("E2E_SCREENSHOT")
    if target:
        shutil.copyfile(shot, ROOT / target)


def _exported_quotes(page: Any, answer: Any) -> dict[int, str]:
    """The quote of each citation, from the answer's "Kopiëren" Markdown ([n] label: “quote”)."""
    answer.get_by_role("button", name=re.compile("Kopiëren")).click()
    code = page.get_by_test_id("stCode").last
    sync_api.expect(code).to_be_visible()
    markdown = code.inner_text()
    page.keyboard.press("Escape")
    sync_api.expect(code).to_be_hidden()
    return {int(n): _normalise(q) for n, q in re.findall(r"^\[(\d+)\] .*?: “(.+)”\s*$", markdown, re.M)}


def _reader_quote(dialog: Any) -> str:
    mark = dialog.locator("mark").first
    sync_api.expect(mark).to_be_visible()
    return _normalise(mark.inner_text())


def test_a_chip_opens_the_reader_at_the_quote_and_steps_to_the_next(
    server: Server, index_dir: tuple[Path, bool], page: Any, tmp_path: Path
) -> None:
    box = _open_chat(page, server.url, fresh_index=index_dir[1])
    box.fill(QUESTION)
    box.press("Enter")
    sync_api.expect(page.get_by_test_id("stChatMessage")).to_have_count(2, timeout=ANSWER_MS)
    answer = page.get_by_test_id("stChatMessage").nth(1)
    sources = answer.get_by_test_id("stExpander")
    sync_api.expect(sources).to_have_count(1, timeout=ANSWER_MS)  # one collapsed list, not one per source
    summary = sources.locator("summary").inner_text().split("\n")[-1]
    assert re.fullmatch(
        r"Bronnen · \d+ (citaat|citaten)( \(\d+ verschillende\))? uit \d+ (document|documenten)", summary
    ), summary
    quotes = _exported_quotes(page, answer)
    assert len(quotes) >= 2, quotes
    chips = answer.locator('[class*="st-key-cite_"]:not([class*="st-key-cite_src_"]) button')
    assert chips.count() >= 2
    first = chips.first
    n = int(first.inner_text().split(",")[0])
    first.click()  # one click from a claim to its source
    dialog = page.get_by_role("dialog")
    sync_api.expect(dialog).to_be_visible()
    quote = _reader_quote(dialog)
    assert quote == quotes[n], (quote, quotes[n])
    assert any(quote in text for text in _corpus_texts()), f"citaat niet in het corpus: {quote!r}"
    numbers = sorted(quotes)
    sync_api.expect(dialog.get_by_text(f"Citaat {numbers.index(n) + 1} van {len(numbers)}")).to_be_visible()
    _save_screenshot(page, tmp_path)
    dialog.get_by_role("button", name="Volgende").click()
    following = numbers[numbers.index(n) + 1]
    sync_api.expect(dialog.get_by_text(f"Citaat {numbers.index(following) + 1} van {len(numbers)}")).to_be_visible()
    sync_api.expect(dialog.locator("mark").first).to_have_text(re.compile(re.escape(quotes[following][:40])))
    assert _reader_quote(dialog) == quotes[following]
    dialog.get_by_text("Open het volledige document").click()
    sync_api.expect(page.get_by_role("heading", name="Documenten")).to_be_visible()
    assert "doc=" in page.url
    sync_api.expect(page.get_by_text("Geciteerde passage")).to_be_visible()
    assert quotes[following] in _normalise(page.locator("mark").first.inner_text())


def test_the_phase_answer_fits_one_screen_and_the_reader_fits_a_phone(server: Server, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(60_000)
    page = context.new_page()
    try:
        box = _open_chat(page, server.url, fresh_index=False)
        box.fill("We zitten in de experimentfase, wat moeten we nu regelen?")
        box.press("Enter")
        answer = page.get_by_test_id("stChatMessage").nth(1)
        sync_api.expect(answer.get_by_test_id("stExpander")).to_have_count(1, timeout=ANSWER_MS)
        sync_api.expect(answer.get_by_role("tab")).to_have_count(4)  # now / watch / tools / next phase
        page.wait_for_timeout(800)
        composer = page.get_by_test_id("stChatInput").bounding_box()
        height = answer.bounding_box()["height"]
        assert height <= composer["y"], f"het antwoord ({height:.0f} px) past niet boven de invoer"
        answer.get_by_role("tab", name=re.compile("Instrumenten")).click()
        chip = answer.get_by_role("tabpanel").locator('[class*="st-key-cite_"] button >> visible=true').first
        sync_api.expect(chip).to_be_visible()
        page.set_viewport_size({"width": 390, "height": 844})  # a phone
        chip.click()
        dialog = page.get_by_role("dialog")
        sync_api.expect(dialog.locator("mark").first).to_be_visible()
        assert dialog.bounding_box()["width"] <= 390
    finally:
        context.close()


def test_feedback_on_an_answer_survives_a_restart(server: Server, index_dir: tuple[Path, bool], page: Any) -> None:
    from assistant.appdata import feedback

    box = _open_chat(page, server.url, fresh_index=False)
    box.fill("Wie houdt toezicht op een regionaal samenwerkingsverband?")
    box.press("Enter")
    answer = page.get_by_test_id("stChatMessage").nth(1)
    thumbs = answer.get_by_test_id("stFeedback").locator("button")
    sync_api.expect(thumbs).to_have_count(2, timeout=ANSWER_MS)
    thumbs.first.click()  # thumbs up
    reason = answer.get_by_label("Wat was goed? (optioneel)")
    reason.fill("Bron past bij de vraag")
    answer.get_by_role("button", name="Reden opslaan").click()
    sync_api.expect(answer.get_by_text("Bedankt, uw reden is opgeslagen.")).to_be_visible()
    server.restart()
    page.goto(f"{server.url}/evaluatie")
    sync_api.expect(page.get_by_role("heading", name="Beoordelingen in de chat")).to_be_visible(timeout=ANSWER_MS)
    sync_api.expect(page.get_by_text("Nog geen beoordelingen")).to_have_count(0)
    sync_api.expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    db = Path(server.env["ASSISTANT_DATA_DIR"]) / "app.sqlite3"
    counts = feedback.counts_per_kind(db)
    assert sum(c.up for c in counts) == 1 and sum(c.with_reason for c in counts) == 1


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


def test_funding_wizard_result_downloads_with_citations(server: Server, page: Any) -> None:
    page.goto(f"{server.url}/bekostiging")
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


def _keep(page: Any, tmp_path: Path, name: str, full_page: bool = True) -> None:
    """Save a screenshot (or an image already in tmp_path) to docs/ when E2E_DOCS_SHOTS is set."""
    if page is not None:
        page.wait_for_timeout(800)
        page.screenshot(path=str(tmp_path / name), full_page=full_page)
    if os.environ.get("E2E_DOCS_SHOTS"):
        shutil.copyfile(tmp_path / name, ROOT / "docs" / name)


def _teamscan_answer(browser: Any, url: str, code: str, name: str, high: set[str], link: str = "") -> None:
    """One member, in a browser session of their own, scores every statement (4 for `high`, else 1).

    With `link` the member opens the shared link, which lands on "Invullen" with the code filled in;
    otherwise they open the page and type the code.
    """
    from assistant.teamscan.model import load_spec

    context = browser.new_context(viewport={"width": 1400, "height": 1700})
    context.set_default_timeout(60_000)
    member = context.new_page()
    if link:
        member.goto(link)
        sync_api.expect(member.get_by_text(re.compile("U vult de teamscan"))).to_be_visible(timeout=FIRST_LOAD_MS)
        filled = member.get_by_role("tabpanel", name="Invullen").get_by_label("Code van de teamscan")
        sync_api.expect(filled).to_have_value(code)
    else:
        member.goto(f"{url}/teamscan")
        member.get_by_role("tab", name="Invullen").click()
        member.get_by_label("Code van de teamscan").first.fill(code)
    member.get_by_label("Uw naam").fill(name)
    for dimension in load_spec().dimensions:
        for statement in dimension.statements:
            group = member.get_by_test_id("stRadio").filter(has_text=statement.text)
            group.get_by_text("4" if dimension.id in high else "1", exact=True).click()
    member.get_by_role("button", name="Verstuur mijn antwoorden").click()
    sync_api.expect(member.get_by_text("uw antwoorden zijn opgeslagen")).to_be_visible()
    context.close()


def test_teamscan_with_two_members_shows_chart_plan_and_a_pdf_with_the_chart(
    server: Server, browser: Any, page: Any, tmp_path: Path
) -> None:
    import pypdfium2

    page.goto(f"{server.url}/teamscan")
    sync_api.expect(page.get_by_role("heading", name="Teamscan")).to_be_visible(timeout=FIRST_LOAD_MS)
    page.get_by_label("Naam van het netwerk of de scan").fill("Netwerk Oost")
    page.get_by_role("button", name="Maak teamscan").click()
    created = page.get_by_text(re.compile("Deel deze code met de leden"))
    sync_api.expect(created).to_be_visible()
    found = re.search(r"leden: ([A-Z0-9]{6})", created.inner_text())
    assert found, created.inner_text()
    code = found.group(1)
    link = page.get_by_test_id("stCode").filter(has_text="code=").inner_text().strip()
    assert link == f"{server.url}/teamscan?code={code}", link
    _teamscan_answer(browser, server.url, code, "Anna", high={"visie", "samenwerking", "leiderschap"}, link=link)
    _teamscan_answer(browser, server.url, code, "Bart", high={"visie", "governance", "data", "bekostiging"})
    page.get_by_role("tab", name="Resultaat").click()
    page.get_by_label("Code van de teamscan").last.fill(code)
    page.keyboard.press("Enter")
    sync_api.expect(page.get_by_text("2 respondent(en)")).to_be_visible()
    sync_api.expect(page.get_by_test_id("stImage").locator("img")).to_be_visible()
    sync_api.expect(page.get_by_text(re.compile("Bespreek in een consensussessie"))).to_be_visible()
    sync_api.expect(page.get_by_role("heading", name=re.compile("Actieplan"))).to_be_visible()
    _keep(page, tmp_path, "teamscan.png")
    page.get_by_role("heading", name=re.compile("Actieplan")).evaluate("e => e.scrollIntoView()")
    _keep(page, tmp_path, "teamscan-plan.png", full_page=False)
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("button", name="Download als PDF").click()
    pdf = pypdfium2.PdfDocument(download_info.value.path())
    assert len(pdf) >= 2
    first = pdf[0].render(scale=1).to_pil().convert("RGB")
    first.save(tmp_path / "teamscan-pdf.png")
    _keep(None, tmp_path, "teamscan-pdf.png")
    blue = sum(1 for r, g, b in first.getdata() if b > 150 and r < 120 and g < 150)  # the radar's median line
    assert blue > 500, "the radar chart is drawn on the first page"
    assert "Actieplan" in pdf[1].get_textpage().get_text_range()
