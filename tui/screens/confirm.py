"""Ask a yes/no question before something that changes the appliance (importing an adapter)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from ..widgets.notice import DecisionSupportNotice


class ConfirmScreen(ModalScreen[bool]):
    """Dismissed with True only by the confirm button or `y`; Cancel has the focus, so Enter alone cancels."""

    BINDINGS = [Binding("y", "confirm", "Yes, go ahead"), Binding("escape,n", "cancel", "Cancel")]

    def __init__(self, title: str, explanation: str, confirm_label: str) -> None:
        super().__init__()
        self.heading = title
        self.explanation = explanation
        self.confirm_label = confirm_label

    def compose(self) -> ComposeResult:
        yield DecisionSupportNotice()
        with Vertical(id="dialog", classes="dialog"):
            yield Static(self.heading, classes="section", markup=False)
            yield Static(self.explanation, classes="hint", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(f"{self.confirm_label} (y)", id="confirm", variant="warning", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
