"""HL7 v2 result messages (ORU^R01), parsed with python-hl7.

The report text is the OBX-5 values of the text-bearing value types, in message order,
one line each (repetitions and \\.br\\ become further lines). Ids and dates go to
metadata. Only a single ORU^R01 per file is accepted.
"""

from __future__ import annotations

import hl7
import hl7.containers
import hl7.util

from ...errors import InputError
from . import Extracted

# python-hl7 logs the field being unescaped (report text) when it meets an unknown
# escape sequence; report text must never reach a log, so its loggers are switched off.
hl7.util.logger.disabled = True
hl7.containers.logger.disabled = True

TEXT_VALUE_TYPES = {"TX", "FT", "ST"}
CODED_VALUE_TYPES = {"CE", "CWE"}  # the text component (2, else alternate text 5) is read
SKIPPED_RESULT_STATUSES = {"W", "D"}  # OBX-11: posted in error / deleted
BATCH_SEGMENTS = {"FHS", "BHS", "BTS", "FTS"}
# Highlighting (\H\ ... \N\) carries no words; drop the markers instead of python-hl7's "_".
_UNESCAPE_MAP = {"H": "", "N": ""}


def looks_like_hl7(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n").startswith(("MSH|", "FHS|", "BHS|"))


def read(text: str, name: str) -> Extracted:
    """Parse decoded message text; InputError says why a message is not a readable result."""
    message = _parse(text, name)
    message_type = _field(message, "MSH", 9, component=1)
    trigger = _field(message, "MSH", 9, component=2)
    if (message_type, trigger) != ("ORU", "R01"):
        shown = f"{message_type}^{trigger}" if trigger else (message_type or "(none)")
        raise InputError(
            f"{name}: is an HL7 {shown} message; only ORU^R01 result messages carry reports. "
            "Send the report's ORU^R01 message instead."
        )
    lines, value_types = _report_lines(message)
    if not any(line.strip() for line in lines):
        found = ", ".join(sorted(value_types)) or "no OBX segments"
        raise InputError(
            f"{name}: the ORU^R01 message holds no report text (OBX value types found: {found}; "
            "text is read from TX, FT, ST and CE). Send the report as text or PDF."
        )
    return Extracted(text="\n".join(lines), metadata=_metadata(message))


def _parse(text: str, name: str) -> hl7.Message:
    # Segments end in \r by the standard; files saved by hand often use \n or \r\n.
    segments = [s for s in text.lstrip("\ufeff").replace("\r\n", "\r").replace("\n", "\r").split("\r") if s.strip()]
    segments = [s for s in segments if s[:3] not in BATCH_SEGMENTS]
    headers = sum(1 for s in segments if s.startswith("MSH"))
    if headers == 0 or not segments[0].startswith("MSH"):
        raise InputError(f"{name}: is not an HL7 v2 message (it does not start with an MSH segment); check the file.")
    if headers > 1:
        raise InputError(f"{name}: holds {headers} HL7 messages; send one message per file.")
    try:
        return hl7.parse("\r".join(segments))
    except Exception as exc:  # ParseException, and IndexError/ValueError on malformed headers
        raise InputError(
            f"{name}: the HL7 v2 message cannot be parsed ({type(exc).__name__}); check the MSH segment "
            "and the segment separators, or export the message again."
        ) from exc


def _report_lines(message: hl7.Message) -> tuple[list[str], set[str]]:
    repetition, component = message.separators[2], message.separators[3]
    lines: list[str] = []
    value_types: set[str] = set()
    for obx in _segments(message, "OBX"):
        value_type = _str_at(obx, 2).split(component)[0].strip().upper()
        value_types.add(value_type or "(blank)")
        if _str_at(obx, 11).strip().upper() in SKIPPED_RESULT_STATUSES:
            continue
        for value in _str_at(obx, 5).split(repetition):
            if value_type in TEXT_VALUE_TYPES:
                text = message.unescape(value, _UNESCAPE_MAP)
            elif value_type in CODED_VALUE_TYPES:
                parts = value.split(component)
                coded = _first_nonblank(parts, (1, 4, 0))  # text, alternate text, identifier
                text = message.unescape(coded, _UNESCAPE_MAP)
            else:
                continue
            lines.extend(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return lines, value_types


def _metadata(message: hl7.Message) -> dict:
    accession = _field(message, "OBR", 3) or _field(message, "OBR", 2)
    exam = _field(message, "OBR", 4, component=2) or _field(message, "OBR", 4, component=1)
    found = {
        "message_type": "ORU^R01",
        "message_control_id": _field(message, "MSH", 10),
        "hl7_version": _field(message, "MSH", 12),
        "patient_id": _field(message, "PID", 3),
        "accession_number": accession,
        "exam": message.unescape(exam, _UNESCAPE_MAP) if exam else "",
        "observation_datetime": _field(message, "OBR", 7),
    }
    return {key: value for key, value in found.items() if value}


def _field(message: hl7.Message, segment: str, field: int, component: int = 1) -> str:
    """First repetition's component of the first such segment; "" when absent."""
    try:
        return str(message.extract_field(segment, 1, field, 1, component)).strip()
    except (KeyError, IndexError):
        return ""


def _segments(message: hl7.Message, name: str) -> list:
    try:
        return message.segments(name)
    except KeyError:
        return []


def _str_at(segment, index: int) -> str:
    return str(segment[index]) if index < len(segment) else ""


def _first_nonblank(parts: list[str], order: tuple[int, ...]) -> str:
    for index in order:
        if index < len(parts) and parts[index].strip():
            return parts[index]
    return ""
