"""At 80 columns (a narrow terminal, or output to a file or a pipe) tables fold or wrap; no
number or name is cut short with '…'."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from qimma.cli.main import run

BACKTEST = ["backtest", "deu3", "--limit", "40", "--bootstrap", "30"]


@pytest.mark.parametrize(
    "args, whole",
    [
        (BACKTEST, ["reference_point", "commission", "exchange", "MAE", "RMSE"]),
        ([*BACKTEST, "--lang", "ar"], ["reference_point", "commission"]),
        (["forecast"], ["compromise", "exchange", "TERR", "NEUTRAL"]),
    ],
)
def test_tables_at_80_columns_cut_nothing(args, whole, monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "80")
    assert run(args) == 0
    out = capsys.readouterr().out
    assert "…" not in out
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    for word in whole:
        assert word in out
