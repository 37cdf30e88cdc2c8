"""`--help` in the user's language: every command's and option's text from the word table."""

from __future__ import annotations

import re

import pytest
import typer.main

from qimma import i18n
from qimma.cli.help import help_text
from qimma.cli.main import app, run


def _commands(cmd, path=()):
    yield path, cmd
    for name, sub in sorted(getattr(cmd, "commands", {}).items()):
        yield from _commands(sub, (*path, name))


COMMANDS = list(_commands(typer.main.get_command(app)))


def _keys() -> dict[str, list[str]]:
    """Each command's key and the table keys of its arguments and options."""
    words = i18n.table("en")["help"]
    out = {}
    for path, cmd in COMMANDS:
        key = ".".join(path) or "qimma"
        names = [p.name for p in cmd.params]
        out[key] = [f"{key}.{n}" if f"{key}.{n}" in words else f"all.{n}" for n in names]
    return out


def test_every_command_and_option_has_its_text_in_both_languages():
    for lang in i18n.LANGS:
        words = i18n.table(lang)["help"]
        for key, params in _keys().items():
            assert words.get(key), (lang, key)
            for k in params:
                assert words.get(k), (lang, k)


def test_the_help_section_has_no_text_for_a_command_or_option_that_is_gone():
    used = set(_keys()) | {k for ks in _keys().values() for k in ks}
    assert set(i18n.table("en")["help"]) - used == set()


def test_no_help_text_left_in_the_code():
    """The texts live in the word table only (one place per language)."""
    for _path, cmd in COMMANDS:
        for p in cmd.params:
            assert not getattr(p, "help", None), (cmd.name, p.name)


@pytest.mark.parametrize(
    "argv", [["--help"], ["forecast", "--help"], ["log", "add", "--help"], ["log", "--help"]]
)
def test_help_in_arabic_with_the_option_or_the_environment(argv, capsys, monkeypatch):
    key = ".".join(a for a in argv if a != "--help") or "qimma"
    arabic = help_text(key, "ar").split("\n\n")[0][:30]
    assert run([*argv, "--lang", "ar"]) == 0
    by_option = capsys.readouterr().out
    monkeypatch.setenv("QIMMA_LANG", "ar")
    assert run(argv) == 0
    by_env = capsys.readouterr().out
    for out in (by_option, by_env):
        assert arabic in out and "الخيارات:" in out and "الاستعمال:" in out
        assert not re.search(r"Usage|Options|Arguments|Commands|default|Show this", out)
    monkeypatch.delenv("QIMMA_LANG")
    assert run(argv) == 0
    english = capsys.readouterr().out
    assert "Usage: qimma" in english and help_text(key, "en")[:30] in " ".join(english.split())


def test_lang_before_the_command_is_the_default_of_the_command(capsys):
    assert run(["--lang", "ar", "forecast", "--help"]) == 0
    assert "الاستعمال:" in capsys.readouterr().out


def test_arabic_help_isolates_codes_left_to_right(capsys):
    assert run(["forecast", "--help", "--lang", "ar"]) == 0
    out = capsys.readouterr().out
    assert "\u2066compromise,median\u2069" in out and "\u2066QIMMA_LANG\u2069" in out
    assert "<عدد صحيح>" in out  # the kind of value of --draws, in Arabic
