"""Settings: appliance.toml in the home, overridden by APPLIANCE_* environment variables."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict, TomlConfigSettingsSource

from .home import Home


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="APPLIANCE_", extra="forbid")

    inbox: Path | None = Field(None, description="Drop folder; defaults to HOME/inbox.")
    default_model: str | None = Field(None, description="Catalogue name; defaults to the catalogue's default.")
    routes: dict[str, str] = Field(
        default_factory=dict,
        description="Task-routed ensemble: task name -> catalogue model name (others use the default model).")
    n_threads: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1)
    max_text_bytes: int = Field(2_000_000, ge=1, description="Documents with more text are quarantined.")
    max_file_bytes: int = Field(20_000_000, ge=1, description="Larger files (e.g. PDFs) are quarantined.")
    settle_seconds: float = Field(2.0, ge=0, description="A drop file must stop changing this long before it is taken.")
    rescan_seconds: float = Field(30.0, gt=0, description="Full rescan of the drop folder, in case events were missed.")
    usb_root: Path | None = Field(Path("/media"), description="Where removable media are mounted; the TUI looks "
                                  "there for adapter bundles (none: do not look).")
    usb_scan_seconds: float = Field(5.0, gt=0, description="How often the TUI looks under usb_root.")
    adapter_max_bytes: int = Field(512 * 1024 * 1024, ge=1, description="Largest adapter.gguf accepted.")
    adapter_manifest_max_bytes: int = Field(1024 * 1024, ge=1, description="Largest manifest.json accepted.")
    gate_model_answers: bool = Field(True, description="Withhold a model's answer for a task unless an "
                                     "evaluation shows the model beats the trivial baseline there (the raw answer "
                                     "is kept, marked unverified).")
    adapter_signature_threshold: int = Field(1, ge=1, description="Valid signatures by distinct trusted keys "
                                             "an adapter bundle needs.")

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings, file_secret_settings):
        # Environment beats the file; a missing file reads as empty.
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    @classmethod
    def load(cls, home: Home) -> "Settings":
        """Settings for this home: its appliance.toml, then APPLIANCE_* variables."""

        class HomeSettings(cls):
            model_config = SettingsConfigDict(**{**cls.model_config, "toml_file": home.settings_path})

        return HomeSettings()

    def inbox_path(self, home: Home) -> Path:
        return self.inbox if self.inbox is not None else home.inbox
