"""Adapters on the real model: the operator's check, switching what serves, a failed golden
case, and crashes (injected and SIGKILL) during an import."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

import appliance.adapters.store as store_module
from appliance.adapters.bundle import ADAPTER, MANIFEST, SIGNATURES, BundleError, load_private_key, sign
from appliance.adapters.store import AdapterStore, ident
from appliance.errors import ApplianceError
from appliance.app import Appliance
from appliance.pipeline.reader import read_document
from appliance.store import audit

from .adapter_bundles import (GOLDEN_TASK, active, audit_events, installed,  # noqa: F401 (fixtures)
                              installed_template, make_bundle, signed)
from .conftest import DATA, run_cli

pytestmark = pytest.mark.slow


# A staging report the rules cannot settle (no distant site described either way), so the
# model (with the active adapter) is asked: what serves is recorded even when its answer is withheld.
MODEL_STAGING = "EXAM: CT chest.\nFINDINGS: 3 cm right upper lobe mass.\nIMPRESSION: Known lung carcinoma.\n"

def trainer(*args: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("trainer")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=600, check=True)


def listed(home: Path) -> list[dict]:
    return json.loads(run_cli("adapters", "list", "--json", home=home, check=True).stdout)


def test_operator_check_with_fresh_keys(home_dir, signed, tmp_path):
    """Fresh keys; a genuine bundle imports and serves; tampered, foreign-key and replayed bundles are refused."""
    trainer("keys", "generate", "--out", str(tmp_path / "keys"))
    trainer("keys", "generate", "--out", str(tmp_path / "stranger"))
    golden = tmp_path / "golden.jsonl"
    golden.write_text(json.dumps({"task": GOLDEN_TASK, "input": (DATA / "ct_staging.txt").read_text()}) + "\n")
    for version, out in (("1.0.0", "v1"), ("1.1.0", "v2.tar")):
        trainer("bundle", str(signed.adapter), "--version", version, "--key", str(tmp_path / "keys"),
                "--out", str(tmp_path / out), "--name", "clinic-lora", "--tasks", "m_staging,n_staging",
                "--base", "smollm2-135m-instruct-q4_1", "--golden-cases", str(golden))
    assert run_cli("adapters", "trust", str(tmp_path / "keys" / "signing.pub"), home=home_dir).returncode == 0
    ok = run_cli("adapters", "import", str(tmp_path / "v1"), home=home_dir)
    assert ok.returncode == 0 and "installed and active: clinic-lora@1.0.0" in ok.stdout, ok.stderr
    assert [(r["id"], r["active"]) for r in listed(home_dir)] == [("clinic-lora@1.0.0", True)]

    # A tampered copy of 1.1.0: one byte of the adapter changed.
    tampered = tmp_path / "tampered"
    tampered.mkdir()
    with tarfile.open(tmp_path / "v2.tar") as tar:
        for name in (MANIFEST, SIGNATURES, ADAPTER):
            (tampered / name).write_bytes(tar.extractfile(name).read())
    data = bytearray((tampered / ADAPTER).read_bytes())
    data[len(data) // 3] ^= 0xFF
    (tampered / ADAPTER).write_bytes(bytes(data))
    # The genuine 1.1.0 manifest signed by a key the appliance does not trust.
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    for name in (MANIFEST, ADAPTER):
        (foreign / name).write_bytes((tampered / name).read_bytes() if name == MANIFEST else
                                     (tmp_path / "v1" / ADAPTER).read_bytes())
    stranger = load_private_key(tmp_path / "stranger" / "signing.key")
    (foreign / SIGNATURES).write_text(json.dumps({"signatures": [sign(stranger, (foreign / MANIFEST).read_bytes())]}))

    for bundle, reason in ((tampered, "does not match the sha256 in the signed manifest"),
                           (foreign, "which this appliance does not trust")):
        refused = run_cli("adapters", "import", str(bundle), home=home_dir)
        assert refused.returncode == 1 and reason in refused.stderr, refused.stderr
        assert refused.stderr.startswith(f"refused: {bundle}")
        assert [(r["id"], r["active"]) for r in listed(home_dir)] == [("clinic-lora@1.0.0", True)]

    ok = run_cli("adapters", "import", str(tmp_path / "v2.tar"), home=home_dir)
    assert ok.returncode == 0 and "installed and active: clinic-lora@1.1.0" in ok.stdout, ok.stderr
    replay = run_cli("adapters", "import", str(tmp_path / "v1"), home=home_dir)
    assert replay.returncode == 1 and "is not newer than the installed version 1.1.0" in replay.stderr
    assert [(r["id"], r["active"]) for r in listed(home_dir)] == [("clinic-lora@1.0.0", False),
                                                                   ("clinic-lora@1.1.0", True)]
    events = [json.loads(line)["event"] for line in run_cli("audit", "export", home=home_dir).stdout.splitlines()]
    assert events == ["key_trusted",
                      "adapter_found", "adapter_verified", "adapter_installed", "adapter_activated",
                      "adapter_found", "adapter_refused", "adapter_found", "adapter_refused",
                      "adapter_found", "adapter_verified", "adapter_installed", "adapter_activated",
                      "adapter_found", "adapter_refused"]
    assert run_cli("audit", "verify", home=home_dir).returncode == 0

    # What serves: the active adapter, recorded in the output.
    report = tmp_path / "no_distant_sites_described.txt"
    report.write_text(MODEL_STAGING)
    out = run_cli("process", str(report), "--tasks", "m_staging", "--json", home=home_dir)
    record = json.loads(out.stdout)
    assert record["adapter"]["id"] == "clinic-lora@1.1.0" and len(record["adapter"]["sha256"]) == 64
    assert record["adapters"]["m_staging"] == record["adapter"]


def test_rollback_and_activate_switch_what_serves_next(installed, signed, tmp_path):
    app = installed
    store = AdapterStore.of(app)
    source = tmp_path / "staging.txt"
    source.write_text(MODEL_STAGING)
    doc = read_document(source, 10**6, 10**6)
    store.import_bundle(make_bundle(signed, tmp_path / "v2.tar", version="1.1.0", tar=True))
    assert active(app) == ["clinic-lora@1.1.0"]
    record = app.process(doc, ["m_staging"])
    assert record["adapter"]["id"] == "clinic-lora@1.1.0"
    assert app.engine_with_adapter("triage")[1] is None  # a task the adapter does not serve stays on the base

    assert [ident(r) for r in store.rollback()] == ["clinic-lora@1.1.0", "clinic-lora@1.0.0"]
    assert app.run_task(doc.text, "m_staging").adapter["id"] == "clinic-lora@1.0.0"
    current, previous = store.rollback()
    assert current["version"] == "1.0.0" and previous is None and active(app) == []
    assert app.run_task(doc.text, "m_staging").adapter is None
    with pytest.raises(ApplianceError, match="nothing to roll back"):
        store.rollback()
    assert store.activate("clinic-lora@1.1.0")[1] is True
    assert active(app) == ["clinic-lora@1.1.0"]
    with pytest.raises(ApplianceError, match="no installed adapter 'clinic-lora@9'"):
        store.activate("clinic-lora@9")
    assert [e for e, _ in audit_events(app)][-4:] == ["adapter_activated", "adapter_rolled_back",
                                                     "adapter_rolled_back", "adapter_activated"]
    assert audit.verify(app.db) == []


def test_golden_case_that_answers_differently_is_refused(installed, signed, tmp_path):
    app = installed
    case = signed.manifest()["golden"][0]
    wrong = {**case, "output": {**case["output"], "m_stage": "M1c" if case["output"]["m_stage"] != "M1c" else "M0"}}
    bundle = make_bundle(signed, tmp_path / "b", version="1.1.0", golden=[wrong])
    with pytest.raises(BundleError, match=r"golden case 1 \(m_staging\) answered differently.*Not activated"):
        AdapterStore.of(app).import_bundle(bundle)
    assert active(app) == ["clinic-lora@1.0.0"]
    assert not (app.home.adapters / "clinic-lora" / "1.1.0").exists()
    assert [p.name for p in app.home.adapters.iterdir() if p.name.startswith(".incoming")] == []
    assert audit_events(app)[-1][0] == "adapter_refused"


class Crash(BaseException):
    """The process dying: not an Exception, so nothing catches it."""


CRASH_POINTS = [
    ("after the copy, before the golden cases", "_run_golden"),
    ("after the rename, before the commit", "_activate_in_tx"),
]


@pytest.mark.parametrize("label, method", CRASH_POINTS, ids=[c[0] for c in CRASH_POINTS])
def test_crash_inside_import_leaves_previous_active_then_import_succeeds(installed, signed, tmp_path,
                                                                        monkeypatch, label, method):
    bundle = make_bundle(signed, tmp_path / "v2", version="1.1.0")

    def crash(*args, **kwargs):
        raise Crash(label)

    with monkeypatch.context() as patch:
        patch.setattr(AdapterStore, method, crash)
        with pytest.raises(Crash):
            AdapterStore.of(installed).import_bundle(bundle)
    restarted = Appliance()
    assert active(restarted) == ["clinic-lora@1.0.0"]
    store = AdapterStore.of(restarted)
    assert store.import_bundle(bundle)["version"] == "1.1.0"
    assert active(restarted) == ["clinic-lora@1.1.0"]
    assert sorted(p.name for p in restarted.home.adapters.iterdir()) == [".lock", "clinic-lora"]
    assert audit.verify(restarted.db) == []


def test_sigkill_during_import_never_leaves_a_half_adapter_active(installed, signed, tmp_path):
    home = installed.home.root
    installed.db.conn.close()
    bundle = make_bundle(signed, tmp_path / "v2.tar", version="1.1.0", tar=True)
    expected = {r["version"]: r["sha256"] for r in listed(home)} | {"1.1.0": signed.manifest()["adapter"]["sha256"]}
    exe = str(Path(sys.executable).with_name("appliance"))
    env = {**os.environ, "APPLIANCE_HOME": str(home)}
    rng = random.Random(20261122)
    kills = 0
    # Growing delays: the first kills land early on any machine (a quiet one finishes an
    # import in a few seconds), later ones reach the copy, golden run and switch.
    for delay in (0.5, 1.0, 1.5, 2.5, 4.0, 6.0, 9.0):
        proc = subprocess.Popen([exe, "adapters", "import", str(bundle)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay * rng.uniform(0.8, 1.2))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
        rows = listed(home)
        [on] = [r for r in rows if r["active"]]
        assert on["version"] in ("1.0.0", "1.1.0")
        for r in rows:  # every installed version is whole: its file matches its recorded sha256
            path = Path(r["path"]) / ADAPTER
            assert path.is_file() and store_module.file_sha256(path) == expected[r["version"]] == r["sha256"]
        assert run_cli("audit", "verify", home=home).returncode == 0
        if on["version"] == "1.1.0":
            break
    assert kills >= 1
    final = run_cli("adapters", "import", str(bundle), home=home)
    assert final.returncode == 0 or "is not newer than the installed version 1.1.0" in final.stderr, final.stderr
    assert [r["id"] for r in listed(home) if r["active"]] == ["clinic-lora@1.1.0"]
    assert not [p for p in (home / "adapters").iterdir() if p.name.startswith(".incoming-")]
    assert sorted(p.name for p in (home / "adapters" / "clinic-lora").iterdir()) == ["1.0.0", "1.1.0"]
    assert run_cli("audit", "verify", home=home).returncode == 0
