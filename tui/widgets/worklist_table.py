"""The worklist table: one row per document, updated in place without losing the cursor."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from ..worklist_data import URGENT_MARK, WorkItem

# (heading, width) at 80 columns: urgency, file, status, type and key result fit; the
# highlighted row's reason is also spelled out beneath the table. Wider terminals give the
# extra room to the file name and the reason.
COLUMNS = (("Urgency", 8), ("Source file", 20), ("Status", 16), ("Type", 9), ("Key result", 16), ("Why urgent", 28))


def column_widths(terminal_width: int) -> tuple[int, ...]:
    fixed = sum(w for h, w in COLUMNS if h not in ("Source file", "Why urgent")) + 2 * len(COLUMNS) + 2
    spare = max(0, terminal_width - fixed)
    source = min(40, max(20, int(spare * 0.4)))
    why = max(28, spare - source)
    return tuple(source if h == "Source file" else why if h == "Why urgent" else w for h, w in COLUMNS)


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _cells(item: WorkItem, widths: tuple[int, ...]) -> tuple:
    return (
        Text(URGENT_MARK, style="bold red") if item.urgent else Text(""),
        _fit(item.source, widths[1]),
        item.status,
        _fit(item.short_type, widths[3]),
        _fit(item.key_result or "—", widths[4]),
        _fit(item.urgent_reason, widths[5]),
    )


class WorklistTable(DataTable):
    BINDINGS = [Binding("enter", "select_cursor", "Open", show=True)]

    def __init__(self) -> None:
        super().__init__(id="worklist", cursor_type="row", zebra_stripes=True)
        self._shown: tuple[WorkItem, ...] | None = None
        self.widths = tuple(w for _, w in COLUMNS)

    def on_mount(self) -> None:
        self.widths = column_widths(self.app.size.width)
        for (heading, _), width in zip(COLUMNS, self.widths):
            self.add_column(heading, width=width, key=heading)

    def show(self, items: list[WorkItem]) -> None:
        """Show these rows, keeping the cursor (and the scroll) on the same document where it is still shown."""
        if self._shown == tuple(items):
            return
        previous, self._shown = self._shown or (), tuple(items)
        if [i.key for i in previous] == [i.key for i in items]:
            # Same documents in the same order: update only the cells that changed.
            for old, new in zip(previous, items):
                if old != new:
                    for column, value in zip(COLUMNS, _cells(new, self.widths)):
                        self.update_cell(new.key, column[0], value)
            return
        current, row, scroll_y = self.current_key, self.cursor_row, self.scroll_y
        self.clear()
        for item in items:
            self.add_row(*_cells(item, self.widths), key=item.key)
        if not self.row_count:
            return
        keys = [item.key for item in items]
        self.scroll_to(y=scroll_y, animate=False, immediate=True)
        self.move_cursor(row=keys.index(current) if current in keys else min(row, self.row_count - 1),
                         animate=False)

    @property
    def current_key(self) -> str | None:
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return row_key.value
