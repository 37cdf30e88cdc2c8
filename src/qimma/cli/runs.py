"""How the analysis commands call the application layer: one request, one run, a progress bar,
and problems located at the command's own options."""

from __future__ import annotations

import sys

from qimma.app import RunRequest, RunResult, check, run
from qimma.cli.progress import stage_progress
from qimma.errors import Problem, QimmaError
from qimma.scenario.model import Scenario

# a request's field path -> the option that sets it (the longest matching prefix wins)
FLAGS = {
    "draws": "--draws",
    "seed": "--seed",
    "models": "--model",
    "distribution": "--dist",
    "levers": "LEVER",
    "execution.workers": "--workers",
    "execution.scheduler": "--scheduler",
    "analyses.sensitivity.method": "--method",
    "analyses.sensitivity.n": "--n",
    "analyses.sensitivity.signpost_draws": "--draws",
    "analyses.sensitivity": "--sensitivity",
}

STAGES = {
    "en": {
        "forecast": "Forecast (models)",
        "montecarlo": "Monte Carlo",
        "whatif": "What-if",
        "sensitivity": "Sensitivity",
        "signposts": "Signposts",
        "editions": "Editions",
        "backtest": "Backtest",
    },
    "ar": {
        "forecast": "التنبؤ (النماذج)",
        "montecarlo": "مونت كارلو",
        "whatif": "ماذا لو",
        "sensitivity": "الحساسية",
        "signposts": "المؤشرات",
        "editions": "الإصدارات",
        "backtest": "الاختبار الرجعي",
    },
}


def flag_of(path: str | None, flags: dict[str, str] = FLAGS) -> str | None:
    if path is None:
        return None
    best = max(
        (p for p in flags if path == p or path.startswith((p + ".", p + "["))),
        key=len,
        default=None,
    )
    return None if best is None else flags[best]


def at_flags(e: QimmaError, flags: dict[str, str] = FLAGS) -> QimmaError:
    """The same error with each request field path shown as the option that sets it."""
    out = []
    for p in e.problems:
        flag = flag_of(p.path, flags)
        path = p.path if flag is None else flag
        msg = p.message_en
        if flag is not None and p.path and msg.startswith(p.path + " "):
            msg = flag + msg[len(p.path) :]  # "draws 0 is out of range" -> "--draws 0 ..."
        out.append(Problem(msg, p.message_ar, p.file, p.line, path, p.fix_en, p.fix_ar))
    return type(e)(out)


def show_progress(json_out: bool) -> bool:
    """A progress bar only for a person at a terminal: never with --json or into a pipe."""
    return not json_out and sys.stdout.isatty()


def check_for_cli(request: RunRequest, flags: dict[str, str] = FLAGS) -> None:
    """The request's own limits (no scenario yet), at the command's options."""
    try:
        check(request)
    except QimmaError as e:
        raise at_flags(e, flags) from None


def run_for_cli(
    scenario: Scenario,
    request: RunRequest,
    lang: str,
    json_out: bool,
    flags: dict[str, str] = FLAGS,
) -> RunResult:
    try:
        with stage_progress(STAGES[lang], show_progress(json_out)) as show:
            return run(scenario, request, show)
    except QimmaError as e:
        raise at_flags(e, flags) from None
