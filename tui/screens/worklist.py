"""The worklist: every document, urgent first, refreshed live from the database."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ..widgets.notice import DecisionSupportNotice
from ..worklist_data import load_worklist


class WorklistScreen(Screen):
    BINDINGS = [
        Binding("enter", "open", "Open"),
        Binding("r", "refresh", "Refresh"),
        Binding("q", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield DecisionSupportNotice()
        yield DataTable(id="worklist", cursor_type="row", zebra_stripes=True)
        yield Static("", id="service-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("!", "Source", "Status", "Type", "Key result", "Why urgent", "Received")
        self.action_refresh()
        self.set_interval(2.0, self.action_refresh)

    def action_refresh(self) -> None:
        table = self.query_one(DataTable)
        selected = table.cursor_row
        table.clear()
        for item in load_worklist(self.app.appliance.db):
            table.add_row(
                "‼ URGENT" if item.urgent else "",
                item.source, item.status, item.document_type, item.key_result or "—", item.urgent_reason,
                item.received_at[:16],
                key=str(item.job_id),
            )
        if table.row_count:
            table.move_cursor(row=min(selected, table.row_count - 1))

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        from .document import DocumentScreen

        self.app.push_screen(DocumentScreen(int(row_key.value)))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from .document import DocumentScreen

        self.app.push_screen(DocumentScreen(int(event.row_key.value)))

    def show_status(self, line: str) -> None:
        self.query_one("#service-status", Static).update(line)
