"""Turning a parsed document (nested dicts and lists) into a Scenario, with every problem located.

Both the YAML reader and the importers build a plain document first and validate it here, so they
share one set of messages. Each format supplies a `locate` function that maps a field path inside
the document (e.g. ``("stances", 3, "position", "value")``) to a line of the user's file and to the
name the user knows the field by (a YAML path, a CSV column, a Decide ``#D`` field).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from qimma.errors import InputError, Problem
from qimma.scenario.model import BilingualValueError, Scenario, cross_check, unknown_id

Loc = tuple[str | int, ...]
# loc -> (line or None, field path as shown to the user)
Locator = Callable[[Loc], tuple[int | None, str]]

# Arabic wording for pydantic's error types; English comes from pydantic itself.
_AR_BY_TYPE = {
    "missing": "حقل مطلوب مفقود",
    "extra_forbidden": "حقل غير معروف",
    "float_parsing": "يجب أن تكون القيمة عددًا",
    "float_type": "يجب أن تكون القيمة عددًا",
    "finite_number": "يجب أن تكون القيمة عددًا منتهيًا",
    "int_parsing": "يجب أن تكون القيمة عددًا صحيحًا",
    "string_type": "يجب أن تكون القيمة نصًا",
    "list_type": "يجب أن تكون القيمة قائمة",
    "dict_type": "يجب أن تكون القيمة جدولًا من الحقول",
    "model_type": "يجب أن تكون القيمة جدولًا من الحقول",
    "model_attributes_type": "يجب أن تكون القيمة جدولًا من الحقول",
    "literal_error": "قيمة غير مسموح بها",
    "string_pattern_mismatch": "صيغة المعرّف غير صحيحة",
    "too_short": "عدد العناصر أقل من المطلوب",
    "greater_than_equal": "القيمة أصغر من الحد الأدنى",
    "less_than_equal": "القيمة أكبر من الحد الأعلى",
    "string_too_short": "النص قصير جدًا أو فارغ",
    "bool_type": "يجب أن تكون القيمة true أو false",
    "string_unicode": "حرف مكسور في النص",
}

_NUMBER_FIX = ("write a number such as 42 or 37.5", "اكتب عددًا مثل 42 أو 37.5")
_FIX_BY_TYPE: dict[str, tuple[str | None, str | None]] = {
    "missing": ("add this field", "أضف هذا الحقل"),
    "extra_forbidden": (
        "remove it or check its spelling (see docs/scenario-format.md)",
        "احذفه أو صحّح كتابته (انظر docs/scenario-format.md)",
    ),
    "float_parsing": _NUMBER_FIX,
    "float_type": _NUMBER_FIX,
    "finite_number": _NUMBER_FIX,
    "string_type": (
        "write text here; put it in quotes if it looks like a number or a date",
        "اكتب نصًا هنا، وضعه بين علامتي تنصيص إن بدا عددًا أو تاريخًا",
    ),
    "list_type": (
        "write a list, one '- ' item per line",
        "اكتب قائمة، عنصرًا في كل سطر يبدأ بـ '- '",
    ),
    "dict_type": ("write fields as 'name: value' lines", "اكتب الحقول بصيغة 'الاسم: القيمة'"),
    "model_type": ("write fields as 'name: value' lines", "اكتب الحقول بصيغة 'الاسم: القيمة'"),
    "model_attributes_type": (
        "write fields as 'name: value' lines",
        "اكتب الحقول بصيغة 'الاسم: القيمة'",
    ),
    "string_pattern_mismatch": (
        "use letters, digits, '_', '-' or '.', starting with a letter (e.g. RUS, US_EXEC)",
        "استخدم حروفًا لاتينية وأرقامًا و'_' أو '-' أو '.', تبدأ بحرف (مثل RUS)",
    ),
    "too_short": ("add the missing items", "أضف العناصر الناقصة"),
    "string_too_short": ("write the text", "اكتب النص"),
    "string_unicode": (
        "retype the text there, or remove '\\u' escapes such as \\udc80 from it",
        "أعد كتابة النص هناك، أو احذف منه رموز الهروب مثل \\udc80",
    ),
}


def format_loc(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _clean_loc(loc: tuple[Any, ...]) -> Loc:
    """Drop pydantic's internal location parts (validator names, union tags)."""
    return tuple(
        p
        for p in loc
        if isinstance(p, int) or (isinstance(p, str) and not p.startswith("function-"))
    )


def _shown(value: Any) -> tuple[str, str]:
    """How a wrong value is quoted back to the user, in English and Arabic."""
    if value is None:
        return "an empty value", "القيمة الفارغة"
    if isinstance(value, dict):
        return "a set of fields {…}", "مجموعة الحقول {…}"
    if isinstance(value, list):
        return "a list […]", "القائمة […]"
    text = f"'{value}'" if isinstance(value, str) else str(value)
    text = text if len(text) <= 40 else text[:37] + "..."
    return text, text


_FIELDS_EXPECTED = ("dict_type", "model_type", "model_attributes_type")


def _plain_words(etype: str, value: Any, pydantic_msg: str) -> tuple[str, str]:
    """The problem in words a non-programmer reads, in English and Arabic."""
    en, ar = _shown(value)
    if etype in ("float_parsing", "float_type", "finite_number"):
        return f"{en} is not a number", f"{ar} ليست عددًا"
    if etype == "string_pattern_mismatch":
        return (
            f"{en} is not a valid id: it must start with a Latin letter and contain only "
            "letters, digits, '_', '-' or '.' (at most 64 characters)",
            f"{ar} ليس معرّفًا صالحًا: يجب أن يبدأ بحرف لاتيني وألا يحتوي إلا على حروف وأرقام "
            "و'_' و'-' و'.' (64 حرفًا على الأكثر)",
        )
    if etype == "missing":
        return "this required field is missing", "هذا الحقل المطلوب مفقود"
    if etype == "extra_forbidden":
        return "unknown field", "حقل غير معروف"
    if etype == "literal_error":
        return f"{en} is not an allowed value", f"{ar} ليست قيمة مسموحًا بها"
    if etype == "string_type":
        return f"{en} is not text", f"{ar} ليست نصًا"
    if etype == "string_unicode":
        # a lone surrogate, e.g. an escape "\udc80" or half of an emoji cut by a broken export
        return (
            "this text holds a broken character (half of a character pair) that cannot be stored",
            "يحوي هذا النص حرفًا مكسورًا (نصف زوج حروف) لا يمكن حفظه",
        )
    if etype in _FIELDS_EXPECTED:
        # A bare number where an estimate is expected is the usual slip: `salience: 140`.
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return (
                f"{en} must be written as fields under this name, e.g. 'value: {value}'",
                f"يجب أن تُكتب {ar} حقولًا تحت هذا الاسم، مثل 'value: {value}'",
            )
        return f"{en} is not a set of fields", f"{ar} ليست مجموعة حقول"
    return pydantic_msg, _AR_BY_TYPE.get(etype, "قيمة غير صالحة")


def problems_from_validation(e: ValidationError, file: str, locate: Locator) -> list[Problem]:
    probs = []
    for err in e.errors(include_url=False):
        loc = _clean_loc(err["loc"])
        etype = err["type"]
        ctx = err.get("ctx") or {}
        cause = ctx.get("error")
        fix: tuple[str | None, str | None]
        if isinstance(cause, BilingualValueError):
            en, ar = cause.en, cause.ar
            fix = (cause.fix_en, cause.fix_ar)
        else:
            en, ar = _plain_words(etype, err.get("input"), err["msg"].removeprefix("Value error, "))
            if etype in ("greater_than_equal", "less_than_equal") and ctx:
                bound = ctx.get("ge", ctx.get("le"))
                ar = f"{ar} ({bound})"
            if etype == "literal_error" and "expected" in ctx:
                allowed = ctx["expected"]
                fix = (f"use one of: {allowed}", f"استخدم أحد: {allowed}")
            elif etype in ("greater_than_equal", "less_than_equal") and ctx:
                lo, hi = ctx.get("ge"), ctx.get("le")
                bound_en = f"at least {lo}" if lo is not None else f"at most {hi}"
                bound_ar = f"لا تقل عن {lo}" if lo is not None else f"لا تزيد على {hi}"
                fix = (f"give a value {bound_en}", f"أدخل قيمة {bound_ar}")
            else:
                fix = _FIX_BY_TYPE.get(etype, (None, None))
        line, shown = locate(loc)
        probs.append(Problem(en, ar, file, line, shown, fix[0], fix[1]))
    return probs


def loc_of_path(path: str) -> Loc:
    """'stances[3].salience' -> ('stances', 3, 'salience')."""
    parts: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        parts.append(int(index) if index else name)
    return tuple(parts)


def _sort_key(p: Problem) -> tuple[int, str]:
    return (p.line if p.line is not None else 0, p.path or "")


# When some parts of a document fail their own checks, the rest is still cross-checked (unknown
# ids, duplicates, scales) so that one run reports every problem of the file: failing list items
# are set aside and failing top-level fields replaced by placeholders.
_LISTS = ("actors", "issues", "sources", "evidence", "stances", "outcomes", "levers")
_PLACEHOLDERS: dict[str, Any] = {"id": "placeholder", "title": {"en": "placeholder"}, "date": ""}


def _set_aside_failed(
    doc: Any, e: ValidationError
) -> tuple[Any, dict[str, list[int]], set[str]] | None:
    """The document without its failing parts, the old indices of kept items, set-aside ids."""
    if not isinstance(doc, dict):
        return None
    failed: dict[str, set[int]] = {}
    reduced = dict(doc)
    for err in e.errors(include_url=False):
        loc = _clean_loc(err["loc"])
        if len(loc) >= 2 and loc[0] in _LISTS and isinstance(loc[1], int):
            failed.setdefault(str(loc[0]), set()).add(loc[1])
        elif len(loc) >= 1 and loc[0] in _PLACEHOLDERS:
            reduced[str(loc[0])] = _PLACEHOLDERS[str(loc[0])]
        elif len(loc) >= 1 and loc[0] == "description":
            reduced.pop("description", None)
        else:
            return None
    kept: dict[str, list[int]] = {}
    aside_ids: set[str] = set()
    for coll, bad in failed.items():
        items = doc.get(coll)
        if not isinstance(items, list):
            return None
        kept[coll] = [k for k in range(len(items)) if k not in bad]
        reduced[coll] = [items[k] for k in kept[coll]]
        for k in bad:
            item = items[k] if k < len(items) else None
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                aside_ids.add(item["id"])
    return reduced, kept, aside_ids


def _value_at(doc: Any, loc: Loc) -> Any:
    node = doc
    for part in loc:
        if isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            continue
        if not (isinstance(node, dict) and part in node):
            return None
        node = node[part]
    return node


def _restore(loc: Loc, kept: dict[str, list[int]]) -> Loc:
    if len(loc) >= 2 and isinstance(loc[0], str) and loc[0] in kept and isinstance(loc[1], int):
        return (loc[0], kept[loc[0]][loc[1]], *loc[2:])
    return loc


def validate_document(
    doc: Any, file: str, locate: Locator, earlier: list[Problem] | None = None
) -> Scenario:
    """Validate `doc` as a Scenario; raise one InputError with `earlier` and every new problem."""
    problems = list(earlier or [])
    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(doc)
    except ValidationError as e:
        problems.extend(problems_from_validation(e, file, locate))
        aside = _set_aside_failed(doc, e)
        if aside is not None:
            reduced, kept, aside_ids = aside
            try:
                checked = Scenario.model_validate(reduced)
            except ValidationError:
                checked = None
            if checked is not None:
                problems.extend(_set_aside_references(doc, kept, aside_ids, checked, file, locate))
                for p in cross_check(checked):
                    loc = loc_of_path(p.path or "")
                    value = _value_at(reduced, loc)
                    if isinstance(value, str) and value in aside_ids:
                        continue  # refers to an item already reported as broken
                    problems.append(_located(p, file, locate, _restore(loc, kept)))
    else:
        problems.extend(
            _located(p, file, locate, loc_of_path(p.path or "")) for p in cross_check(scenario)
        )
    if problems:
        # Report in file order; problems without a line (file-wide) first. Drop exact repeats.
        unique = list(dict.fromkeys(problems))
        raise InputError(sorted(unique, key=_sort_key))
    assert scenario is not None
    return scenario


def _set_aside_references(
    doc: dict[str, Any],
    kept: dict[str, list[int]],
    aside_ids: set[str],
    checked: Scenario,
    file: str,
    locate: Locator,
) -> list[Problem]:
    """Unknown actors and issues named by stances that were set aside for another problem."""
    out: list[Problem] = []
    known = {"actor": {a.id for a in checked.actors}, "issue": {i.id for i in checked.issues}}
    stances = doc.get("stances")
    if "stances" not in kept or not isinstance(stances, list):
        return out
    for k in sorted(set(range(len(stances))) - set(kept["stances"])):
        item = stances[k]
        if not isinstance(item, dict):
            continue
        for kind in ("actor", "issue"):
            value = item.get(kind)
            if isinstance(value, str) and value not in known[kind] and value not in aside_ids:
                p = unknown_id(kind, f"stances[{k}].{kind}", value, known[kind])  # type: ignore[arg-type]
                out.append(_located(p, file, locate, ("stances", k, kind)))
    return out


def _located(p: Problem, file: str, locate: Locator, loc: Loc) -> Problem:
    line, shown = locate(loc)
    return Problem(p.message_en, p.message_ar, file, line, shown, p.fix_en, p.fix_ar)
