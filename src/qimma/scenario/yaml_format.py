"""The human-editable YAML format (docs/scenario-format.md) with line-accurate errors."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from qimma.errors import InputError, Problem
from qimma.scenario.model import Scenario, cross_check
from qimma.scenario.textfile import read_text

Loc = tuple[str | int, ...]

# Arabic wording for pydantic's error types; English comes from pydantic itself.
_AR_BY_TYPE = {
    "missing": "حقل مطلوب مفقود",
    "extra_forbidden": "حقل غير معروف",
    "float_parsing": "يجب أن تكون القيمة عددًا",
    "float_type": "يجب أن تكون القيمة عددًا",
    "int_parsing": "يجب أن تكون القيمة عددًا صحيحًا",
    "string_type": "يجب أن تكون القيمة نصًا",
    "list_type": "يجب أن تكون القيمة قائمة",
    "dict_type": "يجب أن تكون القيمة جدولًا من الحقول",
    "model_type": "يجب أن تكون القيمة جدولًا من الحقول",
    "literal_error": "قيمة غير مسموح بها",
    "string_pattern_mismatch": "صيغة المعرّف غير صحيحة",
    "too_short": "عدد العناصر أقل من المطلوب",
    "greater_than_equal": "القيمة أصغر من الحد الأدنى",
    "less_than_equal": "القيمة أكبر من الحد الأعلى",
    "string_too_short": "النص قصير جدًا أو فارغ",
}

_FIX_BY_TYPE: dict[str, tuple[str | None, str | None]] = {
    "missing": ("add this field", "أضف هذا الحقل"),
    "extra_forbidden": (
        "remove it or check its spelling (see docs/scenario-format.md)",
        "احذفه أو صحّح كتابته (انظر docs/scenario-format.md)",
    ),
    "float_parsing": ("write a number such as 42 or 37.5", "اكتب عددًا مثل 42 أو 37.5"),
    "float_type": ("write a number such as 42 or 37.5", "اكتب عددًا مثل 42 أو 37.5"),
    "string_pattern_mismatch": (
        "use letters, digits, '_', '-' or '.', starting with a letter (e.g. RUS, US_EXEC)",
        "استخدم حروفًا لاتينية وأرقامًا و'_' أو '-' أو '.', تبدأ بحرف (مثل RUS)",
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


def parse_loc(path: str) -> Loc:
    parts: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        parts.append(int(index) if index else name)
    return tuple(parts)


def line_of(root: Any, loc: Loc) -> int | None:
    """1-based line of the deepest node of `loc` that exists in the parsed YAML."""
    node = root
    line: int | None = None
    for part in loc:
        if isinstance(node, CommentedMap) and isinstance(part, str) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
        else:
            break
    if line is None and hasattr(root, "lc"):
        line = root.lc.line + 1
    return line


def _problems_from_validation(e: ValidationError, root: Any, file: str) -> list[Problem]:
    probs = []
    for err in e.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        msg = err["msg"].removeprefix("Value error, ")
        etype = err["type"]
        ar = _AR_BY_TYPE.get(etype, "قيمة غير صالحة")
        if etype == "value_error":
            ar = f"{ar}: {msg}"
        if etype == "literal_error" and "ctx" in err:
            allowed = err["ctx"].get("expected", "")
            fix: tuple[str | None, str | None] = (
                f"use one of: {allowed}",
                f"استخدم أحد: {allowed}",
            )
        else:
            fix = _FIX_BY_TYPE.get(etype, (None, None))
        probs.append(
            Problem(
                msg,
                ar,
                file=file,
                line=line_of(root, loc),
                path=format_loc(loc),
                fix_en=fix[0],
                fix_ar=fix[1],
            )
        )
    return probs


def _parse_yaml(text: str, file: str) -> Any:
    yaml = YAML(typ="rt")
    try:
        return yaml.load(text)
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark is not None else None
        raise InputError.single(
            f"this is not valid YAML: {e.problem or e.context}",
            f"هذا ليس YAML صالحًا: {e.problem or e.context}",
            file=file,
            line=line,
            fix_en="check the indentation and the ':' after each field name on that line",
            fix_ar="تحقق من الإزاحة ومن ':' بعد اسم كل حقل في ذلك السطر",
        ) from None
    except YAMLError as e:
        raise InputError.single(
            f"this is not valid YAML: {e}",
            f"هذا ليس YAML صالحًا: {e}",
            file=file,
            fix_en="check the file's syntax",
            fix_ar="تحقق من صياغة الملف",
        ) from None


def scenario_from_yaml_text(text: str, file: str = "<text>") -> Scenario:
    """Parse and validate; raises InputError listing every problem with its line."""
    root = _parse_yaml(text, file)
    if not isinstance(root, dict):
        raise InputError.single(
            "a scenario file must be a set of fields (id, title, actors, issues, stances, ...)",
            "يجب أن يكون ملف السيناريو مجموعة حقول (id وtitle وactors وissues وstances ...)",
            file=file,
            line=1,
            fix_en="start from the example in docs/scenario-format.md",
            fix_ar="ابدأ من المثال في docs/scenario-format.md",
        )
    try:
        scenario = Scenario.model_validate(root)
    except ValidationError as e:
        raise InputError(_problems_from_validation(e, root, file)) from None
    probs = cross_check(scenario)
    if probs:
        raise InputError(
            [
                Problem(
                    p.message_en,
                    p.message_ar,
                    file,
                    line_of(root, parse_loc(p.path or "")),
                    p.path,
                    p.fix_en,
                    p.fix_ar,
                )
                for p in probs
            ]
        )
    return scenario


def load_yaml(path: str | Path) -> Scenario:
    return scenario_from_yaml_text(read_text(path), str(path))


def scenario_to_yaml(scenario: Scenario) -> str:
    data = scenario.model_dump(mode="json", exclude_defaults=True, exclude_none=True)
    yaml = YAML()
    yaml.allow_unicode = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()
