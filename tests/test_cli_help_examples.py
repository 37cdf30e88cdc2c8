"""Every example printed by every `--help` runs, as a user would type it (exit status 0).

The examples are read from the commands' help texts, so a new example is run without editing this
file. The files they name are the user's own; the test puts real files of the right format under
those names in an empty folder. Heavy examples (thousands of draws, full reports, default
sensitivity) run only with QIMMA_HEAVY_EXAMPLES=1; the web server examples are not run here
(tests/test_web_process.py starts `qimma serve`).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from qimma.cli.main import app

FIXTURES = Path(__file__).parent / "fixtures"
# the user's files named by the examples, and a real file of that format for each
USER_FILES = {
    "my_scenario.yaml": FIXTURES / "analysis" / "small.yaml",
    "ExampleActors.csv": FIXTURES / "inputs" / "ExampleActors.csv",
    "copenhagen.csv": FIXTURES / "inputs" / "copenhagen.csv",
    "table.csv": FIXTURES / "inputs" / "ExampleActors.csv",
}
# Minutes each on 2 cores (thousands of draws, full reports, default sensitivity): run only
# with QIMMA_HEAVY_EXAMPLES=1, to keep the suite under 10 minutes.
HEAVY = re.compile(r"--draws [1-9]\d{3,}|^sensitivity$|^report( |$)")
RUN_HEAVY = os.environ.get("QIMMA_HEAVY_EXAMPLES") == "1"
SERVER = re.compile(r"(^| )serve( |$)")


def _commands(cmd, path=()):
    yield path, cmd
    for name, sub in sorted(getattr(cmd, "commands", {}).items()):
        yield from _commands(sub, (*path, name))


def help_examples() -> list[str]:
    root = typer.main.get_command(app)
    names = set(getattr(root, "commands", {}))
    found = []
    for _path, cmd in _commands(root):
        for line in (cmd.help or "").splitlines():
            words = line.split()
            if words[:1] == ["qimma"] and len(words) > 1 and words[1] in names:
                found.append(line.strip())
    return found


EXAMPLES = help_examples()


def _param(example: str):
    marks = []
    if HEAVY.search(example.removeprefix("qimma ")):
        why = "minutes on 2 cores: set QIMMA_HEAVY_EXAMPLES=1 to run it"
        marks = [pytest.mark.slow, pytest.mark.skipif(not RUN_HEAVY, reason=why)]
    return pytest.param(example, marks=marks, id=example[:60])


def test_examples_are_found():
    commands = {e.split()[1] for e in EXAMPLES}
    assert {"forecast", "whatif", "report", "log", "backtest", "convert"} <= commands


@pytest.mark.parametrize("example", [_param(e) for e in EXAMPLES])
def test_help_example_runs(example, tmp_path):
    if SERVER.search(example):
        pytest.skip("starts the web server on a fixed port: see tests/test_web_process.py")
    for name, source in USER_FILES.items():
        shutil.copy(source, tmp_path / name)
    env = {**os.environ, "QIMMA_STORE": f"sqlite:///{tmp_path / 'store.sqlite3'}", "COLUMNS": "100"}
    for part in example.split(" && "):
        argv = shlex.split(part)
        assert argv[0] == "qimma"
        proc = subprocess.run(
            [sys.executable, "-c", "from qimma.cli.main import run; run()", *argv[1:]],
            cwd=tmp_path,
            env=env,
            input="a long password\na long password\n",  # `user add` asks twice
            start_new_session=True,  # no terminal: a password prompt reads standard input
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert proc.returncode == 0, f"{part}\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
