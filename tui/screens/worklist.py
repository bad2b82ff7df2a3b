"""The worklist: every document and waiting file, urgent first, refreshed live."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from ..messages import ServiceEvent
from ..widgets.filter_bar import FilterBar
from ..widgets.notice import DecisionSupportNotice
from ..widgets.worklist_table import WorklistTable
from ..worklist_data import URGENT_MARK, WorkItem, load_worklist, visible

REFRESH_SECONDS = 2.0


class WorklistScreen(Screen):
    TITLE = "Worklist"
    AUTO_FOCUS = "#worklist"
    BINDINGS = [
        # Priority, and the focus moves at once (not on a later tick): the letters typed right after
        # "/" must land in the search box, never on the list, where "a" opens the Models screen.
        Binding("slash", "search", "Find", priority=True, tooltip="search file name, type, key result and why urgent"),
        Binding("f", "cycle_filter", "Filter", tooltip="all / to review / urgent / failed / quarantined"),
        Binding("escape", "leave_search", "Leave the search box; again: clear the search", show=False),
        Binding("Q", "open_quarantine", "Quarantine", tooltip="files set aside: retry or discard (shift+q)"),
        Binding("a", "open_adapters", "Models", tooltip="adapters, base models and task routing"),
        Binding("s", "open_selftest", "Selftest", show=False, tooltip="check this box can do its job"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[WorkItem] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield DecisionSupportNotice()
        yield FilterBar()
        yield WorklistTable()
        yield Static("", id="row-detail")
        yield Static("", id="service-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.reload()
        # The service's events refresh at once; the timer catches another process's work.
        self.timer = self.set_interval(REFRESH_SECONDS, self.reload)

    @on(ServiceEvent)
    def _service_event(self, message: ServiceEvent) -> None:
        self.reload()

    def on_screen_suspend(self) -> None:
        self.timer.pause()

    def on_screen_resume(self) -> None:
        self.reload()
        self.timer.resume()

    # -- rows --------------------------------------------------------------
    def reload(self) -> None:
        """Read the database and the inbox again; the cursor stays on its document."""
        self.items = load_worklist(self.app.appliance)
        self._show()
        self.query_one("#service-status", Static).update(self.app.service_line)

    def _show(self) -> None:
        bar = self.query_one(FilterBar)
        table = self.query_one(WorklistTable)
        shown = visible(self.items, bar.query, bar.status_filter)
        table.show(shown)
        if not shown:
            why = "Nothing matches the filter and search." if self.items else \
                "No documents yet: files dropped into the inbox appear here."
            self.query_one("#row-detail", Static).update(why)
        else:
            self._describe(table.current_key)

    def _describe(self, key: str | None) -> None:
        item = next((i for i in self.items if i.key == key), None)
        if item is None:
            return
        parts = [item.source, item.status]
        if item.key_result:
            parts.append(item.key_result)
        if item.urgent:
            parts.insert(0, URGENT_MARK)
            parts.append(item.urgent_reason)
        if item.low_confidence:
            parts.append(f"low confidence: {item.low_confidence}")
        self.query_one("#row-detail", Static).update(" · ".join(parts))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._describe(event.row_key.value)

    def on_filter_bar_changed(self, event: FilterBar.Changed) -> None:
        self._show()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.open(event.row_key.value)

    def open(self, key: str | None) -> None:
        item = next((i for i in self.items if i.key == key), None)
        if item is None:
            return
        if item.job_id is None:
            self.notify(f"{item.source} is waiting in the inbox: it opens once it has been processed.")
            return
        from .document import DocumentScreen

        self.app.push_screen(DocumentScreen(item.job_id))

    # -- search and filter ------------------------------------------------
    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        if search.has_focus:
            search.insert_text_at_cursor("/")  # the binding takes "/" first: still let it be typed
        else:
            self.set_focus(search)

    def action_cycle_filter(self) -> None:
        self.query_one(FilterBar).cycle()

    def action_leave_search(self) -> None:
        search = self.query_one("#search", Input)
        if search.has_focus:
            self.set_focus(self.query_one(WorklistTable))
        elif search.value:
            search.value = ""

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search":
            self.set_focus(self.query_one(WorklistTable))  # at once, so the next Enter opens the row

    # -- other screens ----------------------------------------------------
    def action_open_quarantine(self) -> None:
        from .quarantine import QuarantineScreen

        self.app.push_screen(QuarantineScreen())

    def action_open_adapters(self) -> None:
        from .adapters import AdaptersScreen

        self.app.push_screen(AdaptersScreen())

    def action_open_selftest(self) -> None:
        from .selftest import SelftestScreen

        self.app.push_screen(SelftestScreen())
