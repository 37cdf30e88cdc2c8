"""Command-line usage errors (unknown option, missing argument, bad value) in the user's
language. English keeps click's own text; Arabic is built from the error's parts (its option,
argument and choices), never from its English sentence, with the words of the `usage` section of
the word table."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import Any

from qimma import i18n


def usage_lang(argv: Sequence[str]) -> str:
    """The language asked for on the command line (--lang ar, -l ar, --lang=ar) or by
    QIMMA_LANG, before the command has parsed its options."""
    args = list(argv)
    for k, a in enumerate(args):
        if a in ("--lang", "-l") and k + 1 < len(args):
            return i18n.lang_of(args[k + 1])
        if a.startswith("--lang="):
            return i18n.lang_of(a.split("=", 1)[1])
        if a.startswith("-l") and len(a) > 2 and not a.startswith("--"):
            return i18n.lang_of(a[2:])
    return i18n.lang_of(os.environ.get("QIMMA_LANG"))


def _ltr(s: str) -> str:
    """An option or value (Latin) isolated left-to-right inside Arabic text."""
    return f"\u2066{s}\u2069"


def _param_name(e: Any) -> str:
    hint = getattr(e, "param_hint", None)
    if isinstance(hint, (list, tuple)):
        hint = " / ".join(hint)
    if hint:
        return str(hint).replace("'", "")
    param = getattr(e, "param", None)
    if param is not None:
        opts = getattr(param, "opts", None) or [getattr(param, "name", "")]
        return " / ".join(str(o) for o in opts)
    return ""


def _bad_value(e: Any, lang: str) -> str:
    """A bad option value: what kind of value was expected, from the type's message."""
    msg = str(getattr(e, "message", "") or "")
    name = _ltr(_param_name(e))
    choices = re.search(r"is not one of (.+?)\.?$", msg) or re.search(r"one of (.+?)\.?$", msg)
    if choices:
        return i18n.t("usage.not_one_of", lang, name=name, choices=_ltr(choices.group(1)))
    if re.search(r"integer", msg, re.I):
        return i18n.t("usage.not_integer", lang, name=name)
    if re.search(r"float|number", msg, re.I):
        return i18n.t("usage.not_number", lang, name=name)
    if re.search(r"range|greater|less", msg, re.I):
        return i18n.t("usage.out_of_range", lang, name=name)
    if re.search(r"does not exist|not exist", msg, re.I):
        return i18n.t("usage.no_file", lang, name=name)
    return i18n.t("usage.bad_value", lang, name=name)


def usage_message(e: Any, lang: str) -> str:
    """The Arabic text of a click/typer usage error `e` (any of click's exception classes)."""
    kind = type(e).__name__
    msg = str(getattr(e, "message", "") or e)
    if kind == "NoSuchOption":
        text = i18n.t("usage.no_such_option", lang, name=_ltr(e.option_name))
        if getattr(e, "possibilities", None):
            text += " " + i18n.t(
                "usage.did_you_mean", lang, names=_ltr(", ".join(sorted(e.possibilities)))
            )
    elif kind == "MissingParameter":
        text = i18n.t("usage.missing", lang, name=_ltr(_param_name(e)))
    elif kind == "BadOptionUsage":
        name = getattr(e, "option_name", "") or ""
        text = i18n.t("usage.needs_value", lang, name=_ltr(name))
    elif kind == "BadParameter":
        text = _bad_value(e, lang)
    elif m := re.search(r"No such command '(.+?)'", msg):
        text = i18n.t("usage.no_such_command", lang, name=_ltr(m.group(1)))
    elif m := re.search(r"unexpected extra argument(?:\(s\)|s)? \((.+)\)", msg):
        text = i18n.t("usage.extra_args", lang, args=_ltr(m.group(1)))
    else:
        text = i18n.t("usage.generic", lang)
    ctx = getattr(e, "ctx", None)
    command = getattr(ctx, "command_path", "") or "qimma"
    hint = i18n.t("usage.help", lang, cmd=_ltr(command + " --help"))
    return f"{i18n.t('usage.error', lang)}: {text}\n{hint}"
