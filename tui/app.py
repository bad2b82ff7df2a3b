"""The clinician app: sign in, then the worklist, with the drop-folder service in a worker thread."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from textual.app import App
from textual.binding import Binding

from appliance.pipeline.processor import Appliance

from .screens.sign_in import SignInScreen
from .screens.worklist import WorklistScreen

SERVICE_OFF = "Drop-folder service not running in this window."


class ClinicApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "Clinic appliance"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("question_mark", "help", "Help"),
        Binding("f1", "help", "Help", show=False),
        Binding("ctrl+t", "toggle_theme", "Theme"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, appliance: Appliance, run_service: bool = True, watch_usb: bool | None = None) -> None:
        super().__init__()
        self.appliance = appliance
        self.run_service = run_service
        self.watch_usb = run_service if watch_usb is None else watch_usb
        self.usb_seen: set[Path] = set()  # bundles on the media now, so only new ones are announced
        self.stop_service = threading.Event()
        self.reviewer: str | None = None      # set by the sign-in screen; reviews need it
        self.service_line = "Drop-folder service starting…" if run_service else SERVICE_OFF

    def on_mount(self) -> None:
        self.push_screen(SignInScreen())
        if self.run_service:
            # One service per home: when `appliance watch` (or another window) runs it,
            # this window is a viewer of its work and starts no watcher of its own.
            from appliance.service_lock import ServiceLock, ServiceRunning

            self.service_lock = ServiceLock(self.appliance.home)
            try:
                self.service_lock.acquire()
            except ServiceRunning as exc:
                holder = f"PID {exc.pid}" if exc.pid else "another process"
                self.service_line = (f"Drop-folder service already running ({holder}); "
                                     "this window shows its work and runs none of its own.")
                self.set_interval(5, self._viewer_refresh)
            else:
                self.run_worker(self._service, thread=True, exclusive=True, name="drop-folder", exit_on_error=False)
        if self.watch_usb and self.appliance.settings.usb_root is not None:
            self.look_on_usb()
            self.set_interval(self.appliance.settings.usb_scan_seconds, self.look_on_usb)

    def signed_in(self, name: str) -> None:
        self.reviewer = name
        self.sub_title = f"signed in: {name}"
        self.switch_screen(WorklistScreen())

    # -- keys available everywhere --------------------------------------------
    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    # -- the drop-folder service ------------------------------------------------
    def _service(self) -> None:
        from appliance.pipeline.watch import watch_forever

        # The worker has its own connection: SQLite objects stay in their thread.
        service = Appliance(self.appliance.home, self.appliance.settings)
        try:
            watch_forever(service, self._report, self.stop_service)
        except Exception as exc:  # shown, not raised: the clinician keeps the worklist
            self._report(f"Drop-folder service stopped: {exc}. Restart the appliance.")
        finally:
            service.db.conn.close()
            self.service_lock.release()

    def _viewer_refresh(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, WorklistScreen):
                screen.reload()

    def _report(self, line: str) -> None:
        try:
            self.call_from_thread(self._service_said, line)
        except RuntimeError:  # the app is closing
            pass

    def _service_said(self, line: str) -> None:
        # The headless service's hint does not apply here: ctrl+q quits this app.
        self.service_line = line.removesuffix("; Ctrl-C to stop")
        for screen in self.screen_stack:
            if isinstance(screen, WorklistScreen):
                screen.reload()

    # -- removable media: adapter bundles are announced, never installed unasked ------
    def look_on_usb(self) -> None:
        from appliance.adapters.usb import find_bundles

        root = self.appliance.settings.usb_root

        def look() -> None:
            found = find_bundles(root)
            try:
                self.call_from_thread(self._usb_found, found)
            except RuntimeError:  # the app is closing
                pass

        self.run_worker(look, thread=True, exclusive=True, group="usb-watch", exit_on_error=False)

    def _usb_found(self, found: list[Path]) -> None:
        from appliance.store import audit
        from appliance.store.tx import transaction

        from .screens.adapters import AdaptersScreen

        new = [p for p in found if p not in self.usb_seen]
        self.usb_seen = set(found)  # a stick taken out and put back in is news again
        if not new:
            return
        with transaction(self.appliance.db):
            for path in new:
                audit.append(self.appliance.db, "adapter_found", {"bundle": str(path), "via": "usb_watch"})
        self.notify(f"Adapter update found on removable media: {', '.join(p.name for p in new)}. "
                    "Open Models (a) and press i to import it; you will be asked first.", timeout=20)
        for screen in self.screen_stack:
            if isinstance(screen, AdaptersScreen):
                screen.action_rescan()

    def on_unmount(self) -> None:
        self.stop_service.set()


def run_tui(appliance: Appliance) -> None:
    # Load (and sha256-check) every model the service will use before the TUI owns the
    # terminal: loading silences fd 2, where Textual draws.
    from appliance.adapters.store import active_rows

    adapter_tasks = [task for row in active_rows(appliance.db) for task in json.loads(row["tasks"])]
    for task in [None, *appliance.settings.routes, *adapter_tasks]:
        appliance.engine(task)
    ClinicApp(appliance).run()
