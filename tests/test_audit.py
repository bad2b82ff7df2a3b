"""The audit log's hash chain names any edited, deleted or inserted row."""

from __future__ import annotations

from appliance.store import audit
from appliance.store.tx import transaction

from .conftest import run_cli


def _fill(app, n=5):
    with transaction(app.db):
        for i in range(n):
            audit.append(app.db, "test_event", {"i": i})


def test_intact_chain_verifies(app):
    _fill(app)
    assert audit.verify(app.db) == []


def test_edited_row_is_named(app):
    _fill(app)
    app.db.execute("UPDATE audit SET details = '{\"i\":99}' WHERE id = 3")
    assert any(p.startswith("row 3:") and "edited" in p for p in audit.verify(app.db))


def test_deleted_row_is_named(app):
    _fill(app)
    app.db.execute("DELETE FROM audit WHERE id = 2")
    assert any(p.startswith("row 3:") for p in audit.verify(app.db))


def test_cli_verify_exits_nonzero_on_tampering(app, home_dir):
    _fill(app)
    assert run_cli("audit", "verify", home=home_dir).returncode == 0
    app.db.execute("UPDATE audit SET actor = 'mallory' WHERE id = 4")
    result = run_cli("audit", "verify", home=home_dir)
    assert result.returncode == 1 and "row 4" in result.stdout


def test_export_writes_json_lines(app, home_dir, tmp_path):
    _fill(app, 3)
    out = tmp_path / "audit.jsonl"
    run_cli("audit", "export", "--out", str(out), home=home_dir, check=True)
    assert len(out.read_text().splitlines()) == 3
