"""FHIR R4 DiagnosticReport JSON, validated with fhir.resources.

fhir.resources 8 models R5 at its top level and R4B in `fhir.resources.R4B`; R4B's
DiagnosticReport has the same elements as R4's, so R4 reports validate against it.
The report text is `conclusion`, the `presentedForm` attachments that carry text
(text/plain, text/html, and PDF with a text layer) and the narrative `text.div`
without its markup, de-duplicated. A Bundle holding exactly one DiagnosticReport is
read as that report.
"""

from __future__ import annotations

import base64
import binascii
import json
from html.parser import HTMLParser

from fhir.resources.R4B.diagnosticreport import DiagnosticReport
from pydantic import ValidationError

from ...errors import InputError
from . import Extracted
from . import pdf as pdf_format
from . import text as text_format

REFUSED_STATUSES = {"entered-in-error": "was entered in error"}
# Objects and lists inside one another. Real DiagnosticReports stay under 20; validation
# recurses per level and runs out of stack somewhere past 250, so deeper is refused first.
MAX_JSON_DEPTH = 100


def read(raw: bytes, name: str) -> Extracted:
    document = _load_json(raw, name)
    depth = _depth(document)
    if depth > MAX_JSON_DEPTH:
        raise _too_deep(name, f"over {MAX_JSON_DEPTH} levels of objects and lists inside one another")
    resource = _resource(document, name)
    try:
        report = DiagnosticReport.model_validate(resource)
    except RecursionError as exc:
        raise _too_deep(name, "too deep for the FHIR validator") from exc
    except ValidationError as exc:
        raise InputError(
            f"{name}: is not a valid FHIR R4 DiagnosticReport ({_summary(exc)}); "
            "check the export from the reporting system."
        ) from exc
    status = report.status or ""
    if status in REFUSED_STATUSES:
        raise InputError(
            f"{name}: the DiagnosticReport {REFUSED_STATUSES[status]} (status {status!r}); "
            "send the corrected report instead."
        )
    blocks: list[str] = []
    if report.conclusion:
        blocks.append(report.conclusion)
    skipped: list[str] = []
    for attachment in report.presentedForm or []:
        content_type = attachment.contentType or "(no content type)"
        extracted = _attachment_text(attachment, name)
        if extracted is None:
            skipped.append(content_type)
        else:
            blocks.append(extracted)
    if report.text is not None and report.text.div:
        blocks.append(_strip_markup(str(report.text.div)))
    text = "\n\n".join(_deduplicated(blocks))
    if not text.strip():
        unread = f"; attachments not readable as text: {', '.join(skipped)}" if skipped else ""
        raise InputError(
            f"{name}: the DiagnosticReport holds no report text (no conclusion, text attachment "
            f"or narrative{unread}); send the report text itself."
        )
    metadata = _metadata(report, resource)
    if skipped:
        metadata["attachments_not_read"] = skipped
    return Extracted(text=text, metadata=metadata)


def _load_json(raw: bytes, name: str) -> object:
    try:
        return json.loads(raw)  # bytes: UTF-8/16/32 detected as RFC 8259 allows
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{name}: is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}); "
            "check the export from the reporting system."
        ) from exc
    except RecursionError as exc:
        raise _too_deep(name, "too deep to parse") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: is not readable JSON text (not UTF-8, UTF-16 or UTF-32 at byte {exc.start}); "
                         "export it again as UTF-8.") from exc


def _too_deep(name: str, how: str) -> InputError:
    return InputError(f"{name}: its JSON is nested too deeply ({how}); no DiagnosticReport is built like this: "
                      "check the export from the reporting system.")


def _depth(document: object) -> int:
    """How many objects/lists sit inside one another (without recursion: the input is hostile)."""
    deepest, stack = 0, [(document, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_JSON_DEPTH:
            return deepest
        stack.extend((child, level + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def _resource(document: object, name: str) -> dict:
    if not isinstance(document, dict):
        raise InputError(f"{name}: is JSON but not a FHIR resource (no resourceType); send a FHIR DiagnosticReport.")
    kind = document.get("resourceType")
    if kind == "DiagnosticReport":
        return document
    if kind == "Bundle":
        entries = document.get("entry") or []
        reports = [
            entry["resource"]
            for entry in entries
            if isinstance(entry, dict)
            and isinstance(entry.get("resource"), dict)
            and entry["resource"].get("resourceType") == "DiagnosticReport"
        ]
        if len(reports) == 1:
            return reports[0]
        raise InputError(
            f"{name}: is a FHIR Bundle holding {len(reports)} DiagnosticReports; "
            "send a Bundle with exactly one, or the DiagnosticReport alone."
        )
    shown = repr(kind) if isinstance(kind, str) else "missing"
    raise InputError(
        f"{name}: is a FHIR resource of type {shown}, not a DiagnosticReport; "
        "only DiagnosticReport resources carry reports."
    )


def _attachment_text(attachment, name: str) -> str | None:
    """The attachment's text, or None when it has no inline data readable as text."""
    if not attachment.data:
        return None  # a url-only attachment: nothing is fetched, the appliance is offline
    raw = attachment.data
    if isinstance(raw, str):
        try:
            raw = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            return None
    media_type, _, params = (attachment.contentType or "").partition(";")
    media_type = media_type.strip().lower()
    if media_type in {"text/plain", "text/markdown", "text/html"}:
        decoded = _decoded(raw, _charset(params), name)
        if decoded is None:
            return None
        return _strip_markup(decoded) if media_type == "text/html" else decoded
    if media_type == "application/pdf":
        try:
            extracted, _ = pdf_format.extract_text(raw, name)
        except InputError:
            return None
        return extracted if extracted.strip() else None
    return None


def _decoded(raw: bytes, charset: str | None, name: str) -> str | None:
    """The attachment's declared charset first, else detection as for text files."""
    if charset:
        try:
            return raw.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return text_format.decode(raw, name)[0]
    except InputError:
        return None  # binary data labelled as text: reported as an attachment not read


def _charset(params: str) -> str | None:
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"')
    return None


def _metadata(report: DiagnosticReport, resource: dict) -> dict:
    code = report.code
    code_text = (code.text or next((c.display for c in code.coding or [] if c.display), None)) if code else None
    identifiers = [
        {key: value for key, value in (("system", i.system), ("value", i.value)) if value}
        for i in report.identifier or []
        if i.value
    ]
    period = resource.get("effectivePeriod") or {}
    found = {
        "resource_type": "DiagnosticReport",
        "resource_id": report.id,
        "status": report.status,
        "code": code_text,
        "subject": report.subject.reference if report.subject else None,
        "identifiers": identifiers,
        # the dates as written in the file (validated above), not re-formatted
        "effective_datetime": resource.get("effectiveDateTime") or period.get("start"),
        "issued": resource.get("issued"),
    }
    return {key: value for key, value in found.items() if value}


def _summary(exc: ValidationError) -> str:
    """Field paths and reasons only: pydantic's own text would quote the values (report text)."""
    problems = [
        f"{'.'.join(str(part) for part in error['loc']) or 'resource'}: {error['msg'].splitlines()[0].strip()}"
        for error in exc.errors(include_url=False, include_input=False)[:3]
    ]
    more = exc.error_count() - len(problems)
    return "; ".join(problems) + (f"; and {more} more" if more > 0 else "")


class _TextOfMarkup(HTMLParser):
    """Collects the words of XHTML/HTML, with line breaks where block elements end."""

    BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "pre", "blockquote"}
    HIDDEN = {"script", "style", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag in {"td", "th"}:
            self.parts.append(" ")

    def handle_startendtag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def _strip_markup(markup: str) -> str:
    parser = _TextOfMarkup()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def _deduplicated(blocks: list[str]) -> list[str]:
    """The blocks without repeats: a block found inside another goes (exact repeats keep
    the first); from the rest, lines an earlier block already gave go, and a block left
    with only short heading lines (the narrative's "Conclusion" over the conclusion) goes."""
    normalised = [_squeezed(block) for block in blocks]
    whole = [
        block
        for i, block in enumerate(blocks)
        if normalised[i]
        and not any(
            j != i and normalised[i] in other and (normalised[i] != other or j < i)
            for j, other in enumerate(normalised)
        )
    ]
    kept: list[str] = []
    given = ""
    for block in whole:
        lines = [line for line in block.splitlines() if line.strip()]
        new = [line for line in lines if _squeezed(line) not in given]
        if len(new) == len(lines):
            kept.append(block.strip("\n"))
        elif new and not all(len(line.split()) <= 3 for line in new):
            kept.append("\n".join(new))
        given += "\n" + _squeezed(block)
    return kept


def _squeezed(text: str) -> str:
    return " ".join(text.split())
