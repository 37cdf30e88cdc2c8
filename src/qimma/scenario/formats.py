"""Loading and saving scenarios in every supported format, chosen by content and extension."""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from qimma.errors import InputError, Problem
from qimma.scenario.classic_table import header_delimiter, parse_classic_table
from qimma.scenario.decide import looks_like_decide, parse_decide
from qimma.scenario.degenerate import runnable_problems
from qimma.scenario.importing import split_lines
from qimma.scenario.ktab_csv import looks_like_ktab_csv, parse_ktab_csv
from qimma.scenario.ktab_xml import parse_ktab_xml
from qimma.scenario.model import Scenario
from qimma.scenario.textfile import read_text
from qimma.scenario.yaml_format import locate_in_yaml, scenario_from_yaml_text, scenario_to_yaml

DEFAULT_SCENARIO_RESOURCE = "default.yaml"


def load_default_scenario() -> Scenario:
    """The embedded default: US–Russia–Ukraine negotiations, 2025 (from the two seeds)."""
    text = (
        resources.files("qimma.data.scenarios")
        .joinpath(DEFAULT_SCENARIO_RESOURCE)
        .read_text("utf-8")
    )
    return scenario_from_yaml_text(text, f"<default scenario {DEFAULT_SCENARIO_RESOURCE}>")


# name -> (reader of text, what the user is told the format is)
FORMATS: dict[str, tuple[Callable[[str, str], Scenario], str]] = {
    "yaml": (scenario_from_yaml_text, "qimma YAML scenario"),
    "classic": (parse_classic_table, "classic table Actor,Capability,Position,Salience"),
    "ktab-csv": (parse_ktab_csv, "KTAB SMP CSV"),
    "ktab-xml": (parse_ktab_xml, "KTAB SMP XML"),
    "decide": (parse_decide, "Decide tagged data (#A/#P/#M/#D)"),
}
_YAML_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:(\s|$)")


def detect_format(text: str, suffix: str = "") -> str | None:
    """The format of a file's text: by extension for .yaml/.yml/.xml, by content otherwise."""
    suffix = suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".xml":
        return "ktab-xml"
    lines = split_lines(text)
    content = [ln for ln in lines if ln.strip()]
    if not content:
        return None
    first = content[0].lstrip("\ufeff").strip()
    if first.startswith("<"):
        return "ktab-xml"
    if looks_like_decide(content):
        return "decide"
    if header_delimiter(first):
        return "classic"
    if looks_like_ktab_csv(first):
        return "ktab-csv"
    meaningful = [ln for ln in content if not ln.lstrip().startswith(("#", "---", "%YAML", "%TAG"))]
    if meaningful and _YAML_KEY.match(meaningful[0]):
        return "yaml"
    return None


def scenario_from_text(text: str, file: str, suffix: str = "") -> Scenario:
    """Parse a scenario in any supported format from its text."""
    return read_scenario_text(text, file, suffix)[0]


def read_scenario_text(text: str, file: str, suffix: str = "") -> tuple[Scenario, str]:
    """The scenario in `text` and the name of its format (a key of FORMATS)."""
    text = text.removeprefix("\ufeff")  # a byte-order mark left by the caller's decoding
    fmt = detect_format(text, suffix)
    if fmt is None:
        raise InputError.single(
            "qimma does not recognise this file's format",
            "لم يتعرف qimma على صيغة هذا الملف",
            file=file,
            line=1,
            fix_en="give a qimma YAML scenario, a table with the header "
            "Actor,Capability,Position,Salience, a KTAB SMP CSV or XML file, or a Decide file "
            "(#A/#P/#M/#D lines); see docs/scenario-format.md",
            fix_ar="حدد سيناريو YAML أو جدولًا رأسه Actor,Capability,Position,Salience أو ملف "
            "KTAB SMP بصيغة CSV أو XML أو ملف Decide (أسطر #A/#P/#M/#D)؛ انظر "
            "docs/scenario-format.md",
        )
    return FORMATS[fmt][0](text, file), fmt


def read_scenario(path: str | Path) -> tuple[Scenario, str]:
    """A scenario file of any supported format, and the name of its format."""
    p = Path(path)
    return read_scenario_text(read_text(p), str(path), p.suffix)


def runnable_problems_in_file(path: str | Path, scenario: Scenario, fmt: str) -> list[Problem]:
    """Why the models cannot run on the scenario read from `path`, with file and (YAML) line."""
    found = runnable_problems(scenario)
    if not found:
        return []
    if fmt == "yaml":
        return locate_in_yaml(read_text(Path(path)), str(path), found)
    return [p.located(file=str(path)) for p in found]


def load_scenario(path: str | Path | None, *, runnable: bool = True) -> Scenario:
    """Load a scenario file of any supported format; None means the default scenario.

    With `runnable` (for every caller that runs models on it) a scenario that no model can mean
    anything with is refused here, with the file and line of each problem."""
    if path is None:
        return load_default_scenario()
    scenario, fmt = read_scenario(path)
    if runnable:
        problems = runnable_problems_in_file(path, scenario, fmt)
        if problems:
            raise InputError(problems)
    return scenario


def save_scenario(scenario: Scenario, path: str | Path, *, overwrite: bool = False) -> None:
    """Write YAML; never overwrite an existing file unless asked, never leave a half-written one."""
    p = Path(path)
    if p.suffix.lower() not in (".yaml", ".yml"):
        raise InputError.single(
            f"cannot write '{p.suffix or '(no extension)'}' files",
            f"لا يمكن الكتابة بصيغة '{p.suffix or '(بلا امتداد)'}'",
            file=str(path),
            fix_en="give an output name ending in .yaml",
            fix_ar="اجعل اسم ملف الإخراج ينتهي بـ .yaml",
        )
    if p.is_dir():
        raise InputError.single(
            "the output is a folder",
            "ملف الإخراج مجلد",
            file=str(path),
            fix_en="give a file name ending in .yaml",
            fix_ar="حدد اسم ملف ينتهي بـ .yaml",
        )
    if p.exists() and not overwrite:
        raise InputError.single(
            "the output file already exists",
            "ملف الإخراج موجود مسبقًا",
            file=str(path),
            fix_en="choose another name, or pass --force to replace it",
            fix_ar="اختر اسمًا آخر أو استخدم --force لاستبداله",
        )
    if not p.parent.is_dir():
        raise InputError.single(
            "the output folder does not exist",
            "مجلد الإخراج غير موجود",
            file=str(path),
            fix_en=f"create the folder {p.parent} first, or write elsewhere",
            fix_ar=f"أنشئ المجلد {p.parent} أولًا أو اكتب في مكان آخر",
        )
    tmp = p.with_name(p.name + ".tmp")
    try:
        tmp.write_text(scenario_to_yaml(scenario), encoding="utf-8")
        tmp.replace(p)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise InputError.single(
            f"cannot write the file: {e.strerror or e}",
            f"تعذرت كتابة الملف: {e.strerror or e}",
            file=str(path),
            fix_en="check that the folder is writable and the disk is not full",
            fix_ar="تحقق من صلاحية الكتابة في المجلد ومن المساحة المتاحة",
        ) from None
