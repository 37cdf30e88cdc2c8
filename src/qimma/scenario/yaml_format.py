"""The human-editable YAML format (docs/scenario-format.md) with line-accurate errors."""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from qimma.errors import InputError, Problem, QimmaError
from qimma.scenario.model import Scenario, cross_check
from qimma.scenario.textfile import read_text
from qimma.scenario.validation import Loc, format_loc, loc_of_path, validate_document

# YAML aliases let a small file expand into a huge tree; a scenario has a few thousand nodes.
MAX_NODES = 200_000


# ruamel (pure Python) keeps the line of every node, which the error messages need, but takes about
# a second on the 180 kB default scenario. A valid file is therefore read first with PyYAML's
# libyaml parser set to YAML 1.2's core rules (as ruamel) and refusing duplicate keys (as ruamel);
# only a file that fails there is read again with ruamel to locate its problems.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BOOL, _INT, _FLOAT = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"


class _FastLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        keys = [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
        if len(keys) != len(set(keys)):
            raise yaml.constructor.ConstructorError(None, None, "duplicate key", node.start_mark)
        return super().construct_mapping(node, deep=deep)


def _yaml12_int(loader: yaml.SafeLoader, node: Any) -> int:
    text = str(loader.construct_scalar(node))
    if text.startswith(("0o", "0x")):
        return int(text, 0)
    return int(text, 10)


_FastLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in rules if tag not in (_BOOL, _INT, _FLOAT)]
    for first, rules in _BaseLoader.yaml_implicit_resolvers.items()
}
_FastLoader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_FastLoader.add_implicit_resolver(
    _INT, re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")
)
_FastLoader.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)
_FastLoader.add_constructor(_INT, _yaml12_int)


def _fast_valid(text: str, file: str) -> Scenario | None:
    """The scenario if the text is a valid scenario (read quickly), else None."""
    _check_events(text, file)
    try:
        root = yaml.load(text, Loader=_FastLoader)
        if not isinstance(root, dict):
            return None
    except Exception:  # any problem: the careful reader below finds and locates it
        return None
    _check_size(root, file, text)  # refused at once: the careful reader would take minutes
    try:
        scenario = Scenario.model_validate(root)
    except Exception:
        return None
    return None if cross_check(scenario) else scenario


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


def _parse_yaml(text: str, file: str) -> Any:
    reader = YAML(typ="rt")
    try:
        with warnings.catch_warnings():  # e.g. a reused anchor: not the user's concern here
            warnings.simplefilter("ignore")
            return reader.load(text)
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
    except Exception as e:
        # ruamel reports some malformed inputs (odd tags, deep nesting, stray surrogates) with
        # plain Python exceptions rather than YAMLError; to the user they all mean "not YAML"
        what = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise InputError.single(
            f"this is not valid YAML: {what}",
            f"هذا ليس YAML صالحًا: {what}",
            file=file,
            fix_en="check the file's syntax",
            fix_ar="تحقق من صياغة الملف",
        ) from None


def scenario_from_yaml_text(text: str, file: str = "<text>") -> Scenario:
    """Parse and validate; raises InputError listing every problem with its line."""
    fast = _fast_valid(text, file)
    if fast is not None:
        return fast
    return careful_scenario_from_yaml_text(text, file)


def careful_scenario_from_yaml_text(text: str, file: str = "<text>") -> Scenario:
    """The line-keeping reader alone (what every file that has problems goes through)."""
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
    _check_size(root, file, text)

    def locate(loc: Loc) -> tuple[int | None, str]:
        return line_of(root, loc), format_loc(loc)

    return validate_document(root, file, locate)


def locate_in_yaml(text: str, file: str, problems: list[Problem]) -> list[Problem]:
    """The problems found in a scenario read from `text`, each with its file and line."""
    root = _parse_yaml(text, file)
    return [p.located(file=file, line=line_of(root, loc_of_path(p.path or ""))) for p in problems]


_ALIAS = re.compile(r"(?:^|[\s,\[{:-])\*[^\s,\]}]+")


def _check_events(text: str, file: str) -> None:
    """Refuse a file with too many values while reading it, before building anything from it."""
    count = 0
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(
                event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
            ):
                count += 1
                if count > MAX_NODES:
                    raise _too_large(file, aliases=False)
    except yaml.YAMLError:
        return  # not YAML: the readers below say where


def _check_size(root: Any, file: str, text: str) -> None:
    count = 0
    stack = [root]
    while stack:
        node = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise _too_large(file, bool(_ALIAS.search(text)))
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _too_large(file: str, aliases: bool) -> QimmaError:
    if aliases:
        return InputError.single(
            f"the file expands to more than {MAX_NODES:,} values through its YAML aliases",
            f"يتوسع الملف عبر أسمائه المستعارة في YAML إلى أكثر من {MAX_NODES:,} قيمة",
            file=file,
            fix_en="write the scenario out without '*alias' references",
            fix_ar="اكتب السيناريو دون مراجع '*alias'",
        )
    return InputError.single(
        f"the scenario holds more than {MAX_NODES:,} values (actors, issues, stances and their "
        "fields): more than qimma reads in one file",
        f"يحوي السيناريو أكثر من {MAX_NODES:,} قيمة (الفاعلون والقضايا والمواقف وحقولها): "
        "أكثر مما يقرؤه qimma في ملف واحد",
        file=file,
        fix_en="split it into smaller scenarios (for example one per group of issues) or merge "
        "minor actors into coalitions",
        fix_ar="قسّمه إلى سيناريوهات أصغر (سيناريو لكل مجموعة قضايا مثلًا) أو ادمج الفاعلين "
        "الثانويين في تحالفات",
    )


def load_yaml(path: str | Path) -> Scenario:
    return scenario_from_yaml_text(read_text(path), str(path))


def scenario_to_yaml(scenario: Scenario) -> str:
    data = scenario.model_dump(mode="json", exclude_defaults=True, exclude_none=True)
    writer = YAML()
    writer.allow_unicode = True
    writer.width = 100
    writer.indent(mapping=2, sequence=4, offset=2)
    buf = io.StringIO()
    writer.dump(data, buf)
    return buf.getvalue()
