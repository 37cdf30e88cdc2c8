"""Reading a user's file as text, with errors a non-programmer can act on."""

from __future__ import annotations

from pathlib import Path

from qimma.errors import InputError

MAX_SCENARIO_BYTES = 20 * 1024 * 1024  # scenario files are small; anything bigger is a mistake


def read_text(path: str | Path, *, max_bytes: int = MAX_SCENARIO_BYTES) -> str:
    """The file's text as UTF-8 (a BOM is accepted); a clear InputError otherwise."""
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputError.single(
            "file not found",
            "الملف غير موجود",
            file=name,
            fix_en="check the path and the file name",
            fix_ar="تحقق من المسار واسم الملف",
        )
    if p.is_dir():
        raise InputError.single(
            "this is a folder, not a file",
            "هذا مجلد وليس ملفًا",
            file=name,
            fix_en="give the path of a scenario file inside it",
            fix_ar="حدد مسار ملف سيناريو داخله",
        )
    size = p.stat().st_size
    if size > max_bytes:
        raise InputError.single(
            f"the file is {size / 1e6:.1f} MB, more than the {max_bytes / 1e6:.0f} MB allowed",
            f"حجم الملف {size / 1e6:.1f} ميغابايت، أكثر من المسموح ({max_bytes / 1e6:.0f})",
            file=name,
            fix_en="check that this is the right file",
            fix_ar="تحقق من أنه الملف الصحيح",
        )
    raw = p.read_bytes()
    if not raw.strip():
        raise InputError.single(
            "the file is empty",
            "الملف فارغ",
            file=name,
            fix_en="write the scenario into it, or pick another file",
            fix_ar="اكتب السيناريو فيه أو اختر ملفًا آخر",
        )
    if b"\x00" in raw[:8192]:
        raise InputError.single(
            "this is not a text file (it looks binary)",
            "هذا ليس ملفًا نصيًا (يبدو ثنائيًا)",
            file=name,
            fix_en="give a YAML, CSV or text file",
            fix_ar="حدد ملف YAML أو CSV أو ملفًا نصيًا",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise InputError.single(
            "the file is not UTF-8 text",
            "الملف ليس نصًا بترميز UTF-8",
            file=name,
            line=line,
            fix_en="save it as UTF-8 (for example 'Save as… CSV UTF-8' in a spreadsheet)",
            fix_ar="احفظه بترميز UTF-8 (مثلًا «حفظ باسم… CSV UTF-8» في جدول البيانات)",
        ) from None
