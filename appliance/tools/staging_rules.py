"""N and M staging by the published rules (AJCC Cancer Staging Manual, 8th edition), with evidence.

`n_stage(text)` and `m_stage(text)` read a pathology or radiology report and return a
`ToolAnswer` whose output is `{"n_stage": ..., "evidence": ...}` / `{"m_stage": ..., "evidence": ...}`
(values from `N_STAGES` / `M_STAGES`, evidence a verbatim quote of at most 160 characters),
or None when the report says nothing the rules can use. Each answer carries its working:
the node counts, stations and distant sites read, each with its quote, the AJCC 8 chapter
applied, and a note where a rule could not be site-specific.

The tools for stated TNM tokens (`stated.stated_n` / `stated_m`, "T2 N1 M0") run first;
this module also reads a lone stated "pN2" / "pM1" (which needs no T beside it).

Rules and their sources (AJCC Cancer Staging Manual, 8th edition, 2017; chapter numbers):
- Breast (ch. 48): pN1mi micrometastasis; ITC only -> pN0(i+); 1-3 axillary -> pN1a; 4-9 -> pN2a; >=10 -> pN3a.
- Colon and rectum (ch. 20): 1 -> N1a; 2-3 -> N1b; tumour deposits without nodes -> N1c; 4-6 -> N2a; >=7 -> N2b.
- Lung (ch. 36): ipsilateral peribronchial/hilar/intrapulmonary (stations 10-14) -> N1;
  ipsilateral mediastinal/subcarinal (stations 2-9) -> N2; contralateral, scalene or supraclavicular (station 1) -> N3.
- Stomach (ch. 17): 1-2 -> N1; 3-6 -> N2; 7-15 -> N3a; >=16 -> N3b.
- Oesophagus (ch. 16): 1-2 -> N1; 3-6 -> N2; >=7 -> N3.
- Pancreas (ch. 28): 1-3 -> N1; >=4 -> N2.
- Thyroid, differentiated (ch. 73): central (level VI/VII) -> N1a; lateral (levels I-V, retropharyngeal) -> N1b.
- Head and neck, HPV-negative, pathological (ch. 10 and site chapters): single ipsilateral <=3 cm ENE- -> N1;
  single ipsilateral <=3 cm ENE+ or 3-6 cm ENE- -> N2a; multiple ipsilateral ENE- -> N2b; bilateral/contralateral
  ENE- -> N2c; >6 cm ENE- -> N3a; >3 cm ENE+, multiple ENE+ or contralateral ENE+ -> N3b.
  HPV-mediated (p16+) oropharynx, pathological (ch. 11): 1-4 nodes -> N1; >=5 -> N2.
- Urinary bladder (ch. 62): single true-pelvis node -> N1; multiple true-pelvis nodes -> N2; common iliac -> N3.
- Kidney (ch. 60), prostate (ch. 58), liver (ch. 22), cervix (ch. 52), mesothelioma (ch. 37,
  ipsilateral intrathoracic) and the other one-level chapters: any regional node -> N1.
- Corpus uteri (ch. 53): pelvic -> N1 (N1mi micrometastasis); para-aortic -> N2.
- Melanoma of the skin (ch. 47): 1 -> N1; 2-3 -> N2; >=4 -> N3; in-transit/satellite without nodes -> N1c.
- Isolated tumour cells only (clusters <=0.2 mm / <200 cells): N0(i+) (ch. 48 and the general rules); melanoma
  (ch. 47): any tumour cells in a regional node make it positive.
- No regional nodes in the specimen ("no lymph nodes submitted or found", "mastectomy without axillary contents"):
  NX (CAP protocols, pNX). A report silent about nodes gets no answer: silence is never turned into N0.
- M (all chapters): distant metastasis -> M1 (lung ch. 36: M1a intrathoracic, M1b single extrathoracic,
  M1c multiple extrathoracic; colorectum ch. 20: M1a one organ, M1b >=2 organs, M1c peritoneum).
  Pathology: a stated pM1 / "distant metastasis: present", a separately named distant organ or specimen with
  metastasis in it, or metastasis in a node group outside the chapter's regional groups (colorectum ch. 20:
  para-aortic, external/common iliac, inguinal; kidney ch. 60: iliac and below the aortic bifurcation; bladder
  ch. 62: above the common iliacs; prostate ch. 58: common iliac and above; lung ch. 36: axillary, cervical,
  abdominal; breast ch. 48: contralateral axillary/internal mammary; ...). The primary's own spread stays T
  (ipsilateral lung nodules ch. 36; contiguous adrenal ch. 60; adnexa ch. 53).
  A pathology report that states nothing about distant metastasis cannot assess M: MX, never M0.

OCR'd reports (TCGA scans) turn line breaks into ". "; a period after a conjunction, article or preposition
is read as a space (`_pathology_body`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..safety.negation import is_negated
from ..tasks.staging import M_STAGES, N_STAGES
from .answer import Finding, ToolAnswer
from .lexicon import findings_text, sentence_at, sizes_mm

AJCC = "AJCC Cancer Staging Manual, 8th edition"

# --------------------------------------------------------------------------------------------
# Small helpers: numbers in words, quotes
# --------------------------------------------------------------------------------------------

_WORDS = {
    "no": 0, "zero": 0, "none": 0, "nil": 0, "a": 1, "an": 1, "one": 1, "single": 1, "a single": 1, "solitary": 1,
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
}
_NUMWORD = (r"(?:\d{1,3}|[oO](?=\s*/)|zero|nil|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
            r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[\s-]\w+)?|thirty|forty)")


def _num(word: str) -> int | None:
    w = word.strip().lower()
    if w in ("o",):
        return 0
    if w.isdigit():
        return int(w)
    if w.startswith("twenty") and w != "twenty":
        rest = re.split(r"[\s-]", w, 1)[1]
        return 20 + _WORDS.get(rest, 0) if rest in _WORDS else 20
    return _WORDS.get(w)


def _quote(text: str, start: int, end: int, limit: int = 160) -> str:
    """A verbatim quote around text[start:end], at most `limit` characters, never empty."""
    sentence = sentence_at(text, start, end)
    if 0 < len(sentence) <= limit and text[start:end].strip() in sentence:
        return sentence
    # A window around the match, trimmed to word boundaries where possible.
    words = text[start:end]
    if len(words) >= limit:
        return words[:limit].strip()
    spare = limit - len(words)
    left = max(0, start - spare // 2)
    right = min(len(text), end + spare - (start - left))
    window = text[left:right]
    line_start = window.rfind("\n", 0, start - left)
    if line_start != -1:
        window = window[line_start + 1:]
    line_end = window.find("\n", len(window) - (right - end))
    if line_end != -1:
        window = window[:line_end]
    window = window.strip()
    return window[:limit].strip() if window else words.strip()[:limit]


# OCR'd reports (the TCGA scans among them) turn each line break into ". ", so a sentence is cut in the middle
# ("THREE (3) LYMPH NODES AND. VASCULAR MARGINS ARE NEGATIVE"). A sentence never ends on a conjunction, article
# or preposition: such a period is a line break and is read as a space (same length, so offsets hold).
_OCR_BREAK = re.compile(r"\b(?:and|or|of|the|an|with|without|to|in|into|for|by|from|at|on|are|is|were|was|than|that|"
                        r"which|including|per|as|show|shows|showing)(\.)(?=[ \t]+\S)", re.IGNORECASE)
# The same history/indication labels `findings_text` blanks, line by line.
_HISTORY_LINE = re.compile(
    r"^[ \t]*(?:history|clinical (?:history|information|details|indication)|indications?|reason(?: for (?:exam|study|referral))?|"
    r"request|clinical question|comparison|technique|protocol)[ \t]*:(.*)$", re.IGNORECASE | re.MULTILINE)


def _pathology_body(text: str) -> str:
    """The report without its history lines (`findings_text`), with OCR line-break periods read as spaces.

    A scanned report often arrives as one line: blanking its "Clinical information:" line would blank the whole
    report, so on a long line only the history sentence itself is blanked.
    """
    body = list(findings_text(text))
    for m in _HISTORY_LINE.finditer(text):
        if m.end() - m.start() <= 300:
            continue
        end = re.search(r"(?<!\d)\.(?=\s)", text[m.start(1):m.end()])
        restore_from = m.start(1) + end.end() if end else m.end()
        body[restore_from:m.end()] = text[restore_from:m.end()]
    for m in _OCR_BREAK.finditer(text):
        body[m.start(1)] = " "
    return "".join(body)


def _window(text: str, start: int, end: int, before: int, after: int) -> str:
    return text[max(0, start - before):min(len(text), end + after)]


# --------------------------------------------------------------------------------------------
# What kind of document, which cancer site
# --------------------------------------------------------------------------------------------

_PATHOLOGY_CUES = re.compile(
    r"\b(specimen|gross description|microscopic|excision|resection|lobectomy|mastectomy|lumpectomy|colectomy|"
    r"gastrectomy|nephrectomy|prostatectomy|cystectomy|hysterectomy|thyroidectomy|dissection|frozen section|"
    r"lymph nodes? (?:examined|identified|recovered|submitted)|surgical pathology|pathologic stage|synoptic|"
    r"cassette|block|formalin|histolog\w*|resect\w*|margins?)\b", re.IGNORECASE)
_RADIOLOGY_CUES = re.compile(
    r"\b(CT|computed tomography|PET(?:/CT|-CT)?|FDG|SUV(?:max)?|MRI|MR|magnetic resonance|ultrasound|"
    r"contrast|axial|coronal|sagittal|T1|T2-weighted|diffusion|enhancing|enhancement|hypodense|hypoattenuating|"
    r"attenuation|impression|findings|comparison|technique|scan|images?)\b", re.IGNORECASE)


def document_kind(text: str) -> str:
    """"pathology" or "radiology" (a CT/PET/MRI report), by the cues each kind uses."""
    path = len(_PATHOLOGY_CUES.findall(text))
    rad = len(_RADIOLOGY_CUES.findall(text))
    if re.search(r"lymph nodes? (?:examined|involved)|number of (?:regional )?(?:lymph )?nodes|"
                 r"gross description|frozen section|\(\s*\d+\s*/\s*\d+\s*\)", text, re.IGNORECASE):
        path += 5
    if path == 0 and rad >= 1:
        return "radiology"
    return "radiology" if rad > path * 1.5 and rad >= 3 else "pathology"


# site -> (pattern, chapter)
_SITES: list[tuple[str, str, str]] = [
    ("breast", r"\bbreast|mastectomy|lumpectomy|ductal carcinoma|lobular carcinoma|axillary (?:sentinel|lymph|node|dissection)|\bnipple\b", "Breast, chapter 48"),
    ("colorectal", r"\bcolon\b|colonic|colorectal|colectomy|\brect(?:um|al)\b|rectosigmoid|sigmoid|\bcecum\b|\bcaecum\b|cecal|hemicolectomy|mesorect|pericolic|pericolorectal", "Colon and Rectum, chapter 20"),
    ("lung", r"\blung\b|lobectomy|pneumonectomy|bronch(?:us|ial)|pulmonary|\b(?:right|left) (?:upper|middle|lower) lobe|\bRUL\b|\bRLL\b|\bLUL\b|\bLLL\b|non-small cell|squamous cell carcinoma of the lung|adenocarcinoma of the lung|mediastinal", "Lung, chapter 36"),
    ("stomach", r"\bstomach|gastric|gastrectomy|\bpylor|\bantrum|perigastric|lesser curvature|greater curvature", "Stomach, chapter 17"),
    ("oesophagus", r"o?esophag|gastro-?o?esophageal junction|\bGEJ\b", "Esophagus and Esophagogastric Junction, chapter 16"),
    ("thyroid", r"thyroid|papillary carcinoma|follicular carcinoma|isthmus", "Thyroid - Differentiated and Anaplastic Carcinoma, chapter 73"),
    ("head_neck", r"larynx|laryngeal|laryngectomy|pharyn|tonsil|tongue|oral cavity|floor of (?:the )?mouth|buccal|gingiva|mandib|maxill|\bneck dissection|supraglottic|glottic|palate|\blip\b|alveolar ridge|retromolar", "Head and Neck (chapters 10-14)"),
    ("bladder", r"\bbladder|urothelial|cystectomy|cystoprostatectomy|perivesical", "Urinary Bladder, chapter 62"),
    ("kidney", r"\bkidney|\brenal cell|nephrectomy|renal pelvis|clear cell renal|papillary renal|chromophobe", "Kidney, chapter 60"),
    ("prostate", r"prostat|seminal vesicle|gleason", "Prostate, chapter 58"),
    ("endometrium", r"endometri|corpus uteri|myometri|uterine corpus", "Corpus Uteri - Carcinoma and Carcinosarcoma, chapter 53"),
    ("cervix", r"\bcervix|cervical (?:carcinoma|cancer|squamous|stroma)|ectocervix|endocervi|radical hysterectomy|parametri", "Cervix Uteri, chapter 52"),
    ("melanoma", r"melanoma", "Melanoma of the Skin, chapter 47"),
    ("liver", r"hepatocellular|\bHCC\b|hepatectomy|cholangiocarcinoma", "Liver, chapter 22"),
    ("pancreas", r"pancrea|whipple|ampull", "Exocrine Pancreas, chapter 28"),
    ("mesothelioma", r"mesothelioma", "Malignant Pleural Mesothelioma, chapter 37"),
    ("testis", r"\btestis|testicular|orchiectomy|seminoma", "Testis, chapter 59"),
    ("adrenal", r"adrenal cortical carcinoma|adrenocortical", "Adrenal Cortical Carcinoma, chapter 76"),
]
_SITE_RE = [(name, re.compile(pat, re.IGNORECASE), chapter) for name, pat, chapter in _SITES]
_SITE_PRIORITY = {"melanoma": 6, "mesothelioma": 6, "thyroid": 2, "liver": 3, "adrenal": 4, "testis": 3,
                  "oesophagus": 1.5, "cervix": 1.5, "endometrium": 1.5, "pancreas": 1.5}
_SITE_DIAGNOSIS = re.compile(
    r"(?:carcinoma|cancer|adenocarcinoma|tumou?r|neoplasm|malignancy|melanoma|mesothelioma)\s+(?:of|in|involving|arising in)"
    r"\s+(?:the\s+)?(?:\w+\s+){0,3}?(\w+)", re.IGNORECASE)


def cancer_site(text: str) -> tuple[str | None, str | None]:
    """The cancer site (one of the AJCC chapters above) the report is about, with its chapter; (None, None) if unclear."""
    scores: dict[str, float] = {}
    for name, pattern, _ in _SITE_RE:
        hits = pattern.findall(text)
        if hits:
            scores[name] = len(hits) * _SITE_PRIORITY.get(name, 1.0)
    # The history/indication/clinical lines name the cancer being staged: they weigh most.
    for line in re.finditer(r"^[ \t]*(?:clinical (?:history|information|details|indication)|history|indications?|clinical|"
                            r"reason[^:\n]{0,20}|pre-?op(?:erative)? diagnosis|clinical diagnosis[^:\n]{0,20})[ \t]*:.*$",
                            text, re.IGNORECASE | re.MULTILINE):
        for name, pattern, _ in _SITE_RE:
            if pattern.search(line.group(0)):
                scores[name] = scores.get(name, 0) + 10
    # A primary tumour named in a mass + organ statement counts double ("carcinoma of the sigmoid colon").
    for m in _SITE_DIAGNOSIS.finditer(text):
        phrase = m.group(0)
        for name, pattern, _ in _SITE_RE:
            if pattern.search(phrase):
                scores[name] = scores.get(name, 0) + 3
    # Oesophagogastric junction tumours are staged as oesophagus; stomach words follow them everywhere.
    if not scores:
        return None, None
    name = max(scores, key=lambda k: scores[k])
    if name == "lung" and scores.get("mesothelioma"):
        name = "mesothelioma"
    # Mediastinal words alone do not make a lung cancer of a thyroid, oesophagus or breast report.
    chapter = next(c for n, _, c in _SITE_RE if n == name)
    return name, chapter


# --------------------------------------------------------------------------------------------
# Pathology: node counts in their written forms
# --------------------------------------------------------------------------------------------

@dataclass
class NodeCount:
    positive: int | None     # None: positive but how many is not said
    examined: int | None
    start: int
    end: int
    kind: str                # "fraction", "synoptic", "words", "qualitative"
    context: str = ""        # words before the count (the node group's label)
    total: bool = False      # a total over all groups


_NODE = r"(?:lymph\s*nodes?|nodes?|LNs?\b|lymph\s*node\s*(?:candidates?|metastas[ie]s)|nodal)"
_NEG_WORDS = re.compile(r"\b(negative|benign|free of|no tumou?r|no (?:regional )?(?:lymph )?node(?:al)? (?:metasta\w*|involvement|tumou?r)|"
                        r"metastas[ie]s (?:is |are |was |were )?(?:absent|not (?:seen|identified|present))|no (?:evidence of )?(?:metasta\w*|malignan\w*|carcinoma|neoplasm)|"
                        r"without (?:evidence of )?(?:tumou?r|metasta\w*|malignan\w*|carcinoma)|tumou?r-free|carcinoma-free|"
                        r"uninvolved|reactive|not involved|no malignancy|none involved|granulomas?|anthraco\w+|sarcoid\w*|hyperplasia)\b", re.IGNORECASE)
_POS_WORDS = re.compile(r"\b(positive|involved|metastatic|metastas[ie]s|carcinoma (?:present|seen|identified)|tumou?r (?:present|deposits?)|"
                        r"with (?:metastatic|tumou?r|carcinoma)|replaced by)\b", re.IGNORECASE)
_SCORE_CONTEXT = re.compile(r"\b(grade|score|nuclear|mitotic|mitoses|tubule|pleomorphism|nottingham|gleason|cores?|"
                            r"blocks?|slides?|margins?|hpf|fragments?|her-?2|ratio|allred|sections?|cassettes?|"
                            r"pieces?|received|labeled|labelled|specimens?|parts?|containers?|page)\b", re.IGNORECASE)

_FRACTION = re.compile(r"(?<![\d./-])(\d{1,2}|[oO])\s*/\s*(\d{1,3})(?![\d/]|\.\d)")
_OF = re.compile(r"\b(" + _NUMWORD + r")\s+(?:\(\s*\d+\s*\)\s*)?(?:\(\s*)?(?:out\s+)?of\s+(?:the\s+)?(" + _NUMWORD + r")\b(?!\s*(?:cm|mm|%))"
                 r"(?:\s*\(\s*\d+\s*\))?", re.IGNORECASE)

_SYN_POS = re.compile(
    r"(?<![\w])(?:(?:total\s+)?(?:number|no\.|#)\s*(?:of\s+)?)?(?:regional\s+)?(?:lymph\s*)?(?:nodes?\s+)?"
    r"(?:with\s+metastas[ie]s|with\s+metastatic\s+\w+|containing\s+metastatic\s+\w+|positive|involved|metastatic|metestatic|"
    r"with\s+tumou?r)(?:\s+(?:regional\s+)?(?:lymph\s*)?nodes?)?(?:\s+for\s+\w+)?(?:\s*\([^)]{0,20}\))?\s*(?:[:=]|\.(?=\s*\d))?\s*(\d{1,3}|none|zero|nil|o)\b"
    r"(?!\s*(?:cm|mm|%|x\b)|\.\d)",
    re.IGNORECASE)
_SYN_EXAM = re.compile(
    r"(?:(?<!\w)(?:number|no\.|#|total)(?:\s+of)?[^:\n]{0,40}?(?:examined|identified|recovered|retrieved|resected|submitted|nodes)"
    r"|(?:lymph\s*)?nodes?\s+(?:examined|identified|recovered|retrieved))\s*[:=]?\s*(\d{1,3})\b", re.IGNORECASE)
_WORD_POS = re.compile(
    r"\b(" + _NUMWORD + r"|multiple|several|numerous|all)\s+(?:\(\s*(?:of\s+)?\d+\s*\)\s+)?(?:[\w/-]+\s+){0,3}?(?:lymph\s*)?nodes?\b"
    r"(?:\s*\([^)]{0,30}\))?,?\s+(?:are\s+|is\s+|were\s+|was\s+|all\s+|both\s+|each\s+)?(?:[\w-]+\s+)?"
    r"(?:positive|involved|with (?:metastatic|metastas)|containing (?:metastatic|metastas)|replaced)", re.IGNORECASE)
_WORD_POS2 = re.compile(
    r"(?:metastatic \w+(?: \w+)?|metastas[ie]s|tumou?r|carcinoma) (?:involving|in|to)\s+(" + _NUMWORD + r"|multiple|several|numerous)"
    r"\s+(?:\(\s*\d+\s*\)\s+)?(?:[\w-]+\s+){0,3}?(?:lymph\s*)?nodes?\b", re.IGNORECASE)
_WORD_POS3 = re.compile(r"\b(" + _NUMWORD + r")\s+(?:[\w-]+\s+){0,2}?(?:lymph\s*)?nodes?\s+metastas[ie]s\b", re.IGNORECASE)
_WORD_NEG = re.compile(
    r"\b(" + _NUMWORD + r"|multiple|several|numerous)\s+(?:\(\s*(\d+)\s*\)\s+)?(?:[\w-]+[\s,]+){0,5}?(?:lymph\s*)?nodes?\b[^.;:]{0,40}?"
    r"(?:negative|benign|free of|no tumou?r|no (?:evidence of )?(?:metasta\w*|malignan\w*|carcinoma)|without|tumou?r-free|reactive|uninvolved)",
    re.IGNORECASE)
_NO_TUMOUR_IN = re.compile(
    r"(?:no (?:tumou?r|carcinoma|metastas[ie]s|malignancy)(?: is| was)? (?:identified|seen|present)? ?in)\s+"
    r"(?:(?:multiple|several|a single|one|two|\w+)\s+)?\(?\s*(\d{1,3}|" + _NUMWORD + r")?\s*\)?\s*(?:[\w()-]+\s+){0,5}?(?:lymph\s*)?nodes?",
    re.IGNORECASE)
_NOT_SAMPLED = re.compile(
    r"(?:no lymph nodes? (?:(?:are|were|was|is) )?(?:submitted|identified|present|found|recovered|received|sampled|seen)|"
    r"lymph nodes?\s*[:\-]?\s*(?:none (?:identified|submitted|found)|not (?:identified|submitted|sampled|applicable|present))|"
    r"no (?:regional )?lymph nodes? (?:identified|submitted)|"
    r"(?:number of )?(?:regional )?lymph nodes? examined\s*[:=]\s*(?:0|none)\b|\bpNX\b|lymph nodes\s*:\s*not specified|"
    r"without (?:any )?(?:axillary|regional lymph node|lymph node|nodal) (?:tissues?|contents|dissection|nodes?)|"
    r"no (?:axillary|regional) (?:tissue|contents|lymph nodes?) (?:(?:is|was|are|were) )?(?:present|identified|received|submitted|included|found))",
    re.IGNORECASE)
# A node stated positive in a sentence of its own (used only against a count-derived N0; see `_pathology_n`).
_POS_STATEMENT = re.compile(
    r"\b(?:lymph\s*)?nodes?\b[^.;:]{0,40}?\b(?:is|are|was|were)\s+(?:\w+\s+)?(?:positive|involved)\b(?![\s-]*(?:for\s+)?(?:\w+\s+)?(?:granulom|sarcoid|lymphoma|anthraco))|"
    r"\b(?:metastatic\s+(?:(?!nodes?\b)\w+\s+){0,3}?|metastas[ie]s\s+)(?:in|to|involving)\s+(?:[\w/()-]+\s+){0,6}?(?:lymph\s*)?nodes?\b|"
    r"\b(?:lymph\s*)?nodes?\b[^.;:]{0,30}?\b(?:positive for|with|showing|shows?|containing|involved by|replaced by)\s+"
    r"(?:\w+\s+){0,2}?(?:metastatic|metastas[ie]s|carcinoma|adenocarcinoma|tumou?r)\b", re.IGNORECASE)
_ITC = re.compile(r"isolated (?:tumou?r|melanoma|carcinoma|malignant) cells?|\bITCs?\b|\(i\+\)", re.IGNORECASE)
_MICRO = re.compile(r"micro-?metasta\w*|\bpN1mi\b", re.IGNORECASE)
_DEPOSITS = re.compile(r"tumou?r deposits?[^.:\n]{0,40}?[:=]?\s*(present|identified|\d+|number\s*[:=]?\s*\d+|yes|"
                       r"(?:one|two|three|four|five|six|seven|eight|nine|ten|several|multiple)\b)|"
                       r"(?<!no )(?<!without )tumou?r deposits? (?:is |are )?(?:present|identified|seen)", re.IGNORECASE)
_ENE = re.compile(r"(?:extra-?nodal|extra-?capsular|perinodal)\s+(?:tumou?r\s+)?(?:extension|spread|invasion|involvement)|"
                  r"\bENE\b|extension (?:beyond|through) the (?:lymph node )?capsule", re.IGNORECASE)
_ENE_ABSENT = re.compile(r"^\W{0,4}(?:\([^)]*\)\W{0,3})?(?:not (?:identified|present|seen|specified|applicable|assessed)|absent|negative|none|no\b|n/a|cannot)", re.IGNORECASE)


def _looks_like_node_count(text: str, start: int, end: int) -> tuple[bool, str]:
    """Is the count at text[start:end] about lymph nodes (not a grade, score or block)? Also returns its left context."""
    left = text[max(0, start - 90):start]
    right = text[end:end + 60]
    near_left = text[max(0, start - 25):start]
    if _SCORE_CONTEXT.search(near_left) and not re.search(_NODE, near_left, re.IGNORECASE):
        return False, left
    if re.match(r"\s*(?:of the|of\s+(?:the\s+)?(?:wall|tumou?r|specimen|circumference|lumen))", right, re.IGNORECASE):
        return False, left
    if re.match(r"\s*(?:cm|mm|%|hpf|cores?|blocks?|slides?|x\b)", right, re.IGNORECASE):
        return False, left
    node_left = re.search(_NODE, text[max(0, start - 70):start], re.IGNORECASE)
    node_right = re.search(_NODE, text[end:end + 45], re.IGNORECASE)
    pn = re.search(r"\b(?:y?p)?N[0-3O]\w{0,3}\s*\(?\s*$", text[max(0, start - 12):start])
    if not (node_left or node_right or pn):
        return False, left
    # "Slides 1/3", "page 2/4", dates.
    if re.search(r"\b(?:page|slide|block|part)\s*$", near_left, re.IGNORECASE):
        return False, left
    return True, left


def _status_near(text: str, start: int, end: int) -> str | None:
    """"negative" / "positive" from the words right around a count, if they say."""
    lo = max(0, start - 60)
    cut = max(text.rfind(". ", lo, start), text.rfind("\n", lo, start))
    lo = cut + 1 if cut != -1 else lo
    hi = min(len(text), end + 30)
    stop = text.find(". ", end, hi)
    hi = stop if stop != -1 else hi
    around = text[lo:hi]
    neg = _NEG_WORDS.search(around)
    pos = None
    for m in _POS_WORDS.finditer(around):
        absolute = lo + m.start()
        if not is_negated(text, absolute, absolute + len(m.group(0))) and not _NEG_WORDS.search(
                around[max(0, m.start() - 25):m.start()]):
            pos = m
            break
    if neg and not pos:
        return "negative"
    if pos and not neg:
        return "positive"
    return None


def node_counts(text: str) -> list[NodeCount]:
    """Every positive/examined node count a pathology report writes, in its written forms."""
    counts: list[NodeCount] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    # Synoptic totals: "Number of lymph nodes involved: 4", "No. Involved: 0", "Lymph nodes positive: 3".
    for m in _SYN_POS.finditer(text):
        label = m.group(0).lower()
        if not re.search(r"node|\bLN", label) and not re.search(_NODE, text[max(0, m.start() - 160):m.start()], re.IGNORECASE):
            continue
        if not re.search(r"node|\bLN|number|no\.|#|total", label):
            continue
        frac = _FRACTION.match(text, m.start(1))
        if frac:
            continue   # "Number of positive lymph nodes: 3/10" is read as a fraction
        pos = _num(m.group(1)) if m.group(1).lower() not in ("none", "no") else 0
        exam = None
        near = text[max(0, m.start() - 120):m.end() + 120]
        e = _SYN_EXAM.search(near)
        if e:
            exam = int(e.group(1))
        total = bool(re.search(r"\btotal\b|regional", label)) or True
        counts.append(NodeCount(pos, exam, m.start(), m.end(), "synoptic", text[max(0, m.start() - 90):m.start()], total))
        taken.append((m.start(), m.end()))

    for pattern in (_FRACTION, _OF):
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            a, b = _num(m.group(1)), _num(m.group(2))
            if a is None or b is None or (b == 0 and a != 0) or a > b or b > 150:
                continue
            ok, left = _looks_like_node_count(text, m.start(), m.end())
            if not ok:
                continue
            if pattern is _OF and re.search(r"\bgrade\s*$|\(\s*$", text[max(0, m.start() - 12):m.start()], re.IGNORECASE):
                continue
            # Gross handling, not a result: "two of six lymph nodes are submitted for frozen section".
            if re.match(r"[\s\w()-]{0,30}?\b(?:are|were|is|was)\s+(?:\w+\s+)?(?:submitted|sent|taken|frozen|bisected|trisected|"
                        r"received|entirely|serially)\b", text[m.end():m.end() + 60], re.IGNORECASE):
                continue
            status = _status_near(text, m.start(), m.end())
            if status == "negative" and a > 0:
                a = 0   # "negative (8/8)", "granuloma (1/8)": nodes examined, none with metastasis
            total = bool(re.search(r"\btotal\b", text[max(0, m.start() - 30):m.start()], re.IGNORECASE))
            counts.append(NodeCount(a, b, m.start(), m.end(), "fraction", left, total))
            taken.append((m.start(), m.end()))

    for pattern in (_WORD_POS, _WORD_POS2, _WORD_POS3):
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            if is_negated(text, m.start(), m.end()) or re.search(r"\b(?:no|negative for|without|free of)\s+(?:\w+\s+){0,2}$",
                                                                   text[max(0, m.start() - 30):m.start()], re.IGNORECASE):
                continue
            if _NEG_WORDS.search(m.group(0)):
                continue
            word = m.group(1).lower()
            pos = _num(word) if word not in ("multiple", "several", "numerous", "all") else None
            if pos == 0:
                continue
            counts.append(NodeCount(pos, None, m.start(), m.end(), "words", text[max(0, m.start() - 90):m.start()]))
            taken.append((m.start(), m.end()))

    for pattern in (_WORD_NEG, _NO_TUMOUR_IN):
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            if pattern is _WORD_NEG:
                n = _num(m.group(2)) if m.group(2) else _num(m.group(1))
                if re.search(r"\b(?:but|except|however|other)\b", m.group(0), re.IGNORECASE):
                    continue
            else:
                n = _num(m.group(1)) if m.group(1) else None
            counts.append(NodeCount(0, n, m.start(), m.end(), "words", text[max(0, m.start() - 90):m.start()]))
            taken.append((m.start(), m.end()))
    counts.sort(key=lambda c: c.start)
    return counts


_QUAL_NODE = re.compile(_NODE, re.IGNORECASE)


def _qualitative(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Node mentions with a status but no count: (positive spans, negative spans)."""
    pos, neg = [], []
    for m in _QUAL_NODE.finditer(text):
        s, e = m.start(), m.end()
        sentence = sentence_at(text, s, e)
        s_off = text.rfind(sentence, max(0, s - len(sentence) - 1), e + len(sentence) + 1)
        lo = max(s - 70, s_off if s_off != -1 else s - 70)
        hi = min(e + 70, (s_off + len(sentence)) if s_off != -1 else e + 70)
        lo = max(0, lo)
        around = text[lo:hi]
        if re.search(r"\b(?:received|labeled|labelled|submitted|cassette|block|sections?|consists? of|measur\w+|"
                     r"identified grossly|grossly|candidates?|dissected)\b", sentence, re.IGNORECASE) \
                and not re.search(r"metasta|negative|positive|tumou?r|benign|reactive|free of", sentence, re.IGNORECASE):
            continue
        ps = None
        for p in _POS_WORDS.finditer(around):
            absolute = lo + p.start()
            if is_negated(text, absolute, absolute + len(p.group(0))):
                continue
            if _NEG_WORDS.search(around[max(0, p.start() - 30):p.start()]):
                continue
            if re.search(r"metasta\w*\s+(?:from|to)\s+(?:the\s+)?(?:liver|lung|bone|brain)", around, re.IGNORECASE):
                continue
            if re.match(r"[\w ]{0,20}[:=]", around[p.end():]):
                continue   # "Number of Nodes Positive:" is a label, not a status
            ps = p
            break
        ng = _NEG_WORDS.search(around)
        if ps and not ng:
            pos.append((s, e))
        elif ng and not ps:
            neg.append((s, e))
        elif ps and ng:
            # both: the nearer one decides
            d_pos = abs(lo + ps.start() - s)
            d_neg = abs(lo + ng.start() - s)
            (pos if d_pos < d_neg else neg).append((s, e))
    return pos, neg


# --------------------------------------------------------------------------------------------
# Stated pN / pM without a T beside it ("pN2", "pNO", "Regional Lymph Nodes (pN): pN1a")
# --------------------------------------------------------------------------------------------

_STATED_PN = re.compile(r"(?<![A-Za-z])(?:y?p|c)N\s?([0-3OXox])\s?(mi|[a-c])?(?:\s?\((i|mol|sn)[+-]?\)?)?(?![A-Za-z0-9])")
_STATED_PM = re.compile(r"(?<![A-Za-z])(?:y?p|c)M\s?([01OXox])\s?([a-d])?(?![A-Za-z0-9])")
# A form field: "M Stage: 0", "M category (pathologic): pM1" (the value may be the bare digit).
_STATED_M_LABEL = re.compile(r"\bM\s?(?:stage|category)\b[^:\n]{0,30}?[:=]\s*(?:(?:y?p|c)?M\s?)?([01OX])([a-d])?(?!\w)", re.IGNORECASE)
# A form field: "N STAGE, PATHOLOGIC: pN1", "N Stage: 0", "Regional lymph nodes (pN): pN2a" (the value may be the bare digit).
_STATED_N_LABEL = re.compile(r"(?:lymph node stage|\bN\s?(?:stage|category)\b|regional lymph nodes \(p?N\))[^:\n]{0,30}?[:=]\s*"
                             r"(?:(?:y?p|c)?N\s?)?([0-3OX])(mi|[a-c])?(?!\w)",
                             re.IGNORECASE)


def _stated_pn(text: str) -> tuple[str, int, int] | None:
    found = []
    for pattern in (_STATED_PN, _STATED_N_LABEL):
        for m in pattern.finditer(text):
            digit = m.group(1).upper().replace("O", "0")
            stage = "N" + digit + (m.group(2) or "").lower()
            if stage not in N_STAGES:
                stage = "N" + digit
            if stage in N_STAGES:
                found.append((stage, m.start(), m.end()))
    if not found:
        return None
    # The most severe stated (an undercall is the dangerous error).
    return max(found, key=lambda f: (f[0] != "NX", N_STAGES.index(f[0])))


# --------------------------------------------------------------------------------------------
# Site rules for a pathological N
# --------------------------------------------------------------------------------------------

_LUNG_N3 = re.compile(r"supraclavicular|scalene|contralateral|station\s*1\b|level\s*(?:1|I)\b|\b1[RL]\b", re.IGNORECASE)
_LUNG_N2 = re.compile(r"mediastin|paratracheal|subcarinal|carinal|aortopulmonary|aorto-pulmonary|A-?P window|subaortic|para-?aortic|"
                      r"pre-?vascular|retrotracheal|para-?o?esophageal|pulmonary ligament|\bstation\s*[2-9]\b|\blevel\s*(?:[2-9]|II|III|IV|V|VI|VII|VIII|IX)\b|"
                      r"\b[2-9][RLAP]?\b(?=\s*(?:\)|lymph|node|,|:))|\b(?:ST|station|level)\s*[2-9][RL]?\b|\b4[RL]\b|\b2[RL]\b", re.IGNORECASE)
_LUNG_N1 = re.compile(r"hilar|hilum|interlobar|lobar|segmental|subsegmental|peribronchial|intrapulmonary|bronchopulmonary|"
                      r"\bstation\s*1[0-4]\b|\blevel\s*(?:1[0-4]|X|XI|XII|XIII|XIV)\b|\b1[0-4][RL]?\b", re.IGNORECASE)
_THYROID_LATERAL = re.compile(r"lateral|jugular|level\s*(?:I{1,3}|IV|V|[1-5])[AB]?\b|levels?\s*(?:I{1,3}|IV|V|[1-5])\b|"
                              r"posterior triangle|submandibular|retropharyngeal|modified radical|neck dissection", re.IGNORECASE)
# Level VI (ch. 73): pretracheal, paratracheal, prelaryngeal/Delphian and perithyroidal nodes, the nodes by the isthmus among them.
_THYROID_CENTRAL = re.compile(r"central|level\s*(?:VI|VII|6|7)\b|paratracheal|pretracheal|prelaryngeal|delphian|perithyroid|"
                              r"recurrent laryngeal|superior mediastin|isthmus", re.IGNORECASE)
_PARA_AORTIC = re.compile(r"para-?aortic|aortocaval|periaortic|para-?caval|inter-?aortocaval", re.IGNORECASE)
_COMMON_ILIAC = re.compile(r"common iliac", re.IGNORECASE)
_HPV = re.compile(r"\bp16\b[^.]{0,30}(?:positive|\+|strong)|HPV[^.]{0,20}(?:positive|associated|mediated|detected)", re.IGNORECASE)
_OROPHARYNX = re.compile(r"oropharyn|tonsil|base of (?:the )?tongue|soft palate|vallecul", re.IGNORECASE)


def _site_n(site: str | None, positive: int | None, groups: list[NodeCount], text: str,
            findings: list[Finding], micro_only: bool, deposits: bool) -> tuple[str, str | None]:
    """(N category, rule in words) from the positive count, the groups and the site's AJCC 8 chapter."""
    n = positive
    if site == "breast":
        if micro_only:
            return "N1mi", "micrometastasis only (>0.2 mm to 2 mm): pN1mi"
        if n is None:
            return "N1", "positive axillary node(s), number not stated: at least pN1"
        return ("N1" if n <= 3 else "N2" if n <= 9 else "N3"), "1-3 nodes pN1, 4-9 pN2, >=10 pN3"
    if site == "colorectal":
        if (n == 0 or n is None and not groups) and deposits:
            return "N1c", "tumour deposits without regional node metastasis: N1c"
        if n is None:
            return "N1", "positive regional node(s), number not stated: at least N1"
        return ("N1a" if n == 1 else "N1b" if n <= 3 else "N2a" if n <= 6 else "N2b"), "1 N1a, 2-3 N1b, 4-6 N2a, >=7 N2b"
    if site == "stomach":
        if n is None:
            return "N1", "positive regional node(s), number not stated: at least N1"
        return ("N1" if n <= 2 else "N2" if n <= 6 else "N3a" if n <= 15 else "N3b"), "1-2 N1, 3-6 N2, 7-15 N3a, >=16 N3b"
    if site == "oesophagus":
        if n is None:
            return "N1", "positive regional node(s), number not stated: at least N1"
        return ("N1" if n <= 2 else "N2" if n <= 6 else "N3"), "1-2 N1, 3-6 N2, >=7 N3"
    if site == "pancreas":
        if n is None:
            return "N1", "positive regional node(s), number not stated: at least N1"
        return ("N1" if n <= 3 else "N2"), "1-3 N1, >=4 N2"
    if site == "melanoma":
        if n is None:
            return "N1", "positive regional node(s), number not stated: at least N1"
        return ("N1" if n == 1 else "N2" if n <= 3 else "N3"), "1 N1, 2-3 N2, >=4 N3"
    if site == "lung":
        level, where = 1, None
        for g in groups:
            if g.positive:
                label = g.context[-70:]
                for lvl, pattern in ((3, _LUNG_N3), (2, _LUNG_N2), (1, _LUNG_N1)):
                    hit = pattern.search(label)
                    if hit:
                        if lvl > level:
                            level, where = lvl, hit.group(0)
                        break
        stage = {1: "N1", 2: "N2", 3: "N3"}[level]
        rule = (f"positive node in station '{where}'" if where else "positive node(s), station not stated or peribronchial/hilar") + \
            ": hilar/peribronchial N1, ipsilateral mediastinal/subcarinal N2, contralateral/supraclavicular N3"
        return stage, rule
    if site == "thyroid":
        lateral = any(g.positive and _THYROID_LATERAL.search(g.context[-80:]) for g in groups)
        central = any(g.positive and _THYROID_CENTRAL.search(g.context[-80:]) for g in groups)
        if lateral:
            return "N1b", "lateral neck (levels I-V) or retropharyngeal: N1b"
        if central:
            return "N1a", "central compartment (level VI/VII): N1a"
        return "N1", "positive node(s), compartment not stated: N1"
    if site == "head_neck":
        ene = _ene_present(text)
        if ene:
            findings.append(Finding("extranodal extension", "present", ene))
        largest = _largest_nodal_mm(text)
        if _HPV.search(text) and _OROPHARYNX.search(text):
            if n is None:
                return "N1", "HPV-mediated oropharynx: positive node(s), number not stated: at least pN1"
            return ("N1" if n <= 4 else "N2"), "HPV-mediated (p16+) oropharynx, pathological: 1-4 nodes pN1, >=5 pN2"
        bilateral = bool(re.search(r"bilateral|contralateral", " ".join(g.context for g in groups if g.positive), re.IGNORECASE)) \
            or (bool(re.search(r"\bright\b", " ".join(g.context[-60:] for g in groups if g.positive), re.IGNORECASE))
                and bool(re.search(r"\bleft\b", " ".join(g.context[-60:] for g in groups if g.positive), re.IGNORECASE)))
        multiple = n is None or n > 1
        if ene:
            if multiple or (largest and largest > 30) or bilateral:
                return "N3b", "ENE+ with multiple, contralateral or >3 cm nodes: pN3b"
            return "N2a", "single ipsilateral node <=3 cm with ENE: pN2a"
        if largest and largest > 60:
            return "N3a", "node >6 cm without ENE: pN3a"
        if bilateral and multiple:
            return "N2c", "bilateral or contralateral nodes without ENE: pN2c"
        if multiple:
            return "N2b", "multiple ipsilateral nodes <=6 cm without ENE: pN2b"
        if largest and largest > 30:
            return "N2a", "single ipsilateral node 3-6 cm without ENE: pN2a"
        return "N1", "single ipsilateral node <=3 cm without ENE: pN1"
    if site == "bladder":
        common = any(g.positive and _COMMON_ILIAC.search(g.context[-80:]) for g in groups)
        if common:
            return "N3", "common iliac node metastasis: N3"
        if n is None:
            return "N1", "positive true-pelvis node(s), number not stated: at least N1"
        return ("N1" if n == 1 else "N2"), "single true-pelvis node N1, multiple N2, common iliac N3"
    if site == "endometrium":
        para = any(g.positive and _PARA_AORTIC.search(g.context[-80:]) for g in groups)
        if para:
            return "N2", "para-aortic node metastasis: N2"
        if micro_only:
            return "N1mi", "pelvic micrometastasis only: N1mi"
        return "N1", "pelvic node metastasis: N1"
    if site in ("kidney", "prostate", "cervix", "liver", "mesothelioma", "adrenal", "testis"):
        if site == "cervix" and any(g.positive and _PARA_AORTIC.search(g.context[-80:]) for g in groups):
            return "N1", "regional (pelvic or para-aortic) node metastasis: N1"
        return "N1", "regional node metastasis: N1"
    return "N1", None


def _ene_present(text: str) -> str | None:
    for m in _ENE.finditer(text):
        after = text[m.end():m.end() + 40]
        if _ENE_ABSENT.match(after) or is_negated(text, m.start(), m.end()):
            continue
        if re.match(r"\W{0,4}(?:present|identified|yes|seen)", after, re.IGNORECASE) or not re.match(r"\s*:", after):
            return _quote(text, m.start(), m.end())
    return None


def _largest_nodal_mm(text: str) -> float | None:
    best = None
    for m in re.finditer(r"largest[^.:\n]{0,40}?(?:node|metasta\w*|deposit|focus)[^.\n]{0,60}", text, re.IGNORECASE):
        for s in sizes_mm(m.group(0)):
            best = max(best or 0.0, s.mm)
    return best


def _pathology_n(text: str) -> ToolAnswer | None:
    body = _pathology_body(text)
    site, chapter = cancer_site(text)
    guideline = f"{AJCC}, {chapter}" if chapter else AJCC
    findings: list[Finding] = []

    stated = _stated_pn(text)
    if stated:
        stage, s, e = stated
        quote = _quote(text, s, e)
        findings.append(Finding("stated pN category", stage, quote))
        return ToolAnswer({"n_stage": stage, "evidence": quote}, source="stated_in_document", guideline=guideline,
                          findings=findings)

    counts = node_counts(body)
    pos_spans, neg_spans = _qualitative(body)
    itc = [m for m in _ITC.finditer(body) if not is_negated(body, m.start(), m.end())]
    micro = [m for m in _MICRO.finditer(body) if not is_negated(body, m.start(), m.end())]
    deposits = [m for m in _DEPOSITS.finditer(body) if not is_negated(body, m.start(), m.end())
                and not re.match(r".*(?::|=)\s*(?:0|none|not identified|absent|no)\b", m.group(0), re.IGNORECASE)]

    synoptic = [c for c in counts if c.kind == "synoptic"]
    fractions = [c for c in counts if c.kind == "fraction"]
    words = [c for c in counts if c.kind == "words"]

    positive: int | None
    examined: int | None = None
    used: list[NodeCount]
    if synoptic:
        best = max(synoptic, key=lambda c: c.positive or 0)
        positive, examined, used = best.positive, best.examined, [best]
        # Group-level counts still say which stations/compartments were involved.
        used = [best] + [c for c in fractions + words if c.positive]
    elif fractions:
        # Duplicates (a diagnosis line and its summary) count once; a total over the groups is taken as such.
        seen: dict[tuple[int, int], NodeCount] = {}
        for c in fractions:
            seen.setdefault((c.positive or 0, c.examined or 0), c)
        distinct = list(seen.values())
        sum_pos = sum(c.positive or 0 for c in distinct)
        sum_exam = sum(c.examined or 0 for c in distinct)
        totals = [c for c in distinct if c.total] or [
            c for c in distinct if len(distinct) > 2 and 2 * (c.positive or 0) == sum_pos and 2 * (c.examined or 0) == sum_exam]
        if totals:
            best = max(totals, key=lambda c: (c.positive or 0, c.examined or 0))
            positive, examined = best.positive, best.examined
        else:
            positive, examined = sum_pos, sum_exam
        # Word-form positive counts not already written as fractions ("metastatic carcinoma in one node").
        extra = [c for c in words if c.positive and not any(abs(c.start - f.start) < 120 for f in fractions)]
        positive += sum(c.positive or 1 for c in extra)
        used = [c for c in fractions if c.positive] + extra or distinct[:3]
    elif words:
        pos_words = [c for c in words if c.positive is None or c.positive > 0]
        if pos_words:
            positive = None if any(c.positive is None for c in pos_words) else sum(c.positive for c in pos_words)
            if positive is None and len(pos_words) == 1:
                positive = None
            used = pos_words
        else:
            positive = 0
            examined = sum(c.examined or 0 for c in words) or None
            used = words[:3]
    elif pos_spans or neg_spans:
        positive = None if pos_spans else 0
        used = [NodeCount(None if pos_spans else 0, None, s, e, "qualitative", body[max(0, s - 90):s])
                for s, e in (pos_spans or neg_spans)[:3]]
    else:
        used = []
        positive = None

    # A node stated positive in words the counts did not read ("a single (of 23) axillary node is positive") is not
    # overruled by negative counts of other groups: an undercall is the dangerous error. The final synoptic count
    # stands, and gross impressions ("grossly positive", "possible nodes") are not findings.
    if positive == 0 and not synoptic:
        uncovered = [(m.start(), m.end()) for m in _POS_STATEMENT.finditer(body)
                     if not is_negated(body, m.start(), m.end()) and not _NEG_WORDS.search(m.group(0))
                     and not any(c.start - 60 <= m.start() <= c.end + 60 for c in counts)
                     and not re.search(r"gross|possible|probable|suspicious|cassette|section|frozen|patients|survival|number of|expressed as",
                                       sentence_at(body, m.start(), m.end()), re.IGNORECASE)]
        if uncovered:
            s0, e0 = uncovered[0]
            positive = None
            used = [NodeCount(None, None, s0, e0, "qualitative", body[max(0, s0 - 90):s0])] + [c for c in used if c.positive]

    # Micrometastasis / ITC only, when nothing else was positive.
    micro_only = bool(micro) and (positive in (None, 0, 1)) and not (positive and positive > 1)
    if positive == 0 and micro:
        positive = len(micro) if False else 1
    if not used and not micro and not itc:
        not_sampled = _NOT_SAMPLED.search(body)
        if not_sampled:
            quote = _quote(text, not_sampled.start(), not_sampled.end())
            findings.append(Finding("regional lymph nodes", "not sampled", quote))
            return ToolAnswer({"n_stage": "NX", "evidence": quote}, guideline=guideline, findings=findings,
                              note="no regional lymph nodes were examined: N cannot be assessed (NX)")
        if site == "colorectal" and deposits:
            d = deposits[0]
            quote = _quote(text, d.start(), d.end())
            findings.append(Finding("tumour deposits", "present", quote))
            return ToolAnswer({"n_stage": "N1c", "evidence": quote}, guideline=guideline, findings=findings)
        return None

    # Isolated tumour cells (clusters <=0.2 mm or <200 cells) with no count and no micrometastasis: N0(i+) (AJCC 8,
    # breast ch. 48 and the general rules); in melanoma (ch. 47) any tumour cells in a regional node make it positive.
    if not used and not micro and itc:
        quote = _quote(text, itc[0].start(), itc[0].end())
        if site == "melanoma":
            findings.append(Finding("isolated tumour cells", "present (counted as a positive node in melanoma)", quote))
            positive, used = None, [NodeCount(None, None, itc[0].start(), itc[0].end(), "qualitative",
                                              body[max(0, itc[0].start() - 90):itc[0].start()])]
        else:
            findings.append(Finding("isolated tumour cells", "present (N0(i+))", quote))
            return ToolAnswer({"n_stage": "N0", "evidence": quote}, guideline=guideline, findings=findings,
                              note="isolated tumour cells only count as N0(i+)")
    if positive == 0 and itc and not micro and site == "melanoma":
        positive = None
        used = [NodeCount(None, None, itc[0].start(), itc[0].end(), "qualitative", body[max(0, itc[0].start() - 90):itc[0].start()])] + used

    for c in used[:6]:
        value = ("positive" if c.positive is None else f"{c.positive} positive") + (f" of {c.examined} examined" if c.examined else "")
        findings.append(Finding("lymph node count" if c.kind != "qualitative" else "lymph node status", value,
                                _quote(text, c.start, c.end)))
    evidence_count = used[0] if used else None
    positive_groups = [c for c in used if c.positive is None or c.positive > 0]
    if positive_groups:
        evidence_count = positive_groups[0]

    note = None
    if positive == 0 and not micro:
        if itc:
            quote = _quote(text, itc[0].start(), itc[0].end())
            findings.append(Finding("isolated tumour cells", "present (N0(i+))", quote))
        if site == "colorectal" and deposits:
            d = deposits[0]
            quote = _quote(text, d.start(), d.end())
            findings.append(Finding("tumour deposits", "present", quote))
            return ToolAnswer({"n_stage": "N1c", "evidence": quote}, guideline=guideline, findings=findings,
                              note=None)
        if examined == 0:
            stage = "NX"
        else:
            stage = "N0"
        # The quote of a negative answer is the count it rests on (the synoptic total first), never a positive-looking group.
        negative_count = used[0] if used else evidence_count
        quote = _quote(text, negative_count.start, negative_count.end) if negative_count else None
        if not quote:
            return None
        return ToolAnswer({"n_stage": stage, "evidence": quote}, guideline=guideline, findings=findings,
                          note="isolated tumour cells only count as N0(i+)" if itc else None)

    if micro and positive in (None, 1) and not positive_groups:
        quote = _quote(text, micro[0].start(), micro[0].end())
        findings.append(Finding("micrometastasis", "present", quote))
        evidence_count = None
        ev = quote
    else:
        ev = _quote(text, evidence_count.start, evidence_count.end) if evidence_count else _quote(text, micro[0].start(), micro[0].end())
    stage, rule = _site_n(site, positive, used, body, findings, micro_only and bool(micro), bool(deposits))
    if site is None or rule is None:
        note = "cancer site not recognised: N from the node count only (0 N0, positive at least N1); not site-specific"
        stage = "N1"
    if positive is None:
        note = (note + "; " if note else "") + "number of positive nodes not stated"
    findings.append(Finding("N rule", stage, None, rule=rule))
    if stage not in N_STAGES:
        stage = stage[:2]
    return ToolAnswer({"n_stage": stage, "evidence": ev}, guideline=guideline, findings=findings, note=note)


# --------------------------------------------------------------------------------------------
# Radiology N
# --------------------------------------------------------------------------------------------

_RAD_NODE = re.compile(r"lymph\s*nodes?|\bnodes?\b|lymphadenopathy|adenopathy|nodal (?:disease|metastas[ie]s|mass(?:es)?|conglomerate)|"
                       r"\bLNs?\b|lymphadenopath\w+", re.IGNORECASE)
_ABNORMAL = re.compile(r"enlarg\w*|necrotic|necrosis|matted|conglomerate|rounded|round\b|loss of (?:the )?fatty hil\w*|"
                       r"effaced (?:fatty )?hil\w*|FDG[- ]avid|avid|hypermetabolic|increased (?:FDG )?(?:uptake|metabolic)|SUV|"
                       r"suspicious|metasta\w*|pathologic(?:al)?(?:ly)?|malignant|irregular (?:margins?|borders?)|extracapsular|"
                       r"extranodal|lymphadenopathy|adenopathy|bulky|heterogeneous", re.IGNORECASE)
_BENIGN = re.compile(r"subcentimet\w*|sub-centimet\w*|not (?:pathologically )?enlarged|non-?enlarged|normal[- ]sized?|"
                     r"normal in size|reactive|calcified|fatty hilum (?:is )?(?:preserved|maintained)|preserved fatty hil\w*|"
                     r"within normal (?:size )?limits|not enlarged by size criteria|unremarkable|benign|small volume", re.IGNORECASE)
_HEDGE = re.compile(r"indeterminate|equivocal|borderline|cannot (?:be )?(?:exclude|excluded)|can ?not be excluded|"
                    r"not excluded|possibl[ey]|may represent|might represent|questionable|uncertain|too small to characteri[sz]e|"
                    r"nonspecific|non-specific|likely reactive|probably reactive|either|versus|\bvs\b|differential", re.IGNORECASE)
_RAD_NEG_NODE = re.compile(r"no (?:[\w-]+\s+){0,5}?(?:lymphadenopathy|adenopathy|(?:lymph\s*)?nodes?|nodal (?:disease|metastas\w+))|"
                           r"(?:lymph\s*nodes?|nodes?)\s+(?:are|is)\s+(?:not enlarged|normal|unremarkable|within normal)|"
                           r"without (?:\w+\s+){0,3}?(?:lymphadenopathy|adenopathy|nodes?)", re.IGNORECASE)

_H_N_LEVELS = re.compile(r"level\s*(?:I{1,3}|IV|V|VI|[1-6])[AB]?|cervical|jugul\w*|submandibular|submental|"
                         r"retropharyngeal|parotid|posterior triangle|neck", re.IGNORECASE)
_SIDE = re.compile(r"\b(right|left|bilateral|contralateral|ipsilateral)\b", re.IGNORECASE)


@dataclass
class RadNode:
    start: int
    end: int
    sentence: str
    station: str
    size_mm: float | None
    count: int | None
    side: str | None
    hedged: bool


def _tumour_side(text: str) -> str | None:
    m = re.search(r"\b(right|left)\b[^.\n]{0,40}?(?:lobe|lung|breast|colon|kidney|tonsil|tongue|neck|mass|tumou?r|primary|"
                  r"carcinoma|lesion|cervix|ovary)", text, re.IGNORECASE)
    if not m:
        m = re.search(r"\b(RUL|RML|RLL|LUL|LLL)\b", text)
        if m:
            return "right" if m.group(1).startswith("R") else "left"
    return m.group(1).lower() if m else None


def _rad_nodes(text: str) -> tuple[list[RadNode], list[tuple[int, int]], list[RadNode]]:
    """(abnormal nodes, negated node statements, hedged nodes) in a radiology report."""
    body = findings_text(text)
    positives: list[RadNode] = []
    hedged: list[RadNode] = []
    negatives: list[tuple[int, int]] = []
    seen_sentences: set[str] = set()
    for m in _RAD_NEG_NODE.finditer(body):
        negatives.append((m.start(), m.end()))
    for m in _RAD_NODE.finditer(body):
        if is_negated(body, m.start(), m.end()):
            continue
        sentence = sentence_at(body, m.start(), m.end())
        # The clause the node is in (split on commas/semicolons joined by "and").
        s_off = body.find(sentence, max(0, m.start() - len(sentence)))
        clause_start = max([s_off] + [s_off + i.end() for i in re.finditer(r"(?:,|;|\band\b|\bwith\b)\s", sentence)
                                       if s_off + i.end() <= m.start() - 40])
        clause = body[clause_start:min(len(body), m.end() + 80)]
        clause = clause.split(".")[0] if not re.search(r"\d\.\d", clause[:m.end() - clause_start + 80]) else clause
        if sentence in seen_sentences:
            continue
        sizes = [s for s in sizes_mm(sentence)]
        short_axis = None
        for s in sizes:
            ctx = sentence[max(0, sentence.find(s.words) - 5):sentence.find(s.words) + len(s.words) + 25].lower()
            if "short" in ctx or len(s.dims_mm) > 1:
                short_axis = min(s.dims_mm) if len(s.dims_mm) > 1 else s.mm
                if "short" in ctx:
                    short_axis = s.mm if len(s.dims_mm) == 1 else min(s.dims_mm)
            elif short_axis is None:
                short_axis = s.mm
        abnormal = [a for a in _ABNORMAL.finditer(sentence)
                    if not is_negated(sentence, a.start(), a.end())]
        benign = _BENIGN.search(sentence)
        big = short_axis is not None and short_axis >= 10
        if big and not re.search(r"short", sentence, re.IGNORECASE) and short_axis < 15 and not abnormal:
            big = short_axis >= 10
        is_abnormal = bool(abnormal) or big
        if benign and not (big or re.search(r"necro|metasta|avid|hypermetabolic|matted|suspicious", sentence, re.IGNORECASE)):
            is_abnormal = False
        if not is_abnormal:
            if re.search(r"borderline|indeterminate|equivocal|cannot (?:be )?exclude|not (?:be )?excluded", sentence, re.IGNORECASE) \
                    and not _BENIGN.search(sentence):
                hedged.append(RadNode(m.start(), m.end(), sentence, sentence, short_axis, 1, None, True))
                seen_sentences.add(sentence)
            continue
        hedge = bool(_HEDGE.search(sentence)) and not re.search(r"consistent with|compatible with|in keeping with|"
                                                                  r"represent(?:s|ing)? (?:nodal )?metasta", sentence, re.IGNORECASE)
        if re.search(r"borderline", sentence, re.IGNORECASE) and not (big and short_axis >= 10 and abnormal):
            hedge = True
        count = None
        cm = re.search(r"\b(" + _NUMWORD + r"|single|solitary|multiple|several|numerous|few|a few|innumerable)\s+(?:[\w-]+\s+){0,4}?(?:lymph\s*)?nodes?",
                       sentence, re.IGNORECASE)
        if cm:
            w = cm.group(1).lower()
            count = _num(w) if _num(w) is not None else (4 if w in ("multiple", "several", "numerous", "innumerable") else 2)
        elif re.search(r"nodes\b|lymphadenopathy", sentence, re.IGNORECASE):
            count = 2 if re.search(r"nodes\b", sentence, re.IGNORECASE) else None
        else:
            count = 1
        side = None
        sd = list(_SIDE.finditer(sentence))
        if sd:
            sides = {x.group(1).lower() for x in sd}
            side = "bilateral" if ("right" in sides and "left" in sides) or "bilateral" in sides else sd[0].group(1).lower()
        node = RadNode(m.start(), m.end(), sentence, sentence, max((s.mm for s in sizes), default=None), count, side, hedge)
        seen_sentences.add(sentence)
        (hedged if hedge else positives).append(node)
    return positives, negatives, hedged


_RAD_DISTANT_NODE = {
    "lung": re.compile(r"axillary|retroperitone\w*|para-?aortic|abdominal|inguinal|cervical(?! spine)|portocaval|celiac", re.IGNORECASE),
    "colorectal": re.compile(r"retroperitone\w*|para-?aortic|aortocaval|common iliac|inguinal|supraclavicular|mediastin\w*|portocaval|"
                             r"porta hepatis|celiac|thoracic", re.IGNORECASE),
    "head_neck": re.compile(r"mediastin\w*|axillary|hilar|abdominal|retroperitone\w*", re.IGNORECASE),
    "oesophagus": re.compile(r"supraclavicular|cervical|axillary|retroperitone\w*|para-?aortic|inguinal", re.IGNORECASE),
    "cervix": re.compile(r"inguinal|supraclavicular|mediastin\w*|axillary|cervical(?! carcinoma| cancer| mass| lesion| stroma| tumou?r)", re.IGNORECASE),
    "endometrium": re.compile(r"inguinal|supraclavicular|mediastin\w*|axillary", re.IGNORECASE),
    "breast": re.compile(r"contralateral axill\w*|mediastin\w*(?! shift)|retroperitone\w*|para-?aortic|cervical(?! spine)|abdominal", re.IGNORECASE),
    "stomach": re.compile(r"para-?aortic|retroperitone\w*|supraclavicular|mediastin\w*|inguinal", re.IGNORECASE),
    "pancreas": re.compile(r"para-?aortic|retroperitone\w*(?! fat)|supraclavicular|mediastin\w*|inguinal", re.IGNORECASE),
    "kidney": re.compile(r"mediastin\w*|supraclavicular|inguinal|axillary", re.IGNORECASE),
    "bladder": re.compile(r"para-?aortic|retroperitone\w*|aortocaval|supraclavicular|mediastin\w*|inguinal", re.IGNORECASE),
    "prostate": re.compile(r"para-?aortic|retroperitone\w*|aortocaval|common iliac|supraclavicular|mediastin\w*|inguinal", re.IGNORECASE),
}


def _radiology_n(text: str) -> ToolAnswer | None:
    site, chapter = cancer_site(text)
    guideline = f"{AJCC}, {chapter}" if chapter else AJCC
    positives, negatives, hedged = _rad_nodes(text)
    distant = _RAD_DISTANT_NODE.get(site or "")
    if distant:
        positives = [p for p in positives if not (distant.search(p.sentence) and not _regional_words(site, p.sentence))]
        hedged = [p for p in hedged if not (distant.search(p.sentence) and not _regional_words(site, p.sentence))]
    findings: list[Finding] = []
    for p in positives[:6]:
        findings.append(Finding("abnormal regional node", (f"{p.size_mm:g} mm" if p.size_mm else "size not stated")
                                + (f", {p.side}" if p.side else ""), p.sentence[:160] if len(p.sentence) <= 160 else _quote(text, p.start, p.end)))
    if not positives:
        if hedged:
            for p in hedged[:3]:
                findings.append(Finding("node of uncertain significance", "indeterminate", _quote(text, p.start, p.end)))
            return ToolAnswer(None, guideline=guideline, findings=findings, allowed="N0-N1 or higher",
                              flags=["n_uncertain"], note="uncertain: nodes described with hedging; N not called from this report")
        if negatives:
            s, e = negatives[0]
            quote = _quote(text, s, e)
            findings.append(Finding("regional lymph nodes", "no abnormal nodes", quote))
            return ToolAnswer({"n_stage": "N0", "evidence": quote}, guideline=guideline, findings=findings)
        return None
    first = positives[0]
    ev = first.sentence if len(first.sentence) <= 160 else _quote(text, first.start, first.end)
    # The impression restates the findings: count each part on its own and take the larger.
    cut = re.search(r"^\s*(?:impression|conclusion|summary|opinion)\s*:", text, re.IGNORECASE | re.MULTILINE)
    if cut:
        before = sum(p.count or 1 for p in positives if p.start < cut.start())
        after = sum(p.count or 1 for p in positives if p.start >= cut.start())
        total = max(before, after)
    else:
        total = sum(p.count or 1 for p in positives)
    stage, rule, note = _radiology_site_n(site, positives, total, text)
    if site is None:
        note = "cancer site not recognised: abnormal regional nodes called N1 at least; not site-specific"
    findings.append(Finding("N rule", stage, None, rule=rule))
    if hedged:
        findings.append(Finding("node of uncertain significance", "indeterminate", _quote(text, hedged[0].start, hedged[0].end)))
    return ToolAnswer({"n_stage": stage, "evidence": ev}, guideline=guideline, findings=findings, note=note)


def _regional_words(site: str | None, sentence: str) -> bool:
    regional = {
        "lung": r"hilar|mediastin|paratracheal|subcarinal|supraclavicular|aortopulmonary|prevascular|subaortic",
        "colorectal": r"mesorectal|pericolic|mesenteric|perirectal|internal iliac|ileocolic|sigmoid|superior rectal|inferior mesenteric",
        "head_neck": r"level|cervical|jugul|submandibular|neck|retropharyngeal",
        "oesophagus": r"paraesophageal|para-oesophageal|periesophageal|mediastin|perigastric|celiac|subcarinal|left gastric",
        "cervix": r"pelvic|iliac|obturator|parametrial|para-?aortic|presacral",
        "endometrium": r"pelvic|iliac|obturator|para-?aortic",
        "breast": r"ipsilateral axill|internal mammary|infraclavicular|supraclavicular",
        "stomach": r"perigastric|celiac|left gastric|hepatic artery|splenic",
        "pancreas": r"peripancreatic|celiac|hepatoduodenal|superior mesenteric",
        "kidney": r"renal hil|para-?aortic|paracaval|aortocaval|retroperitone",
        "bladder": r"perivesical|obturator|internal iliac|external iliac|presacral|pelvic",
        "prostate": r"obturator|internal iliac|external iliac|presacral|pelvic",
    }.get(site or "")
    return bool(regional and re.search(regional, sentence, re.IGNORECASE))


def _radiology_site_n(site: str | None, nodes: list[RadNode], total: int, text: str) -> tuple[str, str, str | None]:
    joined = " ".join(n.sentence for n in nodes)
    if site == "lung":
        tumour = _tumour_side(text)
        level, why = 1, "ipsilateral hilar/peribronchial: N1"
        for n in nodes:
            s = n.sentence
            contra = re.search(r"contralateral", s, re.IGNORECASE) or (
                tumour and n.side in ("right", "left") and n.side != tumour and re.search(r"hil|mediastin|paratracheal", s, re.IGNORECASE))
            if re.search(r"supraclavicular|scalene", s, re.IGNORECASE) or (contra and re.search(r"hil|mediastin|paratracheal|node", s, re.IGNORECASE)):
                level, why = 3, "contralateral mediastinal/hilar, scalene or supraclavicular: N3"
                break
            if _LUNG_N2.search(s) and level < 2:
                level, why = 2, "ipsilateral mediastinal and/or subcarinal: N2"
        return {1: "N1", 2: "N2", 3: "N3"}[level], why, None
    if site == "colorectal":
        stage = "N1" if total <= 3 else "N2"
        return stage, "1-3 regional nodes N1, >=4 N2 (radiological count)", "node count from imaging; sub-letter not assigned"
    if site == "stomach":
        return ("N1" if total <= 2 else "N2" if total <= 6 else "N3"), "1-2 N1, 3-6 N2, >=7 N3", "node count from imaging"
    if site == "oesophagus":
        return ("N1" if total <= 2 else "N2" if total <= 6 else "N3"), "1-2 N1, 3-6 N2, >=7 N3", "node count from imaging"
    if site == "head_neck":
        largest = max((n.size_mm or 0) for n in nodes)
        tumour = _tumour_side(text)
        bilateral = any(n.side == "bilateral" or n.side == "contralateral" for n in nodes) or (
            tumour is not None and any(n.side in ("right", "left") and n.side != tumour for n in nodes)) or (
            len({n.side for n in nodes if n.side in ("right", "left")}) > 1)
        if re.search(r"HPV|p16", text) and _OROPHARYNX.search(text):
            if largest > 60:
                return "N3", "HPV-mediated oropharynx, clinical: >6 cm cN3", None
            if bilateral:
                return "N2", "HPV-mediated oropharynx, clinical: bilateral/contralateral cN2", None
            return "N1", "HPV-mediated oropharynx, clinical: ipsilateral <=6 cm cN1", None
        if re.search(r"invad\w+ (?:the )?(?:skin|sternocleidomastoid|muscle|carotid)|fixed|extranodal|extracapsular|"
                     r"ill-defined (?:margins?|borders?)", joined, re.IGNORECASE):
            return "N3b", "clinically overt extranodal extension: cN3b", None
        if largest > 60:
            return "N3a", ">6 cm without ENE: cN3a", None
        if bilateral:
            return "N2c", "bilateral or contralateral <=6 cm: cN2c", None
        if total > 1:
            return "N2b", "multiple ipsilateral <=6 cm: cN2b", None
        if largest > 30:
            return "N2a", "single ipsilateral 3-6 cm: cN2a", None
        return "N1", "single ipsilateral <=3 cm: cN1", None
    if site == "breast":
        if re.search(r"supraclavicular", joined, re.IGNORECASE):
            return "N3", "ipsilateral supraclavicular: cN3c", None
        if re.search(r"internal mammary", joined, re.IGNORECASE) and re.search(r"axill", joined, re.IGNORECASE):
            return "N3", "internal mammary with axillary: cN3b", None
        if re.search(r"infraclavicular", joined, re.IGNORECASE):
            return "N3", "infraclavicular: cN3a", None
        if re.search(r"matted|fixed", joined, re.IGNORECASE):
            return "N2", "fixed or matted axillary nodes: cN2a", None
        return "N1", "movable ipsilateral level I-II axillary nodes: cN1", None
    if site == "endometrium":
        if re.search(r"para-?aortic|aortocaval", joined, re.IGNORECASE):
            return "N2", "para-aortic: N2", None
        return "N1", "pelvic: N1", None
    if site == "bladder":
        if re.search(r"common iliac", joined, re.IGNORECASE):
            return "N3", "common iliac: N3", None
        return ("N1" if total <= 1 else "N2"), "single true-pelvis node N1, multiple N2", None
    if site == "pancreas":
        return ("N1" if total <= 3 else "N2"), "1-3 N1, >=4 N2", None
    if site == "melanoma":
        return ("N1" if total <= 1 else "N2" if total <= 3 else "N3"), "1 N1, 2-3 N2, >=4 N3", None
    return "N1", "abnormal regional node(s): N1", None if site else None


# --------------------------------------------------------------------------------------------
# M
# --------------------------------------------------------------------------------------------

_DISTANT_SITES = [
    ("liver", r"liver|hepatic|hepatis"),
    ("lung", r"lungs?|pulmonary|lung nodules?"),
    ("bone", r"bones?|osseous|skeletal|vertebra\w*|lytic|sclerotic|blastic|spine|rib|pelvis|sacrum|femur|humerus|marrow"),
    ("brain", r"brain|cerebral|cerebell\w*|intracranial|leptomeningeal"),
    ("adrenal", r"adrenals?"),
    ("peritoneum", r"peritone\w*|omentum|omental|carcinomatosis|implants?"),
    ("pleura", r"pleura\w*"),
    ("non-regional nodes", r"non-?regional|distant (?:lymph )?nodes?|distant nodal"),
]
_DISTANT_RE = re.compile("|".join(f"(?P<{'s' + str(i)}>{p})" for i, (_, p) in enumerate(_DISTANT_SITES)), re.IGNORECASE)
_MET = re.compile(r"metasta\w*|carcinomatosis|implants?|deposits?|omental cak\w*|tumou?r (?:spread|involvement)|"
                  r"malignant (?:pleural|pericardial)? ?effusion|secondar(?:y|ies)|disseminated|lytic|sclerotic lesions?|"
                  r"blastic", re.IGNORECASE)
_M_NEG = re.compile(
    r"no (?:\w+\s+){0,4}?(?:evidence of )?(?:\w+\s+){0,3}?(?:distant )?(?:metasta\w*|metastatic disease|distant disease|"
    r"suspicious (?:\w+\s+){0,2}?lesions?|(?:focal )?(?:hepatic|liver|osseous|bone|adrenal|pulmonary|brain) (?:lesions?|masses|nodules?|abnormality)|"
    r"lesions? (?:to suggest|suspicious for|concerning for) metasta\w*|FDG[- ]avid (?:\w+\s+){0,2}?(?:disease|lesions?)|"
    r"hypermetabolic (?:\w+\s+){0,2}?(?:disease|lesions?|foci))|without (?:evidence of )?(?:distant )?metasta\w*|"
    r"(?:liver|adrenals?|adrenal glands?|bones?|osseous structures|lungs?|brain)\s+(?:is|are|appears?)\s+(?:unremarkable|normal|clear|"
    r"free of (?:\w+\s+)?(?:lesions?|disease|metasta\w*))",
    re.IGNORECASE)
_STAGING_STUDY = re.compile(r"stag(?:e|ing)|restag|PET|chest,? abdomen,? (?:and )?pelvis|C/A/P|\bCAP\b|whole[- ]body|"
                            r"metasta|skull base to (?:mid-?)?thigh", re.IGNORECASE)
_M_HEDGE = re.compile(r"indeterminate|too small to characteri[sz]e|cannot (?:be )?(?:exclude|excluded)|can ?not be excluded|"
                      r"not (?:be )?excluded|equivocal|possibl[ey]|may represent|might represent|questionable|uncertain|"
                      r"concerning for|suspicious for|nonspecific|non-specific|differential|versus|\bvs\.?\b|"
                      r"could represent|cannot be characteri[sz]ed|follow-?up|further evaluation|likely benign|probabl[ey] benign|"
                      r"atypical|\?", re.IGNORECASE)
_DEFINITE = re.compile(r"consistent with|compatible with|in keeping with|diagnostic of|representing|represent(?:s|ing)?|"
                       r"characteristic of|typical of|known|biopsy[- ]proven|highly suspicious|worrisome for|metastases\b|"
                       r"metastatic disease|multiple|innumerable|numerous", re.IGNORECASE)
_BENIGN_LESION = re.compile(r"cysts?\b|haemangioma|hemangioma|adenoma|granuloma|fibroid|benign|degenerative|bone island|"
                            r"schmorl|lipoma|calcified granuloma|FNH|focal fatty|atelectasis|scar", re.IGNORECASE)
_DISTANT_METASTASIS_LABEL = re.compile(r"distant metasta\w*\s*(?:\(p?M\))?\s*[:\-]\s*([^.\n]{1,60})", re.IGNORECASE)


def _distant_sites(sentence: str) -> list[str]:
    names = []
    for m in _DISTANT_RE.finditer(sentence):
        for i, (name, _) in enumerate(_DISTANT_SITES):
            if m.group("s" + str(i)):
                if name not in names:
                    names.append(name)
    return names


def _stated_pm(text: str) -> tuple[str, int, int] | None:
    found = []
    for m in [*_STATED_PM.finditer(text), *_STATED_M_LABEL.finditer(text)]:
        stage = "M" + m.group(1).upper().replace("O", "0") + (m.group(2) or "").lower()
        if stage not in M_STAGES:
            stage = stage[:2]
        if stage in M_STAGES:
            found.append((stage, m.start(), m.end()))
    if not found:
        return None
    return max(found, key=lambda f: (f[0] != "MX", M_STAGES.index(f[0])))


_PATH_ORGANS = (r"(omentum|omental|peritone\w*|liver|hepatic(?! flexure)|brain|cerebell\w*|cerebr\w*|adrenal|bone|vertebra\w*|"
                r"ovar(?:y|ies|ian)|lung|pulmonary|pleura\w*|pericardi\w*|diaphragm\w*|abdominal wall|umbilic\w*|skin)")
# A separately named distant organ or specimen with metastasis in it (AJCC 8, each chapter's M1 definition):
_PATH_DISTANT_SPECIMEN = re.compile(
    _PATH_ORGANS + r"\b(?:"
    # "Liver, segment 6, wedge biopsy: metastatic adenocarcinoma"
    r"[^:.\n]{0,60}?(?:[,;]\s*|\s)(?:mass,?\s*)?(?:excision|biopsy|resection|removal|wedge|\w+ectomy|nodule|mass|implant)\b"
    r"[^:]{0,25}?[:.;\-]\s*(?:[-–]\s*)?"
    # "Omentum: metastatic serous carcinoma", "Liver (segment 4): metastatic ..."
    r"|\s*(?:\([^)]{0,30}\))?\s*:\s*(?:[-–]\s*)?"
    # "separately submitted liver nodule shows metastatic carcinoma", "peritoneal implant positive for metastatic ..."
    r"|\s+(?:[\w,()-]+\s+){0,3}?(?:nodules?|lesions?|masse?s?|implants?|biops(?:y|ies)|specimens?|tissue|deposits?|wedge)\s+"
    r"(?:shows?|showing|contains?|containing|with|reveals?|revealing|demonstrates?|is|are|(?:is |are )?positive for|(?:is |are )?involved by)\s+"
    r")(?:[\w-]+\s+){0,4}?(metastatic|metastasis|metastases)", re.IGNORECASE)
# "metastatic adenocarcinoma involving the omentum", "metastases to the liver"
_PATH_METASTASIS_TO = re.compile(
    r"(metastatic|metastasis|metastases)\s+(?:[\w-]+\s+){0,3}?(?:in|to|involving)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?" + _PATH_ORGANS + r"\b",
    re.IGNORECASE)
# Organs a pathology report names for the primary's own spread (T, not M), per chapter: the liver in a liver primary;
# the ipsilateral adrenal of a kidney tumour only when contiguous (ch. 60: contiguous T4, non-contiguous M1; see
# `_pathology_m`); the adnexa of an endometrial (ch. 53, T3a) or cervical primary; the skin of a breast (ch. 48, T4)
# or melanoma primary (ch. 47, satellites/in-transit are N). Intraperitoneal disease of an endometrial primary is M1
# (ch. 53), so the omentum and peritoneum are not excluded for it.
_PATH_PRIMARY_ORGANS = {"liver": r"liver|hepatic", "mesothelioma": r"pleura|lung|pulmonary|diaphragm|peritone|pericardi",
                        "adrenal": r"adrenal", "cervix": r"ovar", "endometrium": r"ovar", "melanoma": r"skin", "breast": r"skin"}
# Non-regional lymph node groups per chapter (AJCC 8): metastasis there is M1, not N.
_PATH_NONREGIONAL_NODES = {
    "colorectal": r"para-?aortic|aortocaval|retroperitone\w*|external iliac|common iliac|inguinal|supraclavicular|mediastin\w*",  # ch. 20
    # ch. 60: the regional nodes (renal hilar, caval, aortic) lie above the aortic bifurcation
    "kidney": r"(?:common |external |internal )?iliac|inguinal|pelvic|mediastin\w*|supraclavicular|axillary|"
              r"(?:below|beneath|inferior to|distal to) the (?:aortic )?bifurcation",
    "bladder": r"para-?aortic|para-?caval|aortocaval|retroperitone\w*|inguinal|supraclavicular|mediastin\w*",                 # ch. 62
    "prostate": r"common iliac|para-?aortic|aortocaval|retroperitone\w*|inguinal|supraclavicular|mediastin\w*",               # ch. 58
    "lung": r"axillary|cervical(?! (?:spine|vertebra))|abdominal|retroperitone\w*|celiac|inguinal",                           # ch. 36
    "stomach": r"para-?aortic|retroperitone\w*|middle colic|supraclavicular|mediastin\w*|inguinal",                          # ch. 17
    "pancreas": r"para-?aortic|aortocaval|inguinal|supraclavicular|mediastin\w*",                                            # ch. 28
    "breast": r"contralateral (?:axillary|internal mammary)|cervical(?! (?:spine|vertebra))|mediastin\w*|para-?aortic|abdominal",  # ch. 48
    "endometrium": r"inguinal|supraclavicular|mediastin\w*|axillary",                                                         # ch. 53
    "oesophagus": r"para-?aortic|retroperitone\w*|inguinal|axillary",                                                         # ch. 16
}
_PRIMARY_ORGANS = {"liver": r"liver|hepatic", "mesothelioma": r"pleura|lung|pulmonary|diaphragm|peritone",
                   "adrenal": r"adrenal", "kidney": r"adrenal", "cervix": r"ovar", "endometrium": r"ovar|peritone|omentum|omental",
                   "melanoma": r"skin"}
_STAGE_IV_MEANS_M1 = {"breast", "colorectal", "stomach", "pancreas", "lung", "oesophagus", "melanoma"}


def _nonregional_node_metastasis(body: str, site: str | None) -> tuple[str, int, int] | None:
    """(node group, start, end) of a metastasis in a lymph node group outside the site's regional groups, if stated."""
    names = _PATH_NONREGIONAL_NODES.get(site or "")
    if not names:
        return None
    node = r"(?:lymph\s*nodes?|nodes?|LNs?)\b"
    # "Inguinal lymph node, excision: metastatic ..." and "Lymph node, inguinal, excision: metastatic ..."
    forward = re.compile(r"(?:(?P<name>" + names + r")(?:[\s,-]+(?:[\w-]+[\s,]+){0,2}?)?\s*" + node +
                         r"|" + node + r"\s*[,(]?\s*(?:[\w-]+\s+){0,2}?(?P<name2>" + names + r")\b)"
                         r"(?P<rest>[^.;]{0,90})", re.IGNORECASE)
    backward = re.compile(r"(?:metastatic \w+(?: \w+)?|metastas[ie]s|carcinoma|tumou?r) (?:in|to|involving)\s+(?:the\s+)?"
                          r"(?:(?:" + _NUMWORD + r"|a|an|single)\s+)?(?:[\w-]+\s+){0,2}?(?P<name>" + names + r")\s+(?:[\w-]+\s+){0,2}?" + node,
                          re.IGNORECASE)
    for m in backward.finditer(body):
        if not is_negated(body, m.start(), m.end()):
            return m.group("name"), m.start(), m.end()
    for m in forward.finditer(body):
        rest = m.group("rest")
        pos = re.search(r"metastatic|metastas[ie]s|positive|involved|carcinoma (?:present|identified)|"
                        r"\(\s*[1-9]\d*\s*/\s*\d+\s*\)|\b[1-9]\d*\s*/\s*\d+\b|\b[1-9]\d* of \d+\b", rest, re.IGNORECASE)
        if not pos:
            continue
        before = rest[:pos.start()]
        if _NEG_WORDS.search(before) or re.search(r"\(\s*0\s*/|\b0\s*/\s*\d|\bno\b|\bnot\b|negative", before, re.IGNORECASE):
            continue
        at = m.start("rest") + pos.start()
        if is_negated(body, at, m.start("rest") + pos.end()) or _NEG_WORDS.match(rest[pos.start():pos.start() + 40]):
            continue
        if re.search(r"\bsuspicious|possible|probable|grossly|\?", rest[:pos.end()], re.IGNORECASE):
            continue
        return m.group("name") or m.group("name2"), m.start(), m.start("rest") + pos.end()
    return None


def _pathology_m(text: str) -> ToolAnswer:
    site, chapter = cancer_site(text)
    guideline = f"{AJCC}, {chapter}" if chapter else AJCC
    findings: list[Finding] = []
    stated = _stated_pm(text)
    label = None
    for m in _DISTANT_METASTASIS_LABEL.finditer(text):
        label = m
        break
    positive_specimen = None
    body = _pathology_body(text)
    for m in sorted([*_PATH_DISTANT_SPECIMEN.finditer(body), *_PATH_METASTASIS_TO.finditer(body)], key=lambda x: x.start()):
        organ_group, met_group = (1, 2) if m.re is _PATH_DISTANT_SPECIMEN else (2, 1)
        organ = m.group(organ_group).lower()
        primary = _PATH_PRIMARY_ORGANS.get(site or "")
        if primary and re.match(primary, organ, re.IGNORECASE):
            continue
        # Ipsilateral lung nodules are T3/T4 (ch. 36); a metastasis to the pleura or pericardium is M1a.
        if site == "lung" and re.match(r"lung|pulmonary", organ):
            continue
        if site == "kidney" and organ.startswith("adrenal") and re.search(
                r"direct(?:ly)?\s+(?:extension|invasion|invad\w*|extend\w*)|contiguous|by extension|extends? into",
                body[max(0, m.start() - 120):m.end() + 120], re.IGNORECASE):
            continue
        if is_negated(body, m.start(met_group), m.end(met_group)) or is_negated(body, m.start(organ_group), m.end(organ_group)):
            continue
        sentence = sentence_at(body, m.start(), m.end())
        if _M_HEDGE.search(sentence) and not re.search(r"consistent with|compatible with|in keeping with", sentence, re.IGNORECASE):
            continue
        positive_specimen = m
        break
    distant_node = _nonregional_node_metastasis(body, site)
    if stated and stated[0].startswith("M1"):
        stage, s, e = stated
        quote = _quote(text, s, e)
        findings.append(Finding("stated pM category", stage, quote))
        return ToolAnswer({"m_stage": stage, "evidence": quote}, source="stated_in_document", guideline=guideline, findings=findings)
    if label and not re.search(r"\bM0\b|absent|\bnone\b|not (?:identified|present|applicable|assessed)|cannot|\bno\b|negative|unknown",
                                 label.group(1), re.IGNORECASE):
        value = label.group(1).strip()
        quote = _quote(text, label.start(), label.end())
        if re.match(r"(?:present|yes|identified|positive|p?M1|\w+ (?:biopsy )?positive)", value, re.IGNORECASE) or (
                re.search(r"metasta|carcinoma|positive", value, re.IGNORECASE) and not re.match(r"(?:not|no|none|absent|negative)", value, re.IGNORECASE)):
            findings.append(Finding("distant metastasis", value, quote))
            return ToolAnswer({"m_stage": "M1", "evidence": quote}, guideline=guideline, findings=findings)
    if positive_specimen:
        quote = _quote(text, positive_specimen.start(), positive_specimen.end())
        organ = positive_specimen.group(1 if positive_specimen.re is _PATH_DISTANT_SPECIMEN else 2)
        findings.append(Finding("distant site with metastasis in a specimen", organ, quote))
        return ToolAnswer({"m_stage": "M1", "evidence": quote}, guideline=guideline, findings=findings,
                          note="distant metastasis read from a positive specimen of a distant site")
    if distant_node:
        name, s0, e0 = distant_node
        quote = _quote(text, s0, e0)
        findings.append(Finding("metastasis in a non-regional lymph node", name, quote,
                                rule="nodes outside the chapter's regional groups are distant metastasis (M1)"))
        return ToolAnswer({"m_stage": "M1", "evidence": quote}, guideline=guideline, findings=findings,
                          note="metastasis in a non-regional lymph node group for this site: M1")
    stage_iv = re.search(r"\bstage\s*(?:IV|4)(?![ABC0-9])|\bstage\s*IV[ABC]?\b", text, re.IGNORECASE)
    if stage_iv and site in _STAGE_IV_MEANS_M1 and not is_negated(text, stage_iv.start(), stage_iv.end()):
        word = stage_iv.group(0)
        if site != "lung" and re.search(r"IV[ABC]", word, re.IGNORECASE) and site not in ("breast", "colorectal"):
            pass
        else:
            quote = _quote(text, stage_iv.start(), stage_iv.end())
            findings.append(Finding("stated stage group", word, quote, rule="stage IV requires M1 in this chapter"))
            return ToolAnswer({"m_stage": "M1", "evidence": quote}, guideline=guideline, findings=findings,
                              note="M1 inferred from the stated stage group IV")
    if stated:
        stage, s, e = stated
        quote = _quote(text, s, e)
        findings.append(Finding("stated pM category", stage, quote))
        return ToolAnswer({"m_stage": stage, "evidence": quote}, source="stated_in_document", guideline=guideline, findings=findings)
    if label:
        value = label.group(1).strip()
        quote = _quote(text, label.start(), label.end())
        findings.append(Finding("distant metastasis", value, quote))
        if re.match(r"(?:not applicable|cannot be assessed|not assessed|unknown|not specified|n/a|pMX|MX)", value, re.IGNORECASE):
            return ToolAnswer({"m_stage": "MX", "evidence": quote}, guideline=guideline, findings=findings,
                              note="distant metastasis not assessable from this report")
        if re.search(r"not identified|\bnone\b|absent|^no\b|negative|not present|\bp?M0\b", value, re.IGNORECASE):
            return ToolAnswer({"m_stage": "M0", "evidence": quote}, guideline=guideline, findings=findings)
    # Nothing said about distant metastasis: a pathology report cannot assess M.
    anchor = re.search(r"(?:final |pathologic(?:al)? )?diagnosis|specimen|lymph nodes?", text, re.IGNORECASE)
    if anchor is None:
        anchor = re.search(r"\S+", text)
    if anchor is None:
        return ToolAnswer(None, guideline=guideline, note="empty document")
    quote = _quote(text, anchor.start(), anchor.end())
    return ToolAnswer({"m_stage": "MX", "evidence": quote}, guideline=guideline, findings=findings,
                      note="not assessable from a pathology report: it states nothing about distant metastasis (MX), "
                           "so M0 is not assumed")


def _radiology_m(text: str) -> ToolAnswer | None:
    site, chapter = cancer_site(text)
    guideline = f"{AJCC}, {chapter}" if chapter else AJCC
    body = findings_text(text)
    definite: list[tuple[str, str, int, int]] = []   # (site, quote, start, end)
    uncertain: list[tuple[str, str, int, int]] = []
    primary = _PRIMARY_ORGANS.get(site or "")
    distant_nodes = _RAD_DISTANT_NODE.get(site or "")
    # Sentences with a distant site and a metastasis word, or a lesion word in a distant organ.
    for m in re.finditer(r"(?:[^.\n]|\.(?=\d))+", body):
        sentence = m.group(0)
        if len(sentence.strip()) < 4:
            continue
        s0 = m.start()
        sites = _distant_sites(sentence)
        met = [x for x in _MET.finditer(sentence) if not is_negated(sentence, x.start(), x.end())]
        lesion = re.search(r"lesions?|masse?s?|nodules?|foci|focus|uptake|avid|hypermetabolic|enhancing", sentence, re.IGNORECASE)
        node_distant = distant_nodes is not None and re.search(_RAD_NODE, sentence) and distant_nodes.search(sentence) and \
            re.search(r"enlarg|necrotic|metasta|avid|hypermetabolic|suspicious|pathologic|\d+\s*(?:mm|cm)", sentence, re.IGNORECASE) and \
            not re.match(r"\s*no\b", sentence, re.IGNORECASE)
        if site == "lung":
            # Ipsilateral lung nodules are T, not M; contralateral lung and pleural disease are M1a.
            sites = [x for x in sites if x != "lung" or re.search(r"contralateral|bilateral|both lungs|innumerable|multiple pulmonary metasta", sentence, re.IGNORECASE)]
        if primary:
            sites = [x for x in sites if not re.match(primary, x, re.IGNORECASE)]
        if node_distant:
            sites.append("non-regional nodes")
        if not sites:
            continue
        neg = _M_NEG.search(sentence)
        if neg and re.search(r"\bnod(?:e|al)", neg.group(0), re.IGNORECASE):
            neg = None
        if not met and not node_distant:
            if not (lesion and re.search(r"avid|hypermetabolic|lytic|sclerotic", sentence, re.IGNORECASE)):
                # A lesion without a metastasis word: uncertain only if hedged.
                if lesion and _M_HEDGE.search(sentence) and not _BENIGN_LESION.search(sentence) and not neg \
                        and not is_negated(sentence, lesion.start(), lesion.end()):
                    uncertain.append((sites[0], sentence.strip(), s0, m.end()))
                continue
        if neg and (not met or neg.start() <= met[0].start() <= neg.end() or all(neg.start() <= x.start() <= neg.end() + 5 for x in met)):
            continue
        if met and all(is_negated(sentence, x.start(), x.end()) for x in met):
            continue
        if _BENIGN_LESION.search(sentence) and not re.search(r"metasta", sentence, re.IGNORECASE):
            continue
        hedged = _M_HEDGE.search(sentence)
        firm = _DEFINITE.search(sentence)
        if hedged and not (firm and not re.search(r"indeterminate|too small|cannot|not (?:be )?excluded|equivocal", sentence, re.IGNORECASE)):
            uncertain.append((sites[0], sentence.strip(), s0, m.end()))
        else:
            definite.append((", ".join(sites), sentence.strip(), s0, m.end()))
    findings: list[Finding] = []
    if definite:
        for name, sentence, s, e in definite[:6]:
            findings.append(Finding("distant metastasis", name, sentence if len(sentence) <= 160 else _quote(text, s, e)))
        stage = _m_sub(site, definite)
        name, sentence, s, e = definite[0]
        ev = sentence if len(sentence) <= 160 else _quote(text, s, e)
        for name, sentence, s, e in uncertain[:3]:
            findings.append(Finding("distant lesion of uncertain significance", name, sentence[:160]))
        return ToolAnswer({"m_stage": stage, "evidence": ev}, guideline=guideline, findings=findings)
    if uncertain:
        for name, sentence, s, e in uncertain[:4]:
            findings.append(Finding("distant lesion of uncertain significance", name, sentence if len(sentence) <= 160 else _quote(text, s, e)))
        return ToolAnswer(None, guideline=guideline, findings=findings, allowed="M0-M1", flags=["m_uncertain"],
                          note="uncertain: a possible distant lesion is described with hedging (indeterminate / cannot "
                               "exclude); M1 is not called, and M0 is not assumed")
    neg = [m for m in _M_NEG.finditer(body) if not re.search(r"\bnod(?:e|al)", m.group(0), re.IGNORECASE)]
    if neg:
        first = next((m for m in neg if re.search(r"distant|metasta", m.group(0), re.IGNORECASE)), neg[0])
        quote = _quote(text, first.start(), first.end())
        findings.append(Finding("distant metastasis", "none described", quote))
        return ToolAnswer({"m_stage": "M0", "evidence": quote}, guideline=guideline, findings=findings)
    if _STAGING_STUDY.search(text):
        return None
    return None


def _m_sub(site: str | None, definite: list[tuple[str, str, int, int]]) -> str:
    organs: set[str] = set()
    for name, _, _, _ in definite:
        organs.update(x.strip() for x in name.split(","))
    if site == "lung":
        extra = organs - {"lung", "pleura"}
        if not extra:
            return "M1a"
        if len(extra) == 1 and not any(re.search(r"multiple|innumerable|numerous|several|metastases", s, re.IGNORECASE)
                                       for n, s, _, _ in definite if n != "lung"):
            return "M1b"
        return "M1c"
    if site == "colorectal":
        if "peritoneum" in organs:
            return "M1c"
        return "M1a" if len(organs) == 1 else "M1b"
    if site == "prostate":
        if organs - {"non-regional nodes", "bone"}:
            return "M1c"
        if "bone" in organs:
            return "M1b"
        return "M1a"
    return "M1"


# --------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------

def n_stage(text: str) -> ToolAnswer | None:
    """The N category by the AJCC 8 rules, with its evidence, or None when the report says nothing usable."""
    if not text or not text.strip():
        return None
    if document_kind(text) == "radiology":
        answer = _radiology_n(text)
    else:
        answer = _pathology_n(text)
    return _checked(answer, text, "n_stage")


def m_stage(text: str) -> ToolAnswer | None:
    """The M category by the AJCC 8 rules, with its evidence; MX for a pathology report silent about distant disease."""
    if not text or not text.strip():
        return None
    if document_kind(text) == "radiology":
        answer = _radiology_m(text)
    else:
        answer = _pathology_m(text)
    return _checked(answer, text, "m_stage")


def _checked(answer: ToolAnswer | None, text: str, key: str) -> ToolAnswer | None:
    """Every answer's evidence is verbatim and short; a category outside the task's values is never returned."""
    if answer is None or answer.output is None:
        return answer
    evidence = answer.output.get("evidence") or ""
    valid = N_STAGES if key == "n_stage" else M_STAGES
    if answer.output.get(key) not in valid or not evidence or evidence not in text or len(evidence) > 160:
        evidence = evidence.strip()[:160].strip()
        if not evidence or evidence not in text or answer.output.get(key) not in valid:
            return ToolAnswer(None, guideline=answer.guideline, findings=answer.findings, flags=answer.flags + ["no_evidence"],
                              note="the rule's evidence could not be quoted verbatim; not answered")
        answer.output["evidence"] = evidence
    return answer


TOOLS = {"n_staging": n_stage, "m_staging": m_stage}
