"""What a run is asked to do: explicit, picklable request objects and their one validation.

A request names the models (each with its parameters), the draws, seed and distribution, the
levers to pull, which analyses to include and how to execute. `validate` returns every problem
at once, each located by a field path of the request (`draws`, `models[1].params.q`,
`execution.workers`); the command line maps paths to its options, the web app to its fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from qimma.analysis.sampling import Distribution
from qimma.errors import InputError, Problem, QimmaError
from qimma.limits import (
    DEFAULT_DRAWS,
    DEFAULT_MORRIS,
    MAX_SAMPLES,
    SIGNPOST_DRAWS,
    draws_problem,
    seed_problem,
    workers_problem,
)
from qimma.models.registry import MODELS, ModelSpec, model_names, runnable_models
from qimma.scenario.model import Scenario


@dataclass(frozen=True)
class SensitivityOptions:
    """Sensitivity screening (Sobol/Morris), the signpost search, and optionally the pivotal
    actors. A full run (report, web) screens with Morris: r·(K + 1) evaluations."""

    method: str = "morris"  # sobol | morris | auto
    n: int = DEFAULT_MORRIS  # Sobol base sample or Morris trajectories
    signpost_draws: int = SIGNPOST_DRAWS
    pivotal: bool = False


@dataclass(frozen=True)
class EditionOptions:
    """The drift between two dated editions of the scenario (ids; None: the oldest and the
    newest), over `draws` Monte Carlo draws per run."""

    before: str | None = None
    after: str | None = None
    draws: int = SIGNPOST_DRAWS


@dataclass(frozen=True)
class Analyses:
    """Which analyses a run includes beyond the point forecast (always run)."""

    montecarlo: bool = True  # distributions and named-outcome probabilities over `draws`
    sensitivity: SensitivityOptions | None = None  # None: no sensitivity or signposts
    backtest: bool = False  # the DEU III backtest summary of the models
    editions: EditionOptions | None = None  # None: no editions drift

    @classmethod
    def full(cls) -> Analyses:
        """Everything a report or a web run page shows."""
        return cls(
            montecarlo=True,
            sensitivity=SensitivityOptions(),
            backtest=True,
            editions=EditionOptions(),
        )


@dataclass(frozen=True)
class Execution:
    """Where and how the draws are computed; does not change any number."""

    workers: int = 1
    scheduler: str | None = None  # a Dask scheduler, tcp://HOST:PORT or dask://HOST:PORT
    chunks: int | None = None  # cut the draw axis into this many chunks (progress moves)


@dataclass(frozen=True)
class RunRequest:
    """One run. `models` None = every registered model that can run on the scenario; `levers`
    non-empty adds a what-if comparison against the Monte Carlo baseline (the same draws)."""

    models: tuple[ModelSpec, ...] | None = None
    draws: int = DEFAULT_DRAWS
    seed: int = 0
    distribution: Distribution = Distribution.triangular
    levers: tuple[str, ...] = ()
    model_error: bool = True  # each model's DEU III error added before reading named outcomes
    analyses: Analyses = field(default_factory=Analyses)
    execution: Execution = field(default_factory=Execution)

    def with_(self, **changes: Any) -> RunRequest:
        return replace(self, **changes)

    def model_refs(self, scenario: Scenario) -> list[ModelSpec]:
        """The models this run uses on `scenario`: the chosen ones, or the default set."""
        chosen = list(self.models) if self.models else [ModelSpec(n) for n in model_names()]
        refs, _ = runnable_models(chosen, len(scenario.issues))
        return [r for r in refs if isinstance(r, ModelSpec)]

    def to_json(self) -> dict[str, Any]:
        sens, eds = self.analyses.sensitivity, self.analyses.editions
        return {
            "models": None if self.models is None else [m.to_json() for m in self.models],
            "draws": self.draws,
            "seed": self.seed,
            "distribution": self.distribution.value,
            "levers": list(self.levers),
            "model_error": self.model_error,
            "analyses": {
                "montecarlo": self.analyses.montecarlo,
                "sensitivity": None if sens is None else vars(sens).copy(),
                "backtest": self.analyses.backtest,
                "editions": None if eds is None else vars(eds).copy(),
            },
            "execution": vars(self.execution).copy(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunRequest:
        a = data.get("analyses") or {}
        sens = a.get("sensitivity")
        models = data.get("models")
        return cls(
            models=None
            if models is None
            else tuple(ModelSpec(m["name"], dict(m.get("params") or {})) for m in models),
            draws=int(data.get("draws", DEFAULT_DRAWS)),
            seed=int(data.get("seed", 0)),
            distribution=Distribution(data.get("distribution", "triangular")),
            levers=tuple(data.get("levers") or ()),
            model_error=bool(data.get("model_error", True)),
            analyses=Analyses(
                montecarlo=bool(a.get("montecarlo", True)),
                sensitivity=None if sens is None else SensitivityOptions(**sens),
                backtest=bool(a.get("backtest", False)),
                editions=None if not a.get("editions") else EditionOptions(**a["editions"]),
            ),
            execution=Execution(**(data.get("execution") or {})),
        )


def parse_models(names: list[str] | None) -> tuple[ModelSpec, ...] | None:
    """Model names (no parameters) as specs; None or empty = the default set."""
    return tuple(ModelSpec(n) for n in names) if names else None


def _at(e: QimmaError, path: str, strip: str = "") -> list[Problem]:
    """The problems of an error raised while checking a field, located at that field (a model
    names its parameters "eum.q": `strip` drops the model's name)."""
    out = []
    for p in e.problems:
        own = p.path.removeprefix(strip) if p.path else None
        sub = f"{path}.{own}" if own else path
        out.append(Problem(p.message_en, p.message_ar, p.file, p.line, sub, p.fix_en, p.fix_ar))
    return out


def _model_problems(
    models: tuple[ModelSpec, ...] | None, scenario: Scenario | None
) -> list[Problem]:
    if models is None:
        return []
    if not models:
        return [
            Problem(
                "no model is chosen",
                "لم يُختر أي نموذج",
                path="models",
                fix_en="choose at least one model, or none for every model",
                fix_ar="اختر نموذجًا واحدًا على الأقل، أو لا شيء لكل النماذج",
            )
        ]
    out: list[Problem] = []
    seen: set[str] = set()
    for k, spec in enumerate(models):
        path = f"models[{k}]"
        if spec.name not in MODELS:
            known = ", ".join(MODELS)
            out.append(
                Problem(
                    f"unknown model '{spec.name}'",
                    f"نموذج غير معروف '{spec.name}'",
                    path=f"{path}.name",
                    fix_en=f"use one of: {known}",
                    fix_ar=f"استخدم أحد: {known}",
                )
            )
            continue
        if spec.name in seen:
            out.append(
                Problem(
                    f"the model '{spec.name}' is chosen twice",
                    f"النموذج '{spec.name}' مختار مرتين",
                    path=f"{path}.name",
                    fix_en="choose each model once",
                    fix_ar="اختر كل نموذج مرة واحدة",
                )
            )
        seen.add(spec.name)
        try:
            spec.build()
        except QimmaError as e:
            out.extend(_at(e, f"{path}.params", strip=f"{spec.name}."))
        except (TypeError, ValueError) as e:
            out.append(
                Problem(
                    f"the parameters of '{spec.name}' are not accepted: {e}",
                    f"معاملات '{spec.name}' غير مقبولة: {e}",
                    path=f"{path}.params",
                    fix_en="see docs/models for the model's parameters",
                    fix_ar="راجع docs/models لمعرفة معاملات النموذج",
                )
            )
    if scenario is not None and not out:
        ok, skipped = runnable_models(list(models), len(scenario.issues))
        if not ok:
            out.append(
                Problem(
                    "none of the chosen models can run on this scenario",
                    "لا يمكن تشغيل أي من النماذج المختارة على هذا السيناريو",
                    path="models",
                    fix_en="; ".join(f"{m}: {r}" for m, r in skipped.items()),
                    fix_ar="اختر نموذجًا آخر",
                )
            )
    return out


def _sensitivity_problems(s: SensitivityOptions | None) -> list[Problem]:
    if s is None:
        return []
    out: list[Problem] = []
    if s.method not in ("sobol", "morris", "auto"):
        out.append(
            Problem(
                f"unknown sensitivity method '{s.method}'",
                f"طريقة حساسية غير معروفة '{s.method}'",
                path="analyses.sensitivity.method",
                fix_en="use sobol, morris or auto",
                fix_ar="استخدم sobol أو morris أو auto",
            )
        )
    if not 2 <= s.n <= MAX_SAMPLES:
        out.append(
            Problem(
                f"sample size {s.n} is out of range",
                f"حجم العينة {s.n} خارج المدى",
                path="analyses.sensitivity.n",
                fix_en=f"give a number from 2 to {MAX_SAMPLES:,} (a power of 2 for Sobol)",
                fix_ar=f"أدخل عددًا من 2 إلى {MAX_SAMPLES:,} (قوة للعدد 2 لطريقة سوبول)",
            )
        )
    p = draws_problem(s.signpost_draws, "analyses.sensitivity.signpost_draws")
    return out + ([p] if p else [])


def _edition_problems(e: EditionOptions | None, scenario: Scenario | None) -> list[Problem]:
    if e is None:
        return []
    p = draws_problem(e.draws, "analyses.editions.draws")
    out = [p] if p else []
    if scenario is not None:
        from qimma.scenario.editions import find_edition

        for name in ("before", "after"):
            eid = getattr(e, name)
            if eid is not None:
                try:
                    find_edition(scenario, eid)
                except QimmaError as err:
                    out.extend(_at(err, f"analyses.editions.{name}"))
    return out


def validate(request: RunRequest, scenario: Scenario | None = None) -> list[Problem]:
    """Every problem of `request` (on `scenario`, when given), located by field path."""
    from qimma.analysis.levers import find_levers
    from qimma.analysis.parallel import parse_scheduler

    needs_draws = request.analyses.montecarlo or bool(request.levers)
    found = [
        draws_problem(request.draws, lo=1 if needs_draws else 0),
        seed_problem(request.seed),
        workers_problem(request.execution.workers),
    ]
    out = [p for p in found if p is not None]
    if request.execution.scheduler is not None:
        try:
            parse_scheduler(request.execution.scheduler)
        except QimmaError as e:
            out.extend(e.problems)
    out += _model_problems(request.models, scenario)
    out += _sensitivity_problems(request.analyses.sensitivity)
    out += _edition_problems(request.analyses.editions, scenario)
    if scenario is not None:
        for k, lever in enumerate(request.levers):
            try:
                find_levers(scenario, [lever])
            except QimmaError as e:
                out.extend(_at(e, f"levers[{k}]"))
    return out


def check(request: RunRequest, scenario: Scenario | None = None) -> None:
    """Raise one InputError with every problem of the request, if any."""
    problems = validate(request, scenario)
    if problems:
        raise InputError(problems)
