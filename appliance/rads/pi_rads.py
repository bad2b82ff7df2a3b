"""PI-RADS v2.1 (2019, ACR/ESUR/AdMeTech; Turkbey et al., Eur Urol 2019) from a prostate MRI report.

Per lesion (each lesion is assessed on its own; the most severe governs, the others are listed):
  Peripheral zone: the DWI score is dominant; DWI 3 with positive DCE -> 4.
  Transition zone: the T2W score is dominant; T2W 2 with DWI >= 4 -> 3; T2W 3 with DWI 5 -> 4.
  DWI 5 / T2W 5 = the score-4 appearance and >= 1.5 cm or definite extraprostatic extension,
  so a score-4 lesion >= 15 mm or with definite extraprostatic extension is 5.
DWI score words (v2.1 Table): 1 normal; 2 linear/wedge-shaped; 3 focal, hypointense on ADC and/or
hyperintense on high-b (may be marked on one but not both); 4 focal, markedly hypointense on ADC
AND markedly hyperintense on high-b, < 1.5 cm; 5 as 4 and >= 1.5 cm or EPE.
TZ T2W score words: 1 completely encapsulated ("typical") nodule; 2 mostly encapsulated or
circumscribed non-encapsulated ("atypical") nodule, or mildly hypointense area between nodules;
3 heterogeneous signal with obscured margins; 4 lenticular or non-circumscribed, homogeneous,
moderately hypointense, < 1.5 cm; 5 as 4 and >= 1.5 cm or EPE.
DCE positive = focal early enhancement corresponding to the lesion.
A sub-score the report states ("T2 4, DWI 4, DCE +") is used as stated; a missing one is not
guessed: every value it could take is tried and a category is given only when all agree.
Open questions (`ASKED`, in the v2.1 score words above): zone, T2W appearance, DWI appearance
(only the scores the report's words still allow) and DCE; an answer is used only where the
report's words settle nothing. Size is never asked.
"""

from __future__ import annotations

import re

from ..tools.answer import Finding, ToolAnswer
from ..tools.lexicon import findings_text, sizes_mm
from ._reading import negated, possible, quote, result, sentences, span
from .questions import lesion_answers, open_questions, overall

GUIDELINE = "PI-RADS v2.1 (2019)"
SYSTEM = "PI-RADS"
ORDER = ("1", "2", "3", "4", "5")

# The v2.1 score words the model may be asked (a score-4 appearance >= 15 mm or with EPE is 5 by size).
T2_WORDS = {"completely encapsulated (typical) nodule": 1,
            "mostly encapsulated or circumscribed nodule without a capsule, or mildly hypointense area": 2,
            "heterogeneous signal with obscured margins": 3,
            "lenticular or non-circumscribed, homogeneous, moderately hypointense": 4}
DWI_WORDS = {"no abnormality on ADC or high b-value": 1, "linear or wedge-shaped": 2,
             "focal, mildly or moderately hypointense on ADC": 3,
             "focal, markedly hypointense on ADC and markedly hyperintense on high b-value": 4}
DCE_WORDS = {"positive": True, "negative": False}
ZONES = ("peripheral zone", "transition zone")
ASKED = {"zone": ("zone", dict(zip(ZONES, ZONES))), "t2": ("T2-weighted appearance", T2_WORDS),
         "dwi": ("diffusion (DWI) appearance", DWI_WORDS), "dce": ("contrast enhancement (DCE)", DCE_WORDS)}

_LESION_MARK = re.compile(
    r"(?:^|(?<=\n)|(?<=\.\s)|(?<=:\s))\s*(?:(?:the\s+)?(?:index|dominant|target|primary|second(?:ary)?|third|additional|further|another|separate|smaller|larger)\s+(?:suspicious\s+)?(?:lesion|focus|target|area|abnormality|finding)"
    r"|lesions?\s*(?:#|no\.?)?\s*\d+|lesion\s+[A-C]\b|target\s*\d|(?:peripheral|transition(?:al)?)\s+zone\s*[:\-–]|\b(?:PZ|TZ)\s*[:\-–])",
    re.IGNORECASE | re.MULTILINE)
_PZ = re.compile(r"peripheral\s+zone|\bPZ[pa]?\b|posterolateral|posteromedial", re.IGNORECASE)
_TZ = re.compile(r"transition(?:al)?\s+zone|\bTZ[pa]?\b|anterior fibromuscular|\bAFS\b|central gland", re.IGNORECASE)
_LESION = re.compile(r"\blesions?\b|\bfocus\b|\bfoci\b|\bnodule\b|\barea\b|\babnormality\b|\btumou?r\b|\bmass\b|\bregion\b", re.IGNORECASE)

_T2_SCORE = re.compile(r"\bT2(?:W|WI)?(?:[\s-]*weighted)?(?:\s*(?:score|category|imaging))?\s*(?:[:=]\s*|\s+|\s*-\s*)([1-5])(?:\s*/\s*5)?(?!\.\d|\d|\s*(?:mm|cm))", re.IGNORECASE)
_DWI_SCORE = re.compile(r"\b(?:DWI|DW|diffusion)(?:\s*/\s*ADC)?(?:\s*(?:score|category))?\s*(?:[:=]\s*|\s+|\s*-\s*)([1-5])(?:\s*/\s*5)?(?!\.\d|\d|\s*(?:mm|cm))", re.IGNORECASE)
_DCE_SCORE = re.compile(r"\bDCE(?:\s*(?:score|category|is|was))?\s*[:=]?\s*(positive|negative|pos\b|neg\b|\+\s*ve|-\s*ve|\+|−|-(?!\s*\w))", re.IGNORECASE)
_DCE_POS = re.compile(r"(?:focal\s+)?(?:early|arterial)(?:\s+(?:phase|focal|arterial|avid|intense))*\s+(?:enhancement|wash-?in|hyperenhancement)|(?:enhances|enhancing)\s+early|positive\s+DCE|DCE[- ]positive|avid early", re.IGNORECASE)
_DCE_NEG = re.compile(r"negative\s+DCE|DCE[- ]negative|diffuse\s+(?:early\s+)?enhancement|no\s+(?:focal\s+)?(?:early\s+)?(?:arterial\s+)?(?:enhancement|hyperenhancement)|without\s+(?:focal\s+)?early\s+enhancement", re.IGNORECASE)

_DWI_MARKED_BOTH = re.compile(r"marked(?:ly)?\s+(?:restricted\s+diffusion|diffusion\s+restriction|restricted|restricting|restriction)|(?:intense|avid|severe|striking|very)\s+(?:restricted\s+diffusion|diffusion\s+restriction)", re.IGNORECASE)
_ADC_MARKED = re.compile(r"marked(?:ly)?\s+(?:hypointense|low|dark)(?:\s+signal)?\s+(?:on|in)\s+(?:the\s+)?ADC|ADC[^.;]{0,30}marked(?:ly)?\s+(?:hypointense|low)|marked(?:ly)?\s+low\s+ADC", re.IGNORECASE)
_HIGHB_MARKED = re.compile(r"marked(?:ly)?\s+(?:hyperintense|bright|high)(?:\s+signal)?\s+(?:on|in)\s+(?:the\s+)?(?:high[- ]?b|b\s*-?\s*\d{3,4}|DWI|diffusion)|(?:high[- ]?b|b\s*-?\s*\d{3,4})[^.;]{0,30}marked(?:ly)?\s+(?:hyperintense|bright)", re.IGNORECASE)
_DWI_MILD = re.compile(r"(?:mild(?:ly)?|subtle|slight(?:ly)?|moderate(?:ly)?|equivocal|indeterminate)\s+(?:(?:focal\s+)?restricted\s+diffusion|diffusion\s+restriction|restriction)|(?<!marked)(?<!markedly)\s(?:hypointense|low\s+signal)\s+on\s+(?:the\s+)?ADC|(?<!marked)(?<!markedly)\s(?:hyperintense|high\s+signal)\s+on\s+(?:the\s+)?(?:high[- ]?b|b\s*-?\s*\d{3,4}|DWI)", re.IGNORECASE)
_DWI_ANY = re.compile(r"(?:restricted|restricting|restricts)\s+diffusion|diffusion\s+restriction|restricted\s+on\s+DWI|restriction\s+on\s+(?:DWI|ADC)|\brestricts\b", re.IGNORECASE)
_DWI_LINEAR = re.compile(r"\blinear\b|wedge[- ]shaped|\bband-?like\b|\bstriated\b", re.IGNORECASE)
_ADC_VALUE = re.compile(r"\bADC(?:\s+value)?(?:\s+(?:of|is|was|measures|measuring))?\s*[:=~]?\s*(?:approximately\s+|approx\.?\s+)?(\d{3,4})\b", re.IGNORECASE)

_T2_WORDS = [  # most specific first
    (4, re.compile(r"lenticular|non-?circumscribed|erased[- ]charcoal|homogene\w+\s+(?:moderately\s+)?(?:hypointense|low[- ]signal)|moderately\s+hypointense|ill[- ]defined\s+(?:homogene\w+\s+)?(?:moderately\s+)?(?:hypointens|low)", re.IGNORECASE)),
    (3, re.compile(r"heterogene\w+\s+(?:signal|hypointens\w+|low\s+signal)?[^.;]{0,40}obscured\s+margins?|obscured\s+margins?|heterogene\w+\s+signal\s+intensity", re.IGNORECASE)),
    (2, re.compile(r"mostly\s+encapsulated|partially\s+encapsulated|incompletely\s+encapsulated|atypical\s+(?:BPH\s+|stromal\s+)?nodule|circumscribed\s+(?:homogene\w+\s+)?nodule\s+without\s+(?:a\s+)?(?:complete\s+)?capsule|mildly\s+hypointense", re.IGNORECASE)),
    (1, re.compile(r"(?:completely|fully|well)[- ]encapsulated|typical\s+(?:BPH|adenoma|adenomatous|stromal|hyperplastic)\s+nodules?|encapsulated\s+(?:BPH\s+)?nodules?", re.IGNORECASE)),
]
_EPE = re.compile(r"extra-?prostatic\s+(?:extension|spread|disease|tumou?r)|extracapsular\s+(?:extension|spread)|\bEPE\b|\bECE\b|capsular\s+(?:breach|disruption|penetration)|breach(?:es|ing)?\s+(?:of\s+)?the\s+capsule|seminal\s+vesicle\s+(?:invasion|involvement|infiltration)|invad\w+\s+(?:the\s+)?(?:seminal|neurovascular|bladder|rectum)|neurovascular\s+bundle\s+(?:involvement|invasion|infiltration)", re.IGNORECASE)
_GLAND = re.compile(r"prostate\s+(?:gland\s+)?(?:measures|volume|size|is\s+enlarged)|gland\s+(?:measures|volume)|\bvolume\b|\bmL\b|\bcc\b|PSA|transrectal|dimensions", re.IGNORECASE)
_NORMAL = re.compile(r"no\s+(?:focal\s+|suspicious\s+|discrete\s+|significant\s+|definite\s+)*(?:lesion|abnormality|focus)|no\s+(?:MRI\s+|imaging\s+)?(?:evidence|features)\s+of\s+(?:a\s+)?(?:clinically\s+)?significant", re.IGNORECASE)
_OWN = re.compile(r"\d|\b(?:marked|mild|moderate|focal|lenticular|heterogene|encapsulated)", re.IGNORECASE)


def _dwi_final(dwi: int, big: bool, epe: bool) -> int:
    return 5 if dwi == 4 and (big or epe) else dwi


def _t2_final(t2: int, big: bool, epe: bool) -> int:
    return 5 if t2 == 4 and (big or epe) else t2


def category(zone: str, t2: int, dwi: int, dce: bool, big: bool, epe: bool) -> str:
    """PI-RADS v2.1 assessment of one lesion from its sub-scores."""
    d = _dwi_final(dwi, big, epe)
    if zone == "peripheral zone":
        if d == 3 and dce:
            return "4"
        return str(d)
    t = _t2_final(t2, big, epe)
    if t == 2 and d >= 4:
        return "3"
    if t == 3 and d == 5:
        return "4"
    return str(t)


def _blocks(body: str) -> list[tuple[int, int]]:
    starts = sorted({m.start() for m in _LESION_MARK.finditer(body)})
    if not starts:
        return [(0, len(body))]
    bounds = ([0] if starts[0] > 0 else []) + starts + [len(body)]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if body[a:b].strip()]


def _first(rx: re.Pattern, body: str, a: int, b: int, want_negated: bool = False):
    for m in rx.finditer(body, a, b):
        if negated(body, m.start(), m.end(), own=_OWN) == want_negated:
            return m
    return None


def _lesion(body: str, a: int, b: int) -> dict | None:
    """The features of one lesion block, each with its evidence, or None when it describes no lesion."""
    f: dict = {"findings": []}
    add = f["findings"].append

    def ev(m) -> str:
        return quote(body, m.start(), m.end())

    t2 = dwi = None
    dwi_opts: set[int] | None = None
    m = _first(_T2_SCORE, body, a, b)
    if m:
        t2 = int(m.group(1)); add(Finding("T2-weighted score", str(t2), ev(m), rule="stated sub-score")); f["ev"] = ev(m)
    else:
        for score, rx in _T2_WORDS:
            m = _first(rx, body, a, b)
            if m:
                t2 = score
                add(Finding("T2-weighted appearance", f"{m.group(0)} (T2W score {score})", ev(m),
                            rule="PI-RADS v2.1 TZ T2W scoring")); f.setdefault("ev", ev(m))
                break
    m = _first(_DWI_SCORE, body, a, b)
    if m:
        dwi = int(m.group(1)); add(Finding("diffusion (DWI) score", str(dwi), ev(m), rule="stated sub-score")); f.setdefault("ev", ev(m))
    else:
        both = _first(_DWI_MARKED_BOTH, body, a, b)
        adc = _first(_ADC_MARKED, body, a, b)
        hib = _first(_HIGHB_MARKED, body, a, b)
        adc_val = _first(_ADC_VALUE, body, a, b)
        mild = _first(_DWI_MILD, body, a, b)
        anyr = _first(_DWI_ANY, body, a, b)
        neg = _first(_DWI_ANY, body, a, b, want_negated=True)
        if both or (adc and hib):
            m = both or adc
            dwi_opts = {4}
            add(Finding("diffusion", "markedly hypointense on ADC and markedly hyperintense on high b-value (DWI score 4, 5 if >= 15 mm or EPE)", ev(m),
                        rule="PI-RADS v2.1 DWI score 4"))
        elif adc or hib:
            m = adc or hib
            dwi_opts = {3}
            add(Finding("diffusion", "marked on one of ADC / high b-value but not both (DWI score 3)", ev(m), rule="PI-RADS v2.1 DWI score 3"))
        elif mild:
            m = mild
            dwi_opts = {3}
            add(Finding("diffusion", f"{m.group(0).strip()} (DWI score 3)", ev(m), rule="PI-RADS v2.1 DWI score 3: focal, not marked"))
        elif anyr and adc_val and int(adc_val.group(1)) <= 750:
            m = anyr
            dwi_opts = {4}
            add(Finding("diffusion", f"restricted diffusion with ADC {adc_val.group(1)} (below 750: markedly hypointense, DWI score 4)", ev(adc_val),
                        rule="PI-RADS v2.1: ADC below 750-900 um2/s supports marked hypointensity"))
        elif anyr:
            m = anyr
            if _first(_DWI_LINEAR, body, a, b):
                dwi_opts = {2}
            else:
                dwi_opts = {3, 4}
            add(Finding("diffusion", f"{m.group(0)} (degree not stated: DWI score {'2' if dwi_opts == {2} else '3 or 4'})", ev(m)))
        elif neg:
            m = neg
            dwi_opts = {2} if _first(_DWI_LINEAR, body, a, b) else {1, 2}
            add(Finding("diffusion", "no restricted diffusion (DWI score 1-2)", ev(m), rule="PI-RADS v2.1 DWI score 1-2"))
        else:
            m = None
        if m is not None:
            f.setdefault("ev", ev(m))
            if dwi_opts and len(dwi_opts) == 1:
                dwi = next(iter(dwi_opts))
    dce = None
    m = _first(_DCE_SCORE, body, a, b)
    if m:
        dce = m.group(1).strip().lower() in ("positive", "pos", "+", "+ve", "+ ve")
    else:
        mneg = _first(_DCE_NEG, body, a, b)
        mpos = _first(_DCE_POS, body, a, b)
        if mneg and (not mpos or mneg.start() <= mpos.start() or negated(body, mpos.start(), mpos.end())):
            m, dce = mneg, False
        elif mpos:
            m, dce = mpos, True
        if m is None:
            m = _first(_DCE_POS, body, a, b, want_negated=True)
            if m:
                dce = False
    if dce is not None:
        add(Finding("contrast enhancement (DCE)", "positive" if dce else "negative", ev(m),
                    rule="PI-RADS v2.1: DCE positive upgrades PZ DWI 3 to 4"))
    # zone
    zone = None
    for s0, s1 in sentences(body[a:b]):
        s0 += a; s1 += a
        hits = []
        for name, rx in (("peripheral zone", _PZ), ("transition zone", _TZ)):
            for z in rx.finditer(body, s0, s1):
                if not negated(body, z.start(), z.end(), own=_OWN):
                    hits.append((z.start(), name, z))
        if hits:
            hits.sort(key=lambda h: h[0])
            zone = hits[0][1]
            add(Finding("zone", zone, quote(body, hits[0][2].start(), hits[0][2].end()),
                        rule="PZ: DWI dominant; TZ: T2W dominant"))
            break
    # size and extraprostatic extension
    size = None
    for s in sizes_mm(body[a:b]):
        sent = quote(body, a + s.start, a + s.end, limit=10_000)
        if _GLAND.search(sent):
            continue
        if size is None or s.mm > size[0]:
            size = (s.mm, quote(body, a + s.start, a + s.end))
    if size:
        add(Finding("lesion size", f"{size[0]:g} mm", size[1], rule=">= 15 mm makes a score-4 lesion 5"))
    m = _first(_EPE, body, a, b)
    epe = bool(m)
    if m:
        add(Finding("extraprostatic extension", "definite", ev(m), rule="definite EPE makes a score-4 lesion 5"))
    if t2 is None and dwi is None and dwi_opts is None and dce is None:
        return None
    if not (zone or _first(_LESION, body, a, b) or t2 or dwi):
        return None
    f.update(zone=zone, t2=t2, dwi=dwi, dwi_opts=dwi_opts, dce=dce, size=size, epe=epe)
    return f


def _questions(les: dict, label: str | None):
    """The sub-scores whose answer changes the lesion's category, and the lesion's resolver."""
    known, unknown = les["known"], les["unknown"]

    def categorise(given) -> set[str]:
        k, u = dict(known), dict(unknown)
        for name, (feature, words) in ASKED.items():
            if name in u and words.get(given.get(feature)) in u[name]:
                k[name] = words[given[feature]]
                del u[name]
        return possible(category, k, u)

    asks = [(feature, [w for w, v in words.items() if v in unknown[name]])
            for name, (feature, words) in ASKED.items() if name in unknown]
    return open_questions(label, categorise, [(f, v) for f, v in asks if v])


def assess(text: str) -> ToolAnswer | None:
    body = findings_text(text)
    if not re.search(r"prostat|PI-?RADS|peripheral zone|transition zone", body, re.IGNORECASE):
        return None
    lesions = []
    for a, b in _blocks(body):
        les = _lesion(body, a, b)
        if les is None:
            continue
        known = {"epe": les["epe"]}
        unknown: dict = {}
        missing = []
        if les["zone"]:
            known["zone"] = les["zone"]
        else:
            unknown["zone"] = ["peripheral zone", "transition zone"]; missing.append("zone (peripheral or transition)")
        if les["t2"] is not None:
            known["t2"] = les["t2"]
        else:
            unknown["t2"] = [1, 2, 3, 4, 5]
        if les["dwi"] is not None:
            known["dwi"] = les["dwi"]
        else:
            unknown["dwi"] = sorted(les["dwi_opts"] or [1, 2, 3, 4, 5])
        if les["dce"] is not None:
            known["dce"] = les["dce"]
        else:
            unknown["dce"] = [False, True]
        if les["size"]:
            known["big"] = les["size"][0] >= 15
        else:
            unknown["big"] = [False, True]
        cats = possible(category, known, unknown)
        les["known"], les["unknown"] = known, unknown
        # name only the unknowns that change the category
        for name, words in (("t2", "T2-weighted score"), ("dwi", "diffusion (DWI) score"), ("dce", "contrast enhancement (DCE)"), ("big", "lesion size")):
            if name in unknown:
                k2 = dict(known); u2 = {n: v for n, v in unknown.items() if n != name}
                if any(len(possible(category, {**k2, name: val}, u2) ^ cats) for val in unknown[name]) or len(cats) > 1:
                    alt = [possible(category, {**k2, name: val}, u2) for val in unknown[name]]
                    if len({frozenset(x) for x in alt}) > 1:
                        missing.append(words)
        missing = [m for i, m in enumerate(missing) if m not in missing[:i]]
        lesions.append((les, cats, missing))
    if not lesions:
        hits = [h for h in _NORMAL.finditer(body)]
        if hits:
            q = quote(body, hits[0].start(), hits[0].end())
            return result(SYSTEM, GUIDELINE, "1", q, [Finding("lesion", "none", q, rule="no lesion: PI-RADS 1 (very low)")])
        return None
    for i, (les, cats, _) in enumerate(lesions):
        label = f"lesion {i + 1}" if len(lesions) > 1 else None
        les["questions"], les["resolve"] = ([], None) if len(cats) == 1 else _questions(les, label)

    def resolve_all(answers):
        return overall(ORDER.index, [l["resolve"](lesion_answers(answers, l["questions"])) if l["resolve"] else c
                                     for l, c, _ in lesions])

    decided = [(l, c, m) for l, c, m in lesions if len(c) == 1]
    undecided = [(l, c, m) for l, c, m in lesions if len(c) != 1]

    def rank(c: set[str]) -> int:
        return max(ORDER.index(x) for x in c) if c else -1

    others = []
    # An undecided lesion whose every value is below a decided one does not change the answer.
    top_decided = max(decided, key=lambda x: rank(x[1])) if decided else None
    blocking = [u for u in undecided if top_decided is None or rank(u[1]) > rank(top_decided[1])]
    if blocking:
        les, cats, missing = max(blocking, key=lambda x: rank(x[1]))
        floor = max([min(ORDER.index(x) for x in cats)] + ([rank(top_decided[1])] if top_decided else []))
        allowed_cats = {c for c in cats if ORDER.index(c) >= floor}
        for l, c, _ in lesions:
            if l is not les:
                others.append({"category": span(ORDER, c), "findings": [x.as_dict() for x in l["findings"]]})
        questions = [q for l, _, _ in blocking for q in l["questions"]]
        return result(SYSTEM, GUIDELINE, None, None, les["findings"], missing=missing or ["a sub-score"],
                      allowed=span(ORDER, allowed_cats), others=others, questions=questions, resolve=resolve_all)
    les, cats, _ = top_decided
    for l, c, _ in lesions:
        if l is not les:
            others.append({"category": span(ORDER, c), "findings": [x.as_dict() for x in l["findings"]]})
    cat = next(iter(cats))
    ev = les.get("ev") or (les["findings"][0].evidence if les["findings"] else None)
    return result(SYSTEM, GUIDELINE, cat, ev, les["findings"], others=others)
