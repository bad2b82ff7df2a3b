"""Ask for a reason (rejecting a result, discarding a quarantined file); the action runs only with one."""

from __future__ import annotations

from typing import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Static

from appliance.errors import ApplianceError

from ..widgets.notice import DecisionSupportNotice

REASON_MAX = 500


class ReasonScreen(ModalScreen[bool]):
    """`act(reason)` does the work and raises ApplianceError to refuse; the message is shown here."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, explanation: str, act: Callable[[str], object]) -> None:
        super().__init__()
        self.heading = title
        self.explanation = explanation
        self.act = act

    def compose(self) -> ComposeResult:
        yield DecisionSupportNotice()
        with Vertical(id="dialog", classes="dialog"):
            yield Static(self.heading, classes="section", markup=False)
            yield Static(self.explanation, classes="hint", markup=False)
            yield Input(placeholder="Reason (Enter to confirm)", id="reason", max_length=REASON_MAX)
            yield Static("", id="form-error", classes="form-error")
            with Horizontal(classes="buttons"):
                yield Button("Confirm (enter)", id="confirm", variant="error", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_confirm()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "confirm":
            self.action_confirm()
        else:
            self.action_cancel()

    def action_confirm(self) -> None:
        try:
            self.act(self.query_one("#reason", Input).value)
        except ApplianceError as exc:
            self.query_one("#form-error", Static).update(f"Not saved: {exc}")
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
