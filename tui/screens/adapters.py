"""Adapters and models: installed adapters (which is active), adapter bundles found on
removable media with an Import that asks first, the base models and task routing.

Import runs in a worker thread (verification and the golden cases take seconds) with
its own database connection; nothing is installed unless the person confirms.
"""

from __future__ import annotations

import json
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from appliance.adapters.bundle import version_key
from appliance.adapters.store import AdapterStore, active_for, ident
from appliance.adapters.usb import FoundBundle, scan
from appliance.capability import evidence
from appliance.catalogue import default_entry, load_catalogue
from appliance.errors import ApplianceError
from appliance.tasks import FEATURE_TASK, TASKS, title

from ..messages import BundlesFound
from ..widgets.notice import DecisionSupportNotice

NO_ADAPTERS = "No adapters installed. Every task runs on its base model."


class AdaptersScreen(Screen):
    TITLE = "Adapters and models"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("i", "import_bundle", "Import from USB", tooltip="import the selected bundle (asks first)"),
        Binding("u", "rescan", "Look on USB"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.found: list[FoundBundle] = []
        self.importing = False

    def compose(self) -> ComposeResult:
        appliance = self.app.appliance
        yield Header()
        yield DecisionSupportNotice()
        with VerticalScroll(id="adapters"):
            yield Static("Adapters", classes="section")
            yield Static(NO_ADAPTERS, id="adapters-status", markup=False)
            table = DataTable(id="installed", cursor_type="row", show_cursor=False)
            table.add_columns("Adapter", "Version", "Active", "Tasks", "Base model")
            yield table
            yield Static("Adapter bundles on removable media", classes="section")
            yield Static("", id="usb-status", classes="hint", markup=False)
            usb = DataTable(id="usb", cursor_type="row")
            usb.add_columns("Bundle", "Says it is", "State")
            yield usb
            yield Static("", id="import-result", markup=False)
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

    def on_mount(self) -> None:
        self.show_installed()
        self.action_rescan()

    # -- installed ------------------------------------------------------------------
    def show_installed(self) -> None:
        rows = AdapterStore.of(self.app.appliance).listing()
        table = self.query_one("#installed", DataTable)
        table.clear()
        for r in rows:
            table.add_row(r["name"], r["version"], "ACTIVE" if r["active"] else "—", ", ".join(map(title, r["tasks"])),
                          r["base"]["name"], key=r["id"])
        table.display = bool(rows)
        on = [r["id"] for r in rows if r["active"]]
        status = NO_ADAPTERS if not rows else (
            f"{len(rows)} version(s) installed; active: {', '.join(on)}." if on
            else f"{len(rows)} version(s) installed; none active, so every task runs on its base model.")
        self.query_one("#adapters-status", Static).update(status)

    # -- removable media ------------------------------------------------------------
    @on(BundlesFound)
    def _bundles_found(self, message: BundlesFound) -> None:
        self.action_rescan()

    def action_rescan(self) -> None:
        root = self.app.appliance.settings.usb_root
        if root is None:
            self.query_one("#usb-status", Static).update("Not looking for removable media (setting usb_root).")
            self.query_one("#usb", DataTable).display = False
            return
        self.query_one("#usb-status", Static).update(f"Looking under {root} …")
        self.run_worker(lambda: self._scan(root), thread=True, exclusive=True, group="usb-scan", exit_on_error=False)

    def _scan(self, root: Path) -> None:
        found = scan(root)
        self.app.call_from_thread(self.show_found, root, found)

    def show_found(self, root: Path, found: list[FoundBundle]) -> None:
        if not self.is_mounted:  # the screen was closed while looking
            return
        self.found = found
        store = AdapterStore.of(self.app.appliance)
        installed = {b.manifest.name: store.installed_version(b.manifest.name) for b in found if b.manifest}
        table = self.query_one("#usb", DataTable)
        table.clear()
        for b in found:
            table.add_row(_shown_path(b.path, root), b.label if b.manifest else "?", _state(b, installed),
                          key=str(b.path))
        table.display = bool(found)
        self.query_one("#usb-status", Static).update(
            f"{len(found)} bundle(s) under {root}. Select one and press i to import it (you will be asked first); "
            "what a bundle says it is has not been checked yet." if found
            else f"No adapter bundles under {root}. Insert the USB stick; press u to look again.")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "import_bundle":
            return bool(self.found) and not self.importing
        return True

    def _selected(self) -> FoundBundle | None:
        row = self.query_one("#usb", DataTable).cursor_row
        return self.found[row] if 0 <= row < len(self.found) else None

    def action_import_bundle(self) -> None:
        bundle = self._selected()
        if bundle is None or self.importing:
            return
        from .confirm import ConfirmScreen

        m = bundle.manifest
        claims = (f"It says it is {m.ident}, for {', '.join(m.tasks)}, over {m.base.name}." if m
                  else f"It cannot be read: {bundle.problem}")
        explanation = (f"{bundle.path}\n{claims}\nImport checks its signature, every file, the base model and "
                       "the version, runs its golden cases, and only then makes it the active adapter for new "
                       "documents. If any check fails nothing changes and you are told why.")

        def after(confirmed: bool | None) -> None:
            if confirmed:
                self.start_import(bundle.path)

        self.app.push_screen(ConfirmScreen("Import this adapter bundle?", explanation, "Import"), after)

    def start_import(self, path: Path) -> None:
        self.importing = True
        self.refresh_bindings()
        self.query_one("#import-result", Static).update(f"Importing {path.name}: checking signature, files and "
                                                         "golden cases …")
        self.run_worker(lambda: self._import(path), thread=True, exclusive=True, group="adapter-import",
                        exit_on_error=False)

    def _import(self, path: Path) -> None:
        from appliance.app import Appliance

        # A connection of the worker's own: SQLite objects stay in their thread.
        appliance = Appliance(self.app.appliance.home, self.app.appliance.settings)
        reviewer = self.app.reviewer or "unknown"
        try:
            row = AdapterStore.of(appliance).import_bundle(path, actor=f"clinician:{reviewer}")
            message, ok = (f"Installed and active: {ident(row)} for {', '.join(map(title, json.loads(row['tasks'])))}. "
                           "New documents use it; results already made keep theirs."), True
            try:  # load it now, so the service does not load it in the middle of the screen
                appliance.engine_with_adapter(json.loads(row["tasks"])[0])
            except ApplianceError:
                pass
        except ApplianceError as exc:
            message, ok = f"Refused: {exc}", False
        finally:
            appliance.db.conn.close()
        self.app.call_from_thread(self.imported, message, ok)

    def imported(self, message: str, ok: bool) -> None:
        self.importing = False
        self.app.notify(message, severity="information" if ok else "error", timeout=10)
        self.app.refresh(repaint=True)
        if not self.is_mounted:  # the screen was closed while the import ran: the notice says it
            return
        self.query_one("#import-result", Static).update(message)
        self.show_installed()
        self.action_rescan()

    # -- base models ----------------------------------------------------------------
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
        table.add_columns("Task", "Model", "Why", "Model answers shown?")
        for task in (*TASKS, FEATURE_TASK):
            name = routes.get(task)
            table.add_row(title(task), name or default, "routed in settings" if name else "default",
                          self._gate_words(task))
        return table

    def _gate_words(self, task: str) -> str:
        """The capability gate for the model (and adapter) serving the task, in words."""
        appliance = self.app.appliance
        if not appliance.settings.gate_model_answers:
            return "yes: the gate is switched off in settings"
        try:
            entry = appliance.model_entry(task)
        except ApplianceError:
            return "—"
        adapter = active_for(appliance.db, entry.sha256, task)
        found = evidence(appliance.db, task, entry.sha256, adapter["sha256"] if adapter else None)
        if found is None:
            return "no: not evaluated (rules and stated values still shown)"
        return ("yes: " if found.passes else "no: ") + found.in_words()


def _state(bundle: FoundBundle, installed: dict[str, str | None]) -> str:
    if bundle.manifest is None:
        return "cannot be read"
    have = installed.get(bundle.manifest.name)
    if have is None:
        return "new"
    if version_key(bundle.manifest.version) > version_key(have):
        return f"newer than installed {have}"
    return f"not newer than installed {have}: would be refused"


def _shown_path(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
