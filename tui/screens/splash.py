"""The first thing on screen (well under a second): what is loading, while the models are checked and loaded."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, LoadingIndicator, Static

from ..widgets.notice import DecisionSupportNotice


class SplashScreen(Screen):
    TITLE = "Starting"

    def __init__(self, loading: list[str]) -> None:
        super().__init__()
        self.loading = loading

    def compose(self) -> ComposeResult:
        yield Header()
        yield DecisionSupportNotice()
        with Vertical(id="splash"):
            yield Static("Clinic appliance is starting", classes="section")
            yield Static("\n".join(f"• {line}…" for line in self.loading), id="splash-loading", classes="hint",
                         markup=False)
            yield Static("Sign-in opens as soon as the models are ready (a few seconds).", classes="hint")
            yield LoadingIndicator()
        yield Footer(compact=True)
