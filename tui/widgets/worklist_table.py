"""The worklist table: one row per document, updated in place without losing the cursor."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from ..worklist_data import LOW_CONFIDENCE_MARK, URGENT_MARK, WorkItem

# (heading, width) at 80 columns: urgency, file, status, type and key result fit without
# scrolling; the highlighted row's reason is spelled out beneath the table. From 100 columns
# the reason gets its own column, and wider terminals give the extra room to the file name,
# the key result and the reason.
COLUMNS = (("Urgency", 8), ("Source file", 20), ("Status", 16), ("Type", 9), ("Key result", 13), ("Why urgent", 0))
WHY_FROM = 110


def column_widths(terminal_width: int) -> tuple[int, ...]:
    gaps = 2 * len(COLUMNS) + 3          # cell padding, the scrollbar and the border
    base = [w for _, w in COLUMNS]
    if terminal_width < WHY_FROM:
        return tuple(base)
    spare = max(0, terminal_width - sum(base) - gaps - 20)
    key = base[4] + spare * 3 // 5           # the key result first: it is what a clinician scans for
    source = base[1] + min(20, spare * 3 // 20)
    why = 20 + spare - (key - base[4]) - (source - base[1])
    return (base[0], source, base[2], base[3], key, why)


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _cells(item: WorkItem, widths: tuple[int, ...]) -> tuple:
    return (
        Text(URGENT_MARK, style="bold red") if item.urgent else
        Text(LOW_CONFIDENCE_MARK, style="bold yellow") if item.low_confidence else Text(""),
        _fit(item.source, widths[1]),
        item.status,
        _fit(item.short_type, widths[3]),
        _fit(item.key_result or "—", widths[4]),
        _fit(item.urgent_reason, widths[5]) if widths[5] else "",
    )


class WorklistTable(DataTable):
    BINDINGS = [
        Binding("enter", "select_cursor", "Open", show=True),
        Binding("home", "first_row", "First row", show=False),
        Binding("end", "last_row", "Last row", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="worklist", cursor_type="row", zebra_stripes=True)
        self._shown: tuple[WorkItem, ...] | None = None
        self.widths = tuple(w for _, w in COLUMNS)

    def on_mount(self) -> None:
        self._columns_for(self.app.size.width)

    def _columns_for(self, width: int) -> None:
        self.widths = column_widths(width)
        for (heading, _), w in zip(COLUMNS, self.widths):
            if w:
                self.add_column(heading, width=w, key=heading)

    def on_resize(self) -> None:
        if column_widths(self.app.size.width) != self.widths:
            items, self._shown = list(self._shown or ()), None
            current = self.current_key
            self.clear(columns=True)
            self._columns_for(self.app.size.width)
            self.show(items)
            if current is not None and items:
                self.move_cursor(row=[i.key for i in items].index(current), animate=False)

    def action_first_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=0, animate=False)

    def action_last_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.row_count - 1, animate=False)

    def show(self, items: list[WorkItem]) -> None:
        """Show these rows, keeping the cursor (and the scroll) on the same document where it is still shown."""
        if self._shown == tuple(items):
            return
        previous, self._shown = self._shown or (), tuple(items)
        if [i.key for i in previous] == [i.key for i in items]:
            # Same documents in the same order: update only the cells that changed.
            for old, new in zip(previous, items):
                if old != new:
                    for column, width, value in zip(COLUMNS, self.widths, _cells(new, self.widths)):
                        if width:
                            self.update_cell(new.key, column[0], value)
            return
        current, row, scroll_y = self.current_key, self.cursor_row, self.scroll_y
        self.clear()
        for item in items:
            cells = [c for c, w in zip(_cells(item, self.widths), self.widths) if w]
            self.add_row(*cells, key=item.key)
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
