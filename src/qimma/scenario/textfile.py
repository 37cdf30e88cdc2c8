"""Reading a user's file as text, with errors a non-programmer can act on."""

from __future__ import annotations

import codecs
import re
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
            f"the file is {size / 2**20:.1f} MB, more than the {max_bytes / 2**20:.0f} MB allowed",
            f"حجم الملف {size / 2**20:.1f} ميغابايت، أكثر من المسموح ({max_bytes / 2**20:.0f})",
            file=name,
            fix_en="check that this is the right file",
            fix_ar="تحقق من أنه الملف الصحيح",
        )
    return decode_text(p.read_bytes(), name)


_BREAKS = re.compile(rb"\r\n|\r|\n")
# Files people mistake for tables: magic bytes -> what it is (en, ar)
_KNOWN_BINARY = (
    (b"PK\x03\x04", "an Excel workbook or another zip file", "مصنف Excel أو ملف zip آخر"),
    (b"\xd0\xcf\x11\xe0", "an old Excel or Word file", "ملف Excel أو Word قديم"),
    (b"%PDF", "a PDF document", "مستند PDF"),
)


def decode_text(raw: bytes, name: str) -> str:
    """A file's bytes as text: UTF-8 (BOM accepted) or UTF-16 with a BOM; InputError otherwise."""
    for magic, what_en, what_ar in _KNOWN_BINARY:
        if raw.startswith(magic):
            raise InputError.single(
                f"this is {what_en}, not a text file",
                f"هذا {what_ar} وليس ملفًا نصيًا",
                file=name,
                fix_en="in the spreadsheet, use 'Save as… CSV UTF-8', or write a YAML scenario",
                fix_ar="في جدول البيانات استخدم «حفظ باسم… CSV UTF-8» أو اكتب سيناريو YAML",
            )
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # spreadsheets' "Unicode text" export
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            text = None
        if text is not None and text.strip():
            return text
        if text is not None:
            raw = b""
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
            fix_en="give a YAML, CSV, XML or text file",
            fix_ar="حدد ملف YAML أو CSV أو XML أو ملفًا نصيًا",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = len(_BREAKS.findall(raw[: e.start])) + 1
        hint_en, hint_ar = "", ""
        if _looks_windows_arabic(raw):
            hint_en = "; it looks like Arabic Windows (cp1256) text"
            hint_ar = "؛ يبدو أنه نص عربي بترميز ويندوز (cp1256)"
        raise InputError.single(
            "the file is not UTF-8 text" + hint_en,
            "الملف ليس نصًا بترميز UTF-8" + hint_ar,
            file=name,
            line=line,
            fix_en="save it as UTF-8 (for example 'Save as… CSV UTF-8' in a spreadsheet)",
            fix_ar="احفظه بترميز UTF-8 (مثلًا «حفظ باسم… CSV UTF-8» في جدول البيانات)",
        ) from None


def _looks_windows_arabic(raw: bytes) -> bool:
    try:
        text = raw.decode("cp1256")
    except UnicodeDecodeError:
        return False
    arabic = sum(1 for ch in text if "\u0600" <= ch <= "\u06ff")
    return arabic >= 2 and arabic >= 0.5 * sum(1 for ch in text if not ch.isascii())
