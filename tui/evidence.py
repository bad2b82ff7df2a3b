"""Evidence in the source text: where each quoted phrase is, numbered so a field and its words link.

A result's `evidence` quote and each red-flag phrase get a number; the source text
shows the words highlighted with a marker such as [1], and the result shows
"Evidence [1]" beside the field it supports (in words, never the field's internal path).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.text import Text

from appliance.pipeline.checks import quotes
from appliance.tasks import TASKS

HIGHLIGHT = "bold reverse"   # readable in light and dark themes; the marker says it in text too
MARKER = "bold underline"


@dataclass(frozen=True)
class Evidence:
    number: int
    label: str                      # the clinician's words: "RADS category", "Named entities, item 1",
                                    # or "Safety rule: Tension pneumothorax"
    quote: str
    span: tuple[int, int] | None    # where the words are in the text; None when not found
    task: str | None = None         # the result it supports (None for a red flag)
    field: str = ""                 # which part of that result, in words ("" for its evidence field)

    @property
    def marker(self) -> str:
        return f"[{self.number}]"


def field_words(where: str) -> str:
    """'evidence' → '', 'entities[0].text' → 'item 1', 'most_likely.evidence' → 'most likely'."""
    parts = []
    for part in re.split(r"\.", where):
        m = re.fullmatch(r"(\w+)\[(\d+)\]", part)
        if m:
            parts.append(f"item {int(m.group(2)) + 1}")
        elif part not in ("evidence", "text", "quote"):
            parts.append(part.replace("_", " "))
    return ", ".join(parts)


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """The quote in the text, ignoring case and treating any run of whitespace as one space."""
    words = quote.split()
    if not words:
        return None
    m = re.search(r"\s+".join(re.escape(w) for w in words), text, re.IGNORECASE)
    return (m.start(), m.end()) if m else None


def collect(text: str | None, record: dict) -> list[Evidence]:
    """Every result's evidence fields, then every red-flag phrase, numbered from 1."""
    items: list[Evidence] = []
    for task, value in record["results"].items():
        if task not in TASKS:
            continue
        for where, quote in quotes(TASKS[task], value):
            if quote.strip():
                words = field_words(where)
                label = TASKS[task].title + (f", {words}" if words else "")
                items.append(Evidence(len(items) + 1, label, quote, find_quote(text, quote) if text else None,
                                      task=task, field=words))
    for reason in record["urgent_reasons"]:
        for phrase in reason["evidence"]:
            items.append(Evidence(len(items) + 1, f"Safety rule: {reason['label']}", phrase,
                                  find_quote(text, phrase) if text else None))
    return items


def highlighted(text: str, items: list[Evidence]) -> Text:
    """The source text with each evidence span highlighted and followed by its markers."""
    spans = sorted((e.span[0], e.span[1], e.number) for e in items if e.span is not None)
    # Overlapping spans (two results quoting the same words) merge into one highlight.
    groups: list[list] = []
    for start, end, number in spans:
        if groups and start < groups[-1][1]:
            groups[-1][1] = max(groups[-1][1], end)
            groups[-1][2].append(number)
        else:
            groups.append([start, end, [number]])
    out = Text()
    position = 0
    for start, end, numbers in groups:
        out.append(text[position:start])
        out.append(text[start:end], style=HIGHLIGHT)
        out.append("".join(f"[{n}]" for n in sorted(set(numbers))), style=MARKER)
        position = end
    out.append(text[position:])
    return out
