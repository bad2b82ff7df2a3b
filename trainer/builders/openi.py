"""Examples from the Open-i (Indiana University) chest radiograph reports.

Two tasks, from real reports:

- impression_generation: the report without its impression (EXAM, INDICATION,
  COMPARISON, FINDINGS) → the radiologist's impression, whitespace squashed. Rows
  without findings or impression are skipped, and so are impressions longer than the
  schema's 300 characters or holding the de-identification token `XXXX` (the model
  should not learn to write it).
- abnormality_detection: the whole report → the 14 CheXpert labels. MeSH is the curated
  label, so a label is `positive` when a MeSH term maps to it (qualifiers such as
  `/mild`, `/borderline`, `/small`, `/healed` keep it positive, and so does hedged text:
  the indexer read the report and kept the term). A label MeSH does not carry is
  `negative` when the report's text explicitly negates it ("no pneumothorax", "heart
  size is normal", see `_MENTIONS` and `_NORMAL`), else `not_mentioned`. `uncertain` is
  never produced: MeSH has no hedge marker, and inventing one from text would be guessing.
  `no_finding` is `positive` iff the MeSH field is exactly `normal` (then nothing else is
  positive), otherwise `negative`. Rows indexed `No Indexing` are skipped.

Mapping decisions (the full table is `MESH_TO_CHEXPERT`; trainer/builders/README.md
says the same in a table):

- Lung opacity: Opacity, Density, Infiltrate, Airspace Disease — only when located in
  the lung (or unlocated/only lateralised); a density over a rib, the sternum or the
  mediastinum is not a lung opacity.
- Lung lesion: Nodule, Mass (lung), Cavitation, and Granuloma / Calcified Granuloma in
  the lung: a calcified granuloma is a focal pulmonary nodule, benign or not, and
  CheXpert's lesion label does not depend on benignity.
- Edema: Pulmonary Edema, Pulmonary Congestion and Heart Failure (CheXpert's labeller
  counts vascular congestion and CHF as edema mentions).
- Cardiomegaly: Cardiomegaly, and Cardiac Shadow qualified enlarged or borderline.
- Enlarged cardiomediastinum: Mediastinum qualified prominent/enlarged (including
  enlarged mediastinal nodes), Aorta qualified enlarged, Aortic Aneurysm. A *tortuous*
  aorta (the commonest aortic term) is not mapped: tortuosity is an incidental
  vascular finding, not a widened mediastinum.
- Pneumothorax also from Hydropneumothorax/Hemopneumothorax, which also set pleural
  effusion (fluid in the pleural space).
- Pleural other: pleural Thickening, pleural Cicatrix (scar), Pleura abnormal. Blunted
  costophrenic angles are not mapped (effusion or thickening: the term cannot tell).
- Fracture: Fractures, Bone (healed too — CheXpert counts old fractures).
- Support devices: Catheters, Indwelling; Tube, Inserted; Implanted Medical Device;
  Medical Device; Stents — devices in service. Surgical clips (Surgical Instruments),
  sternotomy wires (Sutures), Foreign Bodies, Breast Implants and Spinal Fusion are not:
  they are post-surgical material, not a line, tube or device a clinician must check.
- Not mapped at all: Atelectasis look-alikes (Volume Loss), emphysema, scarring of the
  lung (Cicatrix), Markings, Calcinosis, Lung hyperinflation/hypoinflation, bones and
  spine, hernia — none is one of the 14 observations.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Iterator

from appliance.safety.negation import is_negated
from appliance.tasks.abnormality_detection import CHEXPERT_LABELS

from . import Example

SOURCE = "openi"

# Qualifier words that put a term outside the lung (for the lung-located terms).
_NOT_LUNG = {"ribs", "sternum", "clavicle", "humerus", "shoulder", "spine", "thoracic vertebrae",
             "lumbar vertebrae", "breast", "abdomen", "adipose tissue", "heart", "mediastinum", "pleura",
             "costophrenic angle", "cardiophrenic angle", "paratracheal", "thorax", "mitral valve",
             "sulcus", "pleural sinus", "supracardiac"}
_LUNG_ONLY = lambda quals: not (set(quals) & _NOT_LUNG)  # noqa: E731 - a one-line predicate
_ANY = lambda quals: True  # noqa: E731

# MeSH heading → (CheXpert key(s), predicate on the qualifier list). A term maps when its
# heading is listed and the predicate accepts its qualifiers.
MESH_TO_CHEXPERT: dict[str, tuple[tuple[str, ...], object]] = {
    "Opacity": (("lung_opacity",), _LUNG_ONLY),
    "Density": (("lung_opacity",), _LUNG_ONLY),
    "Infiltrate": (("lung_opacity",), _ANY),
    "Airspace Disease": (("lung_opacity",), _ANY),
    "Nodule": (("lung_lesion",), _LUNG_ONLY),
    "Mass": (("lung_lesion",), _LUNG_ONLY),
    "Cavitation": (("lung_lesion",), _LUNG_ONLY),
    "Granuloma": (("lung_lesion",), _LUNG_ONLY),
    "Calcified Granuloma": (("lung_lesion",), _LUNG_ONLY),
    "Pulmonary Edema": (("edema",), _ANY),
    "Pulmonary Congestion": (("edema",), _ANY),
    "Heart Failure": (("edema",), _ANY),
    "Cardiomegaly": (("cardiomegaly",), _ANY),
    "Cardiac Shadow": (("cardiomegaly",), lambda q: bool({"enlarged", "borderline"} & set(q))),
    "Mediastinum": (("enlarged_cardiomediastinum",), lambda q: bool({"prominent", "enlarged"} & set(q))),
    "Aorta": (("enlarged_cardiomediastinum",), lambda q: "enlarged" in q),
    "Aortic Aneurysm": (("enlarged_cardiomediastinum",), _ANY),
    "Consolidation": (("consolidation",), _ANY),
    "Pneumonia": (("pneumonia",), _ANY),
    "Pulmonary Atelectasis": (("atelectasis",), _ANY),
    "Pneumothorax": (("pneumothorax",), _ANY),
    "Hydropneumothorax": (("pneumothorax", "pleural_effusion"), _ANY),
    "Hemopneumothorax": (("pneumothorax", "pleural_effusion"), _ANY),
    "Pleural Effusion": (("pleural_effusion",), _ANY),
    "Thickening": (("pleural_other",), lambda q: "pleura" in q),
    "Cicatrix": (("pleural_other",), lambda q: "pleura" in q),
    "Pleura": (("pleural_other",), lambda q: "abnormal" in q),
    "Fractures, Bone": (("fracture",), _ANY),
    "Catheters, Indwelling": (("support_devices",), _ANY),
    "Tube, Inserted": (("support_devices",), _ANY),
    "Implanted Medical Device": (("support_devices",), _ANY),
    "Medical Device": (("support_devices",), _ANY),
    "Stents": (("support_devices",), _ANY),
}

# Words whose explicit negation in the report makes a label `negative` (when MeSH does
# not carry it). `_SKIP` drops a match in a sentence about something else ("no
# destructive bony lesion" says nothing about a lung lesion).
_MENTIONS: dict[str, str] = {
    "enlarged_cardiomediastinum": r"mediastinal (widening|enlargement)|widen\w* (of the )?mediastinum|widened mediastinum",
    "cardiomegaly": r"cardiomegaly|cardiac enlargement|enlarged heart|enlargement of the (heart|cardiac silhouette)",
    "lung_opacity": r"opacit(y|ies)|infiltrates?|air ?space (disease|opacit(y|ies))|densit(y|ies)",
    "lung_lesion": r"nodules?|masses|mass\b|lung lesions?|pulmonary lesions?",
    "edema": r"edema|vascular congestion|pulmonary congestion|heart failure|\bchf\b",
    "consolidation": r"consolidat\w*",
    "pneumonia": r"pneumonia",
    "atelectasis": r"atelecta\w*",
    "pneumothorax": r"pneumothora(x|ces)",
    "pleural_effusion": r"(?<!pericardial )effusions?",
    "pleural_other": r"pleural (thickening|plaques?|scarring|calcification)",
    "fracture": r"fractures?",
    "support_devices": r"catheters?|tubes?|pacemakers?|support devices?",
}
_MENTION_RE = {label: re.compile(r"\b(?:" + pattern + r")", re.IGNORECASE) for label, pattern in _MENTIONS.items()}
_SKIP = re.compile(r"bon[ey]|osseous|skelet|soft tissue|breast|abdom|thyroid|pericardial|mediastinal mass", re.IGNORECASE)

# A sentence saying the heart / mediastinum is normal negates cardiomegaly / enlargement
# of the cardiomediastinum ("Heart size normal.", "Normal cardiomediastinal silhouette.").
_NORMAL = re.compile(r"\bnormal\b|within normal limits|\bunremarkable\b", re.IGNORECASE)
_NOT_NORMAL = re.compile(r"abnormal|enlarg|widen|prominen|tortuous|borderline|upper limits?|top normal|"
                         r"high normal|mild|increase|cardiomegaly|\bnot\b|\bbut\b",
                         re.IGNORECASE)
_HEART = re.compile(r"\b(heart|cardiac)\b|cardiomediastinal", re.IGNORECASE)
_MEDIASTINUM = re.compile(r"mediastin", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.;\n]+")
# "The lungs are clear of focal airspace disease, pneumothorax, or pleural effusion" (a
# common Open-i phrasing the general negation cues do not cover).
_CLEAR_OF = re.compile(r"\bclear of\b", re.IGNORECASE)


def mesh_terms(mesh: str) -> list[tuple[str, list[str]]]:
    """`Opacity/lung/base/left;Cardiomegaly/mild` → [(heading, qualifiers), ...]."""
    terms = []
    for term in mesh.split(";"):
        words = [w.strip() for w in term.split("/") if w.strip()]
        if words:
            terms.append((" ".join(words[0].split()), [w.lower() for w in words[1:]]))
    return terms


def mesh_positives(mesh: str) -> set[str]:
    """The CheXpert keys that the report's MeSH terms map to."""
    found: set[str] = set()
    for heading, qualifiers in mesh_terms(mesh):
        rule = MESH_TO_CHEXPERT.get(heading)
        if rule and rule[1](qualifiers):
            found.update(rule[0])
    return found


def text_mentions(text: str) -> tuple[set[str], set[str]]:
    """(labels the text explicitly negates, labels it names un-negated — affirmed or hedged)."""
    negated, affirmed = set(), set()
    for label, pattern in _MENTION_RE.items():
        for m in pattern.finditer(text):
            sentence, start = _sentence_at(text, m.start())
            if _SKIP.search(sentence):
                continue
            denied = is_negated(text, m.start(), m.end()) or _CLEAR_OF.search(text, start, m.start())
            (negated if denied else affirmed).add(label)
    for m in _SENTENCE.finditer(text):
        sentence = m.group(0)
        if _NORMAL.search(sentence) and not _NOT_NORMAL.search(sentence):
            if _HEART.search(sentence):
                negated.add("cardiomegaly")
            if _MEDIASTINUM.search(sentence):
                negated.add("enlarged_cardiomediastinum")
    return negated - affirmed, affirmed


def _sentence_at(text: str, pos: int) -> tuple[str, int]:
    """The sentence around `pos` and where it starts."""
    start = max(text.rfind(ch, 0, pos) for ch in ".;\n") + 1
    ends = [i for i in (text.find(ch, pos) for ch in ".;\n") if i != -1]
    return text[start:min(ends) if ends else len(text)], start


def chexpert_labels(mesh: str, text: str) -> dict[str, str] | None:
    """The 14 labels of one report: MeSH positives, explicit text negations, the rest not mentioned.

    None when the text names an observation, un-negated, that MeSH does not carry (mostly
    hedges: "may represent pneumonia"): neither `positive` nor `not_mentioned` would be
    a reliable label, so the report is left out of this task.
    """
    positives = mesh_positives(mesh)
    negated, named = text_mentions(text)
    if named - positives:
        return None
    labels = {}
    for key in CHEXPERT_LABELS.values():
        if key == "no_finding":
            continue
        labels[key] = "positive" if key in positives else "negative" if key in negated else "not_mentioned"
    normal = mesh.strip().lower() == "normal" and not positives
    return {"no_finding": "positive" if normal else "negative", **labels}


def _clean(text: str) -> str:
    return " ".join(text.split())


def report_text(row: dict, with_impression: bool) -> str:
    """The report in the layout the appliance reads: one labelled section per line."""
    sections = [("EXAM", row.get("image", "")), ("INDICATION", row.get("indication", "")),
                ("COMPARISON", row.get("comparison", "")), ("FINDINGS", row.get("findings", ""))]
    if with_impression:
        sections.append(("IMPRESSION", row.get("impression", "")))
    return "\n".join(f"{name}: {_clean(value)}" for name, value in sections if _clean(value))


def read_rows(path: Path) -> Iterator[dict]:
    with Path(path).open(encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


def build(path: Path, limit: int | None = None) -> Iterator[Example]:
    """Examples from the first `limit` rows (all rows when None)."""
    for n, row in enumerate(read_rows(path)):
        if limit is not None and n >= limit:
            break
        group = f"openi:{row['uid']}"
        findings, impression = _clean(row.get("findings", "")), _clean(row.get("impression", ""))
        if findings and impression and len(impression) <= 300 and "XXXX" not in impression:
            yield {"task": "impression_generation", "input": report_text(row, with_impression=False),
                   "output": {"impression": impression}, "group": group, "source": SOURCE}
        mesh = row.get("MeSH", "").strip()
        if (findings or impression) and mesh and "No Indexing" not in mesh:
            labels = chexpert_labels(mesh, f"{findings}\n{impression}")
            if labels is not None:
                yield {"task": "abnormality_detection", "input": report_text(row, with_impression=True),
                       "output": labels, "group": group, "source": SOURCE}
