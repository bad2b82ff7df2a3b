"""Triage as the Emergency Severity Index v4 algorithm, with each decision's evidence.

Source throughout: Gilboy N, Tanabe P, Travers D, Rosenau AM. *Emergency Severity
Index (ESI): A Triage Tool for Emergency Department Care, Version 4. Implementation
Handbook* (AHRQ 2012; ENA 2020 edition). Chapter and table numbers below are the
handbook's ("Ch 3" = ESI level 1, "Ch 4" = ESI level 2, "Ch 5" = resources,
"Table 5-1", "Ch 6"/"Fig 6-1" = danger-zone vital signs, "Ch 7" = paediatrics).

The algorithm, decision by decision:

- A  Does the patient need an immediate life-saving intervention? yes -> ESI 1
- B  Is this a high-risk situation, new confusion/lethargy/disorientation, or severe
     pain/distress? yes -> ESI 2
- C  How many different resources are expected? none -> ESI 5, one -> ESI 4, many -> D
- D  Danger-zone vital signs for the age? yes -> consider ESI 2 (taken here), else ESI 3

Vital signs and age are parsed from the note's own words; high-risk presentations come
from a lexicon that reuses the red-flag rules; resources come from a complaint ->
resource table (Table 5-1 counting). Where the table knows no complaint, the tool
assumes two resources (ESI 3, "urgent visit") rather than guess a self-care answer,
and says so in `missing`, so the model or the clinician can settle it.

`disposition(esi_level)` maps the level onto the three-level advice the worklist shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..safety.negation import is_negated, sentence_before
from ..safety.red_flags import red_flags
from .answer import Finding, ToolAnswer
from .lexicon import Match, sentence_at

GUIDELINE = "ESI v4 (Emergency Severity Index Implementation Handbook, 2020 edition)"

_I = re.IGNORECASE


def disposition(esi_level: int) -> str:
    """ESI 1-2 -> "emergency", 3-4 -> "urgent visit", 5 -> "self-care" (the worklist's three levels)."""
    if esi_level <= 2:
        return "emergency"
    if esi_level <= 4:
        return "urgent visit"
    return "self-care"


# ---------------------------------------------------------------------------------------------
# Reading the note: age and vital signs
# ---------------------------------------------------------------------------------------------

@dataclass
class Reading:
    value: float
    words: str       # verbatim
    sentence: str    # verbatim sentence around it


@dataclass
class Vitals:
    hr: Reading | None = None
    rr: Reading | None = None
    spo2: Reading | None = None
    sbp: Reading | None = None        # systolic; words carry the whole "BP 98/60"
    temp_c: Reading | None = None
    gcs: Reading | None = None
    pain: Reading | None = None
    glucose_mmol: Reading | None = None


_NUM_SEP = r"\s*(?:of|is|was|at|=|:|-)?\s*(?:about |around |approx\.? |~)?"

_HR = re.compile(r"\b(?:HR|heart[- ]rate|pulse(?:[- ]rate)?|PR)\b" + _NUM_SEP + r"(\d{2,3})\b", _I)
_HR_BPM = re.compile(r"\b(\d{2,3})\s*(?:bpm|beats per min(?:ute)?|beats a minute)\b", _I)
_RR = re.compile(r"\b(?:RR|resp(?:iratory)?\.?(?:[- ]rate)?|resps|respirations?|breathing rate)\b" + _NUM_SEP
                 + r"(\d{1,2})\b(?!\s*(?:%|/|mm))", _I)
_RR_PER_MIN = re.compile(r"\b(\d{1,2})\s*(?:breaths|times) (?:per|a|/) ?min(?:ute)?\b", _I)
_SPO2 = re.compile(r"\b(?:SpO2|SaO2|SpO₂|O2 sat(?:uration)?s?|oxygen sat(?:uration)?s?|sats?|saturations?|"
                   r"saturating|pulse ox(?:imetry)?|pulse-ox)\b" + _NUM_SEP + r"(\d{2,3})\s*%", _I)
_SPO2_ON_AIR = re.compile(r"\b(\d{2,3})\s*%\s*(?:on|in) (?:room air|RA|air)\b", _I)
_BP = re.compile(r"\b(?:BP|blood pressure|NIBP)\b" + _NUM_SEP + r"(\d{2,3})\s*/\s*(\d{2,3}|palp\w*)", _I)
_TEMP = re.compile(r"\b(?:T|temp(?:erature)?|Tmax|fever(?: of| up to)?|temperature of)\b\.?" + _NUM_SEP
                   + r"(\d{2,3}(?:\.\d+)?)\s*(?:°|º|degrees|deg)?\s*([CF])?\b", _I)
_GCS = re.compile(r"\bGCS\b" + _NUM_SEP + r"(\d{1,2})\b", _I)
_PAIN = re.compile(r"\b(\d{1,2})\s*(?:/|out of)\s*10\b(?![/\d])", _I)
_GLUCOSE = re.compile(r"\b(?:glucose|blood sugar|sugar|BM|CBG|capillary glucose|BSL|finger-?stick)\b[^.;\n\d]{0,20}?"
                      r"(\d{1,3}(?:\.\d)?)\s*(mmol(?:/l)?|mg/dl|mg)?", _I)


def _reading(m: re.Match, value: float, text: str) -> Reading:
    return Reading(value, m.group(0), sentence_at(text, m.start(), m.end()))


def read_vitals(text: str) -> Vitals:
    """Vital signs in the forms notes use: "HR 118", "pulse 120 bpm", "SpO2 86% on RA", "BP 98/60",
    "T 38.9", "temp 101.2 F", "GCS 13", "pain 8/10", "glucose 1.6 mmol/L"."""
    v = Vitals()
    for pattern in (_HR, _HR_BPM):
        m = pattern.search(text)
        if m and v.hr is None and 20 <= int(m.group(1)) <= 300:
            v.hr = _reading(m, float(m.group(1)), text)
    for pattern in (_RR, _RR_PER_MIN):
        m = pattern.search(text)
        if m and v.rr is None and 2 <= int(m.group(1)) <= 99:
            v.rr = _reading(m, float(m.group(1)), text)
    for pattern in (_SPO2, _SPO2_ON_AIR):
        m = pattern.search(text)
        if m and v.spo2 is None and 40 <= int(m.group(1)) <= 100:
            v.spo2 = _reading(m, float(m.group(1)), text)
    m = _BP.search(text)
    if m and 30 <= int(m.group(1)) <= 300:
        v.sbp = _reading(m, float(m.group(1)), text)
    for m in _TEMP.finditer(text):
        value = float(m.group(1))
        unit = (m.group(2) or "").upper()
        if unit == "F" or (not unit and 90 <= value <= 110):
            value = round((value - 32) * 5 / 9, 1)
        if 30 <= value <= 45:
            v.temp_c = _reading(m, value, text)
            break
    m = _GCS.search(text)
    if m and 3 <= int(m.group(1)) <= 15:
        v.gcs = _reading(m, float(m.group(1)), text)
    m = _PAIN.search(text)
    if m and int(m.group(1)) <= 10:
        v.pain = _reading(m, float(m.group(1)), text)
    m = _GLUCOSE.search(text)
    if m:
        value = float(m.group(1))
        unit = (m.group(2) or "").lower()
        if unit.startswith("mg") or (not unit and value > 35):
            value = round(value / 18.0, 1)
        if 0.5 <= value <= 60:
            v.glucose_mmol = _reading(m, value, text)
    return v


@dataclass
class Age:
    years: float
    words: str


_AGE_PATTERNS: tuple[tuple[re.Pattern, float], ...] = (
    (re.compile(r"\b(\d{1,3})[- ]?(?:years?|yrs?|y)[- ]?old\b", _I), 1.0),
    (re.compile(r"\b(\d{1,2})[- ]?(?:months?|mo|mths?)[- ]?old\b", _I), 1 / 12),
    (re.compile(r"\b(\d{1,2})[- ]?(?:weeks?|wks?)[- ]?old\b", _I), 1 / 52),
    (re.compile(r"\b(\d{1,2})[- ]?(?:days?)[- ]?old\b", _I), 1 / 365),
    (re.compile(r"\b(\d{1,3})\s?(?:yo|y/o|y\.o\.|yrs?)\b", _I), 1.0),
    (re.compile(r"\baged? (\d{1,3})\b", _I), 1.0),
    (re.compile(r"\b(\d{1,3})\s?(?:M|F)\b"), 1.0),                   # "68M", "24F", "74 F"
    (re.compile(r"\b(?:Mr|Mrs|Ms|Miss)\.? [A-Z]\w*,? (\d{2,3})\b"), 1.0),  # "Mr B, 74"
    (re.compile(r"\b(?:man|woman|male|female|boy|girl|patient|pt)[, ]+(\d{1,3})\b", _I), 1.0),
)
_AGE_WORDS: tuple[tuple[re.Pattern, float], ...] = (
    (re.compile(r"\b(?:newborn|neonate|new-born)\b", _I), 2 / 52),
    (re.compile(r"\b(?:toddler)\b", _I), 2.0),
    (re.compile(r"\b(?:baby|infant)\b", _I), 0.5),
)


def read_age(text: str) -> Age | None:
    """Age in years from "68-year-old", "68 yo", "68M", "3-month-old", "3 wk old", "toddler", "baby"."""
    best: tuple[int, Age] | None = None
    for pattern, factor in _AGE_PATTERNS:
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0]):
            years = int(m.group(1)) * factor
            if years <= 120:
                best = (m.start(), Age(years, m.group(0)))
    if best:
        return best[1]
    for pattern, years in _AGE_WORDS:
        m = pattern.search(text)
        if m:
            return Age(years, m.group(0))
    return None


# ---------------------------------------------------------------------------------------------
# Lexicon entries for decisions A and B
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sign:
    id: str
    label: str                        # plain words, for the reason
    pattern: str
    rule: str                         # the handbook's words
    manage: tuple[str, ...]
    self_negating: bool = False       # the pattern states an absence itself ("no palpable pulse")
    also: str | None = None           # a second pattern that must also match (not negated)


def _rx(p: str) -> re.Pattern:
    return re.compile(p, _I)


_CUE = re.compile(r"\b(no|not|without|denies|denied|negative for|free of|absence of|resolved|ruled out|rules? out|"
                  r"no evidence of|no signs? of|neither|nor|unlikely|excluded?)\b", _I)
_BREAK = re.compile(r"\b(but|however|although|except|now|yet|still)\b", _I)


def _negated(text: str, start: int, end: int) -> bool:
    """The shared NegEx-style check (appliance.safety.negation), with one narrowing for triage notes:
    the reach of "not" ends at a comma ("not feeding, very sleepy" reports sleepiness), and "now"
    breaks a negation as "but" does ("no fever, now confused")."""
    if not is_negated(text, start, end):
        return False
    before = sentence_before(text, start)
    breaks = list(_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end():]
    cues = list(_CUE.finditer(before))
    if not cues:
        # negated only by a cue after the match ("... is not seen") -- keep the shared verdict
        return not before.strip() or bool(re.match(r"^[^.;\n]{0,40}?\b(not (seen|present|identified)|absent|resolved)\b",
                                                    text[end:], _I))
    for cue in cues:
        if cue.group(1).lower() == "not" and "," in before[cue.end():]:
            continue
        return True
    return False


def _find(pattern: str, text: str, self_negating: bool = False) -> Match | None:
    """The first match that is not negated (or the first match at all, for a pattern that states an absence)."""
    for m in _rx(pattern).finditer(text):
        if m.end() == m.start():
            continue
        if self_negating or not _negated(text, m.start(), m.end()):
            return Match(m.start(), m.end(), m.group(0), sentence_at(text, m.start(), m.end()))
    return None


_RESUS = ("Resuscitation room now", "Call the emergency team")

# Decision A (Ch 3): "Does this patient require immediate life-saving intervention?"
A_SIGNS: tuple[Sign, ...] = (
    Sign("arrest", "pulseless / cardiac arrest",
         r"pulseless|cardiac arrest|\bCPR\b|chest compressions|no (?:palpable |detectable )?(?:carotid |central |femoral )?"
         r"pulse(?!s)|HR (?:none|nil|absent|0\b)|BP (?:unrecordable|unrecorded|not recordable)",
         "Ch 3: cardiac arrest, pulseless", ("Start CPR; defibrillator now", "Call the emergency team"), self_negating=True),
    Sign("apnoea", "apnoea or agonal breathing",
         r"apn(?:o)?e(?:a|ic)|not breathing|stopped breathing|agonal|gasping|RR agonal|respiratory arrest",
         "Ch 3: apnoeic, or agonal/gasping respirations", ("Open airway; bag-valve-mask ventilation", "Call the emergency team"),
         self_negating=True),
    Sign("unresponsive", "unresponsive",
         r"unresponsive|unconscious|unrousable|(?:barely|hardly|not) rous\w+|(?:hard|difficult) to rouse|"
         r"hardly respond\w*|(?:responds|responding|withdraws) (?:only )?to pain|\bfloppy\b|limp and unresponsive|"
         r"won'?t wake up|can(?:no|')t be woken|cannot be roused|passed out and (?:is )?not waking",
         "Ch 3: unresponsive (AVPU P or U)", ("Airway protection; recovery position", "Check glucose now", "Call the emergency team")),
    Sign("resp_distress", "severe respiratory distress",
         r"(?:unable|not able) to (?:talk|speak|complete a sentence)|can(?:no|')t (?:talk|speak)|single words|silent chest|"
         r"(?:only )?(?:say|speak|talk)(?:ing)?(?: in)? (?:a few|single|one or two) words|too breathless to (?:talk|speak)|"
         r"struggling to breathe|fighting for (?:breath|air)|gasping for (?:breath|air)|(?:lips|face|he|she) (?:is |are |was |were |"
         r"look |looks |turning |went |turned )?blue|cyano\w+|grunting|can(?:no|')t (?:catch (?:his|her|their|my) )?breath at all",
         "Ch 3: severe respiratory distress", ("High-flow oxygen", "Airway and breathing support", "Call the emergency team")),
    Sign("seizure", "active seizure",
         r"still (?:fitting|seizing|jerking|convulsing|having (?:a |the )?(?:seizure|fit))|(?:seizure|fit|fitting|convulsion)s? "
         r"(?:has|have) not stopped|status epilepticus|actively seizing|(?:is|are) (?:currently )?(?:seizing|fitting|convulsing)|"
         r"(?:seizure|fit) (?:ongoing|continuing)|fitting (?:now|for \d+ minutes)|seizing for \d+",
         "Ch 3: ongoing seizure", ("Benzodiazepine now", "Airway and oxygen", "Check glucose now")),
)

# Decision B (Ch 4): high-risk situations, beyond the red-flag rules (which are reused as they are).
B_SIGNS: tuple[Sign, ...] = (
    Sign("acs_chest_pain", "chest pain possibly cardiac",
         r"chest (?:pain|tightness|pressure|discomfort|heaviness)|(?:pressure|heaviness|tightness|pain|squeezing) "
         r"(?:in|across) (?:the |his |her |my )?(?:centre|center|middle)? ?(?:of )?(?:the |his |her |my )?chest|crushing (?:central )?pain|"
         r"central chest|(?:pain|discomfort|pressure|tightness|heaviness|ache|squeezing)[^.;\n]{0,15}\bchest\b",
         "Ch 4: chest pain suspicious for acute coronary syndrome", ("ECG within 10 minutes", "Aspirin unless contraindicated")),
    Sign("stroke", "signs of stroke",
         r"facial droop|face (?:is |was )?droop\w*|droop\w* (?:of )?(?:the )?(?:left|right)? ?(?:side of (?:the |his |her )?)?face|"
         r"slurred speech|speech (?:is |was )?slurred|dysarthri\w+|aphasi\w+|hemipar\w+|hemipleg\w+|"
         r"(?:one-sided|unilateral|sudden) (?:weakness|numbness)|can(?:no|')t (?:lift|move) (?:his|her|their|my) (?:left|right) "
         r"(?:arm|leg)|(?:unable|not able) to (?:lift|move) (?:his|her|their|my) (?:left|right) (?:arm|leg)|"
         r"weakness (?:of|in) (?:the |his |her )?(?:left|right) (?:arm|leg|side)|sudden (?:loss of vision|vision loss|blindness)",
         "Ch 4: signs of stroke (time-critical)", ("Stroke pathway: CT head now", "Note time last seen well", "Check glucose now")),
    Sign("testicular", "acute testicular pain",
         r"(?:sudden|severe|acute)[^.;\n]{0,30}(?:testic\w*|testis|scrot\w*) pain|(?:sudden|severe|acute)[^.;\n]{0,30}"
         r"pain in (?:the |his |a )?(?:left |right )?(?:testic\w*|testis|scrotum)|high-?riding (?:testis|testicle)",
         "Ch 4: possible testicular torsion", ("Emergency urology review", "Analgesia")),
    Sign("meningism", "fever with neck stiffness",
         r"neck stiffness|stiff neck|neck (?:is |feels )?stiff|meningism|(?:bright )?light hurts (?:his|her|their|my) eyes|photophobia",
         "Ch 4/Ch 7: possible meningitis (headache, stiff neck, fever)", ("Parenteral antibiotics without delay", "Isolation precautions"),
         also=r"fever|febrile|temperature|hot to touch|\bT\s*3[89]"),
    Sign("immunocompromised_fever", "fever while immunocompromised",
         r"chemo\w*|neutropeni\w+|transplant|immunosuppress\w+|on steroids|\bHIV\b",
         "Ch 4: immunocompromised patient with fever", ("Sepsis bundle within 1 hour", "Neutropenic sepsis pathway"),
         also=r"fever|febrile|shiver\w*|rigors|\bT\s*3[89]|temp\w* (?:of )?3[89]"),
    Sign("suicide", "thoughts of suicide",
         r"suicid\w*|kill (?:himself|herself|themselves|myself)|end (?:his|her|their|my) (?:own )?life|take (?:his|her|their|my) own life|"
         r"(?:wants?|plans?|planning) to die|self-harm\w*|hang (?:himself|herself)",
         "Ch 4: suicidal or homicidal ideation", ("Constant observation; do not leave alone", "Same-day mental health assessment")),
    Sign("gi_bleed", "vomiting blood or black stools",
         r"vomit\w* (?:up )?(?:a |some |\w+ )?(?:cup |lot |mouthful )?(?:of )?(?:bright red |fresh |dark )?blood|blood in (?:his|her|their|my|the) "
         r"vomit|coffee[- ]grounds?|black,? (?:\w+ )?stools?|tarry stools?|black poo",
         "Ch 4: gastrointestinal bleeding, high risk", ("Two large-bore IV lines", "FBC, crossmatch and coagulation")),
    Sign("vision_loss", "sudden loss of vision",
         r"sudden\w* (?:lost|loss of|losing) (?:the |her |his |their |my )?(?:vision|sight)|(?:lost|loss of) (?:the )?(?:vision|sight) "
         r"(?:in|of) (?:one|her|his|their|my|the) (?:left |right )?eye|curtain (?:came )?(?:down )?over (?:her|his|the) (?:vision|eye)",
         "Ch 4: sudden loss of vision (possible stroke or retinal artery occlusion)", ("Emergency eye/stroke review now",)),
    Sign("asthma_not_responding", "asthma not responding to the reliever",
         r"(?:inhaler|reliever|puffer|nebuli[sz]er)[^.;\n]{0,20}(?:not|isn't|is not|no longer) (?:helping|working)|"
         r"(?:breathless|short of breath|difficulty breathing|trouble breathing)[^.;\n]{0,20}(?:at rest|lying flat|even when resting)|"
         r"can(?:no|')t lie flat",
         "Ch 4: respiratory distress not responding to treatment", ("Oxygen to SpO2 94-98%", "Nebulised bronchodilator now")),
    Sign("returning_traveller_fever", "fever after travel to a malaria area",
         r"(?:back|returned|home|travel\w*|flew (?:back|home)) from[^.;\n]{0,30}(?:Africa|Nigeria|Ghana|Kenya|Uganda|Tanzania|Malawi|"
         r"Mozambique|Congo|Cameroon|Sierra Leone|India|Pakistan|Papua|Amazon|tropic\w*|safari)|malaria",
         "Ch 4: high-risk fever (possible malaria)", ("Malaria film and rapid test now", "Senior review"),
         also=r"fever|febrile|temperature|shiver\w*|chills|rigors|sweats"),
    Sign("purpura_fever", "fever with a non-blanching rash",
         r"non-?blanching|(?:rash|spots)[^.;\n]{0,40}(?:do(?:es)? not|don'?t|doesn'?t|won'?t) (?:fade|blanch|go away when pressed)|purpur\w+|petechia\w*",
         "Ch 4/Ch 7: fever with a non-blanching rash (possible meningococcal disease)", ("Parenteral antibiotics now", "Senior review now"),
         self_negating=True),
    Sign("thunderclap", "sudden severe headache",
         r"sudden,? (?:severe |explosive |very bad |terrible |intense )+headache|(?:explosive|thunderclap) headache|worst headache|"
         r"headache[^.;\n]{0,60}(?:max\w*|peak\w*|full (?:strength|intensity))[^.;\n]{0,20}(?:seconds|a minute|instantly)|"
         r"like (?:being )?(?:hit|kicked) (?:on|in) the (?:back of the )?head",
         "Ch 4: sudden severe headache (possible subarachnoid haemorrhage)", ("CT head now", "Analgesia")),
    Sign("overdose", "overdose or poisoning",
         r"overdose|took (?:about |around |over |some )?\d+ [\w ]{0,20}(?:tablets|pills)|took (?:a )?(?:handful|lot|bunch|lots|all) of[^.;\n]{0,40}"
         r"(?:tablets|pills|medicines?|medications?)|took too many|swallowed[^.;\n]{0,40}(?:tablets|pills|medicines?|"
         r"medications?|bleach|batter(?:y|ies)|magnets?|poison|chemicals?|cleaner)|accidental (?:ingestion|overdose)|"
         r"got into (?:the |her |his |their )?(?:medicine|pills|tablets)|drank (?:pesticide|poison|bleach|paraffin|weedkiller|antifreeze)|(?:pesticide|rat poison) (?:ingestion|poisoning)",
         "Ch 4: high-risk ingestion", ("Toxicology advice; paracetamol level", "Observe; do not leave alone")),
    Sign("dka", "possible diabetic ketoacidosis",
         r"ketoacidosis|\bDKA\b|ketones (?:2\+|3\+|4\+|large|high)|(?:deep|rapid)(?: and |, )?(?:fast|rapid|deep)? breathing|"
         r"breathing (?:deep and fast|fast and deep|deeply and quickly)|kussmaul|fruity breath|breath smells (?:fruity|of pear)",
         "Ch 4: high-risk metabolic emergency", ("Capillary glucose and ketones now", "IV access and fluids"),
         also=r"diabet\w*|insulin|type 1|\bT1DM\b|glucose (?:[2-9]\d|1[4-9])"),
    Sign("chemical_eye", "chemical in the eye",
         r"(?:chemical|cement|lime|bleach|acid|alkali|caustic|oven cleaner)[^.;\n]{0,40}(?:in|into) (?:his|her|their|my|the|both) eyes?|"
         r"splash\w*[^.;\n]{0,30}eye",
         "Ch 4: chemical eye exposure needs immediate irrigation", ("Irrigate the eye now",)),
    Sign("open_fracture", "open or limb-threatening injury",
         r"bone (?:visible|showing|sticking out|through the skin)|open fracture|compound fracture|"
         r"(?:fingers|toes|hand|foot) (?:are |is |look |looks )?(?:cold|white|blue)(?: and (?:white|pale|blue|numb))?|"
         r"(?:leg|foot|arm|hand) (?:is )?(?:pale and cold|cold and pale|cold and white)|no (?:foot|pedal|distal) pulses",
         "Ch 4: limb-threatening condition", ("Analgesia", "Urgent orthopaedic/vascular review"), self_negating=True),
    Sign("anticoagulated_head_injury", "head injury on anticoagulation",
         r"warfarin|apixaban|rivaroxaban|dabigatran|edoxaban|anticoagul\w+|blood thinners?|\bDOAC\b",
         "Ch 4: head injury in a patient on anticoagulants", ("CT head within 1 hour", "Neurological observations"),
         also=r"(?:hit|struck|bang\w*|knock\w*) (?:his |her |their |my )?head|head (?:injury|knock)|fell[^.;\n]{0,40}head"),
    Sign("obstetric", "high-risk pregnancy problem",
         r"(?:\d\d|twenty|thirty)[- ]?weeks? (?:pregnant|gestation)[^.;\n]{0,80}(?:bleed\w*|flashing lights|headache|"
         r"fits?|seizure|reduced movements)|pre-?eclampsia|eclampsia|placental abruption|waters broke[^.;\n]{0,40}(?:\d\d) weeks",
         "Ch 4: high-risk obstetric presentation", ("Emergency obstetric review", "Check BP and urine protein")),
    Sign("obstetric_lay", "high-risk pregnancy problem",
         r"(?:severe |bad |terrible )headache|blurred vision|blurry vision|flashing lights|swelling of (?:her |the )?(?:face|hands)|"
         r"(?:face|hands) (?:are |is )?swollen|swollen face|reduced (?:fetal |baby'?s? )?movements|baby (?:is not|isn't|hasn't been|has not been) "
         r"moving|waters (?:have )?broken|leaking fluid|heavy (?:vaginal )?bleeding|bleeding heavily|soak\w+",
         "Ch 4: high-risk obstetric presentation", ("Emergency obstetric review", "Check BP and urine protein"),
         also=r"pregnan\w+|\d\d weeks'? gestation|antenatal|expecting a baby"),
    Sign("envenomation", "snake bite or envenomation",
         r"snake ?bite|bitten (?:on [\w ]{0,20})?by a [\w ]{0,10}snake|scorpion sting|envenom\w+",
         "Ch 4: envenomation that may deteriorate", ("Immobilise the limb; antivenom assessment",)),
    Sign("burn_major", "major burn",
         r"burns? (?:over|covering|to)[^.;\n]{0,60}(?:1\d|[2-9]\d)\s?%|(?:1\d|[2-9]\d)\s?% (?:of )?(?:body|TBSA|BSA)|"
         r"(?:facial|airway|inhalation) burns?|singed nasal hair",
         "Ch 4: major burn", ("IV fluids per burn formula", "Analgesia", "Burns unit referral")),
    Sign("epiglottitis", "airway threat from the throat",
         r"drooling|can(?:no|')t swallow (?:his|her|their|my)? ?(?:own )?saliva|muffled voice|hot potato voice|stridor|"
         r"can(?:no|')t open (?:his|her|their|my) mouth|trismus",
         "Ch 4: potential airway compromise", ("Keep upright and calm; senior airway review",)),
    Sign("anaphylaxis_risk", "allergic swelling of lips, face or tongue",
         r"(?:lips?|tongue|face|throat|eyelids?) (?:are |is )?(?:swelling|swollen|puffy)|swelling of (?:the |his |her )?(?:lips?|tongue|face|throat)",
         "Ch 4: possible anaphylaxis", ("IM adrenaline if airway, breathing or circulation involved", "Antihistamine"),
         also=r"sting|stung|bite|bitten|peanut|nut|allerg\w+|hives|urticaria|after eating|shellfish|penicillin|antibiotic"),
    Sign("surgical_abdomen", "pain moving to the right lower abdomen (possible appendicitis)",
         r"(?:moved|moving|shifted|spread|migrated|went) (?:down )?to (?:the |his |her )?(?:lower right|right lower)|"
         r"(?:right lower|lower right) (?:side of (?:the |his |her )?)?(?:abdomen|belly|tummy|stomach|quadrant)[^.;\n]{0,60}"
         r"(?:worse|walking|cough|jump|fever)|rigid abdomen|board-?like|guarding|rebound",
         "Ch 4: high-risk abdominal pain (deviation from a strict reading: surgical abdomen kept as high risk)",
         ("Surgical review", "Nil by mouth", "Analgesia")),
)

# New confusion / lethargy / disorientation (Ch 4).
_ALTERED = (r"confus\w+|disorient\w+|drows\w+|letharg\w+|(?:very |unusually |more )?sleepy|hard to wake|difficult to wake|"
            r"not (?:himself|herself|themselves)|muddled|altered mental|acting strangely|talking nonsense|agitated and confused|"
            r"responds to voice|irritable and (?:floppy|drowsy)|inconsolable")
# Severe pain or distress (Ch 4): a rating of 7/10 or more, or the observer's words.
_SEVERE_PAIN = (r"severe (?:\w+ ){0,2}(?:pain|headache|ache)|very bad (?:\w+ )?(?:pain|headache)|pain (?:is |was )?severe|excruciating|agoni[sz]ing|worst pain|writhing|"
                r"screaming (?:in|with) pain|crying (?:out )?(?:in|with) pain|doubled (?:over|up)|cannot get comfortable|"
                r"can'?t get comfortable")
_SHOCK_SIGNS = (r"pale|pallor|clammy|cold (?:hands|peripheries|extremities|skin)|mottl\w+|blotchy|sweaty|grey|capillary refill "
                r"(?:[3-9]|\d\d)|weak (?:fast |rapid |thready )?pulse|thready|dizzy|faint\w*|confus\w+|drows\w+|restless")
_ALLERGY = r"sting|stung|bee|wasp|peanut|nuts?\b|allerg\w+|hives|urticaria|shellfish|anaphyla\w+|after eating|penicillin"
_AIRWAY = (r"stridor|hoarse|(?:trouble|difficulty|problems?) breathing|short of breath|can(?:no|')t breathe|throat (?:is )?"
           r"(?:closing|tight\w*|swelling|swollen)|tongue (?:is )?(?:swelling|swollen)|wheez\w+|struggling to breathe")


# ---------------------------------------------------------------------------------------------
# Decision C: the complaint -> resource table (Table 5-1 counting)
# ---------------------------------------------------------------------------------------------

# Resources as Table 5-1 names them; a complex procedure counts as two.
LABS, ECG, XRAY, CT, US = "labs", "ECG", "x-ray", "CT", "ultrasound"
IVF, MEDS, CONSULT = "IV fluids", "IV/IM/nebulised medication", "specialty consultation"
SIMPLE, COMPLEX = "simple procedure", "complex procedure"
_WEIGHT = {COMPLEX: 2}


@dataclass(frozen=True)
class Variant:
    resources: tuple[str, ...]
    manage: tuple[str, ...]
    when: str | None = None           # this variant applies when the pattern matches (not negated)
    age_min: float | None = None
    age_max: float | None = None
    literal: bool = False             # `when` states an absence itself ("no bony tenderness")


@dataclass(frozen=True)
class Complaint:
    id: str
    label: str
    pattern: str
    variants: tuple[Variant, ...]     # the first that applies wins; the last should have when=None


_SELF = ("Self-care advice and safety-netting",)
_V = Variant

COMPLAINTS: tuple[Complaint, ...] = (
    Complaint("refill", "prescription or routine check", r"(?:medication|prescription|repeat) (?:refill|request)|ran out of (?:his|her|their|my) "
              r"\w+|run out of (?:his|her|my) \w+|blood pressure check|BP check|sick note|fit note|suture removal|removal of (?:sutures|stitches)|"
              r"stitches out|dressing change|wound check|same as usual|usual (?:pain|symptoms)",
              (_V((), ("Renew prescription or complete the check", "Safety-netting advice")),)),
    Complaint("cold", "cold or flu-like illness", r"runny nose|blocked nose|stuffy nose|nasal congestion|sneez\w+|common cold|\bcold\b(?! sore| hands| feet| and| leg| foot| peripher| skin| sweat| weather| water| compress)|"
              r"\bflu\b|flu-like|scratchy throat|catarrh|sinus\w*|pressure (?:over|in) (?:her|his|their|my|the) (?:cheeks|forehead|face)",
              (_V((), _SELF),)),
    Complaint("hayfever", "hay fever", r"hay ?fever|itchy,? (?:and )?watery eyes|allergic rhinitis|pollen", (_V((), _SELF),)),
    Complaint("sore_throat", "sore throat", r"sore throat|throat (?:is )?(?:sore|painful)|tonsil\w*|pharyngitis|painful to swallow",
              (_V((LABS,), ("Throat swab / Centor or FeverPAIN score", "Analgesia"),
                  when=r"white (?:patches|spots)|pus on|exudat\w+|(?:swollen|tender|enlarged) (?:\w+ )?glands|"
                       r"(?:swollen|tender|enlarged) (?:\w+ )?(?:lymph )?nodes|fever of|high fever|3[89](?:\.\d)? ?°? ?C|"
                       r"glands (?:are |were )?(?:swollen|tender|enlarged|up)|for (?:a|one|over a|more than a|\d+) weeks?"),
               _V((), _SELF))),
    Complaint("cough", "cough", r"\bcough\w*|bronchitis|chest cold|phlegm|sputum",
              (_V((XRAY, LABS), ("Chest x-ray", "Bloods and CRP", "Oxygen if SpO2 below 94%"),
                  when=r"short(?:ness)? of breath|breathless\w*|pain[^.;\n]{0,40}(?:breathe|breathing|breath in)|pleuritic|"
                       r"green phlegm|rusty|crackles|coughing (?:up )?blood|haemoptysis|hemoptysis|SpO2 9[0-4]"),
               _V((XRAY,), ("Chest x-ray",), when=r"(?:[3-9]|\d\d) weeks|months|weight loss|night sweats"),
               _V((), _SELF))),
    Complaint("asthma", "wheeze or asthma", r"asthma\w*|wheez\w+|tight chest",
              (_V((MEDS, XRAY, LABS), ("Oxygen to SpO2 94-98%", "Nebulised salbutamol", "Oral or IV steroid"),
                  when=r"phrases|SpO2 9[0-3]|peak flow (?:[1-4]\d)%|accessory muscles"),
               _V((MEDS,), ("Nebulised or spacer salbutamol", "Oral steroid", "Peak flow before and after"))),),
    Complaint("sob", "shortness of breath", r"short(?:ness)? of breath|breathless\w*|dyspn\w+|\bSOB\b|difficulty breathing|trouble breathing",
              (_V((XRAY, LABS, ECG), ("Oxygen if SpO2 below 94%", "Chest x-ray", "ECG and bloods"),
                  when=r"climbing|stairs|on exertion|walking|heart failure|ankles|COPD|fever|cough"),
               _V((XRAY, LABS, ECG), ("Oxygen if SpO2 below 94%", "Chest x-ray", "ECG and bloods")))),
    Complaint("chest_pain", "chest pain", r"chest (?:pain|tightness|pressure|discomfort)|(?:pain|discomfort|pressure|tightness|heaviness|ache)"
              r"[^.;\n]{0,15}\bchest\b",
              (_V((ECG, XRAY, LABS), ("ECG", "Chest x-ray", "Bloods")),)),
    Complaint("heartburn", "heartburn or indigestion", r"heartburn|indigestion|acid reflux|\breflux\b|burning (?:feeling )?in (?:his |her |the |my )?"
              r"(?:upper )?(?:stomach|chest|throat)|burning feeling",
              (_V((ECG, LABS), ("ECG", "Bloods"), when=r"weight loss|trouble swallowing|difficulty swallowing|vomiting blood|black stools",),
               _V((ECG,), ("ECG",), age_min=45),
               _V((), ("Antacid and lifestyle advice", "Safety-netting advice")))),
    Complaint("abdominal_pain", "abdominal pain", r"(?:pain|ache|aching|cramps?)\b[^.;\n]{0,40}\b(?:belly|stomach|tummy|abdomen)\b|"
              r"\b(?:belly|stomach|tummy|abdominal|abdomen)\b[^.;\n]{0,15}\b(?:pain|ache|cramps?)|abdominal pain|(?:stomach|tummy|belly|abdomen|abdominal) (?:pain|ache)|pain in (?:his|her|the|my) "
              r"(?:lower |upper )?(?:stomach|tummy|belly|abdomen|side)|(?:iliac fossa|right upper|left lower|right lower|epigastric) (?:quadrant )?pain|"
              r"pain (?:under|below) the (?:right |left )?ribs|(?:stomach|tummy|belly) cramps|loin pain|flank pain|pain around (?:his|her|the) "
              r"belly ?button",
              (_V((), _SELF, when=r"(?:period|menstrua\w+)[^.;\n]{0,40}(?:same as|usual|every month)|(?:same as|usual|every month)[^.;\n]{0,40}period|"
                  r"period (?:pain|cramps)"),
               _V((LABS, US), ("Bloods and urinalysis", "Analgesia", "Imaging as indicated")),)),
    Complaint("period_pain", "period pain", r"period (?:pain|cramps)|cramps[^.;\n]{0,60}period|dysmenorrh\w+",
              (_V((), _SELF),)),
    Complaint("gastro", "diarrhoea or vomiting", r"diarrh(?:o)?ea|loose stools|vomit\w*|being sick|throwing up|gastroenteritis|food poisoning",
              (_V((LABS, IVF), ("Bloods", "IV fluids", "Antiemetic"),
                  when=r"can(?:no|')t keep (?:anything|fluids|water|it) down|(?:vomits|vomiting) (?:everything|anything|fluids|all)|"
                       r"drinking little|not drinking|dry (?:mouth|lips)|dehydrat\w+|sunken|no wet|few wet|not passing urine|"
                       r"many times a day|\d\d times|blood(?:y)? (?:diarrh|stool)|ketones|drinking less|only (?:one|two|\d) wet|fewer wet|less wet"),
               _V((), ("Oral fluids and rehydration advice", "Safety-netting advice")))),
    Complaint("uti", "urinary symptoms", r"burning (?:when|on) (?:she |he |they |I )?(?:pees?|pass\w* urine|urinat\w+)|burning urine|"
              r"dysuria|(?:pee|urinate|pass urine)\w* (?:a lot|often|frequently)|go(?:ing)? (?:often|frequently)|urinary (?:frequency|symptoms)|"
              r"urine infection|\bUTI\b|cystitis",
              (_V((LABS, IVF, MEDS), ("Bloods and urine culture", "IV antibiotics", "IV fluids"),
                  when=r"(?:loin|flank|back) (?:pain|ache)|fever|rigors|vomit\w+|pregnan\w+"),
               _V((LABS,), ("Urinalysis and culture", "Antibiotic per local guideline")))),
    Complaint("urinary_retention", "urinary catheter or retention", r"catheter|unable to pass urine|can(?:no|')t pass urine|retention",
              (_V((SIMPLE,), ("Catheter change or insertion",)),)),
    Complaint("vaginal", "vaginal discharge", r"vaginal discharge|discharge from (?:the|her) vagina|\bSTI\b|sexually transmitted",
              (_V((LABS,), ("Swabs for STI and vaginosis", "Treat per guideline")),)),
    Complaint("pregnancy", "pregnancy problem", r"pregnan\w+|weeks gestation",
              (_V((LABS, US, IVF), ("Bloods and urinalysis", "Pelvic ultrasound", "IV fluids"),
                  when=r"bleed\w*|spotting|pain|cramp\w*|vomit\w+|fever"),
               _V((), ("Antenatal advice",)))),
    Complaint("laceration", "cut or laceration", r"lacerat\w+|\bcut (?:on|to|in|into|across|over|himself|herself|themselves|myself|his|her|their|my)\b|"
              r"\b(?:a|the|\d+ ?cm|deep|small|gaping|clean|long) cut\b|gash\w*|wound",
              (_V((), ("Wound check; simple dressing",), when=r"removal of|stitches out|suture removal|wound check|clean and dry|dressing change"),
               _V((XRAY, SIMPLE), ("X-ray for foreign body", "Wound repair"), when=r"glass|foreign body|deep|tendon|can(?:no|')t (?:move|bend|flex)|numb"),
               _V((), ("Simple wound care and dressing",), when=r"graze\w*|abrasion|superficial|scratch"),
               _V((SIMPLE,), ("Wound closure (sutures, glue or strips)", "Tetanus status")))),
    Complaint("graze", "graze", r"graze\w*|abrasion\w*", (_V((), ("Simple wound care and dressing",)),)),
    Complaint("bite_animal", "animal bite", r"(?:dog|cat|animal|human) bite|bitten by (?:a |the |his |her )?(?:\w+ )?(?:dog|cat|monkey)",
              (_V((XRAY, SIMPLE, MEDS), ("Wound exploration and irrigation", "X-ray", "Rabies and tetanus assessment"),
                  when=r"hand|knuckle|finger|deep|puncture|face"),
               _V((SIMPLE,), ("Wound irrigation", "Rabies and tetanus assessment")))),
    Complaint("insect_bite", "insect bite or sting", r"insect|mosquito|midge|flea|(?:bee|wasp) sting|stung|tick bite|spider bite",
              (_V((), ("Antihistamine and cold compress", "Safety-netting advice")),)),
    Complaint("limb_injury", "limb injury", r"sprain\w*|twist\w*|rolled (?:his|her|their|my) (?:\w+ )?ankle|inverted (?:his|her|their|my) (?:\w+ )?ankle|"
              r"(?:ankle|wrist|knee|foot|hand|finger|thumb|toe|elbow|shoulder|hip|arm|leg) (?:injury|pain)|fell (?:onto|on) (?:his|her|their|my) "
              r"(?:outstretched )?(?:hand|wrist|arm)|jammed|hit (?:his|her|their|my) (?:\w+ )?(?:thumb|finger|hand)|fracture|"
              r"pain in (?:the |his |her |their |my )?(?:left |right )?(?:knee|ankle|wrist|hip|shoulder|elbow|foot|hand)",
              (_V((XRAY, SIMPLE, CONSULT), ("X-ray", "Analgesia", "Orthopaedic review"),
                  when=r"deform\w*|dinner-?fork|angulat\w+|odd angle|bent (?:at an angle|the wrong way)|dislocat\w+|(?:leg|limb) (?:looks |is )?short|(?:can(?:no|')t|unable to) "
                       r"(?:stand|bear weight)"),
               _V((), ("Rest, ice, compression, elevation", "Analgesia", "Safety-netting advice"),
                  when=r"no (?:bony|bone) tenderness|no tenderness over (?:the )?bone|walking normally|full (?:range of )?movement", literal=True),
               _V((XRAY,), ("X-ray", "Analgesia", "Splint or support"),
                  when=r"(?:bony|bone) tenderness|tender over|unable to (?:take|walk|bear)|can(?:no|')t (?:walk|bear|take)|can only take|"
                       r"swollen|swelling|bruis\w+"),
               _V((), ("Rest, ice, compression, elevation", "Analgesia", "Safety-netting advice")))),
    Complaint("back_pain", "back pain", r"back (?:pain|ache)|backache|lower back|lumbago|(?:hurt|strained|twisted) (?:his|her|their|my) back",
              (_V((LABS, XRAY, CONSULT), ("Bloods", "Imaging", "Specialist review"),
                  when=r"fever|weight loss|cancer|numb\w*|weakness|incontinen\w+|bladder (?:problem|change)|can(?:no|')t pass"),
               _V((MEDS,), ("IM analgesia", "Advice to stay active"), when=r"injection"),
               _V((), ("Simple analgesia and advice to stay active", "Red flag safety-netting")))),
    Complaint("head_injury", "head injury", r"head injury|hit (?:his|her|their|my) head|head knock|banged (?:his|her|their|my) head|"
              r"struck (?:his|her|their|my) head|fell and hit",
              (_V((CT,), ("Head injury rules assessment", "CT head if criteria met"),
                  when=r"blacked out|knocked out|loss of consciousness|\bLOC\b|vomit\w+|dazed|amnesia|can(?:no|')t remember"),
               _V((), ("Head injury advice sheet", "Safety-netting advice")))),
    Complaint("headache", "headache", r"headache|migraine",
              (_V((IVF, MEDS), ("IV fluids", "Parenteral antiemetic and analgesia"),
                  when=r"can(?:no|')t keep (?:tablets|anything|fluids) down|vomit\w+"),
               _V((), ("Simple analgesia", "Headache diary and safety-netting")))),
    Complaint("hangover", "hangover", r"hangover|drank (?:a lot|too much)|too much to drink", (_V((), _SELF),)),
    Complaint("eye_red", "red or sticky eye", r"(?:red|sticky|pink) (?:\w+ )?eye|conjunctivitis|crusted lashes|eyelids? stuck",
              (_V((CONSULT,), ("Eye specialist review",), when=r"vision (?:is )?(?:blurred|reduced|loss|worse)|painful red eye|contact lens"),
               _V((), ("Eye hygiene advice", "Safety-netting advice")))),
    Complaint("eye_fb", "foreign body in the eye", r"(?:something|grit|dust|metal|foreign body)[^.;\n]{0,20}(?:in|into) (?:his|her|their|my|the) eye|"
              r"gritty (?:\w+ )?eye|grinding",
              (_V((SIMPLE,), ("Fluorescein examination", "Foreign body removal")),)),
    Complaint("ear", "ear problem", r"ear ?ache|ear pain|painful ear|ear (?:discharge|infection)|otitis",
              (_V((SIMPLE,), ("Aural toilet", "Topical antibiotic drops"), when=r"discharge|debris|swollen canal|canal swollen"),
               _V((), ("Analgesia", "Safety-netting advice")))),
    Complaint("foreign_body", "foreign body", r"\b(?:bead|pea|button|stone|toy|object|hook|fish ?hook|battery|magnet)s?\b[^.;\n]{0,40}\b(?:in|into|embedded)\b|"
              r"embedded|pushed [\w ]{0,15}into (?:his|her|their|my) (?:ear|nose)",
              (_V((SIMPLE,), ("Foreign body removal",)),)),
    Complaint("rash", "rash or skin complaint", r"\brash\b|itch\w*|eczema|hives|urticaria|spots|acne|pimples|blackheads|zits|lice|nits|scabies|warts?|cold sore|"
              r"athlete'?s foot|dandruff|sunburn",
              (_V((), ("Topical or oral treatment advice", "Safety-netting advice")),)),
    Complaint("burn", "burn", r"\bburns?\b|burnt|scald\w*",
              (_V((MEDS, SIMPLE), ("Analgesia", "Burn dressing", "Burns assessment"), when=r"blister\w*|large|face|hand"),
               _V((), ("Cool running water 20 minutes", "Simple dressing advice")))),
    Complaint("abscess", "abscess", r"abscess|boil|fluctuant|painful (?:lump|swelling)",
              (_V((SIMPLE,), ("Incision and drainage",)),)),
    Complaint("cellulitis", "spreading skin infection", r"cellulitis|(?:red|hot)[, ]+(?:\w+[, ]+){0,3}swollen|spreading (?:redness|red)",
              (_V((LABS, MEDS), ("Bloods", "IV antibiotics", "Mark the margin"),
                  when=r"despite|spreading|diabet\w+|fever|3[89](?:\.\d)?\b|pen marks"),
               _V((), ("Oral antibiotic per guideline", "Mark the margin and safety-net")))),
    Complaint("gout", "hot swollen joint", r"(?:big toe|joint)[^.;\n]{0,40}(?:red|hot|swollen)|(?:red|hot|swollen)[^.;\n]{0,40}(?:big toe|joint)|gout",
              (_V((LABS,), ("Bloods (urate, CRP)", "Analgesia / anti-inflammatory")),)),
    Complaint("dental", "toothache", r"tooth ?ache|dental|tooth", (_V((CONSULT,), ("Dental review", "Analgesia")),)),
    Complaint("calf", "swollen calf", r"(?:swollen|painful|sore)[, ]+(?:\w+[, ]+){0,2}calf|calf (?:swelling|pain)|swollen (?:\w+ )?leg|\bDVT\b",
              (_V((LABS, US), ("D-dimer and Wells score", "Ultrasound leg veins")),)),
    Complaint("palpitations", "palpitations", r"palpitations|heart (?:is )?racing|racing heart|fluttering",
              (_V((ECG, LABS), ("ECG", "Bloods")),)),
    Complaint("syncope", "faint or collapse", r"faint\w*|syncope|collapse\w*|passed out",
              (_V((ECG, LABS), ("ECG", "Bloods", "Lying and standing BP")),)),
    Complaint("seizure_recovered", "seizure, recovered", r"seizure|\bfit\b|fitting|convuls\w+",
              (_V((LABS, CT), ("Bloods and glucose", "CT head if first seizure")),)),
    Complaint("fever_child", "fever in a child", r"fever|temperature|febrile|hot to touch",
              (_V((LABS,), ("Urinalysis and bloods as indicated",), when=r"rash|not drinking|no wet|lethar\w+"),
               _V((LABS,), ("Urinalysis for a source of fever", "Antipyretic"), when=r"\b39(?:\.\d)?|\b4[01](?:\.\d)?|10[2-5]", age_max=5),
               _V((), ("Antipyretic and fluids advice", "Safety-netting advice")))),
    Complaint("hyperglycaemia", "high blood sugar", r"high (?:blood )?sugar|hyperglyc\w+|glucose (?:[2-9]\d)",
              (_V((LABS, IVF), ("Bloods and ketones", "IV fluids")),)),
    Complaint("rectal_bleed", "bleeding from the back passage", r"blood (?:in|with|mixed with) (?:his |her |the )?(?:stool|poo)|rectal bleed\w*|"
              r"blood from (?:the )?back passage|bleeding from (?:the )?back passage",
              (_V((LABS, CONSULT), ("Bloods", "Specialist review")),)),
    Complaint("limp", "limp in a child", r"\blimp(?:ing|s)?\b(?! and unresponsive)|not (?:walking|weight[- ]bearing)",
              (_V((LABS, XRAY), ("Bloods and CRP", "X-ray or ultrasound of the joint"), when=r"fever|febrile|temperature|\bT\s*3[89]",
                  age_max=16),
               _V((XRAY,), ("X-ray",), age_max=16))),
    Complaint("sickle", "sickle cell crisis", r"sickle", (_V((LABS, MEDS), ("Parenteral analgesia within 30 minutes", "Bloods")),)),
    Complaint("alcohol_withdrawal", "alcohol withdrawal", r"stopped drinking|alcohol withdrawal|withdrawing from alcohol|\bDTs\b|"
              r"delirium tremens|shaky[^.;\n]{0,30}alcohol", (_V((LABS, MEDS), ("Bloods", "Withdrawal scale; benzodiazepine", "Thiamine")),)),
    Complaint("rib", "rib injury", r"(?:sore|pain\w*|tender\w*|hurts?) (?:over|in) (?:the |his |her |their |my )?(?:lower |upper )?ribs?|rib (?:pain|injury)|"
              r"hit (?:his|her|their|my) (?:\w+ )?side", (_V((XRAY,), ("X-ray", "Analgesia and breathing exercises")),)),
    Complaint("puncture", "puncture wound", r"(?:stepped|stood) on (?:a )?(?:\w+ )?nail|puncture",
              (_V((XRAY,), ("X-ray for retained foreign body", "Tetanus status"), when=r"broke off|foreign|glass|retained|worried"),
               _V((), ("Wound care and tetanus status",)))),
    Complaint("splinter", "splinter", r"splinter",
              (_V((SIMPLE,), ("Splinter removal",), when=r"deep|can(?:no|')t get it out|under (?:the|his|her) nail|glass|infected|red|swollen"),
               _V((), ("Remove with clean tweezers; safety-netting",)))),
    Complaint("stye", "eyelid lump", r"\bstye\b|chalazion|(?:bump|lump|swelling) on (?:her|his|their|my|the) (?:upper |lower )?eyelid|eyelid[^.;\n]{0,20}(?:bump|lump)",
              (_V((), ("Warm compresses; safety-netting",)),)),
    Complaint("constipation", "constipation", r"constipat\w+|not opened (?:his|her|their|my) bowels|hard stools",
              (_V((LABS, XRAY), ("Bloods", "Abdominal imaging"), when=r"vomit\w+|distended|not passed wind|bloated and|belly pain|abdominal pain"),
               _V((), ("Fluids, fibre and laxative advice",)))),
    Complaint("muscle", "muscle ache", r"(?:sore|aching|achy|stiff|tight) muscles|muscle (?:ache|aches|pain|soreness|strain|stiffness)|pulled a muscle|"
              r"bruis\w+|\bDOMS\b", (_V((), ("Rest and simple analgesia",)),)),
    Complaint("minor_mouth", "mouth or nose complaint", r"mouth ulcer|canker sore|ulcer in (?:his|her|their|my) mouth|nose ?bleed|epistaxis|hiccups|ear ?wax",
              (_V((SIMPLE,), ("Nasal pressure; cautery or packing",), when=r"won'?t stop|will not stop|hasn'?t stopped|keeps bleeding|heavy"),
               _V((), ("Self-care advice and safety-netting",)))),
    Complaint("chronic_msk", "joint or heel pain", r"(?:pain|aching|ache|stiff\w*) in (?:her|his|their|my|the|both) (?:heels?|knees?|hips?|"
              r"shoulders?|neck|joints?|hands?|feet|elbows?)|heel pain|(?:knee|hip|shoulder|neck) (?:ache|aching|stiffness)",
              (_V((), ("Simple analgesia and exercise advice", "Routine review if persisting")),)),
    Complaint("mental_health", "mental health", r"anxi\w+|panic|depress\w+|low mood|stress", (_V((), ("Supportive advice and follow-up",)),)),
    Complaint("shingles", "blistering rash in a band", r"blisters? in a (?:band|strip|line)|band of (?:small )?blisters|shingles|"
              r"blisters? on one side|(?:rash|blisters)[^.;\n]{0,40}on one side of (?:his|her|their|my|the) (?:forehead|face|body|chest|back)",
              (_V((CONSULT,), ("Same-day eye review", "Antiviral now"), when=r"forehead|near (?:his|her|their|my|the) eye|eyelid|tip of the nose"),
               _V((), ("Antiviral within 72 hours of the rash",)))),
)


# ---------------------------------------------------------------------------------------------
# The algorithm
# ---------------------------------------------------------------------------------------------

@dataclass
class _Fired:
    label: str
    match: Match | None
    rule: str
    manage: tuple[str, ...]
    value_words: str = ""

    @property
    def quote(self) -> str | None:
        return self.match.quote() if self.match else None


_PRESENTATION = _rx(r"\b(?:patient|pt|man|woman|boy|girl|child|baby|infant|toddler|he|she|his|her|year-old|yo|y/o|"
                    r"complain\w*|c/o|presents?|presenting|brought|triage|CC|chief complaint|history of presenting)\b")
_REPORT_ONLY = _rx(r"^\s*(?:FINDINGS|IMPRESSION|TECHNIQUE|EXAM(?:INATION)?|CONCLUSION)\s*:")


def _shorten(s: str, limit: int) -> str:
    return s if len(s) <= limit else s[: limit - 3].rstrip(" ,;") + "..."


def _danger_limits(age: float | None) -> tuple[str, float, float]:
    """Fig 6-1 danger-zone limits (HR above, RR above) by age; SpO2 < 92 % at every age."""
    if age is not None and age < 0.25:
        return "under 3 months", 180, 50
    if age is not None and age < 3:
        return "3 months to 3 years", 160, 40
    if age is not None and age < 8:
        return "3 to 8 years", 140, 30
    return "over 8 years", 100, 20


def _vital_quote(r: Reading) -> str:
    return r.sentence if len(r.sentence) <= 160 else r.words


def esi(text: str) -> ToolAnswer | None:
    """The ESI v4 level of a patient presentation, each decision with its evidence; None for a
    document that is not a patient presentation (a radiology report, an empty page)."""
    if not text or not text.strip():
        return None
    age = read_age(text)
    vitals = read_vitals(text)
    has_vitals = any(getattr(vitals, f) is not None for f in ("hr", "rr", "spo2", "sbp", "temp_c", "gcs"))
    complaints = [(c, m) for c in COMPLAINTS if (m := _find(c.pattern, text)) is not None]
    if _REPORT_ONLY.search(text) and not has_vitals and age is None:
        return None
    if age is None and not has_vitals and not complaints and not _PRESENTATION.search(text) \
            and not any(not h.rule.finding for h in red_flags(text)):  # a red-flag presentation is always triaged
        return None

    years = age.years if age else None
    findings: list[Finding] = []
    if age:
        findings.append(Finding("age", f"{years:g} years" if years >= 1 else f"{years * 12:.1f} months", age.words))
    for name, unit, r in (("heart rate", "/min", vitals.hr), ("respiratory rate", "/min", vitals.rr), ("SpO2", " %", vitals.spo2),
                          ("systolic BP", " mmHg", vitals.sbp), ("temperature", " °C", vitals.temp_c), ("GCS", "", vitals.gcs),
                          ("pain score", "/10", vitals.pain), ("glucose", " mmol/L", vitals.glucose_mmol)):
        if r is not None:
            findings.append(Finding(name, f"{r.value:g}{unit}", r.words))

    # ---- Decision A (Ch 3) ----
    a = _decision_a(text, vitals, years)
    if a:
        return _answer(1, a, findings, "A", text, vitals, years, complaints)
    findings.append(Finding("Decision A: life-saving intervention", "no", None,
                            rule="Ch 3: no immediate airway, breathing, circulation or neurological intervention is needed"))

    # ---- Decision B (Ch 4) ----
    b = _decision_b(text, vitals, years)
    if b:
        return _answer(2, b, findings, "B", text, vitals, years, complaints)
    findings.append(Finding("Decision B: high risk, confused/lethargic, or severe pain/distress", "no", None,
                            rule="Ch 4: not high risk, no new confusion or lethargy, pain under 7/10 without severe distress"))

    # ---- Decision C (Ch 5, Table 5-1) ----
    resources, manage, c_match, known, c_label = _decision_c(complaints, text, years, vitals)
    count = sum(_WEIGHT.get(r, 1) for r in resources)
    shown = ", ".join(resources) if resources else "none"
    c_value = f"{'many' if count >= 2 else 'one' if count == 1 else 'none'}: {shown}"
    c_rule = "Ch 5 / Table 5-1: count different resources expected (labs, ECG, x-ray, CT/US, IV fluids, IV/IM/neb medication, " \
             "specialty consult, simple procedure = 1, complex = 2); history, exam, POC tests, oral medication, prescriptions do not count"
    findings.append(Finding("Decision C: expected resources", c_value, c_match.quote() if c_match else None, rule=_shorten(c_rule, 400)))
    missing = [] if known else ["a complaint the resource table knows: two resources assumed (ESI 3), not a self-care answer"]
    complaint_words = c_label
    evidence = c_match.quote() if c_match else _first_sentence(text)

    if count == 0:
        return _build(5, f"Not high risk; {complaint_words} needs no ED resources, so ESI 5.", evidence, manage or _SELF,
                      findings, missing)
    if count == 1:
        return _build(4, f"Not high risk; {complaint_words} needs one resource ({shown}), so ESI 4.", evidence, manage,
                      findings, missing)

    # ---- Decision D (Ch 6, Fig 6-1) ----
    d = _decision_d(vitals, years)
    if d:
        findings.append(Finding("Decision D: danger-zone vital signs", f"yes: {d.value_words}", d.quote, rule=d.rule))
        return _build(2, f"Needs 2+ resources and {d.value_words} is in the danger zone for age, so up-triaged to ESI 2.",
                      d.quote or evidence, ("Repeat vital signs; senior review", *manage), findings, missing)
    findings.append(Finding("Decision D: danger-zone vital signs", "no" if has_vitals else "no vital signs recorded", None,
                            rule="Fig 6-1: HR/RR within the age limits and SpO2 92 % or more"))
    return _build(3, f"Not high risk; {complaint_words} needs {count} resources ({shown}); vitals not in the danger zone.",
                  evidence, manage, findings, missing)


def _first_sentence(text: str) -> str:
    s = sentence_at(text, 0, 0) or text.strip()
    return s[:160].strip() or text.strip()[:160]


def _decision_a(text: str, v: Vitals, years: float | None) -> _Fired | None:
    child = years is not None and years < 10
    for sign in A_SIGNS:
        m = _find(sign.pattern, text, sign.self_negating)
        if m:
            return _Fired(sign.label, m, sign.rule, sign.manage)
    if v.gcs and v.gcs.value <= 8:
        return _Fired(f"GCS {v.gcs.value:g}", _m(v.gcs), "Ch 3: unresponsive (GCS 8 or less)", _RESUS + ("Airway protection",),
                      f"GCS {v.gcs.value:g}")
    if v.spo2 and v.spo2.value < 90:
        return _Fired(f"SpO2 {v.spo2.value:g} %", _m(v.spo2), "Ch 3: SpO2 below 90 % needing immediate intervention",
                      ("High-flow oxygen", "Airway and breathing support", "Call the emergency team"), f"SpO2 {v.spo2.value:g} %")
    if v.rr and (v.rr.value <= 8 if not child else v.rr.value <= 10):
        return _Fired(f"RR {v.rr.value:g}", _m(v.rr), "Ch 3: respiratory rate too slow to sustain breathing (e.g. overdose with RR 6)",
                      ("Bag-valve-mask ventilation", "Naloxone if opioid suspected"), f"RR {v.rr.value:g}")
    sbp_floor = (70 + 2 * years) if (years is not None and years < 10) else 90
    if v.sbp and v.sbp.value < sbp_floor:
        shock = _find(_SHOCK_SIGNS, text)
        tachy_or_brady = v.hr and (v.hr.value > 100 or v.hr.value < 50)
        if shock or tachy_or_brady or v.sbp.value < 80:
            return _Fired(f"BP {v.sbp.words.split()[-1]}", _m(v.sbp), "Ch 3: hypotension with signs of hypoperfusion",
                          ("Two large-bore IV lines; fluid bolus", "Call the emergency team"), f"BP {v.sbp.value:g} systolic")
    if v.hr and (v.hr.value < 40 or (years is not None and years >= 8 and v.hr.value >= 180)):
        if _find(_SHOCK_SIGNS, text):
            return _Fired(f"HR {v.hr.value:g}", _m(v.hr), "Ch 3: severe brady- or tachycardia with signs of hypoperfusion",
                          ("Cardiac monitor and pads", "Call the emergency team"), f"HR {v.hr.value:g}")
    # Hypoglycaemia with altered consciousness (Ch 3).
    if v.glucose_mmol and v.glucose_mmol.value < 4.0:
        altered = _find(_ALTERED, text)
        if altered:
            return _Fired("hypoglycaemia with altered consciousness", altered, "Ch 3: hypoglycaemia with a change in mental status",
                          ("IV glucose or IM glucagon now", "Recheck glucose in 15 minutes"))
    # Anaphylaxis with airway, breathing or circulation involvement (Ch 3).
    allergy = _find(_ALLERGY, text)
    if allergy:
        airway = _find(_AIRWAY, text)
        if airway or (v.sbp and v.sbp.value < 90):
            return _Fired("anaphylaxis with airway involvement", airway or _m(v.sbp), "Ch 3: anaphylaxis needing immediate adrenaline",
                          ("IM adrenaline 0.5 mg now (adult)", "High-flow oxygen", "Call the emergency team"))
    return None


def _m(r: Reading) -> Match:
    return Match(0, 0, r.words, r.sentence)


_RED_FLAG_MANAGE = {
    "chest_pain_diaphoresis": ("ECG within 10 minutes", "Aspirin unless contraindicated"),
    "sepsis_signs": ("Sepsis bundle within 1 hour", "Cultures, then IV antibiotics"),
    "anaphylaxis": ("IM adrenaline 0.5 mg now (adult)", "Antihistamine and observation"),
    "thunderclap_headache": ("CT head now", "Analgesia"),
    "meningism_purpura": ("Parenteral antibiotics now", "Isolation precautions"),
    "pregnancy_pain_bleeding": ("Emergency gynaecology review", "Pregnancy test, FBC and group"),
    "pe_signs": ("Wells score; CTPA or D-dimer now", "Oxygen if SpO2 below 94%"),
    "stroke_signs": ("Stroke pathway: CT head now", "Note time last seen well"),
    "gi_bleed": ("Two large-bore IV lines", "FBC, crossmatch and coagulation"),
    "suicidal_ideation": ("Constant observation; do not leave alone", "Same-day mental health assessment"),
    "testicular_pain": ("Emergency urology review", "Analgesia"),
}


def _decision_b(text: str, v: Vitals, years: float | None) -> _Fired | None:
    # Red-flag rules first (the project's shared list of can't-miss presentations and findings).
    for hit in red_flags(text):
        if hit.rule.id == "pregnancy_pain_bleeding" and _find(r"\b(?:mild|light|slight)\b[^.;\n]{0,15}(?:cramp|pain|bleed)", text) \
                and not (v.pain and v.pain.value >= 7):
            continue  # stable threatened miscarriage with mild pain: resources decide (Ch 5), not high risk
        words = hit.evidence[0]
        m = _find(re.escape(words), text) or _find(re.escape(words), text, True)
        manage = _RED_FLAG_MANAGE.get(hit.rule.id, (_shorten(hit.rule.action.rstrip("."), 60),))
        return _Fired(hit.rule.label.lower(), m, f"Ch 4: high-risk situation ({hit.rule.cant_miss})", manage)
    for sign in B_SIGNS:
        m = _find(sign.pattern, text, sign.self_negating)
        if not m:
            continue
        if sign.also and not _find(sign.also, text) and not (sign.id in ("meningism", "immunocompromised_fever")
                                                           and v.temp_c and v.temp_c.value >= 38.0):
            continue
        if sign.id == "acs_chest_pain" and not _cardiac_chest_pain(text, m, years):
            continue
        return _Fired(sign.label, m, sign.rule, sign.manage)
    # Fever in young infants (Ch 7): under 28 days always ESI 2; 1-3 months consider ESI 2.
    if years is not None and years < 0.25:
        fever = (v.temp_c and v.temp_c.value >= 38.0) and v.temp_c
        fever_words = _find(r"fever|febrile|hot to (?:the )?touch|high temperature", text)
        if fever or fever_words:
            m = _m(fever) if fever else fever_words
            return _Fired("fever in an infant under 3 months", m, "Ch 7: febrile infant under 28 days is ESI 2; 1-3 months consider ESI 2",
                          ("Full septic screen", "Senior paediatric review now"))
    # New confusion, lethargy or disorientation (Ch 4).
    altered = _find(_ALTERED, text)
    if altered and not _find(r"(?:confus\w+|sleepy|drowsy)[^.;\n]{0,30}(?:as usual|same as (?:usual|always|baseline)|at baseline)|"
                             r"(?:known|chronic|baseline) (?:dementia|confusion)", text):
        return _Fired("new confusion or lethargy", altered, "Ch 4: new onset confusion, lethargy or disorientation",
                      ("Check glucose now", "Neurological observations", "Senior review"))
    if v.gcs and v.gcs.value < 15:
        return _Fired(f"GCS {v.gcs.value:g}", _m(v.gcs), "Ch 4: altered level of consciousness", ("Neurological observations",
                                                                                                "Check glucose now"))
    # Severe pain or distress (Ch 4): 7/10 or more, or observed.
    if v.pain and v.pain.value >= 7:
        return _Fired(f"pain {v.pain.value:g}/10", _m(v.pain), "Ch 4: severe pain or distress (7/10 or more)", ("Analgesia now",
                                                                                                                  "Reassess pain in 30 minutes"))
    severe = _find(_SEVERE_PAIN, text)
    if severe and not _find(r"severe (?:\w+ )?pain[^.;\n]{0,30}(?:throat|swallow)|(?:throat|period)[^.;\n]{0,30}severe", text):
        return _Fired("severe pain or distress", severe, "Ch 4: severe pain or distress", ("Analgesia now", "Reassess pain in 30 minutes"))
    # Hypotension in an adult without signs of hypoperfusion, and low glucose, stay high risk.
    if v.glucose_mmol and v.glucose_mmol.value < 4.0:
        return _Fired(f"glucose {v.glucose_mmol.value:g} mmol/L", _m(v.glucose_mmol), "Ch 4: hypoglycaemia",
                      ("Oral or IV glucose now", "Recheck glucose in 15 minutes"))
    if v.sbp and v.sbp.value < 90 and (years is None or years >= 10):
        return _Fired(f"systolic BP {v.sbp.value:g}", _m(v.sbp), "Ch 4: hypotension, potentially unstable", ("IV access; fluid bolus",
                                                                                                            "Repeat BP every 15 minutes"))
    return None


_NON_CARDIAC = (r"on (?:deep |taking a )?breath\w*|when (?:he |she |they |I )?breath\w*|breath\w* in|deep breath|pleuritic|on cough\w*|"
                r"after (?:a )?cough\w*|coughing fit|tender (?:to touch|over)|(?:press\w*|push\w*) on it|reproduc\w+|after (?:a )?fall|"
                r"fell|hit (?:his|her|their|my) (?:chest|side)|rib|(?:moving|twisting) (?:his|her|their|my) (?:arm|body)|after (?:large )?meals|"
                r"after eating")


def _cardiac_chest_pain(text: str, m: Match, years: float | None) -> bool:
    """Chest pain is high risk (possible ACS) unless the note places it as pleuritic or musculoskeletal in a
    younger adult; from 50 years on, or with radiation, sweating or exertion, it stays high risk."""
    cardiac_words = _find(r"radiat\w+|spread\w* to (?:his |her |the )?(?:jaw|arm|neck|back)|goes down (?:his|her|the) (?:left )?arm|"
                          r"(?:left )?arm|jaw|sweat\w*|clammy|diaphore\w+|exertion|shovel\w*|crushing|heavy|pressure|squeez\w+", m.sentence) \
        or _find(r"radiat\w+|to (?:his|her|the) (?:jaw|left arm)|sweat\w*|clammy|sick to (?:his|her) stomach|nause\w+", text)
    if cardiac_words:
        return True
    if _find(_NON_CARDIAC, text) and (years is None or years < 50):
        return False
    return years is None or years >= 25


def _decision_c(complaints, text: str, years: float | None, v: Vitals):
    """Union of the resources each matched complaint expects (Table 5-1: different types counted once)."""
    if not complaints:
        return [LABS, "assessment"], ("Clinician assessment", "Bloods as indicated"), None, False, "an unlisted complaint"
    resources: list[str] = []
    manage: list[str] = []
    chosen: Match | None = None
    label = "the complaint"
    chosen_count = -1
    for complaint, m in complaints:
        if complaint.id == "fever_child" and (years is None or years >= 16):
            continue
        for variant in complaint.variants:
            if variant.age_min is not None and (years is None or years < variant.age_min):
                continue
            if variant.age_max is not None and (years is None or years > variant.age_max):
                continue
            if variant.when and not _find(variant.when, text, variant.literal):
                continue
            break
        else:
            continue
        for r in variant.resources:
            if r not in resources:
                resources.append(r)
        for step in variant.manage:
            if step not in manage:
                manage.append(step)
        n = sum(_WEIGHT.get(r, 1) for r in variant.resources)
        if n > chosen_count:
            chosen, chosen_count, label = m, n, complaint.label
    if chosen is None:  # only complaints outside their age range
        chosen = complaints[0][1]
    # An older adult with a fever needs at least bloods (Ch 5: expected resources in the elderly).
    if years is not None and years >= 65 and v.temp_c and v.temp_c.value >= 38.0 and LABS not in resources:
        resources.append(LABS)
    if resources:
        manage = [s for s in manage if s not in _SELF and "Safety-netting" not in s] or manage
    return resources, tuple(manage[:5]) or _SELF, chosen, True, label


def _decision_d(v: Vitals, years: float | None) -> _Fired | None:
    band, hr_max, rr_max = _danger_limits(years)
    rule = f"Fig 6-1: danger-zone vitals for {band}: HR > {hr_max:g}, RR > {rr_max:g}, SpO2 < 92 %"
    if v.hr and v.hr.value > hr_max:
        return _Fired(f"HR {v.hr.value:g}", _m(v.hr), rule, (), f"HR {v.hr.value:g}")
    if v.rr and v.rr.value > rr_max:
        return _Fired(f"RR {v.rr.value:g}", _m(v.rr), rule, (), f"RR {v.rr.value:g}")
    if v.spo2 and v.spo2.value < 92:
        return _Fired(f"SpO2 {v.spo2.value:g} %", _m(v.spo2), rule, (), f"SpO2 {v.spo2.value:g} %")
    # Ch 7: fever over 39 C in a child 3 months to 3 years: consider the danger zone.
    return None


def _answer(level: int, fired: _Fired, findings: list[Finding], point: str, text: str, v: Vitals, years, complaints) -> ToolAnswer:
    quote = fired.quote
    value = f"yes: {fired.value_words or fired.label}"
    if point == "A":
        findings.append(Finding("Decision A: life-saving intervention", value, quote, rule=fired.rule))
        reason = f"Needs immediate life-saving intervention ({fired.label}), so ESI 1."
    else:
        findings.append(Finding("Decision B: high risk, confused/lethargic, or severe pain/distress", value, quote, rule=fired.rule))
        reason = f"No life-saving intervention needed but high risk ({fired.label}), so ESI 2."
    return _build(level, reason, quote or _first_sentence(text), fired.manage, findings, [])


def _build(level: int, reason: str, evidence: str, manage, findings, missing) -> ToolAnswer:
    steps = []
    for s in manage:
        s = _shorten(s, 60)
        if s not in steps:
            steps.append(s)
    output = {
        "esi_level": level,
        "reason": _shorten(reason, 120),
        "initial_management": steps[:5] or list(_SELF),
        "evidence": evidence[:160].strip() or evidence[:160],
    }
    return ToolAnswer(output=output, source="computed", guideline=GUIDELINE, findings=findings, missing=missing,
                      note=f"Disposition: {disposition(level)}. Decision support for the triage nurse's review, not a triage decision.")
