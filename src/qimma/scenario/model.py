"""The scenario data model: actors × issues, stances with ranges and evidence, outcomes, levers.

A scenario is what an analyst believes about a negotiation. Everything a model needs is here, and
everything here can be traced to a quoted passage or is marked as an assumption.

Field-level rules (types, ranges) live on the Pydantic models; rules that relate several parts of
a scenario (unknown actor ids, duplicates, anchors outside the scale) live in
:func:`cross_check`, so that all problems of one file can be reported at once.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from qimma.errors import Problem

ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_.\-]{0,63}$"
_ID_RE = re.compile(ID_PATTERN)
_PART_AR = {"value": "القيمة", "low": "الحد الأدنى", "high": "الحد الأعلى"}

Basis = Literal["explicit", "inferred", "assumption"]


class BilingualValueError(ValueError):
    """A broken field rule in English and Arabic, with the fix (pydantic keeps this object)."""

    def __init__(
        self, en: str, ar: str, fix_en: str | None = None, fix_ar: str | None = None
    ) -> None:
        super().__init__(en)
        self.en, self.ar, self.fix_en, self.fix_ar = en, ar, fix_en, fix_ar


def _date_text(v: object) -> object:
    """YAML reads an unquoted 2025-08-16 as a date; keep it as the text the analyst wrote."""
    if isinstance(v, _dt.date):
        return v.isoformat()
    return v


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)


class Text(_Strict):
    """A short text in Arabic and English; at least one must be given."""

    ar: str = ""
    en: str = ""

    @model_validator(mode="after")
    def _one_language(self) -> Text:
        if not self.ar and not self.en:
            raise BilingualValueError(
                "give the text in at least one language (ar or en)",
                "اكتب النص بلغة واحدة على الأقل (ar أو en)",
                "add 'en: ...' or 'ar: ...'",
                "أضف 'ar: ...' أو 'en: ...'",
            )
        return self

    def get(self, lang: str) -> str:
        """The text in `lang`, falling back to the other language."""
        if lang == "ar":
            return self.ar or self.en
        return self.en or self.ar


class Anchor(_Strict):
    """A labelled point of an issue scale, e.g. 50 = "freeze on the current line"."""

    value: float
    label: Text


class Scale(_Strict):
    """The issue's scale; positions and the status quo lie within [min, max]."""

    min: float = 0.0
    max: float = 100.0
    anchors: list[Anchor] = Field(min_length=2)

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if not self.max > self.min:
            raise BilingualValueError(
                f"scale max ({self.max:g}) must be greater than min ({self.min:g})",
                f"يجب أن يكون الحد الأعلى للمقياس ({self.max:g}) "
                f"أكبر من الحد الأدنى ({self.min:g})",
                "swap min and max, or widen the scale",
                "بدّل الحدين أو وسّع المقياس",
            )
        return self

    def nearest_anchor(self, x: float) -> Anchor:
        return min(self.anchors, key=lambda a: abs(a.value - x))


class Keywords(_Strict):
    ar: list[str] = Field(default_factory=list)
    en: list[str] = Field(default_factory=list)


class Actor(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: Text
    aliases: list[str] = Field(
        default_factory=list,
        description="Other names and metonyms in either language, e.g. 'Moscow', 'الكرملين'.",
    )
    kind: str = ""
    note: str = ""


class Issue(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: Text
    scale: Scale
    status_quo: float
    orientation: Text | None = None
    keywords: Keywords = Field(default_factory=Keywords)
    note: str = ""


class Estimate(_Strict):
    """A point value with an optional plausible range [low, high]."""

    value: float
    low: float | None = None
    high: float | None = None

    @model_validator(mode="after")
    def _range_contains_value(self) -> Estimate:
        lo = self.value if self.low is None else self.low
        hi = self.value if self.high is None else self.high
        if not lo <= self.value <= hi:
            raise BilingualValueError(
                f"the range must contain the value: "
                f"low {lo:g} <= value {self.value:g} <= high {hi:g}",
                f"يجب أن تقع القيمة {self.value:g} بين الحد الأدنى {lo:g} والحد الأعلى {hi:g}",
                "make low <= value <= high",
                "اجعل القيمة بين الحد الأدنى والحد الأعلى",
            )
        return self

    @property
    def lo(self) -> float:
        return self.value if self.low is None else self.low

    @property
    def hi(self) -> float:
        return self.value if self.high is None else self.high


class Stance(_Strict):
    """What one actor wants on one issue, how much it cares, and how much it can do about it."""

    actor: str
    issue: str
    position: Estimate
    salience: Estimate = Field(description="0-100: share of attention the actor gives the issue")
    capability: Estimate = Field(description=">= 0: the actor's clout on this issue")
    basis: Basis = "assumption"
    evidence: list[str] = Field(default_factory=list)
    justification: str = ""

    @field_validator("salience")
    @classmethod
    def _salience_0_100(cls, v: Estimate) -> Estimate:
        for name, x in (("value", v.value), ("low", v.lo), ("high", v.hi)):
            if not 0 <= x <= 100:
                raise BilingualValueError(
                    f"salience {name} {x:g} is outside 0-100",
                    f"الأهمية ({_PART_AR[name]}) {x:g} خارج المدى 0-100",
                    "give a salience between 0 and 100",
                    "أدخل أهمية بين 0 و100",
                )
        return v

    @field_validator("capability")
    @classmethod
    def _capability_nonneg(cls, v: Estimate) -> Estimate:
        for name, x in (("value", v.value), ("low", v.lo), ("high", v.hi)):
            if x < 0:
                raise BilingualValueError(
                    f"capability {name} {x:g} is negative",
                    f"القدرة ({_PART_AR[name]}) {x:g} سالبة",
                    "give a capability of 0 or more",
                    "أدخل قدرة تساوي 0 أو أكثر",
                )
        return v


class Source(_Strict):
    """A document the evidence is quoted from."""

    id: str = Field(pattern=ID_PATTERN)
    title: Text
    author: str = ""
    venue: str = ""
    date: str = ""
    language: Literal["ar", "en"] = "ar"
    _date = field_validator("date", mode="before")(_date_text)
    resource: str = Field("", description="package resource or path of the document's text")
    note: str = ""


class Evidence(_Strict):
    """A quoted passage in its original language, with a translation."""

    id: str = Field(pattern=ID_PATTERN)
    source: str
    quote: str = Field(min_length=1)
    translation: str = ""
    note: str = ""


class Condition(_Strict):
    """An issue outcome must lie in [min, max] (either bound may be open)."""

    issue: str
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _bounds(self) -> Condition:
        if self.min is None and self.max is None:
            raise BilingualValueError(
                "give min, max or both", "حدد min أو max أو كليهما", None, None
            )
        if self.min is not None and self.max is not None and self.min > self.max:
            raise BilingualValueError(
                f"min {self.min:g} is above max {self.max:g}",
                f"الحد الأدنى {self.min:g} أكبر من الحد الأعلى {self.max:g}",
                "swap min and max",
                "بدّل الحدين",
            )
        return self


class TextualEstimate(_Strict):
    """What the source texts themselves say about an outcome's likelihood."""

    wording: str
    evidence: list[str] = Field(default_factory=list)
    low_pct: float | None = Field(None, ge=0, le=100)
    high_pct: float | None = Field(None, ge=0, le=100)


class NamedOutcome(_Strict):
    """A named end state, defined by conditions on issue outcomes (all must hold).

    Outcomes of the same `track` are meant to be mutually exclusive; an outcome with no conditions
    is the track's residual ("none of the others")."""

    id: str = Field(pattern=ID_PATTERN)
    name: Text
    track: str = "main"
    conditions: list[Condition] = Field(default_factory=list)
    description: Text | None = None
    evidence: list[str] = Field(default_factory=list)
    textual_estimate: TextualEstimate | None = None


class LeverChange(_Strict):
    """One edit of the scenario's inputs.

    `target` picks the number to edit; `actor` and `issues` pick the stances (empty = all);
    `op` says how: set it, add to it, or multiply it."""

    target: Literal["position", "salience", "capability", "status_quo"]
    actor: str | None = None
    issues: list[str] = Field(default_factory=list)
    op: Literal["set", "add", "multiply"]
    value: float


class Lever(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: Text
    changes: list[LeverChange] = Field(min_length=1)
    evidence: list[str] = Field(default_factory=list)
    note: str = ""


class Scenario(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: Text
    date: str = ""
    description: Text | None = None
    _date = field_validator("date", mode="before")(_date_text)
    sources: list[Source] = Field(default_factory=list)
    actors: list[Actor] = Field(min_length=1)
    issues: list[Issue] = Field(min_length=1)
    stances: list[Stance] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    outcomes: list[NamedOutcome] = Field(default_factory=list)
    levers: list[Lever] = Field(default_factory=list)

    # --- lookups ---------------------------------------------------------------------------
    def actor(self, actor_id: str) -> Actor:
        for a in self.actors:
            if a.id == actor_id:
                return a
        raise KeyError(actor_id)

    def issue(self, issue_id: str) -> Issue:
        for i in self.issues:
            if i.id == issue_id:
                return i
        raise KeyError(issue_id)

    def stance(self, actor_id: str, issue_id: str) -> Stance | None:
        for s in self.stances:
            if s.actor == actor_id and s.issue == issue_id:
                return s
        return None

    def evidence_by_id(self) -> dict[str, Evidence]:
        return {e.id: e for e in self.evidence}


def _dupes(ids: list[str]) -> list[tuple[int, str]]:
    seen: set[str] = set()
    out = []
    for k, i in enumerate(ids):
        if i in seen:
            out.append((k, i))
        seen.add(i)
    return out


def unknown_id(kind: Literal["actor", "issue"], path: str, value: str, known: set[str]) -> Problem:
    """A reference to an actor or issue that the scenario does not declare."""
    allowed = ", ".join(sorted(known))
    if kind == "actor":
        return Problem(
            f"unknown actor '{value}'",
            f"فاعل غير معروف '{value}'",
            path=path,
            fix_en=f"use one of: {allowed}",
            fix_ar=f"استخدم أحد: {allowed}",
        )
    return Problem(f"unknown issue '{value}'", f"قضية غير معروفة '{value}'", path=path,
                   fix_en=f"use one of: {allowed}", fix_ar=f"استخدم إحدى: {allowed}")  # fmt: skip


def cross_check(s: Scenario) -> list[Problem]:
    """Rules that relate several parts of a scenario. Returns every problem found."""
    probs: list[Problem] = []

    def add(path: str, en: str, ar: str, fix_en: str, fix_ar: str) -> None:
        probs.append(Problem(en, ar, path=path, fix_en=fix_en, fix_ar=fix_ar))

    for coll, label_en, label_ar in (
        ("actors", "actor", "الفاعل"),
        ("issues", "issue", "القضية"),
        ("sources", "source", "المصدر"),
        ("evidence", "evidence", "الدليل"),
        ("outcomes", "outcome", "المآل"),
        ("levers", "lever", "الرافعة"),
    ):
        ids = [x.id for x in getattr(s, coll)]
        for k, dup in _dupes(ids):
            add(
                f"{coll}[{k}].id",
                f"duplicate {label_en} id '{dup}'",
                f"معرّف {label_ar} '{dup}' مكرر",
                "give every id once",
                "استخدم كل معرّف مرة واحدة",
            )
    actor_ids = {a.id for a in s.actors}
    issue_ids = {i.id for i in s.issues}
    source_ids = {x.id for x in s.sources}
    evidence_ids = {e.id for e in s.evidence}

    def unknown_actor(path: str, aid: str) -> None:
        probs.append(unknown_id("actor", path, aid, actor_ids))

    def unknown_issue(path: str, iid: str) -> None:
        probs.append(unknown_id("issue", path, iid, issue_ids))

    for k, iss in enumerate(s.issues):
        lo, hi = iss.scale.min, iss.scale.max
        if not lo <= iss.status_quo <= hi:
            add(
                f"issues[{k}].status_quo",
                f"status quo {iss.status_quo:g} is outside the scale {lo:g}-{hi:g}",
                f"الوضع الراهن {iss.status_quo:g} خارج المقياس {lo:g}-{hi:g}",
                f"give a value between {lo:g} and {hi:g}",
                f"أدخل قيمة بين {lo:g} و{hi:g}",
            )
        for j, anc in enumerate(iss.scale.anchors):
            if not lo <= anc.value <= hi:
                add(
                    f"issues[{k}].scale.anchors[{j}].value",
                    f"anchor {anc.value:g} is outside the scale {lo:g}-{hi:g}",
                    f"نقطة الارتكاز {anc.value:g} خارج المقياس {lo:g}-{hi:g}",
                    f"give a value between {lo:g} and {hi:g}",
                    f"أدخل قيمة بين {lo:g} و{hi:g}",
                )
        values = [a.value for a in iss.scale.anchors]
        if lo not in values or hi not in values:
            add(
                f"issues[{k}].scale.anchors",
                f"the scale needs labelled anchors at both ends ({lo:g} and {hi:g})",
                f"يحتاج المقياس إلى نقطتي ارتكاز موسومتين عند الطرفين ({lo:g} و{hi:g})",
                "add an anchor with a label for each end of the scale",
                "أضف نقطة ارتكاز موسومة لكل طرف من طرفي المقياس",
            )
    seen_pairs: set[tuple[str, str]] = set()
    for k, st in enumerate(s.stances):
        if st.actor not in actor_ids:
            unknown_actor(f"stances[{k}].actor", st.actor)
        if st.issue not in issue_ids:
            unknown_issue(f"stances[{k}].issue", st.issue)
        pair = (st.actor, st.issue)
        if pair in seen_pairs:
            add(
                f"stances[{k}]",
                f"a second stance for actor '{st.actor}' on issue '{st.issue}'",
                f"موقف ثانٍ للفاعل '{st.actor}' في القضية '{st.issue}'",
                "keep one stance per actor and issue",
                "أبقِ موقفًا واحدًا لكل فاعل وقضية",
            )
        seen_pairs.add(pair)
        if st.issue in issue_ids:
            iss = s.issue(st.issue)
            lo, hi = iss.scale.min, iss.scale.max
            p = st.position
            if not (lo <= p.lo and p.hi <= hi):
                ranged = p.low is not None or p.high is not None
                rng_en = f" (range {p.lo:g}-{p.hi:g})" if ranged else ""
                rng_ar = f" (المدى {p.lo:g}-{p.hi:g})" if ranged else ""
                add(
                    f"stances[{k}].position",
                    f"position {p.value:g}{rng_en} is outside the scale of "
                    f"issue '{st.issue}' ({lo:g}-{hi:g})",
                    f"الموقف {p.value:g}{rng_ar} خارج مقياس القضية '{st.issue}' ({lo:g}-{hi:g})",
                    f"give a position between {lo:g} and {hi:g}",
                    f"أدخل موقفًا بين {lo:g} و{hi:g}",
                )
        for j, eid in enumerate(st.evidence):
            if s.evidence and eid not in evidence_ids:
                add(
                    f"stances[{k}].evidence[{j}]",
                    f"evidence id '{eid}' is not in the evidence list",
                    f"معرّف الدليل '{eid}' غير موجود في قائمة الأدلة",
                    "add the quoted passage under 'evidence:' or remove the id",
                    "أضف المقطع المقتبس تحت 'evidence:' أو احذف المعرّف",
                )
    for k, ev in enumerate(s.evidence):
        if s.sources and ev.source not in source_ids:
            add(
                f"evidence[{k}].source",
                f"unknown source '{ev.source}'",
                f"مصدر غير معروف '{ev.source}'",
                f"use one of: {', '.join(sorted(source_ids))}",
                f"استخدم أحد: {', '.join(sorted(source_ids))}",
            )
    for k, oc in enumerate(s.outcomes):
        for j, c in enumerate(oc.conditions):
            if c.issue not in issue_ids:
                unknown_issue(f"outcomes[{k}].conditions[{j}].issue", c.issue)
    for k, lv in enumerate(s.levers):
        for j, ch in enumerate(lv.changes):
            if ch.actor is not None and ch.actor not in actor_ids:
                unknown_actor(f"levers[{k}].changes[{j}].actor", ch.actor)
            for m, iid in enumerate(ch.issues):
                if iid not in issue_ids:
                    unknown_issue(f"levers[{k}].changes[{j}].issues[{m}]", iid)
            if ch.target == "status_quo" and ch.actor is not None:
                add(
                    f"levers[{k}].changes[{j}].actor",
                    "a status-quo change applies to an issue, not to an actor",
                    "تغيير الوضع الراهن يخص القضية لا الفاعل",
                    "remove 'actor' from this change",
                    "احذف 'actor' من هذا التغيير",
                )
    return probs
