"""Every page with ?lang=ar and every cheap command with --lang ar speaks Arabic: the visible text
holds no English word except model names, codes (ids of the scenario, file formats) and text the
page marks as English on purpose (lang="en": an English name field, a stored translation)."""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

import qimma
from qimma.backtest.harness import BASELINES
from qimma.cli.main import run
from qimma.models.registry import model_names
from qimma.scenario.formats import load_scenario
from qimma.web.app import create_app
from tests.web_server import local_client

DEFAULT = Path(qimma.__file__).parent / "data" / "scenarios" / "default.yaml"
CODES = {
    *model_names(),
    *[
        "ICD",
        "DEU",
        "III",
        "JSON",
        "PDF",
        "HTML",
        "YAML",
        "CSV",
        "KTAB",
        "XML",
        "Decide",
        "SMP",
        "qimma",
        "English",
        "txt",
        "md",
        "html",
        "pdf",
        "Arregui",  # authors of the cited DEU III data set
        "Perarnaud",
        "ar",  # language codes
        "en",
    ],
}


def _scenario_codes(path: Path | None = None) -> set[str]:
    sc = load_scenario(path, runnable=False)
    ids = [a.id for a in sc.actors] + [i.id for i in sc.issues] + [lv.id for lv in sc.levers]
    ids += [o.id for o in sc.outcomes] + [s.id for s in sc.sources] + [e.id for e in sc.evidence]
    ids += [e.id for e in sc.editions] + [j.id for j in sc.judgements]
    ids.append(sc.id)
    people = " ".join(f"{s.author} {s.venue}" for s in sc.sources)
    return {w for x in [*ids, people] for w in re.findall(r"[A-Za-z]+", x)}


class _Visible(HTMLParser):
    """Visible text outside <script>, <style> and elements marked lang="en"."""

    SKIP = frozenset({"script", "style"})
    VOID = frozenset({"br", "img", "input", "meta", "link", "hr", "source", "col", "wbr"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        hidden = tag in self.SKIP or dict(attrs).get("lang") == "en"
        self.stack.append(hidden or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def english_words(text: str, html: bool, also: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    if html:
        p = _Visible()
        p.feed(text)
        text = " ".join(p.parts)
    allowed = CODES | _scenario_codes() | also
    text = re.sub(r"\S*[/\\]\S*|--?[\w-]+", " ", text)  # paths, options (codes, not words)
    words = re.findall(r"[A-Za-z][A-Za-z'’]+", text)
    return sorted({w for w in words if w not in allowed and not w.isupper()})


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    path = tmp_path_factory.mktemp("web") / "web.sqlite3"
    with local_client(create_app(f"sqlite:///{path}")) as c:
        yield c


def _no_english(html: str) -> None:
    """Fails naming each English word with the text around it."""
    p = _Visible()
    p.feed(html)
    text = " ".join(" ".join(p.parts).split())
    found = english_words(html, html=True)
    where = [m[0] for w in found if (m := re.search(rf".{{0,50}}\b{w}\b.{{0,30}}", text))]
    assert not found, "\n".join([" ".join(found), *where])


def _ar(page: str) -> str:
    return page + ("&" if "?" in page else "?") + "lang=ar"


@pytest.mark.parametrize(
    "page",
    [
        "/scenarios",
        "/scenarios/1",
        "/scenarios/1/whatif",
        "/scenarios/1/editions",
        "/evidence",
        "/evidence?q=%D8%A3%D9%84%D8%A7%D8%B3%D9%83%D8%A7",
        "/login",
        "/scenarios/1/stance/RUS/TERR",
        "/scenarios/1/evidence/RUS/TERR",
        "/scenarios/1/cell/RUS/TERR",
    ],
)
def test_web_page_in_arabic_has_no_english_words(client, page):
    r = client.get(_ar(page))
    assert r.status_code == 200
    _no_english(r.text)


def _wait(client, page: str, done: str = 'data-status="done"') -> str:
    for _ in range(480):
        html = client.get(_ar(page)).text
        if done in html or 'data-status="failed"' in html:
            return html
        time.sleep(0.25)
    raise AssertionError(f"{page} did not finish")


def test_run_pages_in_arabic_have_no_english_words(client):
    """A finished run with a small Monte Carlo (its report, charts and outcome tables), its
    status fragment, and a failed run (the failure is said in Arabic; the technical detail
    is marked English)."""
    from tests.web_server import csrf_token

    r = client.post(
        "/scenarios/1/runs?lang=ar",
        data={"csrf_token": csrf_token(client), "models": ["compromise", "median"], "draws": "20"},
        follow_redirects=False,
    )
    run = r.headers["location"]
    assert 'data-status="done"' in _wait(client, run + "/status")
    for page in (run, run + "/status"):
        _no_english(client.get(_ar(page)).text)
    repo = client.app.state.repo
    failed = repo.add_run(1, {"models": ["median"], "draws": 1, "seed": 0})
    repo.finish_run(failed, error="ValueError: zero-size array to reduction operation")
    html = client.get(_ar(f"/runs/{failed}")).text
    assert 'data-status="failed"' in html
    _no_english(html)


def test_backtest_page_in_arabic_has_no_english_words(client):
    client.get(_ar("/backtest"))
    html = _wait(client, "/backtest/status")
    assert 'data-status="done"' in html
    _no_english(html)
    _no_english(client.get(_ar("/backtest")).text)


@pytest.mark.parametrize("page", ["/scenarios/999", "/no/such/page", "/runs/999"])
def test_error_pages_in_arabic_have_no_english_words(client, page):
    r = client.get(_ar(page))
    assert r.status_code == 404
    assert "<html" in r.text  # a page, not raw JSON
    assert english_words(r.text, html=True) == []


def test_web_stance_error_in_arabic(client):
    from tests.web_server import csrf_token

    r = client.post(
        "/scenarios/1/stance/RUS/TERR?lang=ar",
        data={
            "csrf_token": csrf_token(client),
            "position": "150",
            "position_low": "85",
            "position_high": "100",
            "salience": "50",
            "capability": "50",
            "basis": "explicit",
        },
    )
    assert r.status_code == 422
    assert english_words(r.text, html=True) == []


FIXTURES = Path(__file__).parent / "fixtures"
DOC2 = Path(qimma.__file__).parent / "data" / "corpus" / "001_2de7d1e86f968ab5.txt"
SMALL = FIXTURES / "analysis" / "small.yaml"
CSV = FIXTURES / "inputs" / "ExampleActors.csv"
FAST = ["--model", "compromise,median"]  # the walk checks words, not models: two quick ones
# authors of a cited data set (the backtest's header), not English words
CITATION = {"Arregui", "Perarnaud", "doi"}
# model codes of the backtest, in the words the check sees ("reference_point")
BACKTEST_MODELS = {w for m in ("ensemble", *BASELINES) for w in re.findall("[A-Za-z]+", m)}

# Every command and subcommand, as a user would run it, small enough to run in seconds. `{tmp}`
# is the walk's own folder (a copy of the seeded corpus store is $QIMMA_STORE there).
WALK = [
    ["show", str(DEFAULT)],
    ["show", str(CSV)],
    ["show", str(SMALL)],
    ["validate", str(DEFAULT)],
    ["validate", str(CSV)],
    ["validate", str(DEFAULT), "--evidence"],
    ["convert", str(CSV), "{tmp}/converted.yaml", "--force"],
    ["forecast"],
    ["forecast", str(SMALL)],
    ["forecast", "--draws", "40", *FAST],
    ["forecast", "--draws", "40", *FAST, "--out", "{tmp}/mc", "--force"],
    ["whatif", "us_aid_cut", "--draws", "40", *FAST],
    ["sensitivity", "--method", "morris", "--n", "2", "--draws", "40", *FAST],
    ["editions", "--draws", "40"],
    ["report", "--no-pdf", "--draws", "40", "--sensitivity", "2", *FAST, "--out", "{tmp}/r",
     "--force"],
    ["backtest", "deu3", "--limit", "6", "--bootstrap", "10", "--models", "compromise,median"],
    ["log", "add", "-m", "ensemble", "-o", "هدنة=0.35", "-o", "لا هدنة=0.65"],
    ["log", "add", "-m", "compromise", "--issue", "TERR", "--value", "42"],
    ["log", "resolve", "1", "--outcome", "هدنة"],
    ["log", "list"],
    ["log", "score"],
    ["corpus", "list"],
    ["corpus", "search", "ألاسكا", "-n", "3"],
    ["corpus", "search", "Alaska summit", "--mode", "bm25", "-n", "3"],
    ["corpus", "statements", "--actor", "RUS"],
    ["corpus", "clean", str(DOC2)],
    ["corpus", "add", "{tmp}/n1.md", "--date", "2025-08-20"],
    ["evidence", "RUS", "TERR", "-n", "3"],
    ["user", "add", "سلمى", "--password-stdin"],
    ["forecast", "--bogus"],
    ["forecast", "--draws", "0"],
    ["evidence", "RUS", "NOSUCH"],
    ["convert", str(CSV), "{tmp}/converted.yaml"],
]  # fmt: skip


@pytest.fixture(scope="module")
def walk_dir(tmp_path_factory):
    from tests.evidence_helpers import seeded_store_copy

    tmp = tmp_path_factory.mktemp("walk")
    (tmp / "n1.md").write_text(
        "# ملاحظة\n\nمن المرجح أن تستمر المفاوضات بعد قمة ألاسكا.\n", encoding="utf-8"
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("QIMMA_STORE", seeded_store_copy(tmp))
        mp.setenv("COLUMNS", "100")
        yield tmp


def _corpus_words() -> set[str]:
    from tests.evidence_helpers import SEEDS

    text = " ".join(f.read_text("utf-8") for f in SEEDS.glob("*.txt"))
    return set(re.findall(r"[A-Za-z][A-Za-z'’]+", text))


def test_the_walk_covers_every_command():
    from typer.main import get_command

    from qimma.cli.main import app

    root = get_command(app)
    every = set()
    for name, cmd in root.commands.items():  # type: ignore[attr-defined]
        subs = getattr(cmd, "commands", None)
        every |= {f"{name} {s}" for s in subs} if subs else {name}
    walked = {" ".join(a[:2]) if a[0] in ("log", "corpus", "user") else a[0] for a in WALK}
    assert every - {"serve"} <= walked, every - walked


def _without_isolates(text: str) -> str:
    """The text outside left-to-right isolates. A table cell's isolate folded over several lines
    has other cells (and their own isolates) between its LRI and its PDI: nesting is counted."""
    out, depth = [], 0
    for ch in text:
        if ch == "\u2066":
            depth += 1
        elif ch == "\u2069":
            depth = max(depth - 1, 0)
        elif depth == 0 or ch == "\n":
            out.append(ch)
    return "".join(out)


@pytest.mark.parametrize("args", WALK, ids=[" ".join(a)[:50] for a in WALK])
def test_cli_command_in_arabic_has_no_english_words(args, walk_dir, capsys, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("a long password\n"))
    argv = [a.replace("{tmp}", str(walk_dir)) for a in args]
    status = run([*argv, "--lang", "ar"])
    out = capsys.readouterr()
    assert status in (0, 2), out.err
    # options, commands and values quoted from the command line are isolated left-to-right
    text = _without_isolates(out.out + out.err)
    # the user's own codes: ids of the scenarios read, an imported table's actor names, the
    # classic table's column names; text quoted from the corpus documents (some are English)
    codes = CITATION | BACKTEST_MODELS | _scenario_codes(SMALL) | _scenario_codes(CSV)
    if args[0] in ("corpus", "evidence"):
        codes |= _corpus_words()
    text = re.sub(
        r"Actor,Capability,Position,Salience|\S+\[\S+\]|[\w-]+\.(csv|yaml|txt|md)\b", " ", text
    )
    found = english_words(text, html=False, also=codes)
    assert found == [], [ln for ln in text.splitlines() if set(re.findall(r"\w+", ln)) & {*found}]


def test_report_html_in_arabic_has_no_english_words(walk_dir, capsys):
    argv = ["report", "--no-pdf", "--draws", "40", "--sensitivity", "2", *FAST, "--force"]
    assert run([*argv, "--out", str(walk_dir / "r-html"), "--lang", "ar"]) == 0
    capsys.readouterr()
    html = next((walk_dir / "r-html").glob("*.html")).read_text("utf-8")
    assert english_words(html, html=True, also=CITATION) == []


def test_serve_takes_the_language_option(capsys):
    assert run(["serve", "--help", "--lang", "ar"]) == 0
    assert "--lang" in capsys.readouterr().out


def _command_paths() -> list[list[str]]:
    from typer.main import get_command

    from qimma.cli.main import app

    def walk(cmd, path):
        yield path
        for name, sub in sorted(getattr(cmd, "commands", {}).items()):
            yield from walk(sub, [*path, name])

    return list(walk(get_command(app), []))


@pytest.mark.parametrize("path", _command_paths(), ids=lambda p: " ".join(p) or "qimma")
def test_help_of_every_command_in_arabic_has_no_english_words(path, capsys):
    """`qimma ... --help --lang ar`: usage, descriptions, options' texts, defaults, the kinds of
    values, all in Arabic; command names and the values a user types are codes."""
    assert run([*path, "--help", "--lang", "ar"]) == 0
    out = capsys.readouterr().out
    # codes the help isolates left to right (values, files, options), then the command names
    text = _without_isolates(out)
    text = re.sub(r"^\s*qimma .*$", " ", text, flags=re.M)  # the examples: command lines
    names = {w for p in _command_paths() for w in p}
    found = english_words(text, html=False, also=names)
    assert found == [], [ln for ln in text.splitlines() if set(re.findall(r"\w+", ln)) & {*found}]
