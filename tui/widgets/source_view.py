"""The document's own text, with the evidence for each result highlighted and numbered."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ..evidence import Evidence, highlighted


class SourceView(Static):
    def __init__(self, text: str | None, unavailable: str, evidence: list[Evidence]) -> None:
        content = highlighted(text, evidence) if text is not None else Text(unavailable, style="italic")
        super().__init__(content, id="source-text")
        self.source = text
