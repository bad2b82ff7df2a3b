"""Reading an input file into a document: text plus the content hash that identifies it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

TEXT_SUFFIXES = {".txt", ".md"}


@dataclass(frozen=True)
class Document:
    source: str      # file name as it arrived
    text: str
    sha256: str      # of the raw bytes: the idempotency key


def read_document(path: Path, max_bytes: int) -> Document:
    """Read a text report; InputError names the file and what is wrong with it."""
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise InputError(f"{path.name}: unsupported file type {path.suffix or '(none)'!r}; send .txt or .md reports.")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path.name}: cannot be read ({exc.strerror}); check the file and its permissions.") from exc
    if len(raw) > max_bytes:
        raise InputError(f"{path.name}: {len(raw)} bytes is over the {max_bytes}-byte limit; split the document.")
    if b"\x00" in raw[:8192] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{path.name}: looks binary (NUL bytes), not a text report.")
    text = _decode(raw, path.name)
    if not text.strip():
        raise InputError(f"{path.name}: the file is empty; nothing to process.")
    return Document(source=path.name, text=text.replace("\r\n", "\n"), sha256=hashlib.sha256(raw).hexdigest())


def _decode(raw: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "utf-16") if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig",):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    try:
        return raw.decode("cp1252")  # the commonest legacy encoding of exported reports
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not readable as UTF-8, UTF-16 or Windows-1252 text; re-export it as UTF-8.") from exc
