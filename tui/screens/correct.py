"""Correct one result: a form bounded by the task's schema; nothing is saved unless it validates."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Static

from appliance.reviews import ReviewError, record_review
from appliance.tasks import TASKS

from ..widgets.correction_fields import CorrectionFields, fields_for
from ..widgets.notice import DecisionSupportNotice
from ..widgets.result_card import describe


class CorrectionScreen(ModalScreen[bool]):
    """Dismissed with True once the correction is stored, False when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save correction"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, job_id: int, task: str, current: dict[str, Any]) -> None:
        """`current`: the value current now (a clinician's correction where there is one)."""
        super().__init__()
        self.job_id = job_id
        self.task_name = task
        self.current = current

    def compose(self) -> ComposeResult:
        title = TASKS[self.task_name].title if self.task_name in TASKS else self.task_name
        yield DecisionSupportNotice()
        with VerticalScroll(id="dialog", classes="dialog"):
            yield Static(f"Correct {title}", classes="section", markup=False)
            yield Static("Now: " + "; ".join(describe(self.task_name, self.current)[:1]), classes="hint",
                         markup=False)
            yield fields_for(self.task_name, self.current)
            yield Static("", id="form-error", classes="form-error")
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        # The first field takes the keyboard straight away.
        first = self.query("Select, Input, TextArea").first()
        first.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter moves to the next field; on the last one it saves."""
        event.stop()
        inputs = list(self.query(Input))
        if event.input is inputs[-1]:
            self.action_save()
        else:
            self.focus_next()

    def error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(f"Not saved: {message}")

    def action_save(self) -> None:
        try:
            corrected = self.query_one(CorrectionFields).value()
        except ValueError as exc:
            self.error(str(exc))
            return
        try:
            record_review(self.app.appliance, self.job_id, self.task_name, "correct", self.app.reviewer or "",
                          corrected=corrected)
        except ReviewError as exc:
            self.error(str(exc))
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
