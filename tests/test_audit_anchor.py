"""The audit log's key and anchor catch what the plain chain cannot: the last rows deleted,
every row deleted, a row edited and the chain recomputed, and an older head put back."""

from __future__ import annotations

import json
import os
import stat

from appliance.app import Appliance
from appliance.store import audit
from appliance.store.tx import transaction

from .conftest import run_cli


def _fill(app, n=6):
    with transaction(app.db):
        for i in range(n):
            audit.append(app.db, "test_event", {"i": i})


def _verify(home):
    result = run_cli("audit", "verify", home=home)
    return result.returncode, result.stdout + result.stderr


def test_key_and_anchor_live_outside_the_database(app, home_dir):
    _fill(app)
    key = home_dir / "keys" / "audit.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_bytes()) == 32
    head = json.loads((home_dir / "audit-head.json").read_text())
    assert head["rows"] == 6 and head["hash"] == app.db.execute("SELECT hash FROM audit WHERE id = 6").fetchone()[0]
    assert _verify(home_dir)[0] == 0


def test_deleting_the_last_rows_is_detected(app, home_dir):
    _fill(app)
    app.db.execute("DELETE FROM audit WHERE id > 3")
    code, out = _verify(home_dir)
    assert code == 1 and "the log ends at row 3" in out and "rows 4–6 deleted" in out


def test_deleting_every_row_is_detected(app, home_dir):
    _fill(app)
    app.db.execute("DELETE FROM audit")
    code, out = _verify(home_dir)
    assert code == 1 and "every row was deleted" in out


def test_an_edit_with_the_chain_recomputed_is_detected(app, home_dir):
    _fill(app)
    # The attacker edits row 3 and rebuilds the chain with the appliance's own hash function.
    rows = list(audit.rows(app.db))
    rows[2]["details"] = audit.canonical({"i": 99})
    prev = rows[1]["hash"]
    for row in rows[2:]:
        row["prev_hash"] = prev
        row["hash"] = audit._row_hash(row)
        app.db.execute("UPDATE audit SET details = ?, prev_hash = ?, hash = ? WHERE id = ?",
                       [row["details"], row["prev_hash"], row["hash"], row["id"]])
        prev = row["hash"]
    code, out = _verify(home_dir)
    assert code == 1 and "rows 3–6: MAC does not match" in out
    assert "the anchor file audit-head.json" in out  # and the head's hash moved


def test_deleting_the_anchor_or_the_key_is_detected(app, home_dir):
    _fill(app)
    (home_dir / "audit-head.json").unlink()
    code, out = _verify(home_dir)
    assert code == 1 and "audit-head.json is missing" in out
    audit._keys.clear()
    (home_dir / "keys" / "audit.key").unlink()
    code, out = _verify(home_dir)
    assert code == 1 and "audit key" in out and "missing" in out


def test_an_exported_anchor_catches_a_rewrite_by_someone_holding_the_key(app, home_dir, tmp_path):
    _fill(app)
    kept = tmp_path / "usb" / "head.json"
    kept.parent.mkdir()
    printed = run_cli("audit", "anchor", "--out", str(kept), home=home_dir, check=True).stdout
    assert "audit head: row 6 hash " in printed
    assert run_cli("audit", "verify", "--anchor", str(kept), home=home_dir).returncode == 0
    # An insider with the key truncates to row 4 and re-seals the anchor file consistently.
    app.db.execute("DELETE FROM audit WHERE id > 4")
    os.unlink(home_dir / "audit-head.json")
    audit.write_head(app.db)
    assert _verify(home_dir)[0] == 0, "consistent to the box itself"
    result = run_cli("audit", "verify", "--anchor", str(kept), home=home_dir)
    assert result.returncode == 1 and "the anchor you gave says it reached row 6" in result.stdout
    # The printed line works as an anchor too (written down by hand).
    line = tmp_path / "written-down.txt"
    line.write_text(printed)
    assert run_cli("audit", "verify", "--anchor", str(line), home=home_dir).returncode == 1


def test_an_old_home_is_sealed_on_upgrade_and_verifiable(home_dir):
    app = Appliance()
    _fill(app, 4)
    # Make it look like a home from before the keyed log: no MACs, no key, no anchor.
    app.db.execute("UPDATE audit SET mac = NULL")
    app.db.execute("ALTER TABLE audit DROP COLUMN mac")
    app.db.execute("ALTER TABLE jobs DROP COLUMN claimed_by")
    app.db.execute("DROP TABLE read_attempts")
    app.db.execute("DELETE FROM _migrations WHERE name = 'm008_drop_folder_faults'")
    app.db.conn.close()
    audit._keys.clear()
    (home_dir / "keys" / "audit.key").unlink()
    (home_dir / "audit-head.json").unlink()
    upgraded = Appliance()
    assert all(row["mac"] for row in audit.rows(upgraded.db))
    assert json.loads((home_dir / "audit-head.json").read_text())["rows"] == 4
    assert _verify(home_dir)[0] == 0
    upgraded.db.execute("DELETE FROM audit WHERE id = 4")
    assert _verify(home_dir)[0] == 1


def test_read_only_commands_refuse_a_home_that_does_not_exist(tmp_path):
    missing = tmp_path / "typo"
    for args in (("audit", "verify"), ("audit", "export"), ("audit", "anchor"), ("adapters", "list")):
        result = run_cli(*args, home=missing)
        assert result.returncode == 2 and f"no appliance home at {missing}" in result.stderr, args
    assert not missing.exists()
