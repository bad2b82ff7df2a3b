"""The 14 CheXpert observations of a chest radiograph report, by rules, each with its sentence.

Source of the rules: the CheXpert labeler (Irvin et al., "CheXpert: a large chest
radiograph dataset with uncertainty labels and expert comparison", AAAI 2019;
github.com/stanfordmlgroup/chexpert-labeler) and the NegBio negation/uncertainty
patterns it builds on (Peng et al., "NegBio: a high-performance tool for negation and
uncertainty detection in radiology reports", AMIA CRI 2018). The labeler works in three
stages, and so does this module:

1. **Mention extraction** — phrase lists per observation (its `phrases/mention/*.txt`),
   minus "unmention" phrases ("pericardial effusion" is not a pleural effusion,
   "massive" is not a mass, a calcified nodule is not a lesion to it);
2. **Classification** of each mention in its sentence, in NegBio's order: the
   pre-negation uncertainty rules first ("cannot exclude X", "X is not excluded", "no new
   X", "cannot rule out X" → uncertain), then negation ("no X", "without X", "negative
   for X", "clear of X", "free of X", "resolution/removal of X", "rule out X", "X is not
   seen", "X has resolved", "normal/unremarkable X", "X within normal limits", "X is not
   enlarged" → negative), then the post-negation uncertainty rules ("possible",
   "probable", "questionable", "suspected", "suspicious for", "concern for", "may/might/
   could/would (be/represent/reflect/indicate)", "versus", "X or Y", "suggestion of",
   "borderline heart size", "stable cardiomediastinal silhouette" → uncertain). NegBio
   matches these on a dependency parse; here they are cue words in the mention's clause
   (NegEx-style scope: a clause ends at "but", "however", "although", "except", ...).
   The labeler treats "likely" as affirmative (only "less likely" is uncertain), and so
   does this module;
3. **Aggregation** per observation over the findings and impression sections: positive
   wins over anything, uncertain over negative; "CHF"/"heart failure" also make
   cardiomegaly uncertain; No Finding is positive only when no observation other than
   Support Devices is positive or uncertain and the report names none of the labeler's
   "other finding" words (emphysema, scoliosis, hernia, ...).

Where this project's labelled data (Open-i MeSH mapped by `trainer/builders/openi.py`)
draws a line the labeler does not, the project's line is taken and said so here:
- lung opacity: "scar", "interstitial markings", "reticular" are not opacity mentions
  (Open-i indexes them as Cicatrix/Markings, which are none of the 14 observations);
- lung lesion: a granuloma (calcified or not) and a calcified nodule are lesions (a focal
  pulmonary nodule, benign or not); "granulomatous disease" is not;
- pleural other: "fibrosis" counts only as pleural fibrosis; pleural plaques count;
- support devices: lines, tubes, catheters, ports, pacemakers/ICDs/leads, stents, drains,
  shunts, valves' prostheses are devices; surgical clips, sternotomy wires, orthopaedic
  hardware (plates, screws, fusion rods) are post-surgical material, not devices;
- "haemothorax"/"hemothorax" is a pleural effusion (fluid in the pleural space), and
  hydro-/haemopneumothorax is both a pneumothorax and an effusion.
UK spellings are read too (oedema, haemothorax, oesophagus).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..tasks.abnormality_detection import CHEXPERT_LABELS
from .answer import Finding, ToolAnswer

GUIDELINE = "CheXpert labeler rules (Irvin et al. 2019)"
DISPLAY = {key: display for display, key in CHEXPERT_LABELS.items()}


def _rx(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


# ---- 1. mentions (CheXpert labeler phrases/mention/*.txt, adapted as above) ----------------------
_HEART_NOUN = r"(?:heart|cardiac (?:silhouette|shadow|size|contour|outline)|cardiac)"
_ENLARGED = r"(?:enlarged|enlargement|large|increased|prominent|enlarging|globular|cardiomegaly)"
MENTIONS: dict[str, re.Pattern] = {
    "cardiomegaly": _rx(
        r"cardiomegaly|cardiac enlargement|enlarge(?:d|ment of the) (?:heart|cardiac (?:silhouette|shadow|size|contour))|"
        r"(?:enlarged|large|globular) heart|(?:heart|cardiac) (?:silhouette |shadow |size |contour )?"
        r"(?:is |are |appears? |remains? |was |seems? )?(?:again |now |still |at least |stably |persistently )?"
        r"(?:\w+ly |moderately |mildly |minimally |slightly |markedly |severely )?(?:and \w+ly )?(?:enlarged|large|increased|prominent)|"
        r"heart size (?:is |remains |appears )?borderline|"
        r"borderline (?:heart size|cardiac size|cardiomegaly|enlarged heart)|(?:enlarged|enlargement of the) cardiomediastinal silhouette|"
        r"cardiomediastinal silhouette (?:is |are |appears? |remains? )?(?:\w+ly )?(?:enlarged|large)|heart is borderline|"
        r"(?:heart|cardiac silhouette) (?:size )?(?:is |appears )?borderline (?:enlarged|in size)|(?:heart|cardiac) size (?:is )?(?:mildly |slightly )?increased"
    ),
    "enlarged_cardiomediastinum": _rx(
        r"(?:widened|widening of the|enlarged|enlargement of the|prominent|prominence of the) (?:upper |superior )?mediastin\w*|"
        r"mediastinal (?:widening|enlargement|prominence|silhouette is (?:\w+ly )?(?:widened|enlarged|prominent))|"
        r"(?<!cardio)mediastinal (?:silhouette|contours?) (?:is |are |appears? |remains? )?(?:\w+ly )?(?:widened|enlarged|prominent)|"
        r"widened (?:cardio)?mediastin\w*|(?:cardio)?mediastin\w* (?:silhouette |contours? )?(?:is |are |appears? )?widened|"
        r"aortic aneurysm|aneurysm\w* (?:of the )?(?:thoracic )?aort\w*|(?:enlarged|dilated|aneurysmal) (?:thoracic )?aort\w*|"
        r"aort\w* (?:is |are |appears? )?(?:\w+ly )?(?:enlarged|dilated|aneurysmal)|aortic dissection"
    ),
    "lung_opacity": _rx(
        r"opaci\w*|infiltrat\w*|air[\s-]?space (?:disease|process|opacit\w*)|(?<!nodular )densit(?:y|ies)|"
        r"decreased translucency|increased density|haziness"
    ),
    "lung_lesion": _rx(
        r"(?<!soft tissue )(?<!mediastinal )(?<!breast )\bmass(?:es)?\b(?! effect)|nodul\w*|\blump\b|cavitary lesion|cavitation|"
        r"carcinoma|neoplasm|tumou?r|granulomas?\b|(?:lung|pulmonary|parenchymal) lesions?"
    ),
    "edema": _rx(
        r"o?edema|heart failure|\bchf\b|vascular congestion|pulmonary congestion|congestive|indistinctness|"
        r"vascular prominence|prominen\w* (?:of the )?(?:central |pulmonary )*(?:vasculature|vascular markings)|"
        r"increased (?:lung |pulmonary )?vascularity|pulmonary venous hypertension|cephalization"
    ),
    "consolidation": _rx(r"consolidat\w*"),
    "pneumonia": _rx(r"(?:broncho)?pneumonia|pneumonitis|infectious process|infection|infectious"),
    "atelectasis": _rx(r"atelecta\w*|\bcollapse[sd]?\b"),
    "pneumothorax": _rx(r"pneumothora(?:x|ces)|\bptx\b"),
    "pleural_effusion": _rx(
        r"(?<!pericardial )(?<!joint )effusions?|pleural fluid|(?<!pneumo)h(?:a)?emothora(?:x|ces)|"
        r"(?:hydro|h(?:a)?emo)pneumothora(?:x|ces)|blunt\w* (?:of )?(?:the )?(?:\w+ )?costophrenic|costophrenic (?:angle|sulcus|sulci)\w* (?:is |are )?blunt\w*"
    ),
    "pleural_other": _rx(
        r"pleural (?:thickening|plaques?|scar\w*|calcifications?|fibrosis)|pleural[\s-]+parenchymal (?:scar\w*|thickening)|"
        r"pleuro[\s-]?parenchymal (?:scar\w*|thickening)|pleuro-?pericardial scar\w*|fibrothorax|thickening of the pleura|"
        r"apical (?:pleural )?(?:capping|thickening)"
    ),
    "fracture": _rx(r"fractur\w*|\bfx\b"),
    "support_devices": _rx(
        r"(?:central|venous|picc|midline catheter|internal jugular|ij|subclavian|arterial|swan[\s-]ganz|femoral|dialysis|port)\s+lines?\b|"
        r"\bpicc\b|\btubes?\b|\bcatheters?|\bpacemakers?|\bpacer\b|pacing (?:wires?|leads?)|\bleads?\b(?= (?:terminat|project|in|overl))|"
        r"\b(?:a?icd|defibrillator)\b|\bdefib\w*|\bmediport|port-?a-?cath|(?:power|chest|infusion|subcutaneous) port\b|"
        r"\bstents?\b|\bdrains?\b|\bshunts?\b|\bcannula|(?:prosthetic|mechanical) (?:heart )?valves?|valve (?:prosthes\w*|replacement)|"
        r"support devices?|loop recorder|monitoring devices?|(?:cardiac|medical|implanted|electronic) devices?|\bdevices?\b|"
        r"(?:monitor|monitoring|ecg|ekg|external|cardiac|pacer|pacing|pacemaker|defibrillator) leads?|\bstimulator\b|\bgenerator\b|"
        r"\bTIPS\b|\bvalve\b(?= (?:prosthes|replacement))|(?:prosthetic|mechanical|bioprosthetic) \w* ?valve|"
        r"\btips?\b(?= (?:is |are )?(?:at|in|over|overl\w*|project\w*|terminat\w*|visualized|positioned|located|near|within)\b[^.;]{0,40}"
        r"(?:svc|vena cava|cavoatrial|atri\w*|ventric\w*|carina|brachiocephalic|subclavian|jugular|stomach))"
    ),
}
# Phrases that look like a mention and are not one ("unmention" lists and their kin).
UNMENTION: dict[str, re.Pattern] = {
    "lung_opacity": _rx(r"pleural scar|opacit\w* (?:of|over|in|projecting over) the (?:soft tissues?|breast|nipple|ribs?|spine)"),
    "lung_lesion": _rx(r"massive|massengale|granulomatous|(?:bone|bony|osseous|skeletal|lytic|sclerotic|soft tissue|breast|thyroid|"
                       r"mediastinal|hilar|adrenal|liver|hepatic|renal|splenic|abdominal) (?:\w+ )?(?:mass|nodule|lesion|tumou?r)"),
    "pleural_effusion": _rx(r"pericardial effusion|joint effusion"),
    "edema": _rx(r"(?:soft tissue|subcutaneous|extremity|leg|pedal|scalp|facial) o?edema"),
    "atelectasis": _rx(r"(?:vertebral|compression|height|body|bod(?:y|ies)) (?:\w+ )?collapse|collapse (?:of|in) (?:the )?(?:\w+ )?vertebra"),
    "pneumonia": _rx(r"(?:urinary|urinary tract|skin|wound|soft tissue|line|viral|ear|sinus) infection"),
    "support_devices": _rx(r"\bET\b(?! tube)|tube(?:s)? (?:of|from)|(?:bronchial|fallopian|neural) tubes?|drain\w* (?:of|from)|"
                           r"\bleads? to\b|coil(?:ed|ing)"),
    "fracture": _rx(r"fracture (?:fixation|plate)"),
    "cardiomegaly": _rx(r"(?:heart|cardiac) (?:silhouette |size |contour )?(?:is |are )?(?:not |no longer )(?:\w+ly )?(?:enlarged|large|increased|prominent)"),
}
# A sentence about bones, soft tissues, breast or abdomen does not speak of a lung lesion.
_LESION_ELSEWHERE = _rx(r"\b(?:bon[ey]|osseous|skelet\w*|soft tissues?|breast|abdom\w*|thyroid|liver|spleen|splenic|kidney|renal|"
                        r"adrenal|rib lesion|lytic|sclerotic|vertebra\w*|spine|spinal)\b")

# "Other findings" (labeler's phrases/mention/no_finding.txt): naming one means the report is not normal.
_OTHER_FINDING = _rx(
    r"emphysema|hyperinflat\w*|hyperexpan\w*|hyperaerat\w*|copd|chronic obstructive|bullae|bullous|scoliosis|kyphosis|"
    r"hernia|eventration|elevat\w* (?:of the )?(?:right |left )?(?:hemi)?diaphragm|(?:hemi)?diaphragm\w* (?:is |are )?(?:\w+ly )?elevat\w*|"
    r"pneumomediastinum|pneumoperitoneum|free air|subcutaneous emphysema|bronchiectasis|"
    r"metasta\w*|osteopenia|osteoporo\w*|cicatri\w*|scar(?:ring|s)?\b|fibrosis|fibrotic|interstitial (?:markings|lung disease|disease|pattern)|"
    r"(?:reticular|reticulonodular)|tortuous|tortuosity|ectatic|atherosclero\w*|calcified (?:aort\w*|aortic)|aortic (?:knob |arch )?calcification|"
    r"calcinosis|calcified (?:lymph )?nodes?|(?:hilar|mediastinal) (?:lymph )?nodes? (?:are |is )?calcified|lymphadenopathy|adenopathy|"
    r"(?:hilar|hila) (?:prominence|enlargement|fullness)|prominent hila|granulomatous|"
    r"bronchitis|airways? disease|peribronchial (?:cuffing|thickening)|bronchial wall thickening|hyperlucen\w*|lucenc\w*|"
    r"deformity|sternotomy|cabg|mastectomy|pneumonectomy|lobectomy|clips?\b|"
    r"volume loss|loss of volume|blunting|hypoinflat\w*|low lung volumes|spondylo\w*|osteophyt\w*|degenera\w*|calcifi\w*|"
    r"arthrit\w*|arthropath\w*|foreign bod\w*|technically limited|limited (?:study|exam\w*)|rotated|poor inspiration"
)

# ---- 2. classification cues (NegBio/CheXpert patterns as cue words) ------------------------------
# Pre-negation uncertainty: matched first, anywhere around the mention in its clause.
_PRE_UNCERTAIN_BEFORE = _rx(
    r"\b(?:cannot|can ?not|could not|can't|unable to|difficult to|not possible to|may not) (?:be )?(?:completely |entirely |definitely |"
    r"totally |fully )?(?:exclude[ds]?|rule[ds]? out|ruled out)\b|\bno new\b|\bno evidence to rule out\b|\bnot (?:be )?excluded\b"
)
_PRE_UNCERTAIN_AFTER = _rx(
    r"^[^.;]{0,60}?\b(?:(?:cannot|can ?not|could not|may not) (?:be )?(?:completely |entirely |definitely |totally |fully )?"
    r"(?:excluded|ruled out)|(?:is|are) not (?:completely |entirely |definitely )?(?:excluded|ruled out)|not excluded)\b"
)
_NEG_BEFORE = _rx(
    r"\b(?:no|not|without|negative for|free of|clear of|clearing of|absence of|absent|resolved|resolution of|"
    r"resolving|removal of|removed|rule[sd]? out|ruled out|rather than|nor|exclude[sd]?|never|neither|interval resolution of|"
    r"disappearance of|history of)\b"
)
_NEG_AFTER = _rx(
    r"^[^.;]{0,60}?\b(?:(?:is|are|was|were|has been|have been|has|have)\s+)?(?:now\s+)?(?:not (?:seen|identified|present|"
    r"demonstrated|visualized|visualised|detected|appreciated|evident|noted|enlarged|appreciable)|absent|resolved|"
    r"(?:has |have )?cleared|(?:been )?removed|no longer (?:seen|present|visualized|visualised|identified|evident|demonstrated)|"
    r"excluded|ruled out)\b"
)
# "normal X" / "X is normal" (NegBio: amod/nsubj normal|unremarkable; "within normal limits").
_NORMAL_ADJ_BEFORE = _rx(r"\b(?:normal|unremarkable)(?:[\s-]+(?:in|sized?|appearing|size))?\s+(?:\w+\s+){0,2}$")
_NORMAL_AFTER = _rx(
    r"^[^.;]{0,50}?\b(?:is|are|appears?|remains?|were|was|otherwise|looks?|now|again)\b[^.;]{0,25}?"
    r"\b(?:normal|unremarkable|within normal limits|wnl|not enlarged)\b"
)
# "Pseudo-negations": the cue word does not negate ("no change in the pneumothorax").
_PSEUDO = _rx(
    r"\bno (?:significant |interval |appreciable |substantial |definite )?change(?:s)?(?: in| of)?\b|\bnot only\b|"
    r"\bno increase\b|\bnot changed\b|\bno further\b|\bwithout change\b|\bgram[\s-]negative\b|\bnot well\b|\bnot clearly\b"
)
_POST_UNCERTAIN_BEFORE = _rx(
    r"\b(?:possible|possibly|probable|questionable|question of|questioned|suspect(?:ed)?|suspicious(?: for)?|suspicion|"
    r"concern(?:ing)? for|worrisome(?: for)?|may|might|could|would|cannot|maybe|perhaps|presum\w*|differential|"
    r"versus|vs\.?|suggestion of|suggest(?:s|ive|ing)?(?: of)?|consider(?:ed)?|favou?r(?:ed)?|less likely|"
    r"(?:correlate|correlation) (?:clinically )?for|equivocal|indeterminate|uncertain|either|"
    r"early|developing|evolving|obscur\w*|poorly evaluated|incompletely evaluated|not well (?:seen|visualized|evaluated)|"
    r"can(?:not)? (?:represent|reflect|indicate)|secondary to (?:possible|early))\b"
)
_POST_UNCERTAIN_AFTER = _rx(
    r"^[^.;]{0,40}?\b(?:(?:is|are) )?(?:suspected|questioned|possible|not well (?:seen|visualized|evaluated)|"
    r"(?:may|might|could) (?:be|also be) (?:present|seen)|(?:could|may|might) appear)\b"
)
_OR_AFTER = _rx(r"^(?:es|s)?\s*(?:\([^)]*\)\s*)?(?:,\s*)?(?:and/)?\bor\b|^\w*\s*(?:vs\.?|versus)\b")
_OR_BEFORE = _rx(r"\b(?:or|and/or|vs\.?|versus)\s+(?:\w+[\s-]+){0,3}$")
# A clause boundary ends the scope of a cue (NegEx terminators).
_BREAK = _rx(
    r"\b(?:but|however|although|though|except|aside from|apart from|whereas|yet|which|while|otherwise|"
    r"with the exception of)\b|,\s*(?:and\s+)?(?:there (?:is|are))\b|\bwith\b|\band (?:there (?:is|are)|the)\b|:"
)

# Heart / mediastinum statements ("Heart size normal.", "Normal cardiomediastinal silhouette.").
_HEART = _rx(r"\b(?:heart|cardiac)\b|cardiomediastin\w*|cardiopericardial|cardiothymic")
_MEDIASTINUM = _rx(r"mediastin\w*")
_NORMAL_WORDS = _rx(r"\bnormal\b|within normal limits|\bunremarkable\b|\bnot enlarged\b|\bwnl\b|\bnormal[\s-]sized?\b|\bno (?:evidence of )?enlargement\b")
_NOT_NORMAL = _rx(r"abnormal|enlarg(?!ement\b)|widen|prominen|tortuous|borderline|upper limits?|top normal|high normal|\bmild|"
                  r"increase|cardiomegaly|\bbut\b|however|except|although|aneurysm|dilat|ectatic")
_STABLE_SILHOUETTE = _rx(
    r"\b(?:stable|unchanged)\b[^.;]{0,30}\b(?:cardiomediastinal|mediastinal|cardiac|heart)\b[^.;]{0,20}\b(?:silhouette|contours?|size|shadow)|"
    r"\b(?:cardiomediastinal|mediastinal|cardiac|heart)\b[^.;]{0,20}\b(?:silhouette|contours?|size|shadow)\b[^.;]{0,20}?"
    r"\b(?:is |are |remains? |appears? )?(?:stable|unchanged|not changed|similar to prior)\b"
)

# The labeler reads "stable cardiomediastinal silhouette" as uncertain (stably enlarged?); Open-i's
# indexers read it as unremarkable, and so does this module by default (not mentioned).
STABLE_SILHOUETTE_UNCERTAIN = False

# ---- sections ----------------------------------------------------------------------------------
_HEADER = re.compile(r"(?m)(?:^|(?<=[.\n]\s)|(?<=\n))[ \t]*([A-Za-z][A-Za-z /&-]{1,40}?)[ \t]*:(?!\d)")
_FINDING_HEADERS = _rx(r"^(?:findings?|impressions?|conclusions?|opinion|summary|interpretation|results?|report|"
                       r"diagnosis|assessment|comments?|final (?:report|impression)|addendum)$")
_NON_FINDING_HEADERS = _rx(
    r"^(?:history|clinical (?:history|information|details|indications?|data|notes?)|indications?|reason(?: for (?:exam|study|"
    r"referral|examination))?|request|clinical question|comparisons?|technique|protocol|exam|examination|procedure|"
    r"study|type of (?:exam|study)|views?|patient|name|date|dob|mrn|accession|referring (?:physician|doctor)|ordering "
    r"(?:physician|provider)|signed by|dictated by|radiologist|age|sex|gender)$"
)
_CHEST = _rx(r"\bchest\b|\bcxr\b|\bthora\w*|\blungs?\b|\bpulmonary\b|\bcardiac\b|\bheart\b|\bpleura\w*|\bmediastin\w*|"
             r"\bpneumothora\w*|\bcostophrenic\b|\bhemidiaphragm")
_OTHER_MODALITY = _rx(r"\b(?:ct|cta|computed tomography|mri|mr|magnetic resonance|ultrasound|sonograph\w*|\bus\b|pet|"
                      r"mammogra\w*|echocardiogra\w*|angiogra\w*)\b")
_RADIOGRAPH = _rx(r"x-?ray|radiograph\w*|\bcxr\b|\bfilms?\b|\bpa\b|\bap\b|\bportable\b|\bfrontal\b|\blateral\b|\bviews?\b|chest,")
_SENTENCE = re.compile(r"(?:[^.;\n!?]|\.(?=\d))+(?:[.;!?]|$)", re.MULTILINE)


@dataclass(frozen=True)
class Mention:
    label: str
    value: str        # positive / negative / uncertain
    words: str        # the mention's words, verbatim
    sentence: str     # its sentence, verbatim and stripped
    section: str      # "findings" or "impression" (or "report" when there are no headings)
    cue: str | None   # the rule that decided it, in words
    start: int        # offset in the document


def report_sections(text: str) -> list[tuple[str, int, int]]:
    """(section, start, end) of the spans that hold findings: under findings/impression-type
    headings, or the whole document when it has no heading at all. History, indication,
    comparison, technique and exam lines are left out (a question is not a finding)."""
    heads = []
    for m in _HEADER.finditer(text):
        name = " ".join(m.group(1).split()).lower()
        if _FINDING_HEADERS.match(name) or _NON_FINDING_HEADERS.match(name):
            heads.append((name, m.start(1), m.end()))
    if not heads:
        return [("report", 0, len(text))]
    spans = []
    for i, (name, start, body) in enumerate(heads):
        end = heads[i + 1][1] if i + 1 < len(heads) else len(text)
        if _FINDING_HEADERS.match(name):
            spans.append(("impression" if re.match(r"impression|conclusion|opinion|summary|final|diagnosis|assessment", name)
                          else "findings", body, end))
    if not spans and not any(_FINDING_HEADERS.match(n) for n, _, _ in heads):
        # Only history/comparison-type headings: the findings are what follows the last one's line.
        last_line_end = text.find("\n", heads[-1][2])
        if last_line_end != -1 and text[last_line_end:].strip():
            spans.append(("report", last_line_end, len(text)))
    return spans


def _clause_before(sentence: str, start: int) -> str:
    before = _PSEUDO.sub(lambda m: " " * len(m.group(0)), sentence[:start])
    breaks = list(_BREAK.finditer(before))
    return before[breaks[-1].end():] if breaks else before


def _clause_after(sentence: str, end: int) -> str:
    after = sentence[end:]
    m = _BREAK.search(after)
    return after[:m.start()] if m else after


def classify(sentence: str, start: int, end: int, label: str) -> tuple[str, str | None]:
    """(positive | negative | uncertain, the cue) for the mention sentence[start:end]."""
    before, after = _clause_before(sentence, start), _clause_after(sentence, end)
    if m := _PRE_UNCERTAIN_BEFORE.search(before) or _PRE_UNCERTAIN_AFTER.match(after):
        return "uncertain", f"pre-negation uncertainty '{m.group(0).strip()}'"
    if m := _NEG_BEFORE.search(before):
        # "not" only negates what it governs nearby ("is not enlarged", "not seen"), not a
        # mention after an unrelated verb phrase; other cues reach the whole clause.
        if m.group(0).lower() != "not" or len(before) - m.end() <= 25:
            return "negative", f"negation '{m.group(0)}'"
    if m := _NEG_AFTER.match(after):
        return "negative", f"negation '{m.group(0).strip()}'"
    if label not in ("cardiomegaly", "enlarged_cardiomediastinum"):
        if (m := _NORMAL_ADJ_BEFORE.search(before)) or (m := _NORMAL_AFTER.match(after)):
            return "negative", f"negation '{m.group(0).strip()}'"
    if m := _POST_UNCERTAIN_BEFORE.search(before):
        return "uncertain", f"uncertainty '{m.group(0)}'"
    if m := _POST_UNCERTAIN_AFTER.match(after):
        return "uncertain", f"uncertainty '{m.group(0).strip()}'"
    if label != "support_devices" and ((m := _OR_AFTER.match(after)) or (m := _OR_BEFORE.search(before))):
        return "uncertain", f"uncertainty (alternatives) '{m.group(0).strip()}'"
    if label == "edema" and re.search(r"indistinct|prominen|congestion|cephalization|vascularity|venous hypertension",
                                      sentence[start:end], re.I):
        return "uncertain", "the labeler reads vascular congestion/indistinctness as uncertain edema"
    if label == "pleural_effusion" and re.search(r"blunt", sentence[start:end], re.I):
        return "uncertain", "the labeler reads costophrenic blunting as uncertain effusion"
    if label == "cardiomegaly" and re.search(r"borderline|upper limit|top normal|high normal", sentence[start:end], re.I) \
            and not re.search(r"cardiomegaly", sentence[start:end], re.I):
        return "uncertain", "borderline heart size"
    return "positive", None


def _sentences(text: str, start: int, end: int):
    for m in _SENTENCE.finditer(text, start, end):
        raw = m.group(0)
        if raw.strip():
            lead = len(raw) - len(raw.lstrip())
            yield m.start() + lead, raw.strip()


def mentions(text: str) -> list[Mention]:
    """Every classified mention in the findings and impression of `text`."""
    found: list[Mention] = []
    for section, s0, s1 in report_sections(text):
        for offset, sentence in _sentences(text, s0, s1):
            found.extend(_sentence_mentions(sentence, offset, section))
    return found


def _sentence_mentions(sentence: str, offset: int, section: str) -> list[Mention]:
    out: list[Mention] = []
    for label, pattern in MENTIONS.items():
        unmention = UNMENTION.get(label)
        blocked = [(u.start(), u.end()) for u in unmention.finditer(sentence)] if unmention else []
        for m in pattern.finditer(sentence):
            if any(bs <= m.start() < be or bs < m.end() <= be for bs, be in blocked):
                continue
            if label == "lung_lesion" and _LESION_ELSEWHERE.search(sentence) and not re.search(
                    r"lung|pulmonary|lobe|granuloma|parenchym|nodul", sentence, re.I):
                continue
            if label == "support_devices" and re.search(r"\bdevices?\b|\bcoils?\b|\bleads?\b|\bdrains?\b", m.group(0), re.I) \
                    and re.search(r"\b(?:clips?|wires?|hardware|fixation|screws?|plates?)\b", sentence, re.I) \
                    and not re.search(r"pacemaker|pacer|icd|defib|loop|cardiac|port", sentence, re.I):
                continue
            value, cue = classify(sentence, m.start(), m.end(), label)
            out.append(Mention(label, value, m.group(0), sentence, section, cue, offset + m.start()))
            if label == "edema" and value != "negative" and re.fullmatch(r"chf|heart failure|congestive", m.group(0), re.I):
                out.append(Mention("cardiomegaly", "uncertain", m.group(0), sentence, section,
                                   "the labeler reads CHF/heart failure as uncertain cardiomegaly", offset + m.start()))
    out.extend(_normal_statements(sentence, offset, section, out))
    return out


def _normal_statements(sentence: str, offset: int, section: str, already: list[Mention]) -> list[Mention]:
    """'Heart size normal', 'normal cardiomediastinal silhouette', 'stable mediastinal contours'."""
    out = []
    have = {m.label for m in already}
    if _NORMAL_WORDS.search(sentence) and not _NOT_NORMAL.search(sentence):
        cue = f"negation '{_NORMAL_WORDS.search(sentence).group(0)}'"
        if _HEART.search(sentence) and "cardiomegaly" not in have:
            m = _HEART.search(sentence)
            out.append(Mention("cardiomegaly", "negative", m.group(0), sentence, section, cue, offset + m.start()))
        if _MEDIASTINUM.search(sentence) and "enlarged_cardiomediastinum" not in have:
            m = _MEDIASTINUM.search(sentence)
            out.append(Mention("enlarged_cardiomediastinum", "negative", m.group(0), sentence, section, cue, offset + m.start()))
    elif STABLE_SILHOUETTE_UNCERTAIN and (m := _STABLE_SILHOUETTE.search(sentence)):
        if not _NOT_NORMAL.search(sentence) and not _NORMAL_WORDS.search(sentence):
            cue = "stable/unchanged silhouette (the labeler: uncertain)"
            if re.search(r"cardiomediastin|mediastin", m.group(0), re.I) and "enlarged_cardiomediastinum" not in have:
                out.append(Mention("enlarged_cardiomediastinum", "uncertain", m.group(0), sentence, section, cue, offset + m.start()))
            if re.search(r"heart|cardiac\b|cardiomediastin", m.group(0), re.I) and "cardiomegaly" not in have:
                out.append(Mention("cardiomegaly", "uncertain", m.group(0), sentence, section, cue, offset + m.start()))
    return out


_RANK = {"positive": 3, "uncertain": 2, "negative": 1}


def aggregate(found: list[Mention]) -> dict[str, Mention]:
    """Per observation, the deciding mention: positive > uncertain > negative (the labeler's aggregation)."""
    best: dict[str, Mention] = {}
    for m in found:
        if m.label not in best or _RANK[m.value] > _RANK[best[m.label].value]:
            best[m.label] = m
    return best


def is_chest_radiograph(text: str) -> bool:
    """A chest radiograph report (or a report with no stated modality that speaks of the chest)."""
    if not _CHEST.search(text):
        return False
    head = text[:300]
    return not (_OTHER_MODALITY.search(head) and not _RADIOGRAPH.search(head))


def label_chest(text: str) -> ToolAnswer | None:
    """The 14 CheXpert labels of a chest radiograph report, each with its sentence; None when
    the text is not a chest radiograph report with findings or an impression."""
    if not text or not is_chest_radiograph(text):
        return None
    spans = report_sections(text)
    if not any(text[s:e].strip() for _, s, e in spans):
        return None
    found = mentions(text)
    best = aggregate(found)
    output: dict[str, str] = {}
    findings: list[Finding] = []
    for key in CHEXPERT_LABELS.values():
        if key == "no_finding":
            continue
        m = best.get(key)
        output[key] = m.value if m else "not_mentioned"
        if m:
            evidence = m.sentence if len(m.sentence) <= 160 else m.words
            rule = f"mention '{m.words}' in the {m.section}" + (f"; {m.cue}" if m.cue else "; affirmed")
            findings.append(Finding(DISPLAY[key], m.value, evidence, rule=rule))
    abnormal = [k for k, v in output.items() if k != "support_devices" and v in ("positive", "uncertain")]
    other = None
    for section, s0, s1 in spans:
        for offset, sentence in _sentences(text, s0, s1):
            for om in _OTHER_FINDING.finditer(sentence):
                if classify(sentence, om.start(), om.end(), "other")[0] != "negative":
                    other = other or (om.group(0), sentence)
    no_finding = "positive" if not abnormal and other is None else "negative"
    nf_rule = ("no observation other than support devices is positive or uncertain" if no_finding == "positive"
               else f"not normal: {', '.join(DISPLAY[k].lower() for k in abnormal)}" if abnormal
               else f"other finding named: '{other[0]}'")
    findings.insert(0, Finding(DISPLAY["no_finding"], no_finding,
                               (other[1] if other and len(other[1]) <= 160 else None) if not abnormal and other else None,
                               rule=nf_rule))
    return ToolAnswer(output={"no_finding": no_finding, **output}, source="computed", guideline=GUIDELINE,
                      findings=findings)
