"""Help: every key binding of every screen, read from the screens themselves so it cannot drift."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from ..widgets.filter_bar import FilterBar
from ..widgets.notice import DecisionSupportNotice
from ..widgets.worklist_table import WorklistTable
from .adapters import AdaptersScreen
from .confirm import ConfirmScreen
from .correct import CorrectionScreen
from .document import DocumentScreen
from .quarantine import QuarantineScreen
from .reason import ReasonScreen
from .selftest import SelftestScreen
from .sign_in import SignInScreen
from .worklist import WorklistScreen

# Keys that belong to Textual's own widgets, named so the list is complete.
BUILT_IN = {
    "Everywhere": [("tab / shift+tab", "Move to the next / previous field, list or result"),
                   ("ctrl+p", "Commands: every action of the screen in front, by name"),
                   ("ctrl+t", "Theme: light or dark"), ("ctrl+o", "Sign out, so another clinician signs in")],
    "Sign in": [("enter", "Sign in with the name typed")],
    "Worklist": [("up/down, pgup/pgdn", "Move through the rows"), ("home / end", "First / last row"),
                 ("enter (in search)", "Back to the list, keeping the search")],
    "Document": [("tab / shift+tab", "Next / previous result or red flag"), ("up/down, pgup/pgdn", "Scroll"),
                 ("home / end", "Top / bottom")],
    "Correct a result": [("tab / shift+tab", "Next / previous field"),
                         ("enter (in a list)", "Open the list of valid values"),
                         ("enter (in a text field)", "Next field; on the last field, save")],
    "Reject a result / discard a file (reason)": [("enter", "Confirm with the reason typed")],
    "Quarantine": [("up/down", "Move through the files")],
}


def _bindings(*owners: type) -> list[Binding]:
    found = []
    for owner in owners:
        for binding in owner.__dict__.get("BINDINGS", []):  # its own, not inherited ones
            if isinstance(binding, Binding) and binding.description and not binding.system:
                found.append(binding)
    return found


class HelpScreen(Screen):
    TITLE = "Help"
    BINDINGS = [Binding("escape", "app.pop_screen", "Close help"),
                Binding("question_mark", "app.pop_screen", "Close help", show=False)]

    def compose(self) -> ComposeResult:
        sections = [
            ("Everywhere", _bindings(type(self.app))),
            ("Sign in", _bindings(SignInScreen)),
            ("Worklist", _bindings(WorklistTable, WorklistScreen, FilterBar)),
            ("Document", _bindings(DocumentScreen)),
            ("Correct a result", _bindings(CorrectionScreen)),
            ("Reject a result / discard a file (reason)", _bindings(ReasonScreen)),
            ("Quarantine", _bindings(QuarantineScreen)),
            ("Adapters and models", _bindings(AdaptersScreen)),
            ("Confirm an adapter import", _bindings(ConfirmScreen)),
            ("Selftest", _bindings(SelftestScreen)),
            ("Help", _bindings(HelpScreen)),
        ]
        text = Text()
        for title, bindings in sections:
            text.append(f"{title}\n", style="bold underline")
            for binding in bindings:
                text.append(f"  {self.app.get_key_display(binding):<24}", style="bold")
                what = binding.description + (f" — {binding.tooltip}" if binding.tooltip else "")
                text.append(f"{what}\n")
            for key, what in BUILT_IN.get(title, []):
                text.append(f"  {key:<24}", style="bold")
                text.append(f"{what}\n")
            text.append("\n")
        yield Header()
        yield DecisionSupportNotice()
        with VerticalScroll(id="help"):
            yield Static(text, id="help-text")
        yield Footer(compact=True)
