"""Scenarios that parse but that no bargaining model can mean anything with.

Every rule here is checked twice: when a file is read (so `qimma validate` and every command that
loads a file name the line), and when a scenario is turned into model inputs (so a scenario built
in the web editor is refused before any model runs). A model given such a scenario would return the
status quo, an arbitrary actor's position or a number computed from rounding noise, and say nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qimma.errors import InputError, Problem

if TYPE_CHECKING:
    from qimma.scenario.model import Scenario

# Positions are computed in double precision (about 16 significant digits). A scale whose ends lie
# beyond 1e12 in magnitude, or that is narrower than 1e-9 of its magnitude, leaves the models less
# resolution than a 0-100 scale read to one decimal; nobody's negotiation needs it.
SCALE_LIMIT = 1e12
SCALE_RESOLUTION = 1e-9


def _scale_problems(s: Scenario) -> list[Problem]:
    probs: list[Problem] = []
    for k, iss in enumerate(s.issues):
        lo, hi = iss.scale.min, iss.scale.max
        size = max(abs(lo), abs(hi))
        if size > SCALE_LIMIT:
            probs.append(
                Problem(
                    f"the scale of issue '{iss.id}' ({lo:g} to {hi:g}) is too large to compute "
                    f"with (ends beyond ±{SCALE_LIMIT:g})",
                    f"مقياس القضية '{iss.id}' ({lo:g} إلى {hi:g}) أكبر من أن يُحسب "
                    f"(طرفاه أبعد من ±{SCALE_LIMIT:g})",
                    path=f"issues[{k}].scale",
                    fix_en="express the issue in larger units (e.g. billions instead of units) so "
                    "that the scale's ends lie within ±1e12",
                    fix_ar="عبّر عن القضية بوحدات أكبر (بالمليارات بدل الآحاد مثلًا) ليقع طرفا "
                    "المقياس ضمن ±1e12",
                )
            )
        elif hi - lo < SCALE_RESOLUTION * size:
            probs.append(
                Problem(
                    f"the scale of issue '{iss.id}' ({lo:g} to {hi:g}) is too narrow for its "
                    "magnitude: positions on it cannot be told apart",
                    f"مقياس القضية '{iss.id}' ({lo:g} إلى {hi:g}) أضيق من أن تُميَّز المواقف "
                    "عليه قياسًا إلى حجم قيمه",
                    path=f"issues[{k}].scale",
                    fix_en="subtract a common offset from the scale and every position on it",
                    fix_ar="اطرح قيمة ثابتة مشتركة من المقياس ومن كل موقف عليه",
                )
            )
    return probs


def _weight_problems(s: Scenario) -> list[Problem]:
    """No stances at all, fewer than two actors, an issue nobody weighs."""
    if not s.stances:
        return [
            Problem(
                "the scenario has no stances: there is nothing to forecast",
                "لا مواقف في السيناريو: لا شيء يمكن توقعه",
                path="stances",
                fix_en="add at least two actors' stances (position, salience, capability) on "
                "each issue",
                fix_ar="أضف مواقف فاعلين اثنين على الأقل (الموقف والأهمية والقدرة) في كل قضية",
            )
        ]
    probs: list[Problem] = []
    holders = {st.actor for st in s.stances}
    if len(holders) < 2:
        only = ", ".join(sorted(holders))
        probs.append(
            Problem(
                f"only one actor ({only}) holds stances: a negotiation needs at least two",
                f"فاعل واحد فقط ({only}) له مواقف: التفاوض يحتاج إلى فاعلين اثنين على الأقل",
                path="stances",
                fix_en="add the stances of the other actors",
                fix_ar="أضف مواقف الفاعلين الآخرين",
            )
        )
    for k, iss in enumerate(s.issues):
        on_issue = [st for st in s.stances if st.issue == iss.id]
        if not on_issue:
            probs.append(
                Problem(
                    f"no actor has a stance on issue '{iss.id}': there is nothing to forecast on "
                    "it (its forecast would be the status quo by construction)",
                    f"لا موقف لأي فاعل في القضية '{iss.id}': لا شيء يمكن توقعه فيها (توقعها سيكون "
                    "الوضع الراهن بحكم البناء)",
                    path=f"issues[{k}]",
                    fix_en="add the actors' stances on this issue, or remove the issue",
                    fix_ar="أضف مواقف الفاعلين في هذه القضية أو احذفها",
                )
            )
        elif all(st.capability.value * st.salience.value == 0 for st in on_issue):
            probs.append(
                Problem(
                    f"on issue '{iss.id}' every actor has capability 0 or salience 0: no model "
                    "can weigh the positions",
                    f"في القضية '{iss.id}' قدرة كل فاعل أو أهميته صفر: لا يستطيع أي نموذج أن يزن "
                    "المواقف",
                    path=f"issues[{k}]",
                    fix_en="give at least one actor a capability and a salience above 0 on this "
                    "issue",
                    fix_ar="أعطِ فاعلًا واحدًا على الأقل قدرة وأهمية أكبر من صفر في هذه القضية",
                )
            )
    return probs


def runnable_problems(s: Scenario) -> list[Problem]:
    """Every reason the models cannot run meaningfully on `s` (empty when they can)."""
    return _scale_problems(s) + _weight_problems(s)


def check_runnable(s: Scenario) -> None:
    """Raise one InputError listing every problem of :func:`runnable_problems`."""
    probs = runnable_problems(s)
    if probs:
        raise InputError(probs)


def runnable_warnings(s: Scenario) -> list[Problem]:
    """Things that run but that an analyst should know: issues on which a single actor weighs."""
    warns: list[Problem] = []
    for k, iss in enumerate(s.issues):
        weighing = sorted(
            {
                st.actor
                for st in s.stances
                if st.issue == iss.id and st.capability.value * st.salience.value > 0
            }
        )
        if len(weighing) == 1:
            warns.append(
                Problem(
                    f"only {weighing[0]} weighs on issue '{iss.id}': every model forecasts its "
                    "position",
                    f"{weighing[0]} وحده له وزن في القضية '{iss.id}': كل النماذج تتوقع موقفه",
                    path=f"issues[{k}]",
                    fix_en="add the other actors' stances on this issue if they have any",
                    fix_ar="أضف مواقف الفاعلين الآخرين في هذه القضية إن كانت لهم مواقف",
                )
            )
    return warns
