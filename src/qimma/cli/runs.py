"""How the analysis commands call the application layer: one request, one run, a progress bar,
and problems located at the command's own options."""

from __future__ import annotations

from qimma import i18n
from qimma.app import RunRequest, RunResult, check, run
from qimma.app.pipeline import Preview
from qimma.cli.common import err_console, show_progress
from qimma.cli.progress import stage_progress
from qimma.errors import Problem, QimmaError
from qimma.models.registry import parse_model_list
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

STAGES = ("forecast", "montecarlo", "whatif", "sensitivity", "signposts", "editions", "backtest")
UNITS = ("models", "draws", "samples", "steps")


def stage_words(lang: str) -> tuple[dict[str, str], dict[str, str]]:
    """The pipeline's stages and units of work in the user's words (for the progress bar)."""
    return (
        {s: i18n.t(f"cli.stage_{s}", lang) for s in STAGES},
        {u: i18n.t(f"cli.unit_{u}", lang) for u in UNITS},
    )


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


def model_list(spec: str | None) -> list[str] | None:
    """The models an option names ('eum,smp'), None for the default set; a problem with the list
    is shown at the model option."""
    if not spec:
        return None
    try:
        return parse_model_list(spec)
    except QimmaError as e:
        raise at_flags(e) from None


def check_for_cli(request: RunRequest, flags: dict[str, str] = FLAGS) -> None:
    """The request's own limits (no scenario yet), at the command's options."""
    try:
        check(request)
    except QimmaError as e:
        raise at_flags(e, flags) from None


def say_preview(p: Preview, lang: str, json_out: bool) -> None:
    """Before a run: its estimate when long (not with --json), and on a terminal the models whose
    kernels it compiles first (every command: the first run after an install compiles)."""
    if json_out:
        return
    if p.estimate is not None:
        err_console.print(p.estimate.text("ar" if lang == "ar" else "en"), markup=False)
    if p.compiling and show_progress(json_out):
        key = "cli.compiling_many" if len(p.compiling) > 1 else "cli.compiling_one"
        which = i18n.t("cli.and", lang).join(p.compiling)
        text = i18n.t(key, lang, models=which, s=p.compile_seconds)
        err_console.print(text, markup=False, highlight=False, soft_wrap=True)


def run_for_cli(
    scenario: Scenario,
    request: RunRequest,
    lang: str,
    json_out: bool,
    flags: dict[str, str] = FLAGS,
) -> RunResult:
    """The application layer's run (which validates the request once), its preview said first,
    with a progress bar on a terminal; its problems shown at the command's options."""
    try:
        with stage_progress(*stage_words(lang), show_progress(json_out)) as show:
            return run(scenario, request, show, lambda p: say_preview(p, lang, json_out))
    except QimmaError as e:
        raise at_flags(e, flags) from None
