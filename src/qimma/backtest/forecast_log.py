"""The forecast log: record forecasts now, resolve them when the world answers, score them.

A forecast is either a set of named outcomes with probabilities summing to 1 ("outcomes") or a
predicted value of one issue on its scale ("issue"). Scores, per model and overall:

- Brier score (Brier 1950, the original multi-category form): Σ_k (p_k − o_k)², o_k = 1 for the
  outcome that happened and 0 otherwise; 0 is perfect, 2 the worst.
- Log score: −ln p of the outcome that happened (Good 1952); 0 is perfect. Probabilities are
  floored at LOG_FLOOR so that a confident miss costs a large but finite penalty.
- Per-issue forecasts: absolute error |predicted − resolved value| (mean over forecasts).

Stored in the embedded store (`qimma.store.db`), tables from migration 0002_forecast_log. Text is
stored as given after Unicode NFC normalisation, so Arabic outcome names round-trip intact.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine

from qimma.errors import InputError, NotFoundError
from qimma.scenario.model import Scenario

LOG_FLOOR = 1e-6
SUM_TOLERANCE = 1e-3

metadata = sa.MetaData()
forecasts = sa.Table(
    "forecast_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("scenario_hash", sa.String(64), nullable=False),
    sa.Column("scenario_title", sa.UnicodeText),
    sa.Column("model", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("issue", sa.Unicode(200)),
    sa.Column("predicted_value", sa.Float),
    sa.Column("forecast_date", sa.Date, nullable=False),
    sa.Column("resolution_date", sa.Date),
    sa.Column("note", sa.UnicodeText),
    sa.Column("resolved_at", sa.Date),
    sa.Column("resolved_outcome", sa.UnicodeText),
    sa.Column("resolved_value", sa.Float),
)
outcomes = sa.Table(
    "forecast_log_outcome",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("forecast_id", sa.Integer, sa.ForeignKey("forecast_log.id"), nullable=False),
    sa.Column("name", sa.UnicodeText, nullable=False),
    sa.Column("probability", sa.Float, nullable=False),
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 of the scenario's canonical JSON: the same content gives the same hash."""
    return hashlib.sha256(scenario.model_dump_json().encode("utf-8")).hexdigest()


@dataclass
class LoggedForecast:
    id: int
    scenario_hash: str
    scenario_title: str | None
    model: str
    kind: str
    forecast_date: dt.date
    resolution_date: dt.date | None
    issue: str | None = None
    predicted_value: float | None = None
    note: str | None = None
    outcomes: dict[str, float] = field(default_factory=dict)
    resolved_at: dt.date | None = None
    resolved_outcome: str | None = None
    resolved_value: float | None = None

    @property
    def resolved(self) -> bool:
        return self.resolved_outcome is not None or self.resolved_value is not None

    def to_json(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        for k in ("forecast_date", "resolution_date", "resolved_at"):
            d[k] = d[k].isoformat() if d[k] else None
        return d


def parse_outcome_spec(spec: str) -> tuple[str, float]:
    """'name=0.6' -> ('name', 0.6); the last '=' separates, so names may contain '='."""
    if "=" not in spec:
        raise InputError.single(
            f"'{spec}' is not NAME=PROBABILITY",
            f"'{spec}' ليس بالشكل الاسم=الاحتمال",
            path="--outcome",
            fix_en="write e.g. --outcome 'ceasefire=0.6'",
            fix_ar="اكتب مثلًا --outcome 'وقف إطلاق النار=0.6'",
        )
    name, _, p = spec.rpartition("=")
    try:
        prob = float(p.strip().rstrip("%")) / (100.0 if p.strip().endswith("%") else 1.0)
    except ValueError:
        prob = math.nan
    if not name.strip() or not 0.0 <= prob <= 1.0:
        raise InputError.single(
            f"'{spec}': the name is empty or the probability is not between 0 and 1",
            f"'{spec}': الاسم فارغ أو الاحتمال ليس بين 0 و1",
            path="--outcome",
            fix_en="write a name and a probability from 0 to 1 (or 0% to 100%)",
            fix_ar="اكتب اسمًا واحتمالًا من 0 إلى 1 (أو من 0% إلى 100%)",
        )
    return nfc(name), prob


def add_forecast(
    engine: Engine,
    *,
    scenario_hash: str,
    model: str,
    forecast_date: dt.date,
    resolution_date: dt.date | None = None,
    named_outcomes: dict[str, float] | None = None,
    issue: str | None = None,
    predicted_value: float | None = None,
    scenario_title: str | None = None,
    note: str | None = None,
) -> int:
    """Store one forecast; returns its id. Exactly one of named outcomes or an issue value."""
    has_outcomes = bool(named_outcomes)
    has_issue = issue is not None and predicted_value is not None
    if has_outcomes == has_issue:
        raise InputError.single(
            "give either named outcomes with probabilities, or one issue with a value",
            "حدد إما نتائج مسماة مع احتمالاتها، وإما قضية واحدة مع قيمة",
            fix_en="use --outcome NAME=P (twice or more) or --issue ID --value X",
            fix_ar="استخدم --outcome الاسم=الاحتمال (مرتين أو أكثر)"
            " أو --issue الرمز --value القيمة",
        )
    if named_outcomes:
        total = sum(named_outcomes.values())
        if len(named_outcomes) < 2 or abs(total - 1.0) > SUM_TOLERANCE:
            raise InputError.single(
                f"named outcomes must be at least two and sum to 1 (they sum to {total:.4g})",
                f"يجب أن تكون النتائج المسماة اثنتين على الأقل ومجموعها 1 (المجموع {total:.4g})",
                path="--outcome",
                fix_en="list every outcome, e.g. --outcome 'deal=0.3' --outcome 'no deal=0.7'",
                fix_ar="اذكر كل النتائج، مثل --outcome 'اتفاق=0.3' --outcome 'لا اتفاق=0.7'",
            )
    if resolution_date is not None and resolution_date < forecast_date:
        raise InputError.single(
            "the resolution date is before the forecast date",
            "تاريخ الحسم يسبق تاريخ التوقع",
            path="--resolve-by",
            fix_en="give a resolution date on or after the forecast date",
            fix_ar="حدد تاريخ حسم في يوم التوقع أو بعده",
        )
    with engine.begin() as conn:
        res = conn.execute(
            forecasts.insert().values(
                created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
                scenario_hash=scenario_hash,
                scenario_title=nfc(scenario_title) if scenario_title else None,
                model=nfc(model),
                kind="outcomes" if has_outcomes else "issue",
                issue=nfc(issue) if issue else None,
                predicted_value=predicted_value,
                forecast_date=forecast_date,
                resolution_date=resolution_date,
                note=nfc(note) if note else None,
            )
        )
        key = res.inserted_primary_key
        assert key is not None
        fid = int(key[0])
        if named_outcomes:
            conn.execute(
                outcomes.insert(),
                [
                    {"forecast_id": fid, "name": nfc(n), "probability": p}
                    for n, p in named_outcomes.items()
                ],
            )
    return fid


def _row_to_forecast(row: Any, outs: dict[str, float]) -> LoggedForecast:
    return LoggedForecast(
        id=row.id,
        scenario_hash=row.scenario_hash,
        scenario_title=row.scenario_title,
        model=row.model,
        kind=row.kind,
        forecast_date=row.forecast_date,
        resolution_date=row.resolution_date,
        issue=row.issue,
        predicted_value=row.predicted_value,
        note=row.note,
        outcomes=outs,
        resolved_at=row.resolved_at,
        resolved_outcome=row.resolved_outcome,
        resolved_value=row.resolved_value,
    )


def list_forecasts(engine: Engine) -> list[LoggedForecast]:
    with engine.connect() as conn:
        rows = conn.execute(forecasts.select().order_by(forecasts.c.id)).all()
        orows = conn.execute(outcomes.select().order_by(outcomes.c.id)).all()
    by_id: dict[int, dict[str, float]] = {}
    for o in orows:
        by_id.setdefault(o.forecast_id, {})[o.name] = o.probability
    return [_row_to_forecast(r, by_id.get(r.id, {})) for r in rows]


def get_forecast(engine: Engine, fid: int) -> LoggedForecast:
    for f in list_forecasts(engine):
        if f.id == fid:
            return f
    raise NotFoundError.single(
        f"no forecast with id {fid} in the log",
        f"لا يوجد توقع بالرقم {fid} في السجل",
        fix_en="see the ids with: qimma log list",
        fix_ar="اعرض الأرقام بالأمر: qimma log list",
    )


def resolve_forecast(
    engine: Engine, fid: int, outcome: str, resolved_at: dt.date | None = None
) -> LoggedForecast:
    """Record what happened: the name of an outcome, or the issue's value. Never overwrites."""
    f = get_forecast(engine, fid)
    if f.resolved:
        raise InputError.single(
            f"forecast {fid} is already resolved",
            f"التوقع {fid} محسوم مسبقًا",
            fix_en="resolutions are final; log a new forecast instead",
            fix_ar="الحسم نهائي؛ سجّل توقعًا جديدًا بدلًا من ذلك",
        )
    values: dict[str, Any] = {"resolved_at": resolved_at or dt.date.today()}
    if f.kind == "outcomes":
        name = nfc(outcome)
        if name not in f.outcomes:
            known = " | ".join(f.outcomes)
            raise InputError.single(
                f"'{name}' is not one of this forecast's outcomes",
                f"'{name}' ليست من نتائج هذا التوقع",
                path="--outcome",
                fix_en=f"use one of: {known}",
                fix_ar=f"استخدم إحدى: {known}",
            )
        values["resolved_outcome"] = name
    else:
        try:
            values["resolved_value"] = float(outcome)
        except ValueError:
            raise InputError.single(
                f"'{outcome}' is not a number",
                f"'{outcome}' ليس رقمًا",
                path="--outcome",
                fix_en="give the issue's actual value on its scale, e.g. --outcome 42.5",
                fix_ar="حدد القيمة الفعلية للقضية على مقياسها، مثل --outcome 42.5",
            ) from None
    with engine.begin() as conn:
        conn.execute(forecasts.update().where(forecasts.c.id == fid).values(**values))
    return get_forecast(engine, fid)


def brier(probs: dict[str, float], happened: str) -> float:
    return sum((p - (1.0 if n == happened else 0.0)) ** 2 for n, p in probs.items())


def log_score(probs: dict[str, float], happened: str) -> float:
    return -math.log(max(probs.get(happened, 0.0), LOG_FLOOR))


@dataclass
class ScoreRow:
    model: str
    n_outcomes: int = 0
    brier: float = math.nan
    log: float = math.nan
    n_issue: int = 0
    mae: float = math.nan
    n_open: int = 0


def score_log(engine: Engine) -> list[ScoreRow]:
    """Mean scores of resolved forecasts per model, then one row 'overall'."""
    fs = list_forecasts(engine)
    groups: dict[str, list[LoggedForecast]] = {}
    for f in fs:
        groups.setdefault(f.model, []).append(f)
    groups["overall"] = fs
    rows = []
    for model, items in groups.items():
        b = [brier(f.outcomes, f.resolved_outcome) for f in items if f.resolved_outcome]
        lg = [log_score(f.outcomes, f.resolved_outcome) for f in items if f.resolved_outcome]
        ae = [
            abs(f.predicted_value - f.resolved_value)
            for f in items
            if f.resolved_value is not None and f.predicted_value is not None
        ]
        rows.append(
            ScoreRow(
                model=model,
                n_outcomes=len(b),
                brier=sum(b) / len(b) if b else math.nan,
                log=sum(lg) / len(lg) if lg else math.nan,
                n_issue=len(ae),
                mae=sum(ae) / len(ae) if ae else math.nan,
                n_open=sum(1 for f in items if not f.resolved),
            )
        )
    return rows
