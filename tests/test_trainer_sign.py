"""`trainer sign` and the development key: signing in a temporary folder, the committed
public key, and a signed bundle that a fresh appliance home imports (and refuses tampered)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from appliance.adapters.bundle import (ADAPTER, MANIFEST, SIGNATURES, AdapterFile, BaseRef, BundleError, GoldenCase,
                                       LoraInfo, Manifest, key_id, load_public_key, manifest_bytes, now_iso,
                                       verify_signatures)
from appliance.catalogue import default_entry, load_catalogue
from appliance.durable import file_sha256
from appliance.home import Home
from trainer.keys import generate
from trainer.sign import sign_bundle

from .adapter_bundles import signed  # noqa: F401 (fixture)
from .conftest import REPO, run_cli

DEV_KEY = REPO / "keys" / "clinic-dev-signing.pub"


def trainer(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).with_name("trainer")), *args], capture_output=True, text=True,
                          timeout=600)


def _unsigned_bundle(folder: Path, home: Home) -> Path:
    """A bundle folder with a valid manifest for a stand-in adapter file (nothing loads it here)."""
    folder.mkdir()
    adapter = folder / ADAPTER
    adapter.write_bytes(b"GGUF" + bytes(range(256)) * 8)
    entry = default_entry(load_catalogue(home))
    manifest = Manifest(name="clinic-lora", version="1.0.0", tasks=["m_staging"],
                        base=BaseRef(name=entry.name, sha256=entry.sha256, architecture=entry.architecture),
                        lora=LoraInfo(rank=4, alpha=8), adapter=AdapterFile(sha256=file_sha256(adapter),
                                                                            size=adapter.stat().st_size),
                        created=now_iso(), golden=[GoldenCase(task="m_staging", input="x", output={"m_stage": "M0"})])
    (folder / MANIFEST).write_bytes(manifest_bytes(manifest))
    return folder


def test_the_committed_development_key_is_a_public_key_only():
    key = load_public_key(DEV_KEY)
    kid = key_id(key)
    assert kid in (REPO / "keys" / "README.md").read_text()
    assert kid in (REPO / "README.md").read_text()
    for path in (REPO / "keys").iterdir():
        assert b"PRIVATE KEY" not in path.read_bytes(), path
    tracked = subprocess.run(["git", "ls-files", "keys"], cwd=REPO, capture_output=True, text=True).stdout.split()
    assert not [p for p in tracked if p.endswith(".key")]


def test_sign_writes_signatures_the_appliance_verifies(tmp_path):
    home = Home(tmp_path / "home").ensure()
    bundle = _unsigned_bundle(tmp_path / "bundle", home)
    _, pub, kid = generate(tmp_path / "keys")
    _, _, other = generate(tmp_path / "second")
    assert sign_bundle(bundle, tmp_path / "keys") == (kid, 1)
    trusted = {kid: load_public_key(pub)}
    manifest = (bundle / MANIFEST).read_bytes()
    assert verify_signatures(manifest, (bundle / SIGNATURES).read_bytes(), trusted, 1, "b") == [kid]
    # Countersigning keeps the first signature; signing again without --add replaces them.
    assert sign_bundle(bundle, tmp_path / "second", add=True) == (other, 2)
    assert sign_bundle(bundle, tmp_path / "keys", add=True) == (kid, 2)
    assert sign_bundle(bundle, tmp_path / "keys") == (kid, 1)
    assert not list(bundle.glob(".*tmp"))


def test_sign_refuses_an_adapter_the_manifest_does_not_name(tmp_path):
    home = Home(tmp_path / "home").ensure()
    bundle = _unsigned_bundle(tmp_path / "bundle", home)
    generate(tmp_path / "keys")
    data = bytearray((bundle / ADAPTER).read_bytes())
    data[100] ^= 0xFF
    (bundle / ADAPTER).write_bytes(bytes(data))
    with pytest.raises(BundleError, match="is not the adapter the manifest names"):
        sign_bundle(bundle, tmp_path / "keys")
    assert not (bundle / SIGNATURES).exists()
    result = trainer("sign", str(bundle), "--key", str(tmp_path / "keys"))
    assert result.returncode == 1 and "not signed" in result.stderr


@pytest.mark.slow
def test_a_bundle_signed_in_tmp_imports_into_a_fresh_home_and_a_tampered_copy_is_refused(tmp_path, signed):
    """`signed` is a real bundle (random LoRA, golden case recorded by the engine); strip its
    signature, sign it with a new key via the CLI, trust that key, import; then tamper."""
    bundle = tmp_path / "clinic-lora-1.0.0"
    shutil.copytree(signed.v1, bundle)
    (bundle / SIGNATURES).unlink()
    assert trainer("keys", "generate", "--out", str(tmp_path / "dev")).returncode == 0
    home = tmp_path / "fresh-home"
    refused = run_cli("adapters", "import", str(bundle), home=home)
    assert refused.returncode != 0  # unsigned
    result = trainer("sign", str(bundle), "--key", str(tmp_path / "dev"))
    assert result.returncode == 0, result.stderr
    kid = re.search(r"with key ([0-9a-f]{64})", result.stdout).group(1)

    tampered = tmp_path / "tampered"
    shutil.copytree(bundle, tampered)
    data = bytearray((tampered / ADAPTER).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (tampered / ADAPTER).write_bytes(bytes(data))

    trust = run_cli("adapters", "trust", str(tmp_path / "dev" / "signing.pub"), home=home)
    assert trust.returncode == 0 and kid in trust.stdout + trust.stderr
    bad = run_cli("adapters", "import", str(tampered), home=home)
    assert bad.returncode != 0 and "does not match the sha256 in the signed manifest" in bad.stderr + bad.stdout
    ok = run_cli("adapters", "import", str(bundle), home=home)
    assert ok.returncode == 0, ok.stderr
    assert "installed and active: clinic-lora@1.0.0" in ok.stdout
    listed = json.loads(run_cli("adapters", "list", "--json", home=home, check=True).stdout)
    assert [(r["id"], r["active"], r["keyids"]) for r in listed] == [("clinic-lora@1.0.0", True, [kid])]
