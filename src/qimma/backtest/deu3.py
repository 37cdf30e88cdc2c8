"""Load DEU III (Arregui & Perarnaud 2021, CC BY 4.0): 364 EU legislative issues and outcomes.

The file is tab-separated (see `qimma/data/deu3/README.md`): a header, a row of GDP figures per
actor, then one issue per row. An empty position means the actor took no position (an absent actor,
never a zero); an empty outcome means the issue has no valid outcome and is skipped in scoring.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from qimma.errors import InputError, Problem
from qimma.scenario.arrays import BoolArray, FloatArray

# The 30 actors of the file, in its column order: the Commission, the Parliament, the member states.
ACTORS: tuple[str, ...] = (
    "com", "ep", "at", "be", "bu", "cr", "cy", "cz", "dk", "ee", "fi", "fr", "de", "el", "hu",
    "ie", "it", "lv", "lt", "lu", "mt", "nl", "pl", "pt", "ro", "si", "sk", "es", "se", "uk",
)  # fmt: skip
INSTITUTIONS = ("com", "ep")
META = ("prnr", "prname", "isnr", "type", "council", "proc", "counvte", "intro", "finact")
# Salience assumed where an actor states a position but its salience is blank (54 cells in DEU III):
# the middle of the scale, i.e. no information either way.
DEFAULT_SALIENCE = 50.0
MAX_BYTES = 20_000_000


@dataclass(frozen=True)
class Deu3Issue:
    prnr: str  # proposal id; the issues of one proposal are negotiated together
    prname: str
    isnr: str  # issue id, unique
    proc: str  # COD (codecision) or CNS (consultation)
    counvte: str  # Council voting rule: QMV or Unan
    intro: dt.date | None
    decided: dt.date | None  # date of the final act, when the file records one
    line: int  # line in the file (1-based), for messages

    @property
    def date(self) -> dt.date | None:
        """The date that fixes the treaty in force: the final act's, else the introduction's."""
        return self.decided or self.intro


@dataclass(frozen=True)
class Deu3:
    """All issues of the file; positions and saliences are (A, I) with NaN where blank."""

    source: str
    issues: tuple[Deu3Issue, ...]
    positions: FloatArray  # (A, I), NaN = no position
    saliences: FloatArray  # (A, I), 0-100, NaN = blank
    reference: FloatArray  # (I,) reference point, NaN = blank
    outcome: FloatArray  # (I,) decided outcome, NaN = no valid outcome
    gdp: FloatArray  # (A,) row 2 of the file

    @property
    def present(self) -> BoolArray:
        return np.asarray(~np.isnan(self.positions))

    @property
    def n_issues(self) -> int:
        return len(self.issues)

    def scored(self) -> list[int]:
        """Indices of the issues with a valid outcome and at least one position."""
        ok = ~np.isnan(self.outcome) & self.present.any(axis=0)
        return [int(i) for i in np.flatnonzero(ok)]

    def skipped(self) -> list[str]:
        keep = set(self.scored())
        return [iss.isnr for k, iss in enumerate(self.issues) if k not in keep]


_DMY = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_date(text: str) -> dt.date | None:
    """Dates as the file spells them; None for blank or '999' (no final act recorded).

    The file mixes dd-mm-yy, dd-mm-yyyy and a damaged form yyyy-mm-dd in which a spreadsheet read
    dd-mm-yy as a year: '1930-05-01' is 30 May 2001 (day = the 'year' modulo 100, year = the 'day').
    Every such value in DEU III decodes to a valid date between 1996 and 2019.
    """
    s = text.strip()
    if s in ("", "999", "."):
        return None
    m = _DMY.match(s)
    if m:
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
    else:
        m = _YMD.match(s)
        if not m:
            raise ValueError(f"unreadable date '{s}'")
        d, mo, y = int(m[1]) % 100, int(m[2]), int(m[3])
    if y < 100:
        y += 1900 if y >= 90 else 2000
    return dt.date(y, mo, d)


def _text(path: Path | None) -> tuple[str, str]:
    if path is None:
        ref = resources.files("qimma.data.deu3").joinpath("deu3.csv")
        return ref.read_text(encoding="utf-8"), "deu3.csv (built in)"
    name = str(path)
    if not path.is_file():
        raise InputError.single(
            "file not found",
            "الملف غير موجود",
            file=name,
            fix_en="give the path of a DEU tab-separated file",
            fix_ar="حدد مسار ملف DEU مفصول بعلامات الجدولة",
        )
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        raise InputError.single(
            f"file too large ({len(raw)} bytes, limit {MAX_BYTES})",
            f"الملف كبير جدًا ({len(raw)} بايت، الحد {MAX_BYTES})",
            file=name,
            fix_en="give the DEU data file itself",
            fix_ar="حدد ملف بيانات DEU نفسه",
        )
    if b"\x00" in raw:
        raise InputError.single(
            "binary file, not tab-separated text",
            "ملف ثنائي وليس نصًا مفصولًا بعلامات الجدولة",
            file=name,
            fix_en="export the data as UTF-8 tab-separated text",
            fix_ar="صدّر البيانات نصًا بترميز UTF-8 مفصولًا بعلامات الجدولة",
        )
    try:
        return raw.decode("utf-8-sig"), name
    except UnicodeDecodeError as e:
        raise InputError.single(
            f"not UTF-8 text (byte {e.start})",
            f"النص ليس بترميز UTF-8 (البايت {e.start})",
            file=name,
            fix_en="save the file as UTF-8",
            fix_ar="احفظ الملف بترميز UTF-8",
        ) from None


def load_deu3(path: Path | None = None) -> Deu3:
    """Read DEU III (the built-in copy when `path` is None); bad cells raise one InputError."""
    text, name = _text(path)
    rows = list(csv.reader(io.StringIO(text), delimiter="\t"))
    if len(rows) < 3:
        raise InputError.single(
            "the file needs a header, a GDP row and at least one issue",
            "يحتاج الملف إلى سطر عناوين وسطر للناتج المحلي وقضية واحدة على الأقل",
            file=name,
            fix_en="use the DEU III layout described in docs/backtest.md",
            fix_ar="استخدم تنسيق DEU III الموصوف في docs/backtest.md",
        )
    header = [h.strip() for h in rows[0]]
    want = [*META, *(f"p{a}" for a in ACTORS), *(f"s{a}" for a in ACTORS), "rp", "out"]
    missing = [c for c in want if c not in header]
    if missing:
        raise InputError.single(
            f"missing columns: {', '.join(missing)}",
            f"أعمدة ناقصة: {', '.join(missing)}",
            file=name,
            line=1,
            fix_en="keep the DEU III header row unchanged",
            fix_ar="أبقِ سطر العناوين في DEU III كما هو",
        )
    col = {h: k for k, h in enumerate(header)}
    problems: list[Problem] = []

    def number(row: list[str], line: int, field: str, lo: float, hi: float) -> float:
        k = col[field]
        s = row[k].strip() if k < len(row) else ""
        if s in ("", "."):
            return float("nan")
        try:
            v = float(s)
        except ValueError:
            v = float("nan")
            problems.append(
                Problem(
                    f"'{s}' is not a number",
                    f"'{s}' ليس رقمًا",
                    file=name,
                    line=line,
                    path=field,
                    fix_en="write a number or leave the cell empty",
                    fix_ar="اكتب رقمًا أو اترك الخانة فارغة",
                )
            )
            return v
        if not lo <= v <= hi or not np.isfinite(v):
            problems.append(
                Problem(
                    f"{v:g} is outside {lo:g}-{hi:g}",
                    f"القيمة {v:g} خارج المدى {lo:g}-{hi:g}",
                    file=name,
                    line=line,
                    path=field,
                    fix_en=f"use a value between {lo:g} and {hi:g}",
                    fix_ar=f"استخدم قيمة بين {lo:g} و{hi:g}",
                )
            )
            return float("nan")
        return v

    gdp = np.array([number(rows[1], 2, f"p{a}", 0.0, 1e6) for a in ACTORS])
    gdp = np.nan_to_num(gdp, nan=0.0)
    issues: list[Deu3Issue] = []
    pos_rows: list[list[float]] = []
    sal_rows: list[list[float]] = []
    rp: list[float] = []
    out: list[float] = []
    seen: set[str] = set()
    for k, row in enumerate(rows[2:]):
        line = k + 3
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            problems.append(
                Problem(
                    f"{len(row)} cells, the header has {len(header)}",
                    f"عدد الخانات {len(row)} وعدد العناوين {len(header)}",
                    file=name,
                    line=line,
                    fix_en="keep one tab-separated cell per column",
                    fix_ar="اجعل لكل عمود خانة واحدة مفصولة بعلامة جدولة",
                )
            )
            continue
        dates: list[dt.date | None] = []
        for field in ("intro", "finact"):
            try:
                dates.append(parse_date(row[col[field]]))
            except ValueError:
                dates.append(None)
                problems.append(
                    Problem(
                        f"unreadable date '{row[col[field]]}'",
                        f"تاريخ غير مقروء '{row[col[field]]}'",
                        file=name,
                        line=line,
                        path=field,
                        fix_en="write the date as dd-mm-yy",
                        fix_ar="اكتب التاريخ بالشكل dd-mm-yy",
                    )
                )
        isnr = row[col["isnr"]].strip()
        if not isnr or isnr in seen:
            problems.append(
                Problem(
                    f"issue id '{isnr}' is empty or repeated",
                    f"رمز القضية '{isnr}' فارغ أو مكرر",
                    file=name,
                    line=line,
                    path="isnr",
                    fix_en="give every issue its own id",
                    fix_ar="أعطِ كل قضية رمزًا خاصًا بها",
                )
            )
        seen.add(isnr)
        issues.append(
            Deu3Issue(
                prnr=row[col["prnr"]].strip(),
                prname=row[col["prname"]].strip(),
                isnr=isnr,
                proc=row[col["proc"]].strip(),
                counvte=row[col["counvte"]].strip(),
                intro=dates[0],
                decided=dates[1],
                line=line,
            )
        )
        pos_rows.append([number(row, line, f"p{a}", 0.0, 100.0) for a in ACTORS])
        sal_rows.append([number(row, line, f"s{a}", 0.0, 100.0) for a in ACTORS])
        rp.append(number(row, line, "rp", 0.0, 100.0))
        out.append(number(row, line, "out", 0.0, 100.0))
    if problems:
        raise InputError(problems[:50])
    if not issues:
        raise InputError.single(
            "no issue rows after the GDP row",
            "لا توجد أسطر قضايا بعد سطر الناتج المحلي",
            file=name,
            fix_en="add the issues, one per row",
            fix_ar="أضف القضايا، قضية في كل سطر",
        )
    return Deu3(
        source=name,
        issues=tuple(issues),
        positions=np.array(pos_rows, dtype=float).T.copy(),
        saliences=np.array(sal_rows, dtype=float).T.copy(),
        reference=np.array(rp, dtype=float),
        outcome=np.array(out, dtype=float),
        gdp=gdp,
    )
