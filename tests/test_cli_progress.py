"""Progress with ETA for `backtest` and `corpus add`, in their real unit of work; quiet with --json
and when standard error is not a terminal."""

from __future__ import annotations

import io

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
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=120)
    monkeypatch.setattr(progress_mod, "err_console", console)
    return buf


def test_backtest_shows_progress_with_eta_on_a_terminal(terminal):
    assert run(ARGS) == 0
    shown = terminal.getvalue()
    assert "model runs × proposals" in shown and "ETA" in shown


def test_backtest_is_quiet_with_json(terminal):
    assert run([*ARGS, "--json"]) == 0
    assert terminal.getvalue() == ""


def test_quiet_when_not_a_terminal(monkeypatch, capsys):
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
