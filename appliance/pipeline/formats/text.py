"""Plain-text reports (.txt, .md): the character set is detected, never assumed.

Order: a byte-order mark decides (UTF-8, UTF-16, UTF-32); else strict UTF-8; else
charset-normalizer's best guess among legacy code pages. NUL bytes without a BOM mean
binary unless the bytes are plainly BOM-less UTF-16/32.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from ...errors import InputError

# Longest BOMs first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters (C0 and C1) other than tab, line feed, vertical tab, form feed and
# carriage return; above this share of the text, the file is binary.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_SHARE = 0.01


def decode(raw: bytes, name: str) -> tuple[str, str]:
    """Decode report bytes to text; returns (text, the encoding used)."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return _checked(raw.decode(encoding).lstrip("\ufeff"), name), encoding
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{name}: starts with a {encoding.upper()} byte-order mark but is not valid "
                    f"{encoding.upper()} text (byte {exc.start}); re-export it as UTF-8."
                ) from exc
    if b"\x00" in raw:
        encoding = _bomless_wide_encoding(raw)
        if encoding is None:
            raise InputError(
                f"{name}: looks binary (it contains NUL bytes), not a text report; "
                "send the report as plain text, PDF, HL7 v2 or FHIR JSON."
            )
        try:
            return _checked(raw.decode(encoding), name), encoding
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: looks binary (it contains NUL bytes), not a text report.") from exc
    try:
        return _checked(raw.decode("utf-8"), name), "utf-8"
    except UnicodeDecodeError:
        pass
    encoding = _guess_legacy_encoding(raw)
    if encoding is None:
        raise InputError(
            f"{name}: the character set could not be recognised (not UTF-8, UTF-16 or a known "
            "legacy code page); re-export the report as UTF-8 text."
        )
    return _checked(raw.decode(encoding), name), encoding


def _guess_legacy_encoding(raw: bytes) -> str | None:
    matches = from_bytes(raw)
    best = matches.best()
    if best is None:
        return None
    # On short reports the Western and Central European code pages score alike and
    # charset-normalizer names the first alphabetically (cp1250). Windows-1252 is by far
    # the commonest legacy encoding of exported reports, so it wins every near-tie.
    for match in matches:
        near_tie = match.chaos <= best.chaos + 0.01 and match.coherence >= best.coherence - 0.05
        if near_tie and "cp1252" in match.could_be_from_charset:
            return "cp1252"
    return best.encoding


def _bomless_wide_encoding(raw: bytes) -> str | None:
    """Name UTF-16/32 without a BOM when the NUL pattern says so (mostly-ASCII text)."""
    sample = raw[:4096]
    if len(sample) < 4:
        return None

    def nul_share(offset: int, step: int) -> float:
        part = sample[offset::step]
        return part.count(0) / len(part)

    if len(raw) % 4 == 0:
        if nul_share(1, 4) > 0.9 and nul_share(2, 4) > 0.9 and nul_share(3, 4) > 0.9 and nul_share(0, 4) < 0.1:
            return "utf-32-le"
        if nul_share(0, 4) > 0.9 and nul_share(1, 4) > 0.9 and nul_share(2, 4) > 0.9 and nul_share(3, 4) < 0.1:
            return "utf-32-be"
    if len(raw) % 2 == 0:
        if nul_share(1, 2) > 0.7 and nul_share(0, 2) < 0.05:
            return "utf-16-le"
        if nul_share(0, 2) > 0.7 and nul_share(1, 2) < 0.05:
            return "utf-16-be"
    return None


def _checked(text: str, name: str) -> str:
    """Refuse decoded text that is mostly control characters: binary that happened to decode."""
    if text:
        controls = len(_CONTROLS.findall(text))
        if controls / len(text) > _MAX_CONTROL_SHARE or "\x00" in text:
            raise InputError(
                f"{name}: looks binary (control characters in the text), not a text report; "
                "send the report as plain text, PDF, HL7 v2 or FHIR JSON."
            )
    return text
