"""The adapter the repository ships (models/adapters/) is a signed bundle a clinic can import.

A fresh appliance that trusts the development key (README, "Trusting the development key")
accepts it: signature, manifest, base model and the golden case re-run on this machine's
engine. Its feature readings stay withheld until that appliance's own `appliance eval`
gives the capability gate passing evidence (docs/results.md).
"""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import run_cli

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "models" / "adapters" / "rads-features-cpu"


def test_the_shipped_bundle_imports_on_a_fresh_home_and_serves_only_feature_reading(home_dir):
    manifest = json.loads((SHIPPED / "manifest.json").read_text())
    assert manifest["tasks"] == ["rads_features"]
    assert (SHIPPED / "signatures.json").exists()
    assert sorted(p.name for p in (REPO / "models" / "adapters").iterdir()) == ["rads-features-cpu"]

    run_cli("adapters", "trust", str(REPO / "keys" / "clinic-dev-signing.pub"), home=home_dir, check=True)
    result = run_cli("adapters", "import", str(SHIPPED), home=home_dir, check=True)
    assert "installed and active: rads-features-cpu@" in result.stdout
    listed = json.loads(run_cli("adapters", "list", "--json", home=home_dir, check=True).stdout)
    assert [a["name"] for a in listed] == ["rads-features-cpu"] and listed[0]["tasks"] == ["rads_features"]


def test_without_trusting_the_development_key_the_shipped_bundle_is_refused(home_dir):
    result = run_cli("adapters", "import", str(SHIPPED), home=home_dir)
    assert result.returncode != 0 and "trust" in (result.stderr + result.stdout)
