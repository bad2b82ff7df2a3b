"""The worklist's filter line: a status filter that a key cycles, and a search box."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

from ..worklist_data import FILTERS


class FilterBar(Horizontal):
    """Posts FilterBar.Changed whenever the status filter or the search text changes."""

    class Changed(Message):
        def __init__(self, query: str, status_filter: str) -> None:
            super().__init__()
            self.query = query
            self.status_filter = status_filter

    def __init__(self) -> None:
        super().__init__(id="filter-bar")
        self.status_filter = FILTERS[0]

    def compose(self) -> ComposeResult:
        yield Label(self._label(), id="filter-label")
        yield Input(placeholder="search: file, type, result, reason  (/)", id="search", compact=True)

    def _label(self) -> str:
        return f"Show: {self.status_filter} (f) "

    @property
    def query(self) -> str:
        return self.query_one("#search", Input).value

    def cycle(self) -> str:
        self.status_filter = FILTERS[(FILTERS.index(self.status_filter) + 1) % len(FILTERS)]
        self.query_one("#filter-label", Label).update(self._label())
        self.post_message(self.Changed(self.query, self.status_filter))
        return self.status_filter

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value, self.status_filter))
