"""Every example printed by every `--help` runs, as a user would type it (exit status 0).

The examples are read from the commands' help texts, so a new example is run without editing this
file, and every one of them runs in the normal suite (an example is written to finish in seconds).
The files they name are the user's own; the test puts real files of the right format under those
names in an empty folder, beside a store holding the default corpus (as after a first use). The
web server examples are not run here (tests/test_web_process.py starts `qimma serve`); the
`user add` before one is.
"""

from __future__ import annotations

import os
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
    "article.txt": FIXTURES / "evidence" / "article.txt",
    "notes.md": FIXTURES / "evidence" / "notes.md",
}


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


def _commands_of(example: str) -> set[str]:
    """'log add', 'corpus search', 'forecast': the (sub)commands an example runs."""
    out = set()
    for part in example.split(" && "):
        words = part.split()
        out.add(" ".join(words[1:3]) if words[1] in ("log", "corpus", "user") else words[1])
    return out


def test_every_command_has_an_example():
    root = typer.main.get_command(app)
    every = {
        " ".join(path)
        for path, cmd in _commands(root)
        if path and not getattr(cmd, "commands", None)
    }
    shown = set().union(*map(_commands_of, EXAMPLES))
    assert every <= shown, every - shown


@pytest.mark.parametrize("example", EXAMPLES, ids=[e[:60] for e in EXAMPLES])
def test_help_example_runs(example, tmp_path):
    from tests.evidence_helpers import seeded_store_copy

    parts = example.split(" && ")
    if "serve" in _commands_of(parts[-1]):
        # starts the web server on a fixed port (see tests/test_web_process.py): what comes
        # before it (`user add`) still runs
        parts = parts[:-1]
    for name, source in USER_FILES.items():
        shutil.copy(source, tmp_path / name)
    env = {**os.environ, "QIMMA_STORE": seeded_store_copy(tmp_path), "COLUMNS": "100"}
    for part in parts:
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
