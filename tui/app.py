"""The clinician app: a splash while the models load, sign in, then the worklist, with the
drop-folder service in a worker thread. Service events reach screens as Messages."""

from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path
from typing import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from appliance.app import Appliance

from .messages import BundlesFound, ModelsLoaded, ServiceEvent
from .screens.sign_in import SignInScreen
from .screens.worklist import WorklistScreen

SERVICE_OFF = "Drop-folder service not running in this window."


def models_to_load(appliance: Appliance) -> list[str | None]:
    """The default model, each routed task's model and each task an active adapter serves."""
    from appliance.adapters.store import active_rows

    adapter_tasks = [task for row in active_rows(appliance.db) for task in json.loads(row["tasks"])]
    return [None, *appliance.settings.routes, *adapter_tasks]


class ClinicApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "Clinic appliance"
    COMMAND_PALETTE_BINDING = "ctrl+p"   # every action of the screen in front, by name (get_system_commands)
    BINDINGS = [
        Binding("question_mark", "help", "Help"),
        Binding("f1", "help", "Help", show=False),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False),
        Binding("ctrl+o", "sign_out", "Sign out", show=False, tooltip="sign out, so another clinician signs in"),
        Binding("q", "quit", "Quit"),
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),
    ]

    def __init__(self, appliance: Appliance, run_service: bool = True, watch_usb: bool | None = None,
                 preload: list[str | None] | None = None) -> None:
        """preload: the tasks whose models load behind a splash before sign-in (None: no splash)."""
        super().__init__()
        self.appliance = appliance
        self.run_service = run_service
        self.watch_usb = run_service if watch_usb is None else watch_usb
        self.preload = preload
        self.usb_seen: set[Path] = set()  # bundles on the media now, so only new ones are announced
        self.stop_service = threading.Event()
        self.reviewer: str | None = None      # set by the sign-in screen; reviews need it
        self.service_line = "Drop-folder service starting…" if run_service else SERVICE_OFF

    def on_mount(self) -> None:
        if self.preload is None:
            self._open_sign_in()
            return
        from .screens.splash import SplashScreen

        self.push_screen(SplashScreen(self._loading_lines()))
        self.run_worker(self._load_models, thread=True, exclusive=True, name="load-models", exit_on_error=False)

    def _loading_lines(self) -> list[str]:
        names = []
        for task in self.preload or []:
            try:
                name = self.appliance.model_entry(task).name
            except Exception:  # noqa: BLE001 - the loader says what is wrong
                name = "model"
            if name not in names:
                names.append(name)
        return [f"Checking (sha256) and loading {name}" for name in names] or ["Opening the worklist"]

    def _load_models(self) -> None:
        # Its own connection (SQLite objects stay in their thread); engines go to the shared pool.
        loader = Appliance(self.appliance.home, self.appliance.settings)
        error = None
        try:
            for task in self.preload or []:
                loader.engine(task)
        except Exception as exc:  # noqa: BLE001 - shown on the splash, the app stays usable
            error = str(exc)
        finally:
            loader.db.conn.close()
        try:
            self.call_from_thread(self.post_message, ModelsLoaded(error))
        except RuntimeError:  # the app is closing
            pass

    def on_models_loaded(self, message: ModelsLoaded) -> None:
        if message.error:
            self.notify(f"A model could not be loaded: {message.error}. Run the selftest (s) for details.",
                        severity="error", timeout=30)
        self.switch_screen(SignInScreen())
        self._start_services()

    def _open_sign_in(self) -> None:
        self.push_screen(SignInScreen())
        self._start_services()

    def _start_services(self) -> None:
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

    # -- keys and commands available everywhere ------------------------------------
    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def action_sign_out(self) -> None:
        """Back to sign-in; the next reviews carry the next clinician's name."""
        if self.reviewer is None:
            return
        from .operations import sign_out

        sign_out(self.appliance, self.reviewer)
        self.reviewer = None
        self.sub_title = ""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(SignInScreen())
        self.notify("Signed out. The next clinician signs in here.")

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette (ctrl+p): this screen's own actions first, then the app's."""
        seen = set()
        for binding in type(screen).__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding) and binding.description and binding.action not in seen:
                seen.add(binding.action)
                yield SystemCommand(binding.description, binding.tooltip or f"key: {binding.key}",
                                    lambda action=binding.action, s=screen: self.call_later(s.run_action, action))
        yield SystemCommand("Help", "every key of every screen", self.action_help)
        yield SystemCommand("Theme", "switch between light and dark", self.action_toggle_theme)
        if self.reviewer:
            yield SystemCommand("Sign out", f"sign out {self.reviewer} (ctrl+o)", self.action_sign_out)
        yield SystemCommand("Quit", "close the appliance window (q)", self.action_quit)

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
        self.screen.post_message(ServiceEvent(self.service_line))

    def _report(self, line: str) -> None:
        try:
            self.call_from_thread(self._service_said, line)
        except RuntimeError:  # the app is closing
            pass

    def _service_said(self, line: str) -> None:
        # The headless service's hint does not apply here: q or ctrl+q quits this app.
        self.service_line = line.removesuffix("; Ctrl-C to stop")
        self.screen.post_message(ServiceEvent(self.service_line))

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
        from .operations import bundles_announced

        new = [p for p in found if p not in self.usb_seen]
        self.usb_seen = set(found)  # a stick taken out and put back in is news again
        if not new:
            return
        bundles_announced(self.appliance, new)
        self.notify(f"Adapter update found on removable media: {', '.join(p.name for p in new)}. "
                    "Open Models (a) and press i to import it; you will be asked first.", timeout=20)
        self.screen.post_message(BundlesFound(new))

    def on_unmount(self) -> None:
        self.stop_service.set()


def _private_terminal() -> None:
    """Textual draws on fd 2, which model loading silences for a moment (llama.cpp's
    diagnostics): give Textual its own copy of the terminal, so the splash keeps drawing."""
    try:
        sys.__stderr__ = os.fdopen(os.dup(2), "w", buffering=1, encoding=sys.stderr.encoding or "utf-8",
                                   errors="replace")
    except (OSError, AttributeError, ValueError):
        pass


def run_tui(appliance: Appliance) -> None:
    # First paint at once: the splash shows what is loading while the models are
    # sha256-checked and loaded in a worker thread.
    _private_terminal()
    ClinicApp(appliance, preload=models_to_load(appliance)).run()
