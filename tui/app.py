"""The clinician app: the worklist, with the drop-folder service running in a worker thread."""

from __future__ import annotations

import threading

from textual.app import App

from appliance.pipeline.processor import Appliance

from .screens.worklist import WorklistScreen


class ClinicApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "Clinic appliance"

    def __init__(self, appliance: Appliance, run_service: bool = True) -> None:
        super().__init__()
        self.appliance = appliance
        self.run_service = run_service
        self.stop_service = threading.Event()

    def on_mount(self) -> None:
        self.push_screen(WorklistScreen())
        if self.run_service:
            self.run_worker(self._service, thread=True, exclusive=True, name="drop-folder")

    def _service(self) -> None:
        from appliance.pipeline.watch import watch_forever

        # The worker has its own connection: SQLite objects stay in their thread.
        service = Appliance(self.appliance.home, self.appliance.settings)
        watch_forever(service, self._report, self.stop_service)

    def _report(self, line: str) -> None:
        def show() -> None:
            screen = self.screen
            if isinstance(screen, WorklistScreen):
                screen.show_status(line)
        self.call_from_thread(show)

    def on_unmount(self) -> None:
        self.stop_service.set()


def run_tui(appliance: Appliance) -> None:
    ClinicApp(appliance).run()
