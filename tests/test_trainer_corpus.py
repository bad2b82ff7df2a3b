"""The hand-written trainer corpus (issue #7): schema-valid, ASCII, unique, balanced, and formattable."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from appliance.tasks import get_task
from trainer.data import format_example

CORPUS = Path(__file__).resolve().parents[1] / "trainer" / "corpus"
DOMAINS = {
    "cardiovascular", "respiratory", "gastrointestinal", "neurological", "infectious disease",
    "endocrine/metabolic", "renal/genitourinary", "musculoskeletal/rheumatology", "haematology/oncology",
    "paediatrics & obstetrics/gynaecology",
}
# What the grammar can emit inside a string: printable ASCII without '"' or '\'.
OUTPUT_STRING = re.compile(r'[\x20-\x21\x23-\x5b\x5d-\x7e]*')
INPUT_TEXT = re.compile(r'[\x20-\x7e\n]*')


def _load(name: str) -> list[dict]:
    lines = (CORPUS / name).read_text(encoding="ascii").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def ddx() -> list[dict]:
    return _load("differential.jsonl")


@pytest.fixture(scope="module")
def triage() -> list[dict]:
    return _load("triage.jsonl")


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _normalised(text: str) -> str:
    return " ".join(text.lower().split())


@pytest.mark.parametrize("name, task", [("differential.jsonl", "differential_diagnosis"), ("triage.jsonl", "triage")])
def test_every_output_fits_its_schema_and_the_grammar_alphabet(name, task):
    model = get_task(task).output
    for row in _load(name):
        assert row["task"] == task, row["id"]
        value = model.model_validate(row["output"])
        # Keys in the schema's order: the completion the trainer writes is what the grammar emits.
        assert list(row["output"]) == list(value.model_dump()), row["id"]
        for text in _strings(row["output"]):
            assert OUTPUT_STRING.fullmatch(text), (row["id"], text)
        assert INPUT_TEXT.fullmatch(row["input"]), row["id"]
        for extra in ("cant_miss", "esi_rationale", "domain"):
            for text in _strings(row.get(extra, [])):
                assert OUTPUT_STRING.fullmatch(text), (row["id"], text)


@pytest.mark.parametrize("name", ["differential.jsonl", "triage.jsonl"])
def test_ids_and_inputs_are_unique(name):
    rows = _load(name)
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    inputs = Counter(_normalised(row["input"]) for row in rows)
    assert all(n == 1 for n in inputs.values()), [i[:80] for i, n in inputs.items() if n > 1]


@pytest.mark.parametrize("name", ["differential.jsonl", "triage.jsonl"])
def test_every_row_formats_in_the_served_prompt_layout(name):
    for row in _load(name):
        formatted = format_example(row, "chatml")
        assert row["input"].strip() in formatted["prompt"], row["id"]
        assert json.loads(formatted["completion"]) == row["output"], row["id"]


def test_differential_covers_ten_domains(ddx):
    assert len(ddx) >= 150
    counts = Counter(row["domain"] for row in ddx)
    assert set(counts) == DOMAINS
    assert min(counts.values()) >= 15, counts
    for row in ddx:
        assert row["id"].startswith("ddx-"), row["id"]


def test_unlikely_but_serious_is_a_distinct_cant_miss_diagnosis(ddx):
    for row in ddx:
        out = row["output"]
        serious = out["unlikely_but_serious"]["diagnosis"].lower()
        assert row["cant_miss"] and all(name == name.lower() for name in row["cant_miss"]), row["id"]
        assert serious in row["cant_miss"], row["id"]
        others = [out["most_likely"]["diagnosis"].lower()] + [p["diagnosis"].lower() for p in out["possible"]]
        assert serious not in others, row["id"]
        assert len(set(others)) == 3, row["id"]


def test_triage_levels_and_verbatim_evidence(triage):
    assert len(triage) >= 100
    levels = Counter(row["output"]["esi_level"] for row in triage)
    assert set(levels) == {1, 2, 3, 4, 5}, levels
    for row in triage:
        evidence = row["output"]["evidence"]
        assert evidence in row["input"], row["id"]
        assert evidence.strip() == evidence and "\n" not in evidence, row["id"]
        assert row["esi_rationale"].strip(), row["id"]
