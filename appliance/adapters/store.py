"""Installed adapters under HOME/adapters/<name>/<version>/ and which one is active.

The database is the one source of truth: a version exists once its row exists, and the
active adapter of a base model is the row with `active` = 1 for that base. Import:

1. read manifest and signatures from the media; verify the signatures with the trusted
   keys, then the manifest (known tasks, a catalogued base of the right architecture,
   a version newer than every installed version of that name);
2. copy adapter.gguf into a fresh HOME/adapters/.incoming-* folder, hashing it as it is
   copied (what is checked is what gets installed, whatever the media does later), and
   compare size and sha256 with the signed manifest;
3. run the manifest's golden cases through the engine with the copied adapter;
4. rename the folder to <name>/<version> and, in one transaction, insert its row, make
   it active and append the audit rows.

A crash (even SIGKILL) before step 4's commit leaves the previous adapter active and at
most a leftover folder the database does not know, which the next import removes; no
half-copied folder is ever active. Any refusal is an `adapter_refused` audit row with
the reason, and nothing changes. Every step takes HOME/adapters/.lock so two imports
(the TUI and the command line) never interleave.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Iterator

import sqlite_utils

from ..catalogue import ModelEntry, verified_path
from ..durable import _fsync_dir, file_sha256, write_text_atomic
from ..errors import ApplianceError
from ..home import Home
from ..settings import Settings
from ..store import audit
from ..store.tx import transaction
from .bundle import (ADAPTER, MANIFEST, MAX_SIGNATURES_BYTES, SIGNATURES, BundleError, Manifest,
                     key_id, load_public_key, parse_manifest, public_pem, verify_signatures, version_key)
from .golden import check_cases, load_engine
from .source import open_bundle

INCOMING_PREFIX = ".incoming-"


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat()


def ident(row: dict[str, Any]) -> str:
    return f"{row['name']}@{row['version']}"


def identity(row: dict[str, Any] | None) -> dict[str, str] | None:
    """What a job or result records about the adapter that served it."""
    if row is None:
        return None
    return {"id": ident(row), "name": row["name"], "version": row["version"], "sha256": row["sha256"]}


def active_rows(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    if "adapters" not in db.table_names():
        return []
    return list(db.query("SELECT * FROM adapters WHERE active = 1"))


def active_for(db: sqlite_utils.Database, base_sha256: str, task: str | None) -> dict[str, Any] | None:
    """The active adapter over this base that serves `task` (any task when None)."""
    for row in db.query("SELECT * FROM adapters WHERE active = 1 AND base_sha256 = ?", [base_sha256]):
        if task is None or task in json.loads(row["tasks"]):
            return row
    return None


class AdapterStore:
    def __init__(self, home: Home, db: sqlite_utils.Database, settings: Settings, catalogue: list[ModelEntry]):
        self.home, self.db, self.settings, self.catalogue = home, db, settings, catalogue

    @classmethod
    def of(cls, appliance) -> "AdapterStore":
        """The store of an Appliance (pipeline.processor), sharing its database connection."""
        return cls(appliance.home, appliance.db, appliance.settings, appliance.catalogue)

    # -- reading ------------------------------------------------------------------
    def rows(self) -> list[dict[str, Any]]:
        rows = list(self.db.query("SELECT * FROM adapters"))
        return sorted(rows, key=lambda r: (r["name"], version_key(r["version"])))

    def listing(self) -> list[dict[str, Any]]:
        """`appliance adapters list --json`: one object per installed version."""
        return [{
            "id": ident(r), "name": r["name"], "version": r["version"], "active": bool(r["active"]),
            "tasks": json.loads(r["tasks"]),
            "base": {"name": r["base_name"], "sha256": r["base_sha256"], "architecture": r["architecture"]},
            "sha256": r["sha256"], "size": r["size"], "lora": {"rank": r["lora_rank"], "alpha": r["lora_alpha"]},
            "keyids": json.loads(r["keyids"]), "created": r["created"], "installed_at": r["installed_at"],
            "activated_at": r["activated_at"], "path": str(self.home.adapters / r["path"]),
        } for r in self.rows()]

    def find(self, wanted: str) -> dict[str, Any]:
        """By `name@version` (as `list` shows it) or by row number."""
        for row in self.rows():
            if wanted in (ident(row), str(row["id"])):
                return row
        known = ", ".join(ident(r) for r in self.rows()) or "none installed"
        raise ApplianceError(f"no installed adapter {wanted!r}; installed: {known} (see `appliance adapters list`).")

    def installed_version(self, name: str) -> str | None:
        versions = [r["version"] for r in self.db.query("SELECT version FROM adapters WHERE name = ?", [name])]
        return max(versions, key=version_key) if versions else None

    # -- trust --------------------------------------------------------------------
    def trusted_keys(self) -> dict[str, Any]:
        keys = {}
        for path in sorted(self.home.keys.glob("*.pub")):
            key = load_public_key(path)
            keys[key_id(key)] = key
        return keys

    def trust(self, pub_file: Path, actor: str = "operator") -> tuple[str, bool]:
        """Copy a public key into HOME/keys as <keyid>.pub; (key id, newly trusted)."""
        key = load_public_key(pub_file)
        kid = key_id(key)
        dest = self.home.keys / f"{kid}.pub"
        if dest.exists() and kid in self.trusted_keys():
            return kid, False
        with self._lock():
            write_text_atomic(dest, public_pem(key).decode("ascii"))
            with transaction(self.db):
                audit.append(self.db, "key_trusted", {"keyid": kid, "file": pub_file.name}, actor=actor)
        return kid, True

    # -- import -------------------------------------------------------------------
    def import_bundle(self, path: Path, actor: str = "operator") -> dict[str, Any]:
        """Verify, install and activate the bundle at `path`; BundleError (audited) if refused."""
        where = str(path)
        with self._lock():
            self.cleanup()
            self._audit("adapter_found", {"bundle": where}, actor)
            staging: Path | None = None
            manifest: Manifest | None = None
            try:
                with open_bundle(path) as src:
                    manifest_data = src.read(MANIFEST, self.settings.adapter_manifest_max_bytes)
                    signatures_data = src.read(SIGNATURES, MAX_SIGNATURES_BYTES)
                    keyids = verify_signatures(manifest_data, signatures_data, self.trusted_keys(),
                                               self.settings.adapter_signature_threshold, where)
                    manifest = parse_manifest(manifest_data, where)
                    entry = self._check_manifest(manifest, where)
                    staging = Path(tempfile.mkdtemp(prefix=INCOMING_PREFIX, dir=self.home.adapters))
                    size, sha256 = src.copy(ADAPTER, staging / ADAPTER, self.settings.adapter_max_bytes)
                self._check_adapter_file(manifest, staging / ADAPTER, size, sha256, where)
                for name, data in ((MANIFEST, manifest_data), (SIGNATURES, signatures_data)):
                    _write_private(staging / name, data)
                _fsync_dir(staging)
                self._audit("adapter_verified", {"bundle": where, "adapter": manifest.ident, "keyids": keyids,
                                                 "sha256": sha256}, actor)
                self._run_golden(manifest, entry, staging / ADAPTER, where)
                row = self._install(manifest, entry, staging, keyids, manifest_data, where, actor)
            except BundleError as exc:
                if staging is not None:
                    shutil.rmtree(staging, ignore_errors=True)
                self._audit("adapter_refused", {"bundle": where, "adapter": manifest.ident if manifest else None,
                                                "reason": str(exc)}, actor)
                raise
        return row

    def _check_manifest(self, manifest: Manifest, where: str) -> ModelEntry:
        if manifest.adapter.size > self.settings.adapter_max_bytes:
            raise BundleError(f"{where}: the adapter is {manifest.adapter.size:,} bytes, over the "
                              f"{self.settings.adapter_max_bytes:,}-byte limit (setting adapter_max_bytes). Refused.")
        entry = next((e for e in self.catalogue if e.sha256 == manifest.base.sha256), None)
        if entry is None:
            known = ", ".join(f"{e.name} ({e.sha256[:12]}…)" for e in self.catalogue)
            raise BundleError(f"{where}: {manifest.ident} was built for base model {manifest.base.name} (sha256 "
                              f"{manifest.base.sha256[:12]}…), which this appliance does not have (its models: "
                              f"{known}). An adapter only works over the exact base it was trained on. Refused.")
        if entry.architecture != manifest.base.architecture:
            raise BundleError(f"{where}: {manifest.ident} says its base is a {manifest.base.architecture} model, but "
                              f"{entry.name} is {entry.architecture}. Refused.")
        for task in manifest.golden:
            if task.task not in manifest.tasks:
                raise BundleError(f"{where}: golden case for {task.task}, a task the adapter does not serve. Refused.")
        installed = self.installed_version(manifest.name)
        if installed is not None and version_key(manifest.version) <= version_key(installed):
            raise BundleError(f"{where}: {manifest.ident} is not newer than the installed version {installed} of "
                              f"{manifest.name}. An older or repeated bundle cannot replace a newer one (replay or "
                              "rollback protection). To go back to an installed version use "
                              "`appliance adapters rollback` or `activate`. Refused.")
        return entry

    def _check_adapter_file(self, manifest: Manifest, copied: Path, size: int, sha256: str, where: str) -> None:
        if size != manifest.adapter.size:
            raise BundleError(f"{where}: {ADAPTER} is {size:,} bytes but the signed manifest says "
                              f"{manifest.adapter.size:,}: the copy is truncated or altered. Copy the bundle again.")
        if sha256 != manifest.adapter.sha256:
            raise BundleError(f"{where}: {ADAPTER} does not match the sha256 in the signed manifest: the file was "
                              "altered or damaged after signing. Refused; ask the builder for a fresh copy.")
        with copied.open("rb") as f:
            if f.read(4) != b"GGUF":
                raise BundleError(f"{where}: {ADAPTER} is not a GGUF file; the bundle was built wrongly. Refused.")

    def _run_golden(self, manifest: Manifest, entry: ModelEntry, adapter: Path, where: str) -> None:
        try:
            base = verified_path(entry, self.home)
        except ApplianceError as exc:
            raise BundleError(f"{where}: the base model is not usable here, so the adapter cannot be checked: {exc}") from exc
        try:
            engine = load_engine(base, entry, adapter, self.settings.n_threads)
        except Exception as exc:  # llama.cpp refuses an adapter that does not fit the base
            raise BundleError(f"{where}: llama.cpp cannot load {manifest.ident} over {entry.name} ({exc}). "
                              "Refused.") from exc
        try:
            check_cases(engine, entry, manifest.golden, where)
        finally:
            engine.llm.close()

    def _install(self, manifest: Manifest, entry: ModelEntry, staging: Path, keyids: list[str],
                 manifest_data: bytes, where: str, actor: str) -> dict[str, Any]:
        folder = self.home.adapters / manifest.name
        folder.mkdir(mode=0o700, exist_ok=True)
        final = folder / manifest.version
        if final.exists():  # left by a crash before its row was committed: never installed
            shutil.rmtree(final)
        os.rename(staging, final)
        _fsync_dir(folder)
        _fsync_dir(self.home.adapters)
        with transaction(self.db):
            row_id = self.db["adapters"].insert({
                "name": manifest.name, "version": manifest.version, "tasks": json.dumps(manifest.tasks),
                "base_name": entry.name, "base_sha256": entry.sha256, "architecture": entry.architecture,
                "sha256": manifest.adapter.sha256, "size": manifest.adapter.size,
                "manifest_sha256": hashlib.sha256(manifest_data).hexdigest(), "keyids": json.dumps(keyids),
                "lora_rank": manifest.lora.rank, "lora_alpha": manifest.lora.alpha, "created": manifest.created,
                "path": f"{manifest.name}/{manifest.version}", "installed_at": now(), "active": 0,
            }).last_pk
            row = self.db["adapters"].get(row_id)
            audit.append(self.db, "adapter_installed", {"bundle": where, "adapter": ident(row),
                                                        "sha256": row["sha256"], "base": entry.name}, actor=actor)
            self._activate_in_tx(row, actor)
        return self.db["adapters"].get(row_id)

    # -- switching ----------------------------------------------------------------
    def activate(self, wanted: str, actor: str = "operator") -> tuple[dict[str, Any], bool]:
        """Make an installed version active for its base; (row, changed)."""
        with self._lock():
            row = self.find(wanted)
            if row["active"]:
                return row, False
            self._check_on_disk(row)
            with transaction(self.db):
                self._activate_in_tx(row, actor)
            return self.db["adapters"].get(row["id"]), True

    def rollback(self, model: str | None = None, actor: str = "operator") -> tuple[dict[str, Any], dict | None]:
        """Undo the last switch: the adapter active before the current one (or the bare base)."""
        with self._lock():
            active = active_rows(self.db)
            if model is not None:
                entry = next((e for e in self.catalogue if e.name == model), None)
                if entry is None:
                    raise ApplianceError(f"no model named {model!r} in the catalogue; see `appliance models list`.")
                active = [r for r in active if r["base_sha256"] == entry.sha256]
            if not active:
                raise ApplianceError("no adapter is active, so there is nothing to roll back; every task runs on "
                                     "its base model.")
            current = max(active, key=lambda r: r["activated_at"] or "")
            previous = self.db["adapters"].get(current["previous_id"]) if current["previous_id"] else None
            if previous is not None:
                self._check_on_disk(previous)
            with transaction(self.db):
                self.db["adapters"].update(current["id"], {"active": 0})
                if previous is not None:
                    self.db["adapters"].update(previous["id"], {"active": 1, "activated_at": now()})
                audit.append(self.db, "adapter_rolled_back", {
                    "from": ident(current), "to": ident(previous) if previous else None,
                    "base": current["base_name"]}, actor=actor)
            return current, (self.db["adapters"].get(previous["id"]) if previous else None)

    def _activate_in_tx(self, row: dict[str, Any], actor: str) -> None:
        current = active_for(self.db, row["base_sha256"], None)
        if current is not None:
            self.db["adapters"].update(current["id"], {"active": 0})
        self.db["adapters"].update(row["id"], {"active": 1, "activated_at": now(),
                                               "previous_id": current["id"] if current else None})
        audit.append(self.db, "adapter_activated", {"adapter": ident(row), "sha256": row["sha256"],
                                                    "base": row["base_name"],
                                                    "previous": ident(current) if current else None}, actor=actor)

    def _check_on_disk(self, row: dict[str, Any]) -> None:
        verified_adapter_path(self.home, row)

    # -- housekeeping -------------------------------------------------------------
    def cleanup(self) -> list[Path]:
        """Remove folders a crash left behind: .incoming-* copies and versions without a row."""
        known = {(r["name"], r["version"]) for r in self.db.query("SELECT name, version FROM adapters")}
        removed = []
        for child in self.home.adapters.iterdir():
            if child.name.startswith(INCOMING_PREFIX) and child.is_dir() and not child.is_symlink():
                removed.append(child)
            elif child.is_dir() and not child.is_symlink() and not child.name.startswith("."):
                removed += [v for v in child.iterdir() if v.is_dir() and (child.name, v.name) not in known]
        for path in removed:
            shutil.rmtree(path, ignore_errors=True)
        return removed

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        fd = os.open(self.home.adapters / ".lock", os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock, also when the process dies

    def _audit(self, event: str, details: dict[str, Any], actor: str) -> None:
        with transaction(self.db):
            audit.append(self.db, event, details, actor=actor)


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def verified_adapter_path(home: Home, row: dict[str, Any]) -> Path:
    """An installed adapter's file, checked against its recorded sha256 before llama.cpp loads it."""
    from ..errors import ModelFileError

    path = home.adapters / row["path"] / ADAPTER
    if not path.is_file() or file_sha256(path) != row["sha256"]:
        raise ModelFileError(f"adapter {ident(row)}: {path} is missing or altered on disk; it will not be loaded. "
                             "Run `appliance adapters rollback`, or import a newer signed version.")
    return path
