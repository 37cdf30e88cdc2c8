"""What a model run will cost before it starts: seconds and memory from actors, issues and draws.

Each model's law is c · actors^a · issues^b per draw, for time (CPU seconds on one core) and for
peak memory, fitted to measurements by `benchmarks/bench_cost_model.py` (which prints measured /
predicted ratios; docs/performance.md records when and on what machine). The laws are deliberately
rounded up: they decide whether a run is refused, and a refusal must never be a surprise in the
other direction (a run that was allowed and then took the machine's memory).

A run is refused, before any model starts, when one draw of one model would need more memory than
the machine has, or when the whole run would take longer than :data:`TIME_BUDGET_S` on this
machine's cores. Runs on a Dask cluster are not limited by time (the cluster's size is unknown
here), only by the memory of one call.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from qimma.errors import InputError, Lang, Problem

# The longest run started without a cluster: half an hour. A forecast of the default scenario
# takes about a second, a 10,000-draw Monte Carlo of it about 10-40 s (docs/performance.md).
TIME_BUDGET_S = 30 * 60.0
# A run longer than this says its estimate before it starts.
ANNOUNCE_S = 10.0
# Share of the machine's memory one model call may take (the rest: the process, the other
# models' results, the operating system).
MEMORY_SHARE = 0.5


@dataclass(frozen=True)
class CostLaw:
    """Per draw: seconds = s · A^sa · I^si + per-call overhead; bytes = the larger of
    m · A^ma · I^mi and an optional second term m2 · A^ma2 · I^mi2 (for a model whose memory is
    led by one term at small sizes and by another at large ones)."""

    s: float
    sa: float
    si: float
    m: float
    ma: float
    mi: float
    per_call_s: float = 0.0
    m2: float = 0.0
    ma2: float = 0.0
    mi2: float = 0.0

    def seconds(self, draws: int, actors: int, issues: int) -> float:
        return self.per_call_s + draws * self.s * actors**self.sa * issues**self.si

    def bytes_per_draw(self, actors: int, issues: int) -> float:
        # every model holds at least its inputs and outcome: a few arrays of A × I floats
        floor = 8.0 * 8 * actors * issues
        second = self.m2 * actors**self.ma2 * issues**self.mi2
        return max(floor, self.m * actors**self.ma * issues**self.mi, second)


# Fitted by benchmarks/bench_cost_model.py on 8-32 actors × 4-8 issues and, for the pairwise
# models, single draws of 100-1,000 actors (docs/performance.md, "cost model"): time laws are the
# fit (measured / predicted 0.5-1.1), memory laws the largest array terms with room to spare.
LAWS: dict[str, CostLaw] = {
    "compromise": CostLaw(1e-7, 1.0, 1.0, 64.0, 1.0, 1.0),
    "median": CostLaw(1.2e-7, 1.0, 1.0, 128.0, 1.0, 1.0),
    "nash": CostLaw(2e-6, 1.0, 1.0, 256.0, 1.0, 1.0),
    # Scholz's rules share one probability denominator over voters × ordered pairs (memory A³
    # per issue). Time: the Numba kernel that every long run uses, refitted on 2026-12-03 by
    # bench_cost_model.py --models eum (300/1,500 draws at 10-20 actors × 4-12 issues, 1/4 draws
    # at 80 and 160 × 3): 4.1e-7-7.8e-7 · A^2.3 · I (the A³ vote sums vectorise, the A² powers
    # lead), rounded up; its NumPy code (short runs) is 2.6 times this at the default scenario's
    # size and more with more actors (models/_jit.py)
    "eum": CostLaw(8e-7, 2.3, 1.0, 8.0, 3.0, 1.0),
    # smp: O(A³) per turn, and the number of turns grows with the actors (13 on the default
    # scenario, 23 at 40 random actors, 44 at 200, 100 (the limit) at 700 and 1,000). Time
    # refitted on 2026-12-03 after the kernel's restructuring by benchmarks/bench_smp_cost.py
    # --fit (the default scenario's Monte Carlo and random scenarios of 10-1,000 actors × 2-12
    # issues, one thread; docs/performance.md, "smp in the Monte Carlo and at 200-1,000
    # actors"): the fit 9.1e-8 · A^3.06 · I^0.43 (measured / fit 0.50-2.26) rounded to the law
    # below (measured / law 0.40-1.51; 1.37 on the default scenario's Monte Carlo).
    # Memory: every turn's positions (101 turns × (A + 1) × I doubles per draw), written once
    # and copied once when no draw runs 100 turns: 8 · 101 · 2 · (A + 1) · I ≤ 3,300 · A · I
    # (measured 860-1,400 · A · I at 10-30 actors × 4-24 issues); the kernel's scratch, nine
    # A × A matrices per thread (two threads), leads at hundreds of actors
    "smp": CostLaw(2e-7, 2.95, 0.35, 3300.0, 1.0, 1.0, m2=160.0, ma2=2.0, mi2=0.0),
    # time refitted on 2026-12-03 after the merge of the sorted list was made to touch only the
    # blocks that receive exchanges (10-80 actors × 4-16 issues; docs/performance.md, "160 × 20")
    "exchange": CostLaw(1.4e-7, 2.46, 2.28, 100.0, 2.0, 1.5),
}


@dataclass(frozen=True)
class RunCost:
    """The estimate of one run: seconds on this machine and the largest single call's memory."""

    seconds: dict[str, float]
    call_bytes: dict[str, float]
    cores: int
    draws: int = 1

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values()) / max(1, self.cores)


def machine_memory() -> float:
    """Bytes of physical memory (a large default where the system does not say)."""
    try:
        return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return 16e9


def estimate(models: list[str], actors: int, issues: int, draws: int, *, cores: int = 1) -> RunCost:
    """Seconds per model for `draws` draws, and memory of one draw's call per model."""
    secs = {m: LAWS[m].seconds(draws, actors, issues) for m in models if m in LAWS}
    mem = {m: LAWS[m].bytes_per_draw(actors, issues) for m in models if m in LAWS}
    # more worker processes than cores run no faster
    return RunCost(secs, mem, max(1, min(cores, os.cpu_count() or 1)), draws)


def max_draws_per_call(models: list[str], actors: int, issues: int) -> int:
    """How many draws one call may take so that no model exceeds its share of memory."""
    per_draw = max((LAWS[m].bytes_per_draw(actors, issues) for m in models if m in LAWS), default=1)
    return max(1, int(MEMORY_SHARE * machine_memory() // per_draw))


def _human_time(s: float) -> tuple[str, str]:
    if s < 90:
        return f"{s:.0f} s", f"{s:.0f} ث"
    if s < 5400:
        return f"{s / 60:.0f} min", f"{s / 60:.0f} دقيقة"
    return f"{s / 3600:.1f} h", f"{s / 3600:.1f} ساعة"


def _gb(b: float) -> str:
    return f"{b / 1e9:.1f} GB"


@dataclass(frozen=True)
class Announcement:
    """What a long run says before it starts: its estimate, as data for any front end."""

    seconds: float  # the estimate: wall time on this machine, or CPU time on a cluster
    slowest: str  # the model that takes most of it
    on_cluster: bool
    message_en: str
    message_ar: str

    def text(self, lang: Lang = "en") -> str:
        return self.message_en if lang == "en" else self.message_ar


def announcement(cost: RunCost, *, on_cluster: bool = False) -> Announcement | None:
    """The estimate a run longer than :data:`ANNOUNCE_S` states up front; None for a shorter run.

    On a cluster the wall time depends on its size, so the estimate is the computing time of
    one core, which the cluster's workers share."""
    total = sum(cost.seconds.values()) if on_cluster else cost.total_seconds
    if total <= ANNOUNCE_S or not cost.seconds:
        return None
    slow = max(cost.seconds, key=lambda k: cost.seconds[k])
    en, ar = _human_time(total)
    if on_cluster:
        msg_en = (
            f"this run needs about {en} of computing time on one core (mostly the {slow} model),"
            " shared among the cluster's workers"
        )
        msg_ar = (
            f"يحتاج هذا التشغيل إلى نحو {ar} من وقت الحساب على نواة واحدة (معظمه لنموذج {slow})،"
            " يتقاسمها عمّال العنقود"
        )
    else:
        cores_en = "1 core" if cost.cores == 1 else f"{cost.cores} worker processes"
        cores_ar = "نواة واحدة" if cost.cores == 1 else f"{cost.cores} من عمليات العمل"
        msg_en = (
            f"this run will take about {en} on this machine ({cores_en}; mostly the {slow} model)"
        )
        msg_ar = f"سيستغرق هذا التشغيل نحو {ar} على هذا الجهاز ({cores_ar}؛ معظمه لنموذج {slow})"
    return Announcement(total, slow, on_cluster, msg_en, msg_ar)


def cost_problems(cost: RunCost, *, on_cluster: bool = False) -> list[Problem]:
    """Why a run of this cost is refused (empty if it may start)."""
    probs: list[Problem] = []
    limit = MEMORY_SHARE * machine_memory()
    for m, b in cost.call_bytes.items():
        if b > limit:
            probs.append(
                Problem(
                    f"the {m} model needs about {_gb(b)} for a single draw of this scenario; "
                    f"this machine allows {_gb(limit)} per call",
                    f"يحتاج نموذج {m} إلى نحو {_gb(b)} لسحبة واحدة من هذا السيناريو، "
                    f"وهذا الجهاز يسمح بـ {_gb(limit)} للاستدعاء الواحد",
                    path="models",
                    fix_en=f"leave the {m} model out, or reduce the actors (merge minor ones)",
                    fix_ar=f"استبعد نموذج {m} أو قلّل عدد الفاعلين (ادمج الثانويين)",
                )
            )
    total = cost.total_seconds
    if not on_cluster and total > TIME_BUDGET_S:
        en, ar = _human_time(total)
        slow = max(cost.seconds, key=lambda k: cost.seconds[k])
        b_en, b_ar = _human_time(TIME_BUDGET_S)
        probs.append(
            Problem(
                f"this run would take about {en} on this machine (mostly the {slow} model); "
                f"the limit for one run is {b_en}",
                f"سيستغرق هذا التشغيل نحو {ar} على هذا الجهاز (معظمه لنموذج {slow})، "
                f"والحد الأقصى للتشغيل الواحد {b_ar}",
                path="draws" if cost.draws > 1 else "models",
                fix_en=(
                    f"use fewer draws, leave the {slow} model out, or run on a Dask cluster"
                    if cost.draws > 1
                    else f"leave the {slow} model out, or reduce the actors (merge minor ones)"
                ),
                fix_ar=(
                    f"استخدم سحبات أقل، أو استبعد نموذج {slow}، أو شغّل على عنقود Dask"
                    if cost.draws > 1
                    else f"استبعد نموذج {slow}، أو قلّل عدد الفاعلين (ادمج الثانويين)"
                ),
            )
        )
    return probs


def check_cost(cost: RunCost, *, on_cluster: bool = False) -> None:
    probs = cost_problems(cost, on_cluster=on_cluster)
    if probs:
        raise InputError(probs)
