"""CAD-RADS 2.0 (2022, SCCT/ACR/NASCI; Cury et al., JCCT 2022) from a coronary CT angiography report.

Rules (CAD-RADS 2.0, Table 1), the maximal stenosis of any vessel or segment governs:
  0   0 %: no plaque and no stenosis
  1   1-24 %: minimal stenosis, or plaque with no stenosis
  2   25-49 %: mild stenosis
  3   50-69 %: moderate stenosis
  4A  70-99 %: severe stenosis in one or two vessels
  4B  left main stenosis >= 50 %, or three-vessel obstructive (>= 70 %) disease
  5   100 %: total occlusion
  N   non-diagnostic study (obstructive disease cannot be excluded); where a diagnostic segment
      shows >= 50 % stenosis that category is given and the limitation noted.
Modifiers (plaque burden P1-P4, HRP, S stent, G graft, E exceptions) are reported as findings,
never in the category string. Stenosis words: minimal 1-24, mild 25-49, moderate 50-69,
severe 70-99, occluded 100 (CAD-RADS 2.0 stenosis grading); a stated range governs by its upper
bound (the conservative reading).
"""

from __future__ import annotations

import re

from ..tools.answer import Finding, ToolAnswer
from ..tools.lexicon import find_all, findings_text
from ._reading import negated, quote, result

GUIDELINE = "CAD-RADS 2.0 (2022, SCCT/ACR/NASCI)"
SYSTEM = "CAD-RADS"
ORDER = ("0", "N", "1", "2", "3", "4A", "4B", "5")

_VESSELS = [
    ("left main", r"\bleft main\b|\bLM(?:CA)?\b|\bLMS\b"),
    ("LAD", r"\bLAD\b|left anterior descending|\bdiagonal\b|\bD[12]\b|\bseptal\b"),
    ("LCx", r"\bL?CX\b|\bcircumflex\b|\bobtuse marginal\b|\bOM\d?\b|\bramus\b|\bRI\b"),
    ("RCA", r"\bRCA\b|right coronary|\bPDA\b|\bPLV\b|\bposterior descending\b|\bacute marginal\b"),
]
_VESSEL_RE = [(name, re.compile(p, re.IGNORECASE)) for name, p in _VESSELS]
_ANY_VESSEL = re.compile("|".join(p for _, p in _VESSELS), re.IGNORECASE)

_WORD_GRADE = [
    (r"total(?:ly)?\s+occlu\w+|complete(?:ly)?\s+occlu\w+|\boccluded\b|\bocclusion\b|\boccluding\b|chronic total occlusion|\bCTO\b", 100),
    (r"sub-?total(?:ly)?\s+occlu\w+|near[- ](?:total\s+)?occlu\w+|\bcritical\b|\bsevere(?:ly)?\b|\bhigh[- ]grade\b|\btight\b|\bsignificant\b(?=\s+(?:>|≥)?\s*70)", 99),
    (r"\bmoderate(?:ly)?\b(?:\s*(?:to|-)\s*severe(?:ly)?)?", 69),
    (r"\bmild(?:ly)?\b(?:\s*(?:to|-)\s*moderate(?:ly)?)?", 49),
    (r"\bminimal(?:ly)?\b|\btrivial\b|\bminor\b", 24),
]
_STENOSIS_NOUN = r"(?:stenos[ie]s|stenotic|stenosed|narrowing|narrowed|luminal\s+(?:narrowing|reduction)|diameter\s+reduction|obstruction|lesion|disease)"
_GRADE_WORD_RE = re.compile(
    r"(?P<w>" + "|".join(p for p, _ in _WORD_GRADE) + r")(?:[\s,()-]+(?:\(?\s*\d{1,3}\s*(?:-|–|to)\s*\d{1,3}\s*%\s*\)?|focal|luminal|calcified|non-?calcified|mixed|partially|plaque|eccentric|concentric|proximal|ostial|mid|distal|segment|with|causing|resulting in|and)){0,4}[\s,()-]*" + _STENOSIS_NOUN,
    re.IGNORECASE)
_GRADE_AFTER_RE = re.compile(_STENOSIS_NOUN + r"\s+(?:is|was|of|appears|which is|that is)?\s*(?:considered\s+)?(?P<w>" + "|".join(p for p, _ in _WORD_GRADE) + r")", re.IGNORECASE)
_OCCLUSION_RE = re.compile(r"(?<!non-)(?<!non)(?<!sub)(?<!sub-)(?<!near )(?<!near-)\b(?:(?:totally|completely|chronically)\s+)?(?:occluded|occlusion|CTO)\b", re.IGNORECASE)
_PERCENT_RE = re.compile(r"(?<![\d.])(\d{1,3})\s*(?:%|percent)?\s*(?:-|–|to)\s*(\d{1,3})\s*(?:%|percent)|(?<![\d.])(\d{1,3})\s*(?:%|percent)", re.IGNORECASE)
_NOT_STENOSIS = re.compile(r"ejection fraction|\bEF\b|percentile|MESA|\bLVEF\b|heart rate|calcium score|agatston|plaque burden|stenosis (?:of|greater than|above|over|exceeding)\s*$", re.IGNORECASE)
_OWN = re.compile(r"\d|" + _ANY_VESSEL.pattern + r"|\b(?:mild|moderate|severe|minimal|critical|total|complete)", re.IGNORECASE)

_NONDIAGNOSTIC = re.compile(r"non-?diagnostic|not diagnostic|non-?evaluable|not evaluable|uninterpretable|cannot be (?:adequately )?(?:evaluated|assessed)|could not be (?:adequately )?(?:evaluated|assessed)|precludes? (?:adequate |reliable )?(?:evaluation|assessment)|limited (?:assessment|evaluation) of", re.IGNORECASE)
_NO_PLAQUE = re.compile(r"(?:no|without)\s+(?:evidence of\s+)?(?:(?:coronary|atherosclerotic|calcified|non-?calcified|mixed|coronary artery)\s+(?:or\s+\w+\s+)?)*(?:plaque|atherosclerosis|coronary artery disease|CAD)\b|normal coronary arteries|coronary arteries are normal|coronary arteries are (?:entirely |completely )?(?:normal|unremarkable|smooth)", re.IGNORECASE)
_PLAQUE = re.compile(r"\bplaques?\b|atheroma|atherosclero\w+|\bcalcifi\w+|coronary artery disease|\bCAD\b|non-?obstructive|nonobstructive", re.IGNORECASE)
_CAC_POS = re.compile(r"(?:calcium score|agatston(?: score)?|CAC(?: score)?)\s*(?:of|is|was|=|:)?\s*(\d+(?:\.\d+)?)", re.IGNORECASE)
_NONOBSTRUCTIVE = re.compile(r"non-?obstructive|nonobstructive|no (?:haemodynamically |hemodynamically |flow[- ]limiting |significant |obstructive )+(?:stenos[ie]s|narrowing|disease|coronary)", re.IGNORECASE)
_OBSTRUCTIVE = re.compile(r"(?<!non-)(?<!non)\bobstructive\b|haemodynamically significant|hemodynamically significant|flow[- ]limiting", re.IGNORECASE)
_MODIFIERS = [
    ("plaque burden", re.compile(r"\bP[1-4]\b|(?:mild|moderate|severe|extensive) plaque burden|plaque burden (?:is )?(?:mild|moderate|severe|extensive)", re.IGNORECASE)),
    ("high-risk plaque", re.compile(r"high[- ]risk plaque|\bHRP\b|napkin[- ]ring|positive remodel\w+|low[- ]attenuation plaque|spotty calcification", re.IGNORECASE)),
    ("stent", re.compile(r"\bstent\w*\b", re.IGNORECASE)),
    ("bypass graft", re.compile(r"\bbypass graft\w*|\bCABG\b|\bLIMA\b|\bLITA\b|\bSVG\b|vein graft", re.IGNORECASE)),
]


def _vessel_at(text: str, start: int, end: int) -> str | None:
    """The vessel a stenosis belongs to: its clause first, then earlier in its sentence, then its line heading."""
    sent = quote(text, start, end, limit=10_000)
    s0 = text.find(sent, max(0, start - len(sent)))
    s0 = s0 if s0 >= 0 else start
    before = text[s0:start]
    after = text[end:s0 + len(sent)]
    clause_before = re.split(r",|;|\band\b|\bwhile\b|\bwhereas\b", before)[-1]
    clause_after = re.split(r",|;|\band\b|\bwhile\b|\bwhereas\b", after)[0]

    def last(seg: str) -> str | None:
        best = None
        for name, rx in _VESSEL_RE:
            for m in rx.finditer(seg):
                if best is None or m.start() > best[0]:
                    best = (m.start(), name)
        return best[1] if best else None

    def first(seg: str) -> str | None:
        best = None
        for name, rx in _VESSEL_RE:
            m = rx.search(seg)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), name)
        return best[1] if best else None

    for seg, pick in ((clause_before, last), (clause_after, first), (before, last), (after, first)):
        v = pick(seg)
        if v:
            return v
    # a heading earlier on the line or the paragraph ("LAD: ...", "Right coronary artery - ...")
    para_start = max(text.rfind("\n\n", 0, s0), 0)
    return last(text[para_start:s0][-300:])


def _category(stenoses: list[tuple[int, str | None]]) -> str:
    if not stenoses:
        return "0"
    top = max(p for p, _ in stenoses)
    if top >= 100:
        return "5"
    if any(v == "left main" and p >= 50 for p, v in stenoses):
        return "4B"
    severe = {v for p, v in stenoses if p >= 70 and v in ("LAD", "LCx", "RCA")}
    if len(severe) == 3:
        return "4B"
    if top >= 70:
        return "4A"
    if top >= 50:
        return "3"
    if top >= 25:
        return "2"
    return "1"


def _grade_words(w: str) -> int:
    for pattern, pct in _WORD_GRADE:
        if re.match(pattern, w, re.IGNORECASE):
            # "mild to moderate" / "moderate to severe": the higher grade (an undercall is the dangerous error)
            if re.search(r"(?:to|-)\s*severe", w, re.IGNORECASE):
                return 99
            if re.search(r"(?:to|-)\s*moderate", w, re.IGNORECASE):
                return 69
            return pct
    return 0


def assess(text: str) -> ToolAnswer | None:
    body = findings_text(text)
    if not re.search(r"coronar|\bLAD\b|\bRCA\b|circumflex|left main|CCTA|CTCA|CAD-?RADS", body, re.IGNORECASE):
        return None
    findings: list[Finding] = []
    stenoses: list[tuple[int, str | None, str]] = []   # (percent, vessel, quote)
    seen: set[tuple[int, int]] = set()

    def add(start: int, end: int, pct: int, how: str) -> None:
        for a, b in seen:
            if a <= start < b or start <= a < end:
                return
        if negated(body, start, end, own=_OWN):
            return
        seen.add((start, end))
        vessel = _vessel_at(body, start, end)
        q = quote(body, start, end)
        stenoses.append((pct, vessel, q))
        findings.append(Finding(feature=f"stenosis{' of the ' + vessel if vessel else ''}",
                                value=f"{how} ({pct if pct < 100 else 100} % maximal)" if how != "percent" else f"{pct} %",
                                evidence=q, rule=_rule_for(pct)))

    for m in _PERCENT_RE.finditer(body):
        pre = body[max(0, m.start() - 40):m.start()]
        if _NOT_STENOSIS.search(pre) or re.match(r"\s*(?:of|in)\s+(?:the\s+)?(?:patients|cases)", body[m.end():]):
            continue
        pct = int(m.group(2) or m.group(3))
        if pct > 100:
            continue
        if re.search(r"(?:<|less than|under|below)\s*$", body[max(0, m.start() - 12):m.start()], re.IGNORECASE):
            pct = max(pct - 1, 0)   # "minimal (<25 %)": below the stated bound
        # "stenosis greater than 50 %" / "no stenosis > 50 %" are thresholds, handled by negation below
        add(m.start(), m.end(), pct, "percent")
    for rx in (_GRADE_WORD_RE, _GRADE_AFTER_RE):
        for m in rx.finditer(body):
            pct = _grade_words(m.group("w"))
            if pct:
                add(m.start(), m.end(), pct, m.group("w").lower())
    for m in _OCCLUSION_RE.finditer(body):
        add(m.start(), m.end(), 100, "occluded")

    modifiers = []
    for name, rx in _MODIFIERS:
        hits = [h for h in find_all(rx, body) if not negated(body, h.start, h.end)]
        if hits:
            modifiers.append(name)
            findings.append(Finding(feature=f"modifier: {name}", value=hits[0].words, evidence=hits[0].quote(),
                                    rule="CAD-RADS 2.0 modifier, reported beside the category"))
    nondiag = [h for h in find_all(_NONDIAGNOSTIC, body)]
    plaque = [h for h in find_all(_PLAQUE, body) if not negated(body, h.start, h.end)]
    no_plaque = find_all(_NO_PLAQUE, body) or [h for h in find_all(_PLAQUE, body, negated=True)
                                               if re.match(r"plaque|atheroscl|coronary artery disease|CAD", h.words, re.IGNORECASE)]
    cac = [(float(m.group(1)), m) for m in _CAC_POS.finditer(body)]
    nonobstructive = find_all(_NONOBSTRUCTIVE, body)

    stenoses_only = [(p, v) for p, v, _ in stenoses]
    top = max(stenoses, key=lambda s: s[0]) if stenoses else None
    note = f"modifiers: {', '.join(modifiers)}" if modifiers else None

    if nondiag and (top is None or top[0] < 50):
        h = nondiag[0]
        findings.append(Finding(feature="study quality", value="non-diagnostic", evidence=h.quote(),
                                rule="CAD-RADS 2.0: N when obstructive disease cannot be excluded"))
        return result(SYSTEM, GUIDELINE, "N", h.quote(), findings, note=note)
    if top is not None:
        cat = _category(stenoses_only)
        if cat == "4B":
            lm = [s for s in stenoses if s[1] == "left main" and s[0] >= 50]
            ev = lm[0][2] if lm else top[2]
            rule = "left main >= 50 %" if lm else "three-vessel obstructive (>= 70 %) disease"
            findings.append(Finding(feature="category rule", value=rule, evidence=ev, rule="CAD-RADS 2.0: 4B"))
        else:
            ev = top[2]
        flags = ["non-diagnostic segments; category from the diagnostic segments"] if nondiag else []
        return result(SYSTEM, GUIDELINE, cat, ev, findings, note=note, flags=flags)
    # no graded stenosis
    if plaque or any(v > 0 for v, _ in cac):
        ev_m = plaque[0] if plaque else cac[0][1]
        ev = ev_m.quote() if plaque else quote(body, ev_m.start(), ev_m.end())
        none_at_all = [h for h in find_all(r"(?:no|without)\s+(?:any\s+)?(?:luminal\s+)?(?:stenosis|narrowing)|no (?:luminal )?stenos[ie]s", body, negated=False)]
        # "without stenosis" itself is caught as a negation cue match; look for it directly
        none_at_all = list(re.finditer(r"\b(?:no|without)\s+(?:any\s+)?(?:luminal\s+)?(?:stenos[ie]s|narrowing|luminal narrowing)\b", body, re.IGNORECASE))
        findings.append(Finding(feature="plaque", value="present", evidence=ev))
        if none_at_all:
            m = none_at_all[0]
            findings.append(Finding(feature="stenosis", value="none", evidence=quote(body, m.start(), m.end()),
                                    rule="CAD-RADS 2.0: plaque with no stenosis is 1"))
            return result(SYSTEM, GUIDELINE, "1", quote(body, m.start(), m.end()), findings, note=note)
        if nonobstructive:
            h = nonobstructive[0]
            findings.append(Finding(feature="stenosis", value="non-obstructive (< 50 %), degree not given", evidence=h.quote()))
            return result(SYSTEM, GUIDELINE, None, None, findings, missing=["degree of stenosis (minimal or mild)"], allowed="1-2", note=note)
        return result(SYSTEM, GUIDELINE, None, None, findings, missing=["degree of stenosis"], allowed="1-5", note=note)
    if no_plaque:
        h = no_plaque[0]
        findings.append(Finding(feature="plaque", value="none", evidence=h.quote(), rule="CAD-RADS 2.0: no plaque and no stenosis is 0"))
        return result(SYSTEM, GUIDELINE, "0", h.quote(), findings, note=note)
    if nonobstructive:
        h = nonobstructive[0]
        findings.append(Finding(feature="stenosis", value="no obstructive stenosis, plaque not described", evidence=h.quote()))
        return result(SYSTEM, GUIDELINE, None, None, findings, missing=["plaque and degree of stenosis"], allowed="0-2", note=note)
    return None


def _rule_for(pct: int) -> str:
    if pct >= 100:
        return "100 % total occlusion: CAD-RADS 5"
    if pct >= 70:
        return "70-99 % severe stenosis: CAD-RADS 4A (4B if left main or three vessels)"
    if pct >= 50:
        return "50-69 % moderate stenosis: CAD-RADS 3 (4B if left main)"
    if pct >= 25:
        return "25-49 % mild stenosis: CAD-RADS 2"
    if pct >= 1:
        return "1-24 % minimal stenosis: CAD-RADS 1"
    return "0 %: CAD-RADS 0"
