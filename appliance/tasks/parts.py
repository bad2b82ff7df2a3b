"""Two-part documents: NLI (premise + hypothesis), temporal comparison (prior + current
report) and QA (question + report) read one text file whose parts are labelled.

Format: each part starts with its header at the beginning of a line, any case, a colon
after it; the part's text follows, on the next lines (or on the rest of the header's
line) up to the next header or the end of the file:

    PREMISE:                        PRIOR REPORT:             QUESTION:
    <premise text>                  <earlier report>          <the question>
    HYPOTHESIS:                     CURRENT REPORT:           REPORT:
    <hypothesis text>               <later report>            <the report>

Text before the first header is ignored. When a header appears twice, the first one
starts the part and the later line is kept as text of the part it falls in, so a
report that itself contains a line such as `REPORT:` is not cut short.

The whole file, headers included, is the document the model reads (the prompt builder
is the same for every task), so evidence quotes can be checked against it verbatim.
"""

from __future__ import annotations

import re

# Header (as written, any case; spaces between words may vary) → part name.
HEADERS = {
    "premise": "premise",
    "hypothesis": "hypothesis",
    "prior report": "prior",
    "current report": "current",
    "question": "question",
    "report": "report",
}

_HEADER = re.compile(
    r"^[ \t]*(premise|hypothesis|prior[ \t]+report|current[ \t]+report|question|report)[ \t]*:[ \t]*(.*)$",
    re.IGNORECASE,
)


def split_parts(text: str) -> dict[str, str]:
    """The labelled parts of a document, part name → stripped text (only parts that occur)."""
    parts: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        match = _HEADER.match(line)
        name = HEADERS[" ".join(match.group(1).lower().split())] if match else None
        if name is not None and name not in parts:
            current = parts[name] = [match.group(2)] if match.group(2).strip() else []
        elif current is not None:
            current.append(line)
    return {name: "\n".join(lines).strip() for name, lines in parts.items()}


def part_tasks() -> dict[str, tuple[str, ...]]:
    """Task name → the parts it needs, in the order written (each two-part task declares its own)."""
    from . import TASKS  # the catalogue imports this module's callers; read it lazily

    return {task.name: task.parts for task in TASKS.values() if task.parts}


def missing_parts(task_name: str, text: str) -> list[str]:
    """The parts `task_name` needs that the document lacks or leaves empty ([] for one-part tasks)."""
    found = split_parts(text)
    return [name for name in part_tasks().get(task_name, ()) if not found.get(name)]


def format_parts(task_name: str, **parts: str) -> str:
    """Write a two-part document in the format above (e.g. for training data)."""
    headers = {name: header.upper() for header, name in HEADERS.items()}
    return "\n".join(f"{headers[name]}:\n{parts[name].strip()}" for name in part_tasks()[task_name]) + "\n"
