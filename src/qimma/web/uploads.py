"""The upload check, one rule for every file the web app accepts.

A file is accepted when its extension is one of the kind's, its size is within the kind's limit,
it is not empty and its content matches the extension (a PDF starts with ``%PDF-``, a text file
has no NUL byte). The client's file name is only used, reduced to its last component, in
messages; the file is read from a temporary copy named by qimma (:func:`temporary_copy`), so names
such as ``../../etc/passwd`` never reach the file system.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import UploadFile

from qimma.errors import InputError, Problem

MB = 1024 * 1024


@dataclass(frozen=True)
class UploadKind:
    suffixes: tuple[str, ...]
    max_bytes: int
    what_en: str  # "scenario file", "document"
    what_ar: str


SCENARIO_FILE = UploadKind(
    (".yaml", ".yml", ".csv", ".txt", ".xml"), 2 * MB, "scenario file", "ملف سيناريو"
)
DOCUMENT = UploadKind((".txt", ".md", ".html", ".htm", ".pdf"), 5 * MB, "document", "مستند")


@dataclass(frozen=True)
class Upload:
    name: str  # the client's file name, last component only
    suffix: str
    data: bytes


class UploadTooLarge(InputError):
    """The file is over its kind's limit."""

    http_status = 413


def _listing(suffixes: tuple[str, ...], joiner: str) -> str:
    return ", ".join(suffixes[:-1]) + f" {joiner} " + suffixes[-1]


async def read_upload(field: object, kind: UploadKind) -> Upload:
    """The uploaded file of a form field, checked against `kind`; InputError otherwise."""
    if not isinstance(field, UploadFile) or not field.filename:
        raise InputError.single(f"choose a {kind.what_en} to upload", f"اختر {kind.what_ar} لرفعه")
    name = Path(field.filename.replace("\\", "/")).name
    suffix = Path(name).suffix.lower()
    if suffix not in kind.suffixes:
        raise InputError.single(
            f"cannot accept '{suffix or name}' files as a {kind.what_en}",
            f"لا يمكن قبول ملفات '{suffix or name}' بوصفها {kind.what_ar}",
            file=name,
            fix_en=f"give a {_listing(kind.suffixes, 'or')} file",
            fix_ar=f"حدد ملفًا بامتداد {_listing(kind.suffixes, 'أو')}",
        )
    data = await field.read(kind.max_bytes + 1)
    if len(data) > kind.max_bytes:
        size = kind.max_bytes // MB
        raise UploadTooLarge(
            [
                Problem(
                    f"the file is larger than {size} MB",
                    f"حجم الملف أكبر من {size} ميغابايت",
                    file=name,
                )
            ]
        )
    if not data.strip():
        raise InputError.single(
            f"'{name}' is empty", f"الملف '{name}' فارغ", file=name,
            fix_en="upload a file with content", fix_ar="ارفع ملفًا فيه محتوى",
        )  # fmt: skip
    ok = data.startswith(b"%PDF-") if suffix == ".pdf" else b"\x00" not in data[:65536]
    if not ok:
        raise InputError.single(
            f"the content of '{name}' is not a {suffix} file",
            f"محتوى '{name}' ليس ملفًا بصيغة {suffix}",
            file=name,
            fix_en=f"upload the {kind.what_en} itself",
            fix_ar=f"ارفع {kind.what_ar} نفسه",
        )
    return Upload(name, suffix, data)


@contextmanager
def temporary_copy(upload: Upload) -> Iterator[Path]:
    """The upload written to a temporary file named by qimma; problems name the user's file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{upload.suffix}"
        path.write_bytes(upload.data)
        try:
            yield path
        except InputError as e:
            raise InputError(
                [
                    Problem(
                        p.message_en,
                        p.message_ar,
                        upload.name if p.file in (None, str(path)) else p.file,
                        p.line,
                        p.path,
                        p.fix_en,
                        p.fix_ar,
                    )
                    for p in e.problems
                ]
            ) from None
