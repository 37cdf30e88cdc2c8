"""Commands are imported when they run (#15: the first output within 2 s): `qimma --help` lists
every command without importing one, a command imports its own module and not the others'
libraries, and a command says on a terminal what it is doing while it loads."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from qimma.cli.main import QimmaCommands, run

# what `qimma forecast` has no use for: the web app, the PDF writer, the store, the charts
HEAVY = ("fastapi", "weasyprint", "sqlalchemy", "plotly", "qimma.web", "qimma.store")
COMMAND_MODULES = {spec.target.split(":")[0] for spec in QimmaCommands.COMMANDS.values()}


def _modules_after(args: list[str]) -> set[str]:
    """The modules a fresh process has imported after running `qimma ARGS` to the end."""
    code = (
        "import json, sys\n"
        "from qimma.cli.main import run\n"
        f"status = run({args!r})\n"
        "print(json.dumps([status, sorted(sys.modules)]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=600, check=True
    )
    status, names = json.loads(proc.stdout.strip().splitlines()[-1])
    assert status == 0, proc.stderr
    return set(names)


def test_help_lists_every_command_without_importing_one():
    loaded = _modules_after(["--help"])
    assert not loaded & COMMAND_MODULES, loaded & COMMAND_MODULES
    assert not {m for m in loaded if m.split(".")[0] in ("numba", "scipy", "pydantic")}


def test_a_command_imports_its_own_module_only():
    loaded = _modules_after(["forecast", "--json"])
    assert "qimma.cli.forecast_cmd" in loaded
    assert not (loaded & COMMAND_MODULES) - {"qimma.cli.forecast_cmd"}
    heavy = {m for m in loaded for h in HEAVY if m == h or m.startswith(h + ".")}
    assert not heavy, sorted(heavy)


def test_report_help_imports_no_report_library():
    """`qimma report --help` shows its options without Plotly, Matplotlib or WeasyPrint (#15);
    the command itself loads them before it runs (its `preload`)."""
    loaded = _modules_after(["report", "--help"])
    assert "qimma.cli.report_cmd" in loaded
    libs = ("plotly", "matplotlib", "weasyprint", "numba", "scipy", "qimma.report.render")
    assert not {m for m in loaded if m.split(".")[0] in libs or m in libs}
    assert "qimma.cli.report_run" in QimmaCommands.COMMANDS["report"].preload
    code = (
        "import sys\n"
        "from qimma.cli.lazy import preload\n"
        "from qimma.cli.main import QimmaCommands\n"
        "spec = QimmaCommands.COMMANDS['report']\n"
        "preload(spec, ['--out', 'x', '--help'])\n"
        "print('plotly' in sys.modules)\n"
        "preload(spec, ['--out', 'x'])\n"
        "print('plotly' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_help_lists_each_command_with_its_table_line(lang, capsys, monkeypatch):
    """`qimma --help` lists every command with the first paragraph of its word-table text (in
    the user's language), without importing it (the test above)."""
    from qimma.cli.help import help_text

    monkeypatch.setenv("COLUMNS", "400")
    assert run(["--lang", lang, "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # a long line wraps in its column
    for name in QimmaCommands.COMMANDS:
        line = " ".join(help_text(name, lang).split("\n\n")[0].split())
        assert line and line in out, (name, line)


def test_help_lists_the_commands_in_order(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    assert run(["--help"]) == 0
    out = capsys.readouterr().out
    found = [n for line in out.splitlines() if (n := line.strip("│ ").split(" ")[0])]
    listed = [n for n in found if n in QimmaCommands.COMMANDS]
    assert listed == list(QimmaCommands.COMMANDS)
    assert "Forecast the outcome of each issue with every model." in out


def test_an_unknown_command_is_a_usage_error_with_a_suggestion(capsys):
    assert run(["forcast"]) == 2
    assert "Did you mean 'forecast'" in capsys.readouterr().err


def _on_a_terminal(monkeypatch):
    from qimma.cli.common import err_console

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setattr(err_console, "_force_terminal", True)
    monkeypatch.setattr(err_console, "is_interactive", True)  # as when started on a terminal


def test_a_command_says_what_it_does_while_it_loads_on_a_terminal(capsys, monkeypatch):
    _on_a_terminal(monkeypatch)
    assert run(["show", "--lang", "ar", "--help"]) == 0  # --help: nothing to say
    assert "تحميل البرنامج" not in capsys.readouterr().err
    assert run(["validate", "--lang", "ar", "tests/fixtures/analysis/small.yaml"]) == 0
    assert "\u2066qimma validate\u2069: بدء التشغيل (تحميل البرنامج)…" in capsys.readouterr().err
    assert run(["validate", "tests/fixtures/analysis/small.yaml"]) == 0
    assert "qimma validate: starting (loading the program)…" in capsys.readouterr().err


def test_nothing_is_said_while_loading_with_json_or_into_a_pipe(capsys, monkeypatch):
    assert run(["forecast", "tests/fixtures/analysis/small.yaml", "-m", "median"]) == 0
    assert "loading the program" not in capsys.readouterr().err  # not a terminal
    _on_a_terminal(monkeypatch)
    assert run(["forecast", "tests/fixtures/analysis/small.yaml", "--json", "-m", "median"]) == 0
    assert "loading the program" not in capsys.readouterr().err


@pytest.mark.parametrize(("args", "status"), [(["--version"], 0), (["forcast"], 2)])
def test_the_console_script_ends_with_its_status_after_the_exit_handlers(args, status):
    """Run as the console script (`run()` without arguments), qimma leaves at once after its
    output (no interpreter teardown, #15), with its status, its output flushed and the atexit
    handlers run."""
    code = (
        "import atexit, sys\n"
        "from qimma.cli.main import run\n"
        "atexit.register(lambda: sys.stdout.write('handlers ran\\n'))\n"
        "run()\n"
        "print('not reached')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == status, proc.stderr
    assert proc.stdout.endswith("handlers ran\n")
    assert "not reached" not in proc.stdout
    if status == 0:
        assert proc.stdout.startswith("qimma ")


def test_the_command_line_asks_for_no_huge_pages_unless_told():
    """A qimma command leaves NumPy's arrays off transparent huge pages (#15: half the system
    time of a 10k-draw Monte Carlo); NUMPY_MADVISE_HUGEPAGE set by the user wins."""
    import os

    code = (
        "from qimma.cli.main import run\n"
        "import numpy as np\n"
        "print(np._core.multiarray._get_madvise_hugepage())\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    for given, expected in ((None, "False"), ("1", "True")):
        if given is not None:
            env["NUMPY_MADVISE_HUGEPAGE"] = given
        proc = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        assert proc.stdout.strip() == expected
