"""Task-routed ensemble: each task runs on its routed base; both stay loaded across documents."""

from __future__ import annotations

import json

import pytest

import appliance.engine.llm as llm
from appliance.app import Appliance
from appliance.pipeline.reader import read_document


pytestmark = pytest.mark.slow

GEMMA, SMOL = "gemma-3-270m-q4_k_m", "smollm2-135m-instruct-q4_1"


def test_two_bases_serve_one_appliance_without_reloading(home_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("APPLIANCE_ROUTES", json.dumps({"m_staging": GEMMA}))
    app = Appliance()
    # Reports the staging rules cannot settle (no nodes or distant sites described), so the models are asked.
    first_doc = tmp_path / "first.txt"
    first_doc.write_text("EXAM: CT chest.\nFINDINGS: 3 cm right upper lobe mass.\nIMPRESSION: Known lung carcinoma.\n")
    first = app.process(read_document(first_doc, 10**6))
    assert first["models"]["n_staging"]["name"] == SMOL
    assert first["models"]["m_staging"]["name"] == GEMMA
    assert first["plan"]["routing"] == {"n_staging": SMOL, "m_staging": GEMMA}
    loaded = {key: id(engine) for key, engine in llm._ENGINES.items()}

    second_doc = tmp_path / "second.txt"
    second_doc.write_text("EXAM: CT abdomen, staging.\nFINDINGS: Known pancreatic adenocarcinoma. "
                          "Pancreatic head mass 3 cm.\n")
    second = app.process(read_document(second_doc, 10**6))
    assert second["models"]["m_staging"]["name"] == GEMMA
    assert {key: id(engine) for key, engine in llm._ENGINES.items()} == loaded, "a model was reloaded"
    events = [json.loads(r["details"]) for r in app.db.query("SELECT details FROM audit WHERE event = 'job_planned'")]
    assert all(e["routing"]["m_staging"] == GEMMA for e in events)
