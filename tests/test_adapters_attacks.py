"""Attacks on adapter bundles: each is refused with a plain reason, and nothing changes.

The home starts with clinic-lora@1.0.0 active. Every attacked bundle claims a newer
version (1.1.0, unless the attack is the version), so the attack is the only reason to
refuse it. After each: the refusal names what was wrong, the same adapter is active for
the same tasks, an `adapter_refused` audit row holds the reason, no folder was left
behind and nothing was written outside the appliance's own folders.
"""

from __future__ import annotations

import base64
import json
import os
import tarfile
from pathlib import Path

import pytest

from appliance.adapters.bundle import ADAPTER, MANIFEST, SIGNATURES, BundleError
from appliance.adapters.store import AdapterStore, active_for
from appliance.catalogue import default_entry
from appliance.store import audit

from .adapter_bundles import (Signed, active, audit_events, installed, installed_template, make_bundle,  # noqa: F401
                              signed, write_tar)

NEWER = "1.1.0"


def flip(path: Path, offset: int | None = None) -> None:
    data = bytearray(path.read_bytes())
    i = len(data) // 2 if offset is None else offset
    data[i] ^= 0x01
    path.write_bytes(bytes(data))


def adapter_byte_flipped(s: Signed, tmp: Path) -> Path:
    b = make_bundle(s, tmp / "b", version=NEWER)
    flip(b / ADAPTER)
    return b


def manifest_byte_flipped(s: Signed, tmp: Path) -> Path:
    b = make_bundle(s, tmp / "b", version=NEWER)
    text = (b / MANIFEST).read_bytes()
    flip(b / MANIFEST, text.index(b'"m_staging"') + 3)  # still valid JSON: only the signature can tell
    return b


def signature_byte_flipped(s: Signed, tmp: Path) -> Path:
    b = make_bundle(s, tmp / "b", version=NEWER)
    doc = json.loads((b / SIGNATURES).read_text())
    sig = bytearray(base64.b64decode(doc["signatures"][0]["sig"]))
    sig[10] ^= 0x01
    doc["signatures"][0]["sig"] = base64.b64encode(bytes(sig)).decode()
    (b / SIGNATURES).write_text(json.dumps(doc))
    return b


def signatures_file_damaged(s: Signed, tmp: Path) -> Path:
    b = make_bundle(s, tmp / "b", version=NEWER)
    flip(b / SIGNATURES, 0)
    return b


def untrusted_key(s: Signed, tmp: Path) -> Path:
    return make_bundle(s, tmp / "b", version=NEWER, key_dir=s.other_keys)


def older_version(s: Signed, tmp: Path) -> Path:
    return make_bundle(s, tmp / "b", version="0.9.0")


def equal_version_replayed(s: Signed, tmp: Path) -> Path:
    return s.v1  # the very bundle that is installed, offered again


def other_base(s: Signed, tmp: Path) -> Path:
    return make_bundle(s, tmp / "b", version=NEWER,
                       base={"name": "qwen2.5-3b-instruct-q4_k_m", "sha256": "ab" * 32, "architecture": "qwen2"})


def other_architecture(s: Signed, tmp: Path) -> Path:
    base = s.manifest()["base"]
    return make_bundle(s, tmp / "b", version=NEWER, base={**base, "architecture": "gemma3"})


def truncated_folder_copy(s: Signed, tmp: Path) -> Path:
    b = make_bundle(s, tmp / "b", version=NEWER)
    data = (b / ADAPTER).read_bytes()
    (b / ADAPTER).write_bytes(data[: len(data) // 2])
    return b


def truncated_archive(s: Signed, tmp: Path) -> Path:
    t = make_bundle(s, tmp / "b.tar", version=NEWER, tar=True)
    data = t.read_bytes()
    t.write_bytes(data[: int(len(data) * 0.6)])
    return t


def missing_adapter(s: Signed, tmp: Path) -> Path:
    b = make_bundle(s, tmp / "b", version=NEWER)
    (b / ADAPTER).unlink()
    return b


def _good_members(s: Signed, tmp: Path) -> list[tuple[str, bytes]]:
    b = make_bundle(s, tmp / "src", version=NEWER)
    return [(n, (b / n).read_bytes()) for n in (MANIFEST, SIGNATURES, ADAPTER)]


def path_traversal_archive(s: Signed, tmp: Path) -> Path:
    return write_tar(tmp / "b.tar", [*_good_members(s, tmp), ("../../evil.sh", b"echo owned\n")])


def absolute_path_archive(s: Signed, tmp: Path) -> Path:
    return write_tar(tmp / "b.tar", [("/tmp/evil-absolute.sh", b"echo owned\n"), *_good_members(s, tmp)])


def _special(name: str, kind: bytes, linkname: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, linkname
    return info


def symlink_archive(s: Signed, tmp: Path) -> Path:
    members = [m for m in _good_members(s, tmp) if m[0] != ADAPTER]
    return write_tar(tmp / "b.tar", members, [_special(ADAPTER, tarfile.SYMTYPE, "/etc/passwd")])


def hardlink_archive(s: Signed, tmp: Path) -> Path:
    members = [m for m in _good_members(s, tmp) if m[0] != ADAPTER]
    return write_tar(tmp / "b.tar", members, [_special(ADAPTER, tarfile.LNKTYPE, "/etc/shadow")])


def device_archive(s: Signed, tmp: Path) -> Path:
    return write_tar(tmp / "b.tar", _good_members(s, tmp), [_special("console", tarfile.CHRTYPE)])


def unexpected_file_archive(s: Signed, tmp: Path) -> Path:
    return write_tar(tmp / "b.tar", [*_good_members(s, tmp), ("run-me.sh", b"echo hi\n")])


def symlinked_adapter_in_folder(s: Signed, tmp: Path) -> Path:
    b = make_bundle(s, tmp / "b", version=NEWER)
    (b / ADAPTER).unlink()
    os.symlink(s.adapter, b / ADAPTER)
    return b


ATTACKS = [
    (adapter_byte_flipped, "does not match the sha256 in the signed manifest"),
    (manifest_byte_flipped, "does not match the manifest"),
    (signature_byte_flipped, "does not match the manifest"),
    (signatures_file_damaged, "signatures.json is damaged"),
    (untrusted_key, "which this appliance does not trust"),
    (older_version, "clinic-lora@0.9.0 is not newer than the installed version 1.0.0"),
    (equal_version_replayed, "clinic-lora@1.0.0 is not newer than the installed version 1.0.0"),
    (other_base, "built for base model qwen2.5-3b-instruct-q4_k_m"),
    (other_architecture, "says its base is a gemma3 model"),
    (truncated_folder_copy, "the copy is truncated or altered"),
    (truncated_archive, "truncated or damaged"),
    (missing_adapter, "adapter.gguf is missing"),
    (path_traversal_archive, "'../../evil.sh' points outside the bundle (path traversal)"),
    (absolute_path_archive, "'/tmp/evil-absolute.sh' points outside the bundle (path traversal)"),
    (symlink_archive, "is a link (to '/etc/passwd')"),
    (hardlink_archive, "is a link (to '/etc/shadow')"),
    (device_archive, "'console' is a device file"),
    (unexpected_file_archive, "unexpected file 'run-me.sh'"),
    (symlinked_adapter_in_folder, "adapter.gguf is a symbolic link"),
]


@pytest.mark.parametrize("attack, reason", ATTACKS, ids=[a.__name__ for a, _ in ATTACKS])
def test_attacked_bundle_is_refused_and_nothing_changes(installed, signed, tmp_path, attack, reason):
    app = installed
    store = AdapterStore.of(app)
    before = store.listing()
    bundle = attack(signed, _mk(tmp_path / "attack"))
    with pytest.raises(BundleError) as refused:
        store.import_bundle(bundle)
    message = str(refused.value)
    assert reason in message, message
    assert message.startswith(str(bundle)), "the refusal names the bundle"

    assert store.listing() == before and active(app) == ["clinic-lora@1.0.0"]
    entry = default_entry(app.catalogue)
    assert active_for(app.db, entry.sha256, "m_staging")["version"] == "1.0.0"  # what the service would load
    event, details = audit_events(app)[-1]
    assert event == "adapter_refused" and details["reason"] == message
    assert audit.verify(app.db) == []
    leftovers = sorted(p.name for p in app.home.adapters.iterdir() if p.name != ".lock")
    assert leftovers == ["clinic-lora"] and [p.name for p in (app.home.adapters / "clinic-lora").iterdir()] == ["1.0.0"]
    assert not (tmp_path / "evil.sh").exists() and not Path("/tmp/evil-absolute.sh").exists()


def _mk(folder: Path) -> Path:
    folder.mkdir()
    return folder


def test_size_limits_refuse_before_copying(installed, signed, tmp_path):
    app = installed
    app.settings.adapter_max_bytes = 1000
    with pytest.raises(BundleError, match="over the 1,000-byte limit"):
        AdapterStore.of(app).import_bundle(make_bundle(signed, tmp_path / "b", version=NEWER))
    app.settings.adapter_manifest_max_bytes = 100
    with pytest.raises(BundleError, match="manifest.json is larger than the 100-byte limit"):
        AdapterStore.of(app).import_bundle(make_bundle(signed, tmp_path / "c", version=NEWER))
    assert active(app) == ["clinic-lora@1.0.0"]


def test_signature_threshold_two_needs_two_trusted_keys(installed, signed, tmp_path):
    app = installed
    app.settings.adapter_signature_threshold = 2
    with pytest.raises(BundleError, match="1 valid signature"):
        AdapterStore.of(app).import_bundle(make_bundle(signed, tmp_path / "b", version=NEWER))
    assert active(app) == ["clinic-lora@1.0.0"]


def test_no_trusted_key_says_how_to_trust_one(home_dir, signed):
    from appliance.app import Appliance

    app = Appliance()
    with pytest.raises(BundleError, match="trusts no signing key yet.*appliance adapters trust"):
        AdapterStore.of(app).import_bundle(signed.v1)
    assert active(app) == []


def test_trust_records_key_id_and_is_idempotent(home_dir, signed):
    from appliance.adapters.bundle import key_id, load_public_key
    from appliance.app import Appliance

    app = Appliance()
    store = AdapterStore.of(app)
    kid = key_id(load_public_key(signed.keys / "signing.pub"))
    assert store.trust(signed.keys / "signing.pub") == (kid, True)
    assert store.trust(signed.keys / "signing.pub") == (kid, False)
    assert (app.home.keys / f"{kid}.pub").is_file()
    assert [(e, d["keyid"]) for e, d in audit_events(app, "key_")] == [("key_trusted", kid)]
    with pytest.raises(BundleError, match="not a PEM public key"):
        store.trust(signed.keys / "signing.key")  # the private key is not a public key file
