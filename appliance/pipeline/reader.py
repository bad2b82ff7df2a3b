"""Reading an input file into a document: text plus the content hash that identifies it.

This module only chooses the reader by file type and applies the limits and the text
normalisation every format shares; each format lives in `formats/`.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .formats import Extracted, fhir, hl7v2, pdf, text

DEFAULT_MAX_FILE_BYTES = 20_000_000
# suffix → what the operator is told it means
ACCEPTED_TYPES = {
    ".txt": "plain text (or an HL7 v2 message)",
    ".md": "Markdown text",
    ".pdf": "PDF with a text layer",
    ".hl7": "HL7 v2 ORU^R01 message",
    ".msg": "HL7 v2 ORU^R01 message",
    ".json": "FHIR R4 DiagnosticReport",
}


@dataclass(frozen=True)
class Document:
    source: str      # file name as it arrived
    text: str        # normalised text ("\n" line ends), what the model reads
    sha256: str      # sha256 of the RAW file bytes: the idempotency key
    format: str = "text"          # "text" | "pdf" | "hl7v2" | "fhir"
    metadata: dict = field(default_factory=dict)   # ids etc., never report text
    # From the drop folder: processed once; a finished job with this content is not run
    # again (the one-shot `appliance process` runs it again on purpose).
    once: bool = False


def shown(name: str) -> str:
    """A file name as it may appear in a log or status line: escaped repr-style when it
    holds anything unprintable (a newline in a name cannot start a forged log line)."""
    return name if name.isprintable() and name == name.strip() and name else repr(name)


def read_document(path: Path, max_bytes: int, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES, *,
                  raw: bytes | None = None, once: bool = False) -> Document:
    """Read one report of any accepted type; InputError names the file and what is wrong with it.

    `max_bytes` limits the extracted text (UTF-8 bytes), `max_file_bytes` the file itself.
    `raw`: the file's bytes, already read (the drop folder reads each file exactly once).
    Every failure of a reader on a hostile file (nesting, memory, decoding, validation)
    comes out as an InputError with the true reason, never as another exception.
    """
    name = shown(path.name)
    suffix = path.suffix.lower()
    if suffix not in ACCEPTED_TYPES:
        accepted = ", ".join(f"{s} ({what})" for s, what in ACCEPTED_TYPES.items())
        raise InputError(f"{name}: unsupported file type {suffix or '(no extension)'!r}; accepted types are {accepted}.")
    if raw is None:
        raw = _read_raw(path, max_file_bytes)
    elif len(raw) > max_file_bytes:
        raise InputError(
            f"{name}: the file is {len(raw):,} bytes, over the {max_file_bytes:,}-byte limit; "
            "split the document or send its text only."
        )
    if not raw:
        raise InputError(f"{name}: the file is empty; nothing to process.")
    if not raw.strip():
        raise InputError(f"{name}: the file holds only blank space ({len(raw)} bytes); nothing to process.")
    try:
        kind, extracted = _extract(raw, name, suffix)
    except InputError:
        raise
    except RecursionError as exc:
        raise InputError(f"{name}: its structure is nested too deeply to read; no report is built like this: "
                         "check the export from the reporting system.") from exc
    except MemoryError as exc:
        raise InputError(f"{name}: reading it needs more memory than the appliance has; "
                         "split the document or send its text only.") from exc
    except UnicodeError as exc:
        raise InputError(f"{name}: its text cannot be decoded ({type(exc).__name__} at byte "
                         f"{getattr(exc, 'start', '?')}); re-export it as UTF-8.") from exc
    except Exception as exc:  # a reader library failing on a hostile file: a reason, never a crash
        raise InputError(f"{name}: could not be read as {ACCEPTED_TYPES[suffix]} ({type(exc).__name__}); "
                         "check the export or send the report as plain text.") from exc
    document_text = _normalised(extracted.text)
    if not document_text.strip():
        raise InputError(f"{name}: holds no text; nothing to process.")
    size = len(document_text.encode("utf-8"))
    if size > max_bytes:
        raise InputError(
            f"{name}: its text is {size:,} bytes, over the {max_bytes:,}-byte limit (max_text_bytes); "
            "split the document or raise the limit."
        )
    return Document(
        source=path.name,
        text=document_text,
        sha256=hashlib.sha256(raw).hexdigest(),
        format=kind,
        metadata=extracted.metadata,
        once=once,
    )


def _read_raw(path: Path, max_file_bytes: int) -> bytes:
    """The file's bytes, read through a descriptor that never follows a link or blocks on a pipe."""
    name = shown(path.name)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(f"{name}: is a symbolic link; links are never followed: give the file itself.") from exc
        raise InputError(f"{name}: cannot be read ({exc.strerror}); check the file and its permissions.") from exc
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"{name}: is not a regular file (a pipe, device or folder); give a report file.")
        if st.st_size > max_file_bytes:
            raise InputError(
                f"{name}: the file is {st.st_size:,} bytes, over the {max_file_bytes:,}-byte limit; "
                "split the document or send its text only."
            )
        with os.fdopen(os.dup(fd), "rb") as f:
            raw = f.read(max_file_bytes + 1)
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror}); check the file and its permissions.") from exc
    finally:
        os.close(fd)
    if len(raw) > max_file_bytes:  # grew while being read
        raise InputError(
            f"{name}: the file is over the {max_file_bytes:,}-byte limit; "
            "split the document or send its text only."
        )
    return raw


def _extract(raw: bytes, name: str, suffix: str) -> tuple[str, Extracted]:
    if suffix == ".pdf":
        return "pdf", pdf.read(raw, name)
    if suffix == ".json":
        return "fhir", fhir.read(raw, name)
    decoded, encoding = text.decode(raw, name)
    if suffix == ".hl7" or hl7v2.looks_like_hl7(decoded):
        return "hl7v2", hl7v2.read(decoded, name)
    if suffix == ".msg":
        raise InputError(
            f"{name}: a .msg file is read as an HL7 v2 message, and this one does not start with MSH|; "
            "send HL7 v2 ORU^R01 messages only (e-mail .msg files are not accepted)."
        )
    return "text", Extracted(text=decoded, metadata={"encoding": encoding})


def _normalised(document_text: str) -> str:
    """One line-end convention and composed characters, so evidence quotes match the text."""
    document_text = document_text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", document_text)
