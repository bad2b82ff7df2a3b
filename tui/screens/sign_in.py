"""Sign-in: the clinician types their name; every review they make carries it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from ..operations import ActionError, sign_in
from ..widgets.notice import DecisionSupportNotice


class SignInScreen(Screen):
    TITLE = "Sign in"
    AUTO_FOCUS = "#reviewer-name"

    def compose(self) -> ComposeResult:
        yield Header()
        yield DecisionSupportNotice()
        with Vertical(id="sign-in"):
            yield Static("Sign in", classes="section")
            yield Static("Type your name and press Enter. It is recorded with every review you make "
                         "and in the audit log. (Local sign-in: no password.)", classes="hint")
            yield Input(placeholder="Your name, e.g. Dr A. Mensah", id="reviewer-name", max_length=80)
            yield Static("", id="sign-in-error", classes="form-error")
        yield Footer(compact=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            name = sign_in(self.app.appliance, event.value)
        except ActionError as exc:
            self.query_one("#sign-in-error", Static).update(str(exc))
            return
        self.app.signed_in(name)
