"""A CI-sized run of bench/validity.py: every task valid on varied inputs, every quote verbatim.

The full sweep (200 inputs per embedded model) is `python bench/validity.py`.
"""

from __future__ import annotations

import sys

import pytest

from appliance.app import Appliance

from .conftest import REPO

pytestmark = pytest.mark.slow


def _validity():
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import validity
    finally:
        sys.path.remove(str(REPO / "bench"))
    return validity


@pytest.mark.parametrize("model, n", [("smollm2-135m-instruct-q4_1", 22), ("gemma-3-270m-q4_k_m", 11)])
def test_every_task_is_valid_on_varied_inputs(home_dir, monkeypatch, model, n):
    validity = _validity()
    monkeypatch.setenv("APPLIANCE_DEFAULT_MODEL", model)
    inputs = [i for i in validity.make_inputs(40, seed=11) if i[0] != "long"][:n]
    assert {kind for kind, _, _ in inputs} >= {"openi", "injection", "foreign"}
    result = validity.run(Appliance(), inputs, report=lambda line: None)
    assert result["counts"]["valid"] == len(inputs), result["errors"]
    assert result["bad_quotes"] == []
