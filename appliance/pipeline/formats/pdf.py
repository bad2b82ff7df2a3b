"""PDF reports: the text layer, read with pypdf. A scan without one is refused, not guessed at."""

from __future__ import annotations

import io
import logging
import warnings

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError

from ...errors import InputError
from . import Extracted

# pypdf reports recoverable damage through logging (and now and then warnings); the
# appliance reports what matters as InputError, so these must not reach the console.
logging.getLogger("pypdf").setLevel(logging.CRITICAL + 1)


def read(raw: bytes, name: str) -> Extracted:
    text, pages = extract_text(raw, name)
    if not text.strip():
        raise InputError(
            f"{name}: a scanned PDF without a text layer ({pages} page(s), no extractable text); "
            "send the report as text, or run OCR on the PDF first and send the result."
        )
    return Extracted(text=text, metadata={"pages": pages})


def extract_text(raw: bytes, name: str) -> tuple[str, int]:
    """The text of every page, pages separated by a blank line; returns (text, page count)."""
    if b"%PDF-" not in raw[:1024]:
        raise InputError(f"{name}: is not a PDF (no PDF header); check the file or send the report as text.")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            reader = PdfReader(io.BytesIO(raw))
            if reader.is_encrypted:
                _decrypt_without_password(reader, name)
            pages = [page.extract_text() or "" for page in reader.pages]
        except InputError:
            raise
        except FileNotDecryptedError as exc:
            raise _password_protected(name) from exc
        except Exception as exc:  # PdfReadError, and on damaged files many other kinds
            raise InputError(
                f"{name}: the PDF is damaged and cannot be read ({type(exc).__name__}); "
                "export the report again or send it as text."
            ) from exc
    return "\n\n".join(page.strip("\n") for page in pages), len(pages)


def _decrypt_without_password(reader: PdfReader, name: str) -> None:
    """Open PDFs encrypted only against editing (empty user password); refuse the rest."""
    try:
        opened = reader.decrypt("")
    except Exception as exc:  # unsupported algorithm or a missing crypto library
        raise _password_protected(name) from exc
    if not opened:
        raise _password_protected(name)


def _password_protected(name: str) -> InputError:
    return InputError(
        f"{name}: the PDF is encrypted (password protected) and cannot be read; "
        "export it again without a password or send the report as text."
    )
