"""Signed adapter bundles for the adapter tests (fixtures and helpers, no tests here).

One real adapter is built per session: a small random LoRA over the default base (it
learned nothing, but llama.cpp loads it and it changes answers), signed by `trainer
bundle` with one golden case recorded by the appliance's engine. Other versions and
attacked copies are made from it by editing the manifest and signing it again, so no
further model run is needed to build them.
"""

from __future__ import annotations

import io
import json
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from appliance.adapters.bundle import (ADAPTER, MANIFEST, SIGNATURES, Manifest, load_private_key, manifest_bytes,
                                       sign, signatures_bytes)
from appliance.catalogue import default_entry, load_catalogue, verified_path
from appliance.home import Home
from appliance.app import Appliance
from appliance.tasks import get_task

GOLDEN_TASK = "m_staging"
TASKS = ["m_staging", "n_staging"]


@dataclass(frozen=True)
class Signed:
    keys: Path          # the trusted builder's folder (signing.key, signing.pub)
    other_keys: Path    # a key pair no appliance trusts
    adapter: Path       # the GGUF LoRA
    v1: Path            # bundle folder, version 1.0.0

    def manifest(self) -> dict:
        return json.loads((self.v1 / MANIFEST).read_bytes())


def make_bundle(signed: Signed, out: Path, *, key_dir: Path | None = None, tar: bool = False,
                adapter: Path | None = None, **changes) -> Path:
    """A bundle like v1 with manifest fields changed, signed by key_dir (default: the trusted key)."""
    data = {**signed.manifest(), **changes}
    manifest_data = manifest_bytes(Manifest.model_validate(data))
    sig = signatures_bytes([sign(load_private_key((key_dir or signed.keys) / "signing.key"), manifest_data)])
    files = {MANIFEST: manifest_data, SIGNATURES: sig, ADAPTER: (adapter or signed.v1 / ADAPTER).read_bytes()}
    if tar:
        write_tar(out, [(name, data) for name, data in files.items()])
    else:
        out.mkdir(parents=True)
        for name, data in files.items():
            (out / name).write_bytes(data)
    return out


def write_tar(out: Path, members: list[tuple[str, bytes]], extra: list[tarfile.TarInfo] = ()) -> Path:
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for info in extra:
            tar.addfile(info)
    return out


@pytest.fixture(scope="session")
def signed(tmp_path_factory) -> Signed:
    pytest.importorskip("gguf")
    from trainer.bundle import build_bundle
    from trainer.export_gguf import random_lora_gguf
    from trainer.keys import generate

    root = tmp_path_factory.mktemp("signed")
    home = Home(root / "builder-home").ensure()
    generate(root / "keys")
    generate(root / "other-keys")
    base = verified_path(default_entry(load_catalogue(home)), home)
    adapter = random_lora_gguf(base, root / "clinic-lora.gguf", rank=4, seed=0)
    golden = root / "golden.jsonl"
    golden.write_text(json.dumps({"task": GOLDEN_TASK, "input": get_task(GOLDEN_TASK).golden}) + "\n")
    build_bundle(adapter, root / "clinic-lora-1.0.0", version="1.0.0", key=root / "keys", name="clinic-lora",
                 tasks=TASKS, golden_cases=golden, home=home,
                 metrics={"m_staging_exact": 0.5}, training_data={"examples": 0, "note": "random test adapter"})
    return Signed(root / "keys", root / "other-keys", adapter, root / "clinic-lora-1.0.0")


@pytest.fixture(scope="session")
def installed_template(signed, tmp_path_factory) -> Path:
    """A home that trusts the builder's key and has clinic-lora@1.0.0 imported and active."""
    from appliance.adapters.store import AdapterStore

    root = tmp_path_factory.mktemp("installed") / "home"
    app = Appliance(Home.locate(root))
    store = AdapterStore.of(app)
    store.trust(signed.keys / "signing.pub")
    store.import_bundle(signed.v1)
    app.db.conn.close()
    return root


@pytest.fixture
def installed(installed_template, home_dir) -> Appliance:
    """A fresh copy of the installed home at APPLIANCE_HOME."""
    shutil.copytree(installed_template, home_dir)
    return Appliance()


def active(app: Appliance) -> list[str]:
    from appliance.adapters.store import AdapterStore

    return [row["id"] for row in AdapterStore.of(app).listing() if row["active"]]


def audit_events(app: Appliance, prefix: str = "adapter_") -> list[tuple[str, dict]]:
    return [(r["event"], json.loads(r["details"]))
            for r in app.db.query("SELECT * FROM audit WHERE event LIKE ? ORDER BY id", [prefix + "%"])]
