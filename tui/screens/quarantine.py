"""Quarantined files: why each was set aside; send it back to the inbox, or discard it with a reason."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from appliance.pipeline.quarantine import (ActionError, QuarantinedFile, discard_quarantined, quarantined_files,
                                           retry_quarantined)
from ..messages import ServiceEvent
from ..widgets.notice import DecisionSupportNotice


def _when(iso: str) -> str:
    return iso[:16].replace("T", " ") + " UTC" if iso else ""


class QuarantineScreen(Screen):
    TITLE = "Quarantine"
    AUTO_FOCUS = "#quarantine"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("r", "retry", "Retry"),
        Binding("d", "discard", "Discard"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.files: list[QuarantinedFile] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield DecisionSupportNotice()
        yield Static("Files set aside by the drop-folder service. Retry sends a file back to the inbox "
                     "(fix it first if needed); discard deletes it, with a reason.", classes="hint")
        yield DataTable(id="quarantine", cursor_type="row", zebra_stripes=True)
        yield Static("", id="quarantine-reason")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("File", width=22, key="file")
        table.add_column("Quarantined", width=20, key="when")
        table.add_column("Reason", key="reason")
        self.reload()

    @on(ServiceEvent)
    def _service_event(self, message: ServiceEvent) -> None:
        """The service may have quarantined a retried file again, or another one: show what is on disk."""
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.files = quarantined_files(self.app.appliance)
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for item in self.files:
            table.add_row(item.source, _when(item.when), item.reason, key=str(item.job_id))
        if self.files:
            table.move_cursor(row=min(row, len(self.files) - 1), animate=False)
            self._describe(table.cursor_row)
        else:
            self.query_one("#quarantine-reason", Static).update("No quarantined files.")
        self.refresh_bindings()

    def _describe(self, row: int) -> None:
        if 0 <= row < len(self.files):
            item = self.files[row]
            self.query_one("#quarantine-reason", Static).update(f"Reason: {item.reason}")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._describe(event.cursor_row)

    def _selected(self) -> QuarantinedFile | None:
        row = self.query_one(DataTable).cursor_row
        return self.files[row] if 0 <= row < len(self.files) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("retry", "discard"):
            return bool(self.files)
        return True

    def action_retry(self) -> None:
        item = self._selected()
        if item is None:
            return
        try:
            retry_quarantined(self.app.appliance, item, self.app.reviewer or "")
        except ActionError as exc:
            self.notify(str(exc), severity="error")
        else:
            self.notify(f"{item.source} is back in the inbox; the service will take it again.")
        self.reload()

    def action_discard(self) -> None:
        item = self._selected()
        if item is None:
            return
        from .reason import ReasonScreen

        def discard(reason: str) -> None:
            discard_quarantined(self.app.appliance, item, self.app.reviewer or "", reason)

        def after(done: bool | None) -> None:
            if done:
                self.notify(f"{item.source} discarded.")
            self.reload()

        self.app.push_screen(ReasonScreen(
            f"Discard {item.source}",
            "The file will be deleted. Why is it not needed? The reason is kept with the job and in the audit log.",
            discard), after)
