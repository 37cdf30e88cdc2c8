"""Progress with ETA for `backtest` and `corpus add`, in their real unit of work; quiet with --json
and when standard error is not a terminal."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

import qimma.cli.progress as progress_mod
from qimma.backtest.deu3 import load_deu3
from qimma.backtest.harness import run_backtest
from qimma.backtest.split import get_split
from qimma.cli.main import run

ARGS = ["backtest", "deu3", "--limit", "30", "--bootstrap", "20", "--models", "compromise,eum"]


def test_backtest_progress_counts_model_runs_over_proposals():
    data = load_deu3()
    ticks: list[tuple[int, int]] = []
    bt = run_backtest(
        data, get_split(data), ["compromise", "exchange"], limit=30, n_boot=20,
        progress=lambda d, t: ticks.append((d, t)),
    )  # fmt: skip
    proposals = len({data.issues[i].prnr for i in bt.issues})
    assert ticks[-1] == (2 * proposals, 2 * proposals)
    done = [d for d, _ in ticks]
    assert done == sorted(done) and len(ticks) == 1 + proposals  # exchange: one per proposal


@pytest.fixture
def terminal(monkeypatch):
    """Standard output and error on a terminal: the progress bar and the notices go to `buf`."""
    import sys

    import qimma.cli.common as common
    import qimma.cli.runs as runs

    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=120)
    for mod in (progress_mod, runs, common):
        monkeypatch.setattr(mod, "err_console", console)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    return buf


def test_backtest_shows_progress_with_eta_on_a_terminal(terminal):
    assert run(ARGS) == 0
    shown = terminal.getvalue()
    assert "model runs × proposals" in shown and "ETA" in shown


def test_backtest_is_quiet_with_json(terminal):
    assert run([*ARGS, "--json"]) == 0
    assert terminal.getvalue() == ""


def test_quiet_when_not_a_terminal(monkeypatch, capsys):  # standard output into a pipe
    monkeypatch.setattr(progress_mod, "err_console", Console(file=io.StringIO()))
    assert run(ARGS) == 0
    assert "ETA" not in capsys.readouterr().err


def test_corpus_add_counts_documents(terminal, tmp_path):
    files = []
    for k in range(3):
        f = tmp_path / f"doc{k}.txt"
        f.write_text(f"Paragraph {k} about the ceasefire talks in Alaska.\n", encoding="utf-8")
        files.append(str(f))
    store = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    assert run(["corpus", "add", *files, "--store", store]) == 0
    shown = terminal.getvalue()
    assert "documents" in shown and "3/3" in shown


# The analysis commands draw the pipeline's progress (stage, units of work, ETA) and say before a
# run which models it compiles first; on the small scenario with quick models, so the wiring of
# every command is under test here (tests/test_models_python.py: when a compile comes).
SMALL = "tests/fixtures/analysis/small.yaml"
QUICK = "compromise,median"
ANALYSES = {
    "forecast": ["forecast", SMALL, "-m", QUICK, "--draws", "40"],
    "whatif": ["whatif", "b_weaker", "-s", SMALL, "-m", QUICK, "--draws", "40"],
    "sensitivity": [
        "sensitivity",
        SMALL,
        "-m",
        QUICK,
        "--method",
        "morris",
        "--n",
        "4",
        "--draws",
        "40",
    ],
}
STAGE = {"forecast": "Monte Carlo", "whatif": "What-if", "sensitivity": "Sensitivity"}


@pytest.fixture
def median_compiles(monkeypatch):
    """As on a first run whose Monte Carlo compiles median's kernels (it has none; nothing is
    compiled): what the run says is under test, not the compiling."""
    import qimma.app.pipeline as pipeline

    def pending(models, draws, actors, issues):
        return [m for m in models if m == "median" and draws > 1]

    monkeypatch.setattr(pipeline, "models_to_compile", pending)


@pytest.mark.parametrize("command", list(ANALYSES))
def test_analysis_shows_its_stages_and_the_compile_on_a_terminal(
    command, terminal, median_compiles
):
    assert run(ANALYSES[command]) == 0
    shown = terminal.getvalue()
    assert STAGE[command] in shown and "ETA" in shown
    assert "compile the median model (once" in shown


@pytest.mark.parametrize("command", list(ANALYSES))
def test_analysis_is_quiet_with_json(command, terminal, median_compiles, capsys):
    assert run([*ANALYSES[command], "--json"]) == 0
    assert terminal.getvalue() == ""
    assert "compile" not in capsys.readouterr().err


def test_report_shows_its_stages_and_the_compile_on_a_terminal(terminal, median_compiles, tmp_path):
    args = ["report", SMALL, "-m", QUICK, "--draws", "40", "--sensitivity", "0", "--both"]
    assert run([*args, "--no-pdf", "--out", str(tmp_path / "r")]) == 0
    shown = terminal.getvalue()
    assert "Monte Carlo" in shown and "ETA" in shown
    assert "compile the median model (once" in shown
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown)
    assert "Writing the report" in plain and re.search(r"[01]/2 reports", plain)


def test_analysis_is_quiet_into_a_pipe(median_compiles, capsys):
    assert run(ANALYSES["whatif"]) == 0
    err = capsys.readouterr().err
    assert "ETA" not in err and "compile" not in err


def test_a_run_is_validated_once_and_its_problems_shown_at_the_options(monkeypatch, capsys):
    """The application layer's rule (qimma.app.pipeline.run checks the request on the scenario);
    the command only checks the limits before reading the scenario."""
    import qimma.app.pipeline as pipeline
    import qimma.cli.runs as runs

    on_scenario = []

    def counted(check):
        def wrapper(request, scenario=None):
            if scenario is not None:
                on_scenario.append(request)
            return check(request, scenario)

        return wrapper

    monkeypatch.setattr(pipeline, "check", counted(pipeline.check))
    monkeypatch.setattr(runs, "check", counted(runs.check))
    assert run(ANALYSES["whatif"]) == 0
    assert len(on_scenario) == 1
    capsys.readouterr()
    for lang, words in (("en", "unknown lever 'nope'"), ("ar", "رافعة غير معروفة")):
        assert run(["whatif", "nope", "-s", SMALL, "--lang", lang]) == 2
        err = capsys.readouterr().err
        assert words in err and "LEVER" in err and "Traceback" not in err
    assert len(on_scenario) == 3
