"""Reading an input file into a document: text plus the content hash that identifies it.

This module only chooses the reader by file type and applies the limits and the text
normalisation every format shares; each format lives in `formats/`.
"""

from __future__ import annotations

import hashlib
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


def read_document(path: Path, max_bytes: int, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Document:
    """Read one report of any accepted type; InputError names the file and what is wrong with it.

    `max_bytes` limits the extracted text (UTF-8 bytes), `max_file_bytes` the file itself.
    """
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in ACCEPTED_TYPES:
        accepted = ", ".join(f"{s} ({what})" for s, what in ACCEPTED_TYPES.items())
        raise InputError(f"{name}: unsupported file type {suffix or '(no extension)'!r}; accepted types are {accepted}.")
    raw = _read_raw(path, max_file_bytes)
    if not raw.strip():
        raise InputError(f"{name}: the file is empty; nothing to process.")
    kind, extracted = _extract(raw, name, suffix)
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
        source=name,
        text=document_text,
        sha256=hashlib.sha256(raw).hexdigest(),
        format=kind,
        metadata=extracted.metadata,
    )


def _read_raw(path: Path, max_file_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_file_bytes:
            raise InputError(
                f"{path.name}: the file is {size:,} bytes, over the {max_file_bytes:,}-byte limit; "
                "split the document or send its text only."
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path.name}: cannot be read ({exc.strerror}); check the file and its permissions.") from exc
    if len(raw) > max_file_bytes:  # grew while being read
        raise InputError(
            f"{path.name}: the file is {len(raw):,} bytes, over the {max_file_bytes:,}-byte limit; "
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
