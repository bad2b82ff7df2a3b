"""Selftest: run the appliance's own checks (home, database, audit chain, model files, each task)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker, WorkerState

from appliance.pipeline.processor import Appliance
from appliance.selftest import run_selftest

from ..widgets.notice import DecisionSupportNotice


class SelftestScreen(Screen):
    TITLE = "Selftest"
    AUTO_FOCUS = "#selftest-checks"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("r", "run", "Run again"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.running = False
        self.result: dict | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield DecisionSupportNotice()
        yield Static("", id="selftest-summary")
        yield DataTable(id="selftest-checks", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Result", width=6, key="result")
        table.add_column("Check", width=30, key="check")
        table.add_column("Time", width=8, key="time")
        table.add_column("Detail", key="detail")
        self.action_run()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "run":
            return None if self.running else True
        return True

    def action_run(self) -> None:
        if self.running:
            return
        self.running = True
        self.refresh_bindings()
        self.query_one(DataTable).clear()
        self.query_one("#selftest-summary", Static).update(
            "Running the selftest: home folders, database, audit chain, model files, then each task once "
            "on the model (takes a few seconds)…")
        self.run_worker(self._selftest, thread=True, exclusive=True, name="selftest", exit_on_error=False)

    def _selftest(self) -> dict:
        # Its own connection: the selftest runs in this worker thread, the app in its own.
        appliance = Appliance(self.app.appliance.home, self.app.appliance.settings)
        try:
            return run_selftest(appliance)
        finally:
            appliance.db.conn.close()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "selftest" or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        self.running = False
        self.refresh_bindings()
        summary = self.query_one("#selftest-summary", Static)
        if event.state == WorkerState.ERROR:
            summary.update(f"The selftest could not run: {event.worker.error}")
            return
        self.result = result = event.worker.result
        table = self.query_one(DataTable)
        for check in result["checks"]:
            mark = Text("ok") if check["ok"] else Text("FAIL", style="bold red")
            table.add_row(mark, check["name"], f"{check['duration_s']:.2f} s", check["detail"])
        failed = sum(not c["ok"] for c in result["checks"])
        total = len(result["checks"])
        if result["ok"]:
            summary.update(f"Healthy: all {total} checks passed in {result['duration_s']:.1f} s.")
        else:
            summary.update(f"NOT HEALTHY: {failed} of {total} checks failed ({result['duration_s']:.1f} s). "
                           "Each FAIL line says what is wrong.")
