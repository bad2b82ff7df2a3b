"""The appliance home: one folder that holds all state (see the design)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

SUBDIRS = ("inbox", "outbox", "archive", "quarantine", "adapters", "keys", "models")


@dataclass(frozen=True)
class Home:
    root: Path

    @classmethod
    def locate(cls, root: str | os.PathLike | None = None) -> "Home":
        """APPLIANCE_HOME wins, then the platform's per-user data folder."""
        if root is None:
            root = os.environ.get("APPLIANCE_HOME") or platformdirs.user_data_dir("clinic-appliance")
        return cls(Path(root).expanduser().resolve())

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    @property
    def quarantine(self) -> Path:
        return self.root / "quarantine"

    @property
    def adapters(self) -> Path:
        return self.root / "adapters"

    @property
    def keys(self) -> Path:
        return self.root / "keys"

    @property
    def models(self) -> Path:
        """Model files the appliance assembles itself (gemma's chunks) and the local catalogue."""
        return self.root / "models"

    @property
    def db_path(self) -> Path:
        return self.root / "appliance.db"

    @property
    def settings_path(self) -> Path:
        return self.root / "appliance.toml"

    def ensure(self) -> "Home":
        """Create the folders, private to the service user: they hold patient text."""
        old_umask = os.umask(0o077)
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            os.chmod(self.root, 0o700)
            for name in SUBDIRS:
                path = self.root / name
                path.mkdir(exist_ok=True)
                os.chmod(path, 0o700)
        finally:
            os.umask(old_umask)
        return self
