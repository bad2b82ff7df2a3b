"""Selftest: run the appliance's own checks (home, database, audit chain, model files, each task)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.message import Message
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker, WorkerState

from appliance.app import Appliance
from appliance.selftest import run_selftest
from appliance.tasks import TASKS

from ..widgets.notice import DecisionSupportNotice


CHECK_WORDS = {
    "home_writable": "Home folders writable",
    "database_integrity": "Database intact",
    "audit_chain": "Audit log intact",
    "adapters": "Adapters",
    "model_loads": "Models load",
    "capability_gate": "Model answers shown",
    "gate_evidence": "Evidence behind model answers re-checked",
}


def check_words(name: str) -> str:
    """A check's name in words: 'golden:rads_assignment' → 'Model answers: RADS category'."""
    kind, _, what = name.partition(":")
    if kind == "golden":
        return f"Model answers: {TASKS[what].title if what in TASKS else what.replace('_', ' ')}"
    if kind == "model_file":
        return f"Model file {what}"
    return CHECK_WORDS.get(name, name.replace("_", " ").capitalize())


class CheckFinished(Message):
    def __init__(self, check: dict) -> None:
        super().__init__()
        self.check = check


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
        self.details: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield DecisionSupportNotice()
        yield Static("", id="selftest-summary")
        yield DataTable(id="selftest-checks", cursor_type="row", zebra_stripes=True)
        yield Static("", id="selftest-detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # Columns fit 80 wide; the detail takes what is left and the highlighted row's full
        # detail is shown beneath the table.
        detail = max(20, self.app.size.width - 6 - 28 - 8 - 2 * 4 - 3)
        table.add_column("Result", width=6, key="result")
        table.add_column("Check", width=28, key="check")
        table.add_column("Time", width=8, key="time")
        table.add_column("Detail", width=detail, key="detail")
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
        self.details: list[str] = []
        self.query_one("#selftest-summary", Static).update(
            "Running the selftest: home folders, database, audit chain, model files, then each task once "
            "on the model; each row appears as its check finishes…")
        self.run_worker(self._selftest, thread=True, exclusive=True, name="selftest", exit_on_error=False)

    def _selftest(self) -> dict:
        # Its own connection: the selftest runs in this worker thread, the app in its own.
        appliance = Appliance(self.app.appliance.home, self.app.appliance.settings)
        try:
            return run_selftest(appliance, on_check=self._finished)
        finally:
            appliance.db.conn.close()

    def _finished(self, check: dict) -> None:
        """From the worker thread: one check done; its row appears now, not at the end."""
        try:
            self.app.call_from_thread(self.post_message, CheckFinished(check))
        except RuntimeError:  # the app is closing
            pass

    def on_check_finished(self, message: CheckFinished) -> None:
        check = message.check
        table = self.query_one(DataTable)
        mark = Text("ok") if check["ok"] else Text("FAIL", style="bold red")
        detail = check["detail"]
        width = table.columns["detail"].width if "detail" in table.columns else 40
        table.add_row(mark, check_words(check["name"]), f"{check['duration_s']:.2f} s",
                      detail if len(detail) <= width else detail[: width - 1] + "…", key=str(table.row_count))
        self.details.append(detail)
        if table.row_count == 1:
            self._describe(0)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._describe(event.cursor_row)

    def _describe(self, row: int) -> None:
        if 0 <= row < len(self.details):
            self.query_one("#selftest-detail", Static).update(self.details[row])

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
        failed = sum(not c["ok"] for c in result["checks"])
        total = len(result["checks"])
        if result["ok"]:
            summary.update(f"Healthy: all {total} checks passed in {result['duration_s']:.1f} s.")
        else:
            summary.update(f"NOT HEALTHY: {failed} of {total} checks failed ({result['duration_s']:.1f} s). "
                           "Each FAIL line says what is wrong.")
