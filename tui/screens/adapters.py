"""Adapters and models: the base models in use and how tasks are routed to them.

There is no adapter store yet (signed adapter bundles come later), so this
screen says so plainly instead of showing anything it cannot stand behind.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from appliance.catalogue import default_entry, load_catalogue
from appliance.errors import ApplianceError
from appliance.tasks import TASKS

from ..widgets.notice import DecisionSupportNotice


class AdaptersScreen(Screen):
    TITLE = "Adapters and models"
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        appliance = self.app.appliance
        yield Header()
        yield DecisionSupportNotice()
        with VerticalScroll(id="adapters"):
            yield Static("Adapters", classes="section")
            yield Static(self._adapters_text(), id="adapters-status", markup=False)
            yield Static("Base models in the catalogue", classes="section")
            try:
                entries = load_catalogue(appliance.home)
                default = default_entry(entries, appliance.settings.default_model)
            except ApplianceError as exc:
                yield Static(f"The model catalogue cannot be read: {exc}", classes="doc-error", markup=False)
            else:
                yield self._models(entries, default.name)
                yield Static("Routing: which model runs each task", classes="section")
                yield self._routing(default.name)
        yield Footer(compact=True)

    def _models(self, entries: list, default: str) -> DataTable:
        routes = self.app.appliance.settings.routes
        table = DataTable(id="models", cursor_type="row", show_cursor=False)
        table.add_columns("Model", "In use", "Architecture", "Licence", "Origin")
        for e in entries:
            use = "default" if e.name == default else ("routed" if e.name in routes.values() else "—")
            table.add_row(e.name, use, e.architecture, e.licence, e.origin)
        return table

    def _routing(self, default: str) -> DataTable:
        routes = self.app.appliance.settings.routes
        table = DataTable(id="routing", cursor_type="row", show_cursor=False)
        table.add_columns("Task", "Model", "Why")
        for task in TASKS:
            name = routes.get(task)
            table.add_row(task, name or default, "routed in settings" if name else "default")
        return table

    def _adapters_text(self) -> str:
        folder = self.app.appliance.home.adapters
        present = [p.name for p in folder.iterdir()] if folder.is_dir() else []
        text = "No adapters installed. Every task runs on its base model."
        if present:
            text += (f"\n{folder} holds {len(present)} item(s), but this version cannot read adapter "
                     "bundles yet, so none is in use.")
        return text
