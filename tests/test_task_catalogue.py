"""The task catalogue: the eleven canonical tasks, their schemas, golden documents and two-part inputs."""

from __future__ import annotations

import copy

import jsonschema
import pytest
from pydantic import ValidationError

from appliance.pipeline.checks import unverified_quotes
from appliance.tasks import TASKS
from appliance.tasks.abnormality_detection import CHEXPERT_LABELS
from appliance.tasks.parts import format_parts, missing_parts, part_tasks, split_parts

PART_TASKS = part_tasks()
from appliance.tasks.radiology_qa import NOT_IN_REPORT

CANONICAL = [
    "rads_assignment", "impression_generation", "temporal_comparison", "radiology_ner", "n_staging",
    "m_staging", "radiology_nli", "abnormality_detection", "radiology_qa", "differential_diagnosis", "triage",
]

CHEXPERT_DISPLAY = [
    "No Finding", "Enlarged Cardiomediastinum", "Cardiomegaly", "Lung Opacity", "Lung Lesion", "Edema",
    "Consolidation", "Pneumonia", "Atelectasis", "Pneumothorax", "Pleural Effusion", "Pleural Other",
    "Fracture", "Support Devices",
]

# A hand-written valid output per new task, its quotes taken from the task's golden document.
VALID = {
    "impression_generation": {
        "impression": "1. Acute appendicitis with an obstructing appendicolith. 2. No perforation or abscess.",
    },
    "temporal_comparison": {
        "changes": [
            {"finding": "Right lower lobe nodule", "change": "worsened",
             "evidence": "The right lower lobe nodule now measures 26 mm."},
            {"finding": "Right pleural effusion", "change": "resolved",
             "evidence": "Small right pleural effusion."},
            {"finding": "Subcarinal lymph node", "change": "new",
             "evidence": "A new 14 mm subcarinal lymph node is seen."},
        ],
        "summary": "The nodule has grown and a new subcarinal node has appeared; the effusion has resolved.",
    },
    "radiology_ner": {
        "entities": [
            {"text": "opacity", "type": "observation", "status": "present"},
            {"text": "left lower lobe", "type": "anatomy", "status": "present"},
            {"text": "pleural effusion", "type": "observation", "status": "absent"},
            {"text": "hiatal hernia", "type": "observation", "status": "uncertain"},
        ],
    },
    "radiology_nli": {"label": "contradiction", "evidence": "no focal consolidation, pleural effusion or pneumothorax"},
    "abnormality_detection": {
        "no_finding": "negative", "enlarged_cardiomediastinum": "not_mentioned", "cardiomegaly": "positive",
        "lung_opacity": "positive", "lung_lesion": "not_mentioned", "edema": "positive",
        "consolidation": "not_mentioned", "pneumonia": "uncertain", "atelectasis": "uncertain",
        "pneumothorax": "negative", "pleural_effusion": "positive", "pleural_other": "not_mentioned",
        "fracture": "not_mentioned", "support_devices": "positive",
    },
    "radiology_qa": {"answer": "2.3 cm, in hepatic segment 7.",
                     "evidence": "A 2.3 cm arterially enhancing lesion in hepatic segment 7"},
    "triage": {
        "esi_level": 2,
        "reason": "Hypoxic and tachypnoeic with fever and borderline blood pressure: high risk.",
        "initial_management": ["Oxygen titrated to SpO2 88-92%", "IV access and blood cultures",
                               "Chest radiograph", "Arterial blood gas"],
        "evidence": "RR 32, SpO2 86% on room air",
    },
}
NEW_TASKS = list(VALID)


def _set(example: dict, path: tuple, value) -> dict:
    bad = copy.deepcopy(example)
    target = bad
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return bad


def _drop(example: dict, key: str) -> dict:
    bad = copy.deepcopy(example)
    del bad[key]
    return bad


# name → (why, invalid output): bad enum, too many or too few items, too long string, missing field.
INVALID = [
    ("impression_generation", "too long", {"impression": "x" * 301}),
    ("impression_generation", "empty", {"impression": ""}),
    ("impression_generation", "missing field", {}),
    ("temporal_comparison", "bad enum", _set(VALID["temporal_comparison"], ("changes", 0, "change"), "stable")),
    ("temporal_comparison", "too many items",
     _set(VALID["temporal_comparison"], ("changes",), VALID["temporal_comparison"]["changes"] * 3)),
    ("temporal_comparison", "no items", _set(VALID["temporal_comparison"], ("changes",), [])),
    ("temporal_comparison", "too long", _set(VALID["temporal_comparison"], ("summary",), "y" * 121)),
    ("temporal_comparison", "missing field", _drop(VALID["temporal_comparison"], "summary")),
    ("radiology_ner", "bad enum", _set(VALID["radiology_ner"], ("entities", 0, "type"), "disease")),
    ("radiology_ner", "bad status", _set(VALID["radiology_ner"], ("entities", 1, "status"), "negated")),
    ("radiology_ner", "too many items",
     _set(VALID["radiology_ner"], ("entities",), VALID["radiology_ner"]["entities"] * 3)),
    ("radiology_ner", "too long", _set(VALID["radiology_ner"], ("entities", 0, "text"), "z" * 61)),
    ("radiology_ner", "missing field", {"entities": [{"text": "opacity", "type": "observation"}]}),
    ("radiology_nli", "bad enum", _set(VALID["radiology_nli"], ("label",), "entails")),
    ("radiology_nli", "too long", _set(VALID["radiology_nli"], ("evidence",), "q" * 161)),
    ("radiology_nli", "missing field", _drop(VALID["radiology_nli"], "evidence")),
    ("abnormality_detection", "bad enum", _set(VALID["abnormality_detection"], ("edema",), "present")),
    ("abnormality_detection", "missing field", _drop(VALID["abnormality_detection"], "support_devices")),
    ("abnormality_detection", "extra key", _set(VALID["abnormality_detection"], ("hernia",), "positive")),
    ("radiology_qa", "too long", _set(VALID["radiology_qa"], ("answer",), "a" * 161)),
    ("radiology_qa", "missing field", _drop(VALID["radiology_qa"], "evidence")),
    ("triage", "level out of range", _set(VALID["triage"], ("esi_level",), 6)),
    ("triage", "level zero", _set(VALID["triage"], ("esi_level",), 0)),
    ("triage", "too many items", _set(VALID["triage"], ("initial_management",), ["Oxygen"] * 6)),
    ("triage", "no items", _set(VALID["triage"], ("initial_management",), [])),
    ("triage", "too long", _set(VALID["triage"], ("reason",), "r" * 121)),
    ("triage", "missing field", _drop(VALID["triage"], "initial_management")),
]


def test_all_eleven_canonical_tasks_in_the_design_order():
    assert list(TASKS) == CANONICAL
    assert all(TASKS[name].name == name for name in TASKS)


@pytest.mark.parametrize("name", NEW_TASKS)
def test_valid_example_passes_pydantic_and_jsonschema(name):
    task = TASKS[name]
    value = task.output.model_validate(VALID[name])
    jsonschema.validate(VALID[name], task.schema())
    assert value.model_dump() == VALID[name]


@pytest.mark.parametrize("name", NEW_TASKS)
def test_example_quotes_are_verbatim_in_the_golden_document(name):
    task = TASKS[name]
    assert unverified_quotes(task, task.output.model_validate(VALID[name]), task.golden) == []


@pytest.mark.parametrize(("name", "why", "bad"), INVALID, ids=[f"{n}-{w}" for n, w, _ in INVALID])
def test_invalid_output_is_refused_by_pydantic_and_jsonschema(name, why, bad):
    task = TASKS[name]
    with pytest.raises(ValidationError):
        task.output.model_validate(bad)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, task.schema())


def test_a_made_up_quote_is_flagged():
    task = TASKS["radiology_ner"]
    value = task.output.model_validate({"entities": [{"text": "pulmonary embolism", "type": "observation",
                                                      "status": "present"}]})
    assert unverified_quotes(task, value, task.golden) == ["evidence_not_in_document:radiology_ner.entities[0].text"]


def test_quote_keys_of_the_new_tasks():
    assert TASKS["radiology_ner"].quote_keys == ("text",)
    for name in ("temporal_comparison", "radiology_nli", "radiology_qa", "triage"):
        assert TASKS[name].quote_keys == ("evidence",)
    assert TASKS["impression_generation"].quote_keys == TASKS["abnormality_detection"].quote_keys == ()


def test_qa_instruction_names_the_not_in_report_answer():
    assert NOT_IN_REPORT in TASKS["radiology_qa"].instruction
    TASKS["radiology_qa"].output.model_validate({"answer": NOT_IN_REPORT, "evidence": "The spleen is normal."})


def test_triage_instruction_explains_the_five_esi_levels():
    text = TASKS["triage"].instruction
    assert "life-saving" in text and all(f"{level} " in text for level in "12345")


# --- two-part documents ---------------------------------------------------------------

def test_split_parts_reads_headers_on_their_own_lines_in_any_case():
    doc = "premise:\nThe lungs are clear.\nNo effusion.\n\nHypothesis:\n  There is an effusion.  \n"
    assert split_parts(doc) == {"premise": "The lungs are clear.\nNo effusion.", "hypothesis": "There is an effusion."}


def test_split_parts_all_six_headers_and_text_on_the_header_line():
    assert split_parts("QUESTION: Is there a fracture?\nREPORT:\nNo acute fracture.") == {
        "question": "Is there a fracture?", "report": "No acute fracture."}
    assert split_parts("Prior  Report:\nSmall effusion.\nCURRENT REPORT :\nNo effusion.") == {
        "prior": "Small effusion.", "current": "No effusion."}


def test_split_parts_ignores_preamble_and_keeps_a_repeated_header_as_text():
    doc = "Referred by Dr A.\nQUESTION:\nSize of the mass?\nREPORT:\nFINDINGS: 3 cm mass.\nREPORT:\nSigned."
    parts = split_parts(doc)
    assert parts == {"question": "Size of the mass?", "report": "FINDINGS: 3 cm mass.\nREPORT:\nSigned."}


def test_split_parts_does_not_take_headers_inside_a_line():
    assert split_parts("FINAL REPORT:\nNo premise: here.\nCLINICAL QUESTION: cough") == {}


def test_missing_parts_names_absent_and_empty_parts():
    assert missing_parts("radiology_nli", "PREMISE:\nClear lungs.\nHYPOTHESIS:\nNo effusion.") == []
    assert missing_parts("radiology_nli", "PREMISE:\nClear lungs.") == ["hypothesis"]
    assert missing_parts("radiology_nli", "PREMISE:\n\nHYPOTHESIS:\nNo effusion.") == ["premise"]
    assert missing_parts("temporal_comparison", "CT chest: nodule.") == ["prior", "current"]
    assert missing_parts("temporal_comparison", "PRIOR REPORT:\nA.\nREPORT:\nB.") == ["current"]
    assert missing_parts("radiology_qa", "REPORT:\nNormal.\nQUESTION:\n   \n") == ["question"]
    assert missing_parts("rads_assignment", "anything at all") == []


@pytest.mark.parametrize("name", sorted(PART_TASKS))
def test_format_parts_round_trips(name):
    values = {part: f"text of {part}\nsecond line" for part in PART_TASKS[name]}
    doc = format_parts(name, **values)
    assert split_parts(doc) == values and missing_parts(name, doc) == []


def test_part_tasks_are_catalogue_tasks():
    assert PART_TASKS == {"radiology_nli": ("premise", "hypothesis"), "temporal_comparison": ("prior", "current"),
                          "radiology_qa": ("question", "report")}
    assert set(PART_TASKS) <= set(TASKS)


# --- golden documents -------------------------------------------------------------------

@pytest.mark.parametrize("name", CANONICAL)
def test_golden_document_is_present_and_has_its_parts(name):
    task = TASKS[name]
    assert task.golden.strip()
    assert missing_parts(name, task.golden) == []


# --- CheXpert ---------------------------------------------------------------------------

def test_chexpert_labels_are_the_fourteen_in_order_with_snake_case_keys():
    assert list(CHEXPERT_LABELS) == CHEXPERT_DISPLAY
    assert list(CHEXPERT_LABELS.values()) == [d.lower().replace(" ", "_") for d in CHEXPERT_DISPLAY]


def test_abnormality_schema_has_exactly_the_chexpert_keys():
    schema = TASKS["abnormality_detection"].schema()
    assert list(schema["properties"]) == list(CHEXPERT_LABELS.values())
    assert set(schema["required"]) == set(CHEXPERT_LABELS.values())
    assert schema["additionalProperties"] is False
    for display, key in CHEXPERT_LABELS.items():
        assert schema["properties"][key]["title"] == display
        assert schema["properties"][key]["enum"] == ["positive", "negative", "uncertain", "not_mentioned"]
