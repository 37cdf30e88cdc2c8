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
from qimma.scenario.bidi import strip_bidi_controls

ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_.\-]{0,63}$"
_ID_RE = re.compile(ID_PATTERN)
_PART_AR = {"value": "القيمة", "low": "الحد الأدنى", "high": "الحد الأعلى"}

Basis = Literal["explicit", "inferred", "assumption"]
# party: takes positions; mediator / venue: a go-between or a host whose role in the sources is
# the talks themselves, holding no stance (no invented positions); observer: named, no stance.
Role = Literal["party", "mediator", "venue", "observer"]


class BilingualValueError(ValueError):
    """A broken field rule in English and Arabic, with the fix (pydantic keeps this object)."""

    def __init__(
        self, en: str, ar: str, fix_en: str | None = None, fix_ar: str | None = None
    ) -> None:
        super().__init__(en)
        self.en, self.ar, self.fix_en, self.fix_ar = en, ar, fix_en, fix_ar


def _no_bidi_controls(v: object) -> object:
    """Labels lose bidi overrides and isolates (see qimma.scenario.bidi): «مصر\u202egnp.exe»
    cannot display as "مصرexe.png" in any table, report or page."""
    if isinstance(v, str):
        return strip_bidi_controls(v)
    if isinstance(v, list):
        return [strip_bidi_controls(x) if isinstance(x, str) else x for x in v]
    return v


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
    _clean = field_validator("ar", "en", mode="before")(_no_bidi_controls)

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
    _clean = field_validator("aliases", mode="before")(_no_bidi_controls)
    kind: str = ""
    role: Role = Field(
        "party",
        description="party (holds stances) | mediator | venue | observer (no stances: a "
        "go-between, a host or a bystander is in the scenario without invented positions)",
    )
    note: str = ""

    @property
    def holds_stances(self) -> bool:
        return self.role == "party"


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
    as_of: str = Field("", description="date of the evidence the stance rests on, e.g. 2025-08-16")
    _as_of = field_validator("as_of", mode="before")(_date_text)

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
    is the track's residual ("none of the others"). When the scenario declares the track under
    `tracks:` with veto players, the conditions are read on the track's state in each draw (the
    agreed terms after a deal, the expected no-deal terms after a breakdown), `requires` says
    whether the outcome needs a deal or a breakdown, and the first outcome of the track (in file
    order) that holds is the one that happens (docs/models/deal.md)."""

    id: str = Field(pattern=ID_PATTERN)
    name: Text
    track: str = "main"
    requires: Literal["any", "deal", "breakdown"] = Field(
        "any", description="deal: only when every veto player accepts; breakdown: only when not"
    )
    conditions: list[Condition] = Field(default_factory=list)
    description: Text | None = None
    evidence: list[str] = Field(default_factory=list)
    textual_estimate: TextualEstimate | None = None


class LeverChange(_Strict):
    """One edit of the scenario's inputs.

    `target` picks the number to edit; `actor` and `issues` pick the stances (empty = all);
    `op` says how: set it, add to it, or multiply it. Deal targets (`track` picks the track,
    empty = all): `outside_option` edits the expected no-deal terms of a veto player on `issues`,
    `no_deal_cost` its cost of no deal, `veto` makes `actor` a veto player (value 1) or not
    (value 0; op must be `set`)."""

    target: Literal[
        "position",
        "salience",
        "capability",
        "status_quo",
        "outside_option",
        "no_deal_cost",
        "veto",
    ]
    actor: str | None = None
    issues: list[str] = Field(default_factory=list)
    track: str | None = None
    op: Literal["set", "add", "multiply"]
    value: float


class LeverExpectation(_Strict):
    """The direction a lever is expected to move a named outcome or an issue, and why."""

    outcome: str | None = None
    issue: str | None = None
    direction: Literal["up", "down"]
    evidence: str = Field(min_length=1, description="id of the seed sentence that motivates it")

    @model_validator(mode="after")
    def _one_target(self) -> LeverExpectation:
        if (self.outcome is None) == (self.issue is None):
            raise BilingualValueError(
                "give exactly one of 'outcome' or 'issue'",
                "حدد 'outcome' أو 'issue' وليس كليهما",
                "keep one of the two keys",
                "أبقِ أحد المفتاحين",
            )
        return self


class Lever(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: Text
    changes: list[LeverChange] = Field(min_length=1)
    evidence: list[str] = Field(default_factory=list)
    expected: list[LeverExpectation] = Field(default_factory=list)
    note: str = ""


class EditionStance(_Strict):
    """How one stance reads in an edition: the fields given replace the base scenario's; a stance
    the base lacks must give position, salience and capability; `remove` drops it."""

    actor: str
    issue: str
    position: Estimate | None = None
    salience: Estimate | None = None
    capability: Estimate | None = None
    basis: Basis | None = None
    evidence: list[str] | None = None
    justification: str | None = None
    as_of: str | None = None
    _as_of = field_validator("as_of", mode="before")(_date_text)
    remove: bool = False
    why: str = Field("", description="what changed between the editions and on what evidence")


class SignpostEvent(_Strict):
    """An observable event an analyst can watch for (a truce accepted, a deal signed, a sanctions
    bill passed), tied to the inputs it would change: the levers it amounts to and/or its own
    changes."""

    id: str = Field(pattern=ID_PATTERN)
    event: Text
    levers: list[str] = Field(default_factory=list)
    changes: list[LeverChange] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)
    note: str = ""

    @model_validator(mode="after")
    def _some_input(self) -> SignpostEvent:
        if not self.levers and not self.changes:
            raise BilingualValueError(
                "a signpost event must name the levers or changes it would bring",
                "يجب أن يذكر حدث المؤشر الروافع أو التغييرات التي يُحدثها",
                "add 'levers: [...]' or 'changes: [...]'",
                "أضف 'levers: [...]' أو 'changes: [...]'",
            )
        return self


class Track(_Strict):
    """A negotiation track: its issues make one package; every veto player must accept it."""

    id: str = Field(pattern=ID_PATTERN)
    name: Text
    issues: list[str] = Field(min_length=1)
    veto_players: list[str] = Field(min_length=1)
    evidence: list[str] = Field(default_factory=list)
    note: str = ""


class NoDealTerm(_Strict):
    """What a veto player expects an issue to end at if there is no deal."""

    issue: str
    value: Estimate
    basis: Basis = "assumption"
    evidence: list[str] = Field(default_factory=list)
    justification: str = ""


class OutsideOption(_Strict):
    """A veto player's outside option on a track: expected no-deal terms and the cost of no deal.

    Terms not listed are taken at the issue's status quo. `cost` is in utility points (the
    salience-weighted distance on 0-100 scales that a no-deal outcome costs beyond its terms)."""

    actor: str
    track: str
    terms: list[NoDealTerm] = Field(default_factory=list)
    cost: Estimate = Field(default_factory=lambda: Estimate(value=0.0))
    basis: Basis = "assumption"
    evidence: list[str] = Field(default_factory=list)
    justification: str = ""

    @field_validator("cost")
    @classmethod
    def _cost_nonneg(cls, v: Estimate) -> Estimate:
        if v.lo < 0:
            raise BilingualValueError(
                f"cost of no deal {v.lo:g} is negative",
                f"كلفة عدم الاتفاق {v.lo:g} سالبة",
                "give a cost of 0 or more",
                "أدخل كلفة تساوي 0 أو أكثر",
            )
        return v


class EditionOutsideOption(_Strict):
    """A veto player's outside option as an edition reads it: the terms listed replace the base
    scenario's terms on the same issues, and cost, basis, evidence, justification replace the
    base's when given (an option the base lacks is built from these fields)."""

    actor: str
    track: str
    terms: list[NoDealTerm] = Field(default_factory=list)
    cost: Estimate | None = None
    basis: Basis | None = None
    evidence: list[str] | None = None
    justification: str | None = None
    why: str = Field("", description="what changed between the editions and on what evidence")


class Edition(_Strict):
    """A dated reading of the scenario (e.g. 'spring 2025' from one source, 'August 2025' from a
    later one). The scenario's own values are the `base` edition; any other edition lists only
    what differs from it: status quo values, stances, outside options (patches of the base
    scenario's option of the same actor and track) and veto sets (track id -> veto players)."""

    id: str = Field(pattern=ID_PATTERN)
    name: Text
    date: str
    _date = field_validator("date", mode="before")(_date_text)
    base: bool = False
    sources: list[str] = Field(default_factory=list)
    note: Text | None = None
    status_quo: dict[str, float] = Field(default_factory=dict)
    status_quo_why: dict[str, str] = Field(default_factory=dict)
    stances: list[EditionStance] = Field(default_factory=list)
    outside_options: list[EditionOutsideOption] = Field(default_factory=list)
    veto_players: dict[str, list[str]] = Field(default_factory=dict)
    veto_why: dict[str, str] = Field(default_factory=dict)

    @property
    def changes_anything(self) -> bool:
        return bool(self.status_quo or self.stances or self.outside_options or self.veto_players)


class Judgement(_Strict):
    """An estimative judgement of the source texts, kept to set beside qimma's numbers.

    What qimma computes for it: the probability that any of `outcomes` holds, and that every actor
    in `gains` ends better off and every actor in `losses` worse off than at the status quo, and
    (with `backs_down`, on `track`) that at least one of those veto players accepts a deal whose
    terms are farther from its stances than the no-deal terms it expects: it takes the deal only
    for what no deal costs it, the visible climb-down of a party that has lost; conditional on
    any of `given` when given. With none of `outcomes`, `gains`, `losses`, `backs_down` the
    judgement is about something qimma does not model; `note` says why."""

    id: str = Field(pattern=ID_PATTERN)
    statement: Text
    wording: str = Field(min_length=1, description="the texts' estimative words, quoted")
    evidence: list[str] = Field(default_factory=list)
    low_pct: float | None = Field(None, ge=0, le=100)
    high_pct: float | None = Field(None, ge=0, le=100)
    outcomes: list[str] = Field(default_factory=list)
    gains: list[str] = Field(default_factory=list)
    losses: list[str] = Field(default_factory=list)
    backs_down: list[str] = Field(default_factory=list)
    track: str | None = None
    given: list[str] = Field(default_factory=list)
    note: str = ""

    @property
    def modelled(self) -> bool:
        return bool(self.outcomes or self.gains or self.losses or self.backs_down)


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
    editions: list[Edition] = Field(default_factory=list)
    signposts: list[SignpostEvent] = Field(default_factory=list)
    tracks: list[Track] = Field(default_factory=list)
    outside_options: list[OutsideOption] = Field(default_factory=list)
    judgements: list[Judgement] = Field(default_factory=list)

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

    def track(self, track_id: str) -> Track | None:
        for t in self.tracks:
            if t.id == track_id:
                return t
        return None

    def outside_option(self, actor_id: str, track_id: str) -> OutsideOption | None:
        for o in self.outside_options:
            if o.actor == actor_id and o.track == track_id:
                return o
        return None


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
    return Problem(
        f"unknown issue '{value}'",
        f"قضية غير معروفة '{value}'",
        path=path,
        fix_en=f"use one of: {allowed}",
        fix_ar=f"استخدم إحدى: {allowed}",
    )


def nothing_to_run(s: Scenario) -> list[Problem]:
    """What stops a valid scenario from being forecast (a scenario being built may lack stances;
    a run needs them). Empty when it can run. The rules: qimma.scenario.degenerate."""
    from qimma.scenario.degenerate import runnable_problems

    return runnable_problems(s)


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
        ("tracks", "track", "المسار"),
        ("judgements", "judgement", "الحكم"),
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
    probs.extend(_check_roles(s))
    probs.extend(_check_editions(s, actor_ids, issue_ids))
    probs.extend(_check_signposts(s, actor_ids, issue_ids))
    from qimma.scenario.deal_checks import deal_problems  # it imports this module

    probs.extend(deal_problems(s))
    return probs


def _check_roles(s: Scenario) -> list[Problem]:
    """A mediator, venue or observer holds no stance: its positions would be invented."""
    no_stance = {a.id: a.role for a in s.actors if not a.holds_stances}
    return [
        Problem(
            f"actor '{st.actor}' is a {no_stance[st.actor]} and holds no stance",
            f"الفاعل '{st.actor}' دوره {ROLE_AR[no_stance[st.actor]]} ولا يتخذ مواقف",
            path=f"stances[{k}]",
            fix_en="remove this stance, or give the actor role 'party' if the sources state "
            "its position",
            fix_ar="احذف هذا الموقف، أو اجعل دور الفاعل 'party' إن كانت المصادر تذكر موقفه",
        )
        for k, st in enumerate(s.stances)
        if st.actor in no_stance
    ]


ROLE_AR = {"party": "طرف", "mediator": "وسيط", "venue": "مضيف", "observer": "مراقب"}


def _check_editions(s: Scenario, actor_ids: set[str], issue_ids: set[str]) -> list[Problem]:
    probs: list[Problem] = []
    for k, dup in _dupes([e.id for e in s.editions]):
        probs.append(Problem(f"duplicate edition id '{dup}'", f"معرّف الإصدار '{dup}' مكرر",
                             path=f"editions[{k}].id", fix_en="give every id once",
                             fix_ar="استخدم كل معرّف مرة واحدة"))  # fmt: skip
    bases = [k for k, e in enumerate(s.editions) if e.base]
    if s.editions and len(bases) != 1:
        probs.append(
            Problem(
                f"{len(bases)} editions are marked 'base: true'; exactly one must be",
                f"{len(bases)} من الإصدارات موسومة 'base: true'؛ يجب أن يكون واحد فقط",
                path="editions",
                fix_en="mark the edition whose values the scenario itself holds with base: true",
                fix_ar="ضع base: true على الإصدار الذي يحمل السيناريو نفسه قيمه",
            )
        )
    for k, ed in enumerate(s.editions):
        if ed.base and ed.changes_anything:
            probs.append(
                Problem(
                    f"the base edition '{ed.id}' lists changes; it is the scenario itself",
                    f"الإصدار الأساس '{ed.id}' يسرد تغييرات، وهو السيناريو نفسه",
                    path=f"editions[{k}]",
                    fix_en="move the values into the scenario, or drop 'base: true'",
                    fix_ar="انقل القيم إلى السيناريو نفسه أو احذف 'base: true'",
                )
            )
        for iid in ed.status_quo:
            if iid not in issue_ids:
                probs.append(unknown_id("issue", f"editions[{k}].status_quo.{iid}", iid, issue_ids))
        for j, es in enumerate(ed.stances):
            if es.actor not in actor_ids:
                probs.append(unknown_id("actor", f"editions[{k}].stances[{j}].actor", es.actor,
                                        actor_ids))  # fmt: skip
            if es.issue not in issue_ids:
                probs.append(unknown_id("issue", f"editions[{k}].stances[{j}].issue", es.issue,
                                        issue_ids))  # fmt: skip
                continue
            probs.extend(_check_edition_stance(s, es, f"editions[{k}].stances[{j}]"))
        probs.extend(_check_edition_deal(s, ed, f"editions[{k}]", actor_ids, issue_ids))
    return probs


def _check_edition_deal(
    s: Scenario, ed: Edition, path: str, actor_ids: set[str], issue_ids: set[str]
) -> list[Problem]:
    """An edition's outside options and veto sets name known tracks, actors and issues."""
    probs: list[Problem] = []
    track_ids = {t.id for t in s.tracks}

    def track_problem(where: str, tid: str) -> Problem:
        known = ", ".join(sorted(track_ids)) or "(none)"
        return Problem(
            f"unknown track '{tid}'",
            f"مسار غير معروف '{tid}'",
            path=where,
            fix_en=f"use one of: {known}",
            fix_ar=f"استخدم أحد: {known}",
        )

    for j, oo in enumerate(ed.outside_options):
        where = f"{path}.outside_options[{j}]"
        if oo.actor not in actor_ids:
            probs.append(unknown_id("actor", f"{where}.actor", oo.actor, actor_ids))
        if oo.track not in track_ids:
            probs.append(track_problem(f"{where}.track", oo.track))
        for m, term in enumerate(oo.terms):
            if term.issue not in issue_ids:
                probs.append(unknown_id("issue", f"{where}.terms[{m}].issue", term.issue,
                                        issue_ids))  # fmt: skip
    for tid, players in ed.veto_players.items():
        if tid not in track_ids:
            probs.append(track_problem(f"{path}.veto_players.{tid}", tid))
        for a in players:
            if a not in actor_ids:
                probs.append(unknown_id("actor", f"{path}.veto_players.{tid}", a, actor_ids))
    return probs


def _check_edition_stance(s: Scenario, es: EditionStance, path: str) -> list[Problem]:
    """A new stance gives all three estimates; a position lies on the issue's scale."""
    probs: list[Problem] = []
    new = s.stance(es.actor, es.issue) is None and not es.remove
    if new and (es.position is None or es.salience is None or es.capability is None):
        probs.append(
            Problem(
                f"actor '{es.actor}' has no stance on '{es.issue}' in the base scenario, so this "
                "edition must give position, salience and capability",
                f"لا موقف للفاعل '{es.actor}' في القضية '{es.issue}' في السيناريو الأساس، فيجب أن "
                "يذكر هذا الإصدار الموقف والأهمية والقدرة",
                path=path,
                fix_en="add the missing estimates",
                fix_ar="أضف التقديرات الناقصة",
            )
        )
    scale = s.issue(es.issue).scale
    p = es.position
    if p is not None and not (scale.min <= p.lo and p.hi <= scale.max):
        probs.append(
            Problem(
                f"position {p.value:g} (range {p.lo:g}-{p.hi:g}) is outside the scale of issue "
                f"'{es.issue}' ({scale.min:g}-{scale.max:g})",
                f"الموقف {p.value:g} (المدى {p.lo:g}-{p.hi:g}) خارج مقياس القضية '{es.issue}' "
                f"({scale.min:g}-{scale.max:g})",
                path=f"{path}.position",
                fix_en=f"give a position between {scale.min:g} and {scale.max:g}",
                fix_ar=f"أدخل موقفًا بين {scale.min:g} و{scale.max:g}",
            )
        )
    return probs


def _check_signposts(s: Scenario, actor_ids: set[str], issue_ids: set[str]) -> list[Problem]:
    probs: list[Problem] = []
    lever_ids = {lv.id for lv in s.levers}
    for k, ev in enumerate(s.signposts):
        for j, lid in enumerate(ev.levers):
            if lid not in lever_ids:
                probs.append(
                    Problem(
                        f"unknown lever '{lid}'",
                        f"رافعة غير معروفة '{lid}'",
                        path=f"signposts[{k}].levers[{j}]",
                        fix_en=f"use one of: {', '.join(sorted(lever_ids))}",
                        fix_ar=f"استخدم إحدى: {', '.join(sorted(lever_ids))}",
                    )
                )
        for j, ch in enumerate(ev.changes):
            if ch.actor is not None and ch.actor not in actor_ids:
                probs.append(unknown_id("actor", f"signposts[{k}].changes[{j}].actor", ch.actor,
                                        actor_ids))  # fmt: skip
            for m, iid in enumerate(ch.issues):
                if iid not in issue_ids:
                    probs.append(unknown_id("issue", f"signposts[{k}].changes[{j}].issues[{m}]",
                                            iid, issue_ids))  # fmt: skip
    return probs
