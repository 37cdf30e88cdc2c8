"""Loading and saving scenarios in every supported format, chosen by content and extension."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from qimma.errors import InputError
from qimma.scenario.model import Scenario
from qimma.scenario.yaml_format import load_yaml, scenario_from_yaml_text, scenario_to_yaml

DEFAULT_SCENARIO_RESOURCE = "default.yaml"


def load_default_scenario() -> Scenario:
    """The embedded default: US–Russia–Ukraine negotiations, 2025 (from the two seeds)."""
    text = (
        resources.files("qimma.data.scenarios")
        .joinpath(DEFAULT_SCENARIO_RESOURCE)
        .read_text("utf-8")
    )
    return scenario_from_yaml_text(text, f"<default scenario {DEFAULT_SCENARIO_RESOURCE}>")


def load_scenario(path: str | Path | None) -> Scenario:
    """Load a scenario file of any supported format; None means the default scenario."""
    if path is None:
        return load_default_scenario()
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return load_yaml(p)
    raise InputError.single(
        f"unsupported file type '{suffix or '(none)'}'",
        f"نوع ملف غير مدعوم '{suffix or '(بلا امتداد)'}'",
        file=str(path),
        fix_en="give a .yaml scenario",
        fix_ar="حدد سيناريو بامتداد .yaml",
    )


def save_scenario(scenario: Scenario, path: str | Path, *, overwrite: bool = False) -> None:
    """Write YAML; never overwrite an existing file unless asked."""
    p = Path(path)
    if p.exists() and not overwrite:
        raise InputError.single(
            "the output file already exists",
            "ملف الإخراج موجود مسبقًا",
            file=str(path),
            fix_en="choose another name, or pass --force to replace it",
            fix_ar="اختر اسمًا آخر أو استخدم --force لاستبداله",
        )
    if p.suffix.lower() not in (".yaml", ".yml"):
        raise InputError.single(
            f"cannot write '{p.suffix}' files",
            f"لا يمكن الكتابة بصيغة '{p.suffix}'",
            file=str(path),
            fix_en="give an output name ending in .yaml",
            fix_ar="اجعل اسم ملف الإخراج ينتهي بـ .yaml",
        )
    tmp = p.with_name(p.name + ".tmp")
    tmp.write_text(scenario_to_yaml(scenario), encoding="utf-8")
    tmp.replace(p)
