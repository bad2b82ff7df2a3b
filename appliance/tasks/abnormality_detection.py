"""abnormality_detection: the 14 CheXpert observations of a chest radiograph report."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, create_model

from .base import Output, Task

# CheXpert display name → output key, in CheXpert's order. The trainer maps Open-i MeSH
# terms onto these names; the output schema is made from this table, so they cannot drift.
CHEXPERT_LABELS: dict[str, str] = {
    "No Finding": "no_finding",
    "Enlarged Cardiomediastinum": "enlarged_cardiomediastinum",
    "Cardiomegaly": "cardiomegaly",
    "Lung Opacity": "lung_opacity",
    "Lung Lesion": "lung_lesion",
    "Edema": "edema",
    "Consolidation": "consolidation",
    "Pneumonia": "pneumonia",
    "Atelectasis": "atelectasis",
    "Pneumothorax": "pneumothorax",
    "Pleural Effusion": "pleural_effusion",
    "Pleural Other": "pleural_other",
    "Fracture": "fracture",
    "Support Devices": "support_devices",
}

MENTIONS = ("positive", "negative", "uncertain", "not_mentioned")
Mention = Literal[MENTIONS]  # type: ignore[valid-type]

AbnormalityDetection = create_model(
    "AbnormalityDetection",
    __base__=Output,
    **{key: (Mention, Field(..., title=display)) for display, key in CHEXPERT_LABELS.items()},
)


TASK = Task(
    name="abnormality_detection",
    title="Chest x-ray findings",
    output=AbnormalityDetection,
    instruction=(
        "For each of the 14 CheXpert observations say whether this chest radiograph report calls it "
        "positive, negative (stated absent), uncertain (possible, cannot exclude) or not_mentioned; "
        "no_finding is positive only when no other observation is positive or uncertain. Answer as {"
        + ", ".join(f'"{key}": ...' for key in CHEXPERT_LABELS.values())
        + "}."
    ),
    golden=(
        "EXAM: Chest radiograph, portable AP.\nFINDINGS: Endotracheal tube tip 4 cm above the carina. "
        "The heart is enlarged. Bilateral perihilar haziness with interstitial markings, likely "
        "pulmonary edema. Small left pleural effusion. Left basilar opacity may represent atelectasis "
        "or pneumonia. No pneumothorax."
    ),
    budget=480,
    tools=("appliance.tools.chexpert:label_chest",),
    describe=lambda v: _findings_in_words(v),
    metric=lambda expected, predicted: sum(predicted[k] == expected[k] for k in expected) / len(expected),
    metric_name="per-label accuracy",
    positive_recall=lambda expected, predicted: (
        sum(v == "positive" and predicted.get(k) == "positive" for k, v in expected.items() if k != "no_finding"),
        sum(v == "positive" for k, v in expected.items() if k != "no_finding")),
)


def _findings_in_words(value: dict) -> list[str]:
    names = {key: display for display, key in CHEXPERT_LABELS.items()}
    lines = []
    for mention in ("positive", "uncertain", "negative"):
        found = [names.get(k, k) for k, v in value.items() if v == mention and k != "no_finding"]
        if found:
            lines.append(f"{mention.capitalize()}: {', '.join(found)}")
    if value.get("no_finding") == "positive":
        lines.insert(0, "No finding")
    return lines or ["No chest x-ray finding mentioned"]
