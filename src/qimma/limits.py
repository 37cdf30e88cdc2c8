"""The limits of a run, in one place: every surface (CLI, web, report) checks against these.

Messages here speak of the run's fields (draws, seed, workers), never of a command-line flag or
a web form; each front end maps the field path (`Problem.path`) to its own option or field."""

from __future__ import annotations

from qimma.errors import InputError, Problem

MAX_DRAWS = 10_000_000
MAX_SEED = 2**63 - 1
MAX_WORKERS = 256
MAX_SAMPLES = 1_000_000  # Sobol base sample or Morris trajectories
DEFAULT_DRAWS = 2000
DEFAULT_MORRIS = 10  # Morris trajectories of the sensitivity screening in a full run
SIGNPOST_DRAWS = 300  # draws of the signpost search in a full run


def _range(path: str, value: int, lo: int, hi: int, word_en: str, word_ar: str) -> Problem | None:
    if lo <= value <= hi:
        return None
    return Problem(
        message_en=f"{path} {value} is out of range ({word_en})",
        message_ar=f"{word_ar} {value} خارج المدى المسموح",
        path=path,
        fix_en=f"give a whole number from {lo:,} to {hi:,}",
        fix_ar=f"أدخل عددًا صحيحًا من {lo:,} إلى {hi:,}",
    )


def draws_problem(draws: int, path: str = "draws", lo: int = 1) -> Problem | None:
    return _range(path, draws, lo, MAX_DRAWS, "the number of draws", "عدد السحبات")


def seed_problem(seed: int, path: str = "seed") -> Problem | None:
    return _range(path, seed, 0, MAX_SEED, "the seed", "البذرة")


def workers_problem(workers: int, path: str = "execution.workers") -> Problem | None:
    return _range(path, workers, 1, MAX_WORKERS, "the number of workers", "عدد العمّال")


def _raise(p: Problem | None) -> None:
    if p is not None:
        raise InputError([p])


def check_draws(draws: int) -> None:
    _raise(draws_problem(draws))


def check_seed(seed: int) -> None:
    _raise(seed_problem(seed))


def check_workers(workers: int) -> None:
    _raise(workers_problem(workers, "workers"))
