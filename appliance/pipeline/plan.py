"""What a document is and which tasks it needs: cheap rules, recorded with their reasons.

Rules only (no model): a report's text cannot talk its way into different tasks,
and every choice comes with the words that made it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..safety.negation import is_negated
from ..tasks.parts import part_tasks, split_parts
from ..differential.rank import presentations
from ..safety.red_flags import red_flags
from ..tools.rads import detect_system
from ..tools.stated import stated_m, stated_n, stated_rads

_RADIOLOGY = re.compile(
    r"\b(findings|impression|technique|comparison|mammogra\w*|ultrasound|sonograph\w*|radiograph\w*|x-ray|"
    r"ct|mri|mr|pet|angiograph\w*|colonograph\w*|tomosynthesis|views?|contrast)\b",
    re.IGNORECASE,
)
_EXAM_HEADER = re.compile(r"^\s*(exam(ination)?|study|procedure|technique)\s*:", re.IGNORECASE | re.MULTILINE)
_TRIAGE = re.compile(r"\btriage\b|\bESI\b|\bMTS\b|presenting complaint|chief complaint|^\s*CC\s*:",
                     re.IGNORECASE | re.MULTILINE)
# A note about a patient: age/sex, vitals, or the words of a consultation.
_CLINICAL = re.compile(
    r"year[- ]old|\by/?o\b|\b\d{1,3}\s?(yo|M|F)\b|\bpresents?\b|presenting|"
    r"on examination|\bO/E\b|\bHR\s?\d|\bBP\s?\d|SpO2|history of presenting",
    re.IGNORECASE,
)
# Symptoms and events that make a note a presentation needing a differential.
_PRESENTATION = re.compile(
    r"\b(?:pain\w*|ache\b|fever|febrile|cough\w*|breathless\w*|dyspn\w+|short(ness)? of breath|headache|vomit\w*|"
    r"nausea|diarrh\w+|rash|bleed\w*|swelling|swollen|weakness|numb\w*|dizz\w*|faint\w*|syncope|collapse\w*|"
    r"palpitation\w*|confus\w+|seizure|injur\w+|\bfall\b|\blump\b|wheez\w*|sore\b|itch\w*|(vaginal|nipple|ear|penile|purulent) discharge|dysuria|"
    r"jaundice|weight loss|fatigue|tired\w*|droop\w*|slurred|stridor|haematemesis|hematemesis|melaena|melena|"
    r"burning|discomfort|low mood|poor sleep|insomnia|anxi\w+|suicid\w*|self-harm|vertigo|spinning|aphasi\w*|"
    r"dysphagia|constipat\w+|cramp\w*|tingling|blurred|visual loss|hearing loss|tinnitus|sweat\w*|urinary|"
    r"frequency|haematuria|hematuria|dropping things|unresponsive|unconscious|(barely |not )?rousable|overdos\w*|"
    r"swallowed|ingest\w*|poison\w*|injecting|bite|stung|sting|burn\w*|wound|lacerat\w*|cut\b|hook|splinter|"
    r"foreign body|something in (his|her|their|my|the) (eye|ear|nose)|pushed [\w ]{0,20} into|bump|pimples?|spots|"
    r"lice|ulcer|aching|aches?|sprain\w*|twisted|feeding poorly|not feeding|floppy|temp(erature)? \d+|refill|"
    r"ran out of)",
    re.IGNORECASE,
)
# A pathology report: specimen, gross and microscopic description, nodes examined.
_PATHOLOGY = re.compile(
    r"\b(specimens? (received|submitted|labell?ed)|gross description|tissue description|microscopic (description|"
    r"examination)|(final |histolog\w* |pathologic\w* )diagnosis|surgical pathology|synoptic|histolog\w+ (type|grade)|"
    r"margins? (of resection|are|is|free|involved|negative|positive|status)|resection margins?|"
    r"lymph nodes? (examined|submitted|recovered|identified|status)|\(\d+\) lymph nodes?|"
    r"(lobectomy|resection|excision|mastectomy|colectomy|gastrectomy|hysterectomy|prostatectomy|nephrectomy|"
    r"cystectomy|thyroidectomy|lymphadenectomy|dissection)\b|\(\d+\s*/\s*\d+\)|no tumou?r (present|seen)|resection specimen|pT[0-4X]|block [0-9]+[A-Z]?|gleason|"
    r"(perineural|lymphovascular|angiolymphatic|vascular) invasion|(well|moderately|poorly)[- ]differentiated|"
    r"negative for (tumou?r|malignancy|neoplasm|carcinoma)|in situ)",
    re.IGNORECASE,
)
# Staging applies to a known or diagnosed cancer (or a stated TNM stage), not to a
# lesion merely suspicious for one.
_ONCOLOGY = re.compile(
    r"\bstaging\b|\bTNM\b|metasta\w*|"
    r"\b(known|newly diagnosed|diagnosed|biopsy[- ]proven|confirmed|recurrent|treated|history of)\b"
    r"[^.;\n]{0,40}\b(carcinoma|cancer|malignan\w*|lymphoma|melanoma|sarcoma|tumou?r|neoplasm)|"
    r"\w*(carcinoma|sarcoma)\b|\b(lymphoma|melanoma|SCC)\b",
    re.IGNORECASE,
)
_SUSPECTED = re.compile(r"(features of|suspicious for|suggestive of|concerning for|possible|probable|likely|"
                        r"differential|consider|\?)\s*([\w-]+\s+){0,3}$", re.IGNORECASE)
# An allergy list's "(rash)" is a reaction history, not a presentation.
_ALLERGY_LINE = re.compile(r"^\s*allerg\w*\s*:.*$", re.IGNORECASE | re.MULTILINE)
_FAMILY = re.compile(r"\b(mother|father|sister|brother|aunt|uncle|grand\w+|family history|FHx)\b", re.IGNORECASE)

MODALITIES = (  # first match wins: the specific before the general
    ("ct_colonography", r"ct colonograph\w*|virtual colonoscopy"),
    ("coronary_cta", r"coronary ct|ct coronary|ccta|cardiac ct angio\w*"),
    ("mammography", r"mammogra\w*|tomosynthesis"),
    ("pet", r"\bpet\b|pet/ct"),
    ("mri", r"\bmri\b|\bmr\b|magnetic resonance"),
    ("ultrasound", r"ultrasound|sonograph\w*|\bus\b|\btvus\b|transvaginal|doppler"),
    ("ct", r"\bct\b|computed tomography|\bcta\b|\bctpa\b"),
    ("radiograph", r"radiograph\w*|x-?ray|\bx-|\bcxr\b|\b(pa|ap|frontal)\b( and |/| & )lateral|\bviews?\b|\b\d ?v\b|"
                   r"\bportable\b|and lateral\b"),
)
REGIONS = (
    ("breast", r"breast|mammogra"), ("thyroid", r"thyroid"), ("prostate", r"prostat"),
    ("adnexa", r"ovar|adnex"), ("scrotum", r"scrot|testi(s|cular)"), ("bladder", r"bladder"),
    ("colon", r"colon"), ("heart", r"coronar|cardiac"), ("liver", r"liver|hepat"),
    ("head", r"\bhead\b|brain|cranial"), ("neck", r"neck|laryn|pharyn"), ("spine", r"spine|spinal|lumbar"),
    ("chest", r"chest|thora|lung|pulmonary|\bcxr\b"), ("abdomen", r"abdom"), ("pelvis", r"pelvi"),
)


@dataclass
class Plan:
    document_type: str               # radiology_report | pathology_report | clinical_note | triage_note | other
    tasks: list[str]
    reasons: dict[str, str] = field(default_factory=dict)
    modality: str | None = None
    region: str | None = None


def _positive(pattern: re.Pattern, text: str, suspected_ok: bool = True) -> re.Match | None:
    """First match that is about this patient: not negated, not family history (nor merely suspected)."""
    for m in pattern.finditer(text):
        before = text[max(0, m.start() - 60):m.start()]
        if is_negated(text, m.start(), m.end()) or _FAMILY.search(before):
            continue
        if not suspected_ok and _SUSPECTED.search(before):
            continue
        return m
    return None


def _exam_line(text: str) -> str:
    """The line that names the study ("EXAM: CT chest ..."), else the first line."""
    m = _EXAM_HEADER.search(text)
    start = m.start() if m else 0
    end = text.find("\n", start)
    return text[start:] if end == -1 else text[start:end]


def _first(table: tuple[tuple[str, str], ...], text: str) -> str | None:
    for scope in (_exam_line(text.strip()), text):
        for name, pattern in table:
            if re.search(pattern, scope, re.IGNORECASE):
                return name
    return None


def _presentation(text: str) -> str | None:
    """The words that make the note a presentation: a symptom, a catalogue presenting problem, a red flag."""
    cleaned = _ALLERGY_LINE.sub("", text)
    if m := _positive(_PRESENTATION, cleaned):
        return m.group(0)
    if found := presentations(cleaned):
        return found[0].words
    hits = [h for h in red_flags(cleaned) if not h.rule.finding]
    return hits[0].evidence[0] if hits else None


def _names_a_study(text: str) -> bool:
    """The report opens by naming an imaging study ("PA and lateral chest radiograph", "CT abdomen and
    pelvis", "Thyroid sonogram: ...", "TVUS.", "LDCT screening"), or opens with its findings."""
    head = text.strip().split("\n", 1)[0][:120]
    if re.match(r"\s*findings\s*:", text, re.IGNORECASE):
        return True
    study = re.match(r"[^.:;\n]*", head).group(0)  # the opening phrase: "Pelvic ultrasound", "CT neck"
    if _first(MODALITIES, study) and (_first(REGIONS, study) or detect_system(text)):
        return True
    return not _CLINICAL.search(head) and detect_system(head) is not None


def _is_pathology(text: str) -> bool:
    """Several different pathology terms (a clinic note may mention a biopsy, not a specimen's work-up)."""
    terms = len({m.group(0).lower() for m in _PATHOLOGY.finditer(text)})
    return terms >= 3 or (terms == 2 and not _CLINICAL.search(text[:200]))


def classify(text: str) -> str:
    if _is_pathology(text):
        return "pathology_report"
    if _TRIAGE.search(text):
        return "triage_note"
    # "Exam:" in a clinic note is the physical examination: a study line names a modality.
    exam = _EXAM_HEADER.search(text) and any(re.search(p, _exam_line(text), re.IGNORECASE) for _, p in MODALITIES)
    if exam or len(_RADIOLOGY.findall(text)) >= 3 or _names_a_study(text):
        return "radiology_report"
    if _CLINICAL.search(text) or _presentation(text):
        return "clinical_note"
    return "other"


_FINDINGS = re.compile(r"^\s*findings\s*:", re.IGNORECASE | re.MULTILINE)
_IMPRESSION = re.compile(r"^\s*(impression|conclusion|opinion|summary|assessment)\s*:", re.IGNORECASE | re.MULTILINE)


def plan_document(text: str, requested: list[str] | None = None) -> Plan:
    parts = split_parts(text)
    for task, needed in part_tasks().items():
        if all(parts.get(name) for name in needed):  # a labelled two-part document (see tasks/parts.py)
            # NLI pairs, prior/current comparisons and report QA are all radiology tasks (RadLite's).
            return Plan("radiology_report", requested or [task],
                        {t: "requested by the operator" for t in requested} if requested
                        else {task: f"two-part document: {' + '.join(needed)}"})
    document_type = classify(text)
    plan = Plan(document_type, [])
    if document_type == "radiology_report":
        plan.modality, plan.region = _first(MODALITIES, text), _first(REGIONS, text)
    if requested:
        plan.tasks = list(requested)
        plan.reasons = {t: "requested by the operator" for t in requested}
        return plan
    if document_type == "pathology_report":
        plan.tasks += ["n_staging", "m_staging"]
        plan.reasons["n_staging"] = plan.reasons["m_staging"] = "pathology report: nodes examined and distant sites"
    if document_type == "radiology_report":
        stated_category = stated_rads(text)
        system = detect_system(text)
        if stated_category or system:
            plan.tasks.append("rads_assignment")
            plan.reasons["rads_assignment"] = (f"RADS category stated: {stated_category.span!r}" if stated_category
                                               else f"{system.name} study: {system.words!r}")
        stated = stated_n(text) or stated_m(text)
        if stated or (m := _positive(_ONCOLOGY, text, suspected_ok=False)):
            plan.tasks += ["n_staging", "m_staging"]
            why = f"stated stage {stated.span!r}" if stated else f"oncologic context: {m.group(0)!r}"
            plan.reasons["n_staging"] = plan.reasons["m_staging"] = why
        if plan.modality == "radiograph" and plan.region == "chest":
            plan.tasks.append("abnormality_detection")
            plan.reasons["abnormality_detection"] = "chest radiograph: the 14 CheXpert labels"
        # A stated final category is the report's conclusion even without a heading.
        if _FINDINGS.search(text) and not _IMPRESSION.search(text) and not stated_category:
            plan.tasks.append("impression_generation")
            plan.reasons["impression_generation"] = "findings without an impression"
    elif document_type in ("clinical_note", "triage_note"):
        kind = document_type.replace("_", " ")
        words = _presentation(text)
        if document_type == "triage_note" and not words:
            # A triage note is triaged whatever its complaint (an ESI level for every arrival).
            plan.tasks.append("triage")
            plan.reasons["triage"] = "triage note"
        if words:
            # Every presentation gets a triage level (ESI) and a differential.
            plan.tasks += ["triage", "differential_diagnosis"]
            plan.reasons["triage"] = plan.reasons["differential_diagnosis"] = f"{kind} presenting with {words!r}"
    return plan
