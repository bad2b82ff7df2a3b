"""The composition root: one appliance home, its settings, its database and the models it serves.

Every command, the drop-folder service and the TUI build one `Appliance` and work
through it. The document pipeline itself is `pipeline/processor.py`; the job store is
`store/jobs.py`; this file only wires them together.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import sqlite_utils

from .adapters.store import active_for, identity, verified_adapter_path
from .catalogue import ModelEntry, default_entry, find_entry, load_catalogue, verified_path
from .engine import Engine
from .engine.llm import shared_engine
from .home import Home
from .pipeline import processor
from .pipeline.reader import Document
from .settings import Settings
from .store.db import open_db


class Appliance:
    """Home, settings, database and loaded model: what every command works through."""

    def __init__(self, home: Home | None = None, settings: Settings | None = None):
        self.home = (home or Home.locate()).ensure()
        self.settings = settings or Settings.load(self.home)
        self.db: sqlite_utils.Database = open_db(self.home.db_path)
        # Verified once per Appliance; the engines themselves live in the one process-wide
        # pool (engine.llm.shared_engine), shared by every Appliance in the process.
        self._verified: dict[tuple[str, int | None], tuple[ModelEntry, Engine]] = {}

    # -- models ----------------------------------------------------------
    @cached_property
    def catalogue(self) -> list[ModelEntry]:
        """Read once per Appliance: model_entry runs for every task of every document."""
        return load_catalogue(self.home)

    def model_entry(self, task: str | None = None) -> ModelEntry:
        """The model a task is routed to (settings.routes), else the default model."""
        entries = self.catalogue
        if task is not None and task in self.settings.routes:
            return find_entry(entries, self.settings.routes[task])
        return default_entry(entries, self.settings.default_model)

    def engine(self, task: str | None = None) -> tuple[ModelEntry, Engine]:
        """The task's model, verified by sha256 once and kept loaded: no reload per document."""
        entry, _, engine = self.engine_with_adapter(task)
        return entry, engine

    def engine_with_adapter(self, task: str | None = None) -> tuple[ModelEntry, dict | None, Engine]:
        """The task's model with the active adapter over it that serves the task (if any).

        The active adapter is looked up for every task (one small query), so an adapter
        activated or rolled back by another process serves from the next task on.
        """
        entry = self.model_entry(task)
        adapter = active_for(self.db, entry.sha256, task) if task is not None else None
        key = (entry.name, adapter["id"] if adapter else None)
        if key not in self._verified:
            path = verified_path(entry, self.home)
            lora = verified_adapter_path(self.home, adapter) if adapter else None
            self._verified[key] = (entry, shared_engine(path, entry.n_ctx, self.settings.n_threads, lora))
        return entry, identity(adapter), self._verified[key][1]

    # -- the pipeline (pipeline/processor.py) ------------------------------
    def run_task(self, document: str, task_name: str, use_tools: bool = True,
                 hits: list | None = None) -> processor.TaskRun:
        return processor.run_task(self, document, task_name, use_tools, hits)

    def process(self, doc: Document, tasks: list[str] | None = None) -> dict[str, Any]:
        return processor.process(self, doc, tasks)

    def recover(self) -> None:
        processor.recover(self)
