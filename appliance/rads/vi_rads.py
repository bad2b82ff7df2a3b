"""VI-RADS (Panebianco et al., Eur Urol 2018; Vesical Imaging-Reporting and Data System) from a bladder MRI report.

Each sequence has a 1-5 category (Panebianco 2018, Table 2):
  1  < 1 cm exophytic tumour with or without stalk and/or thickened inner layer; uninterrupted
     low-signal muscularis propria
  2  > 1 cm exophytic tumour with stalk and/or high-signal thickened inner layer, or sessile/
     broad-based tumour with high-signal thickened inner layer; uninterrupted muscularis propria
  3  no category-2 features: sessile/broad-based tumour without thickened inner layer, but no clear
     disruption of the low-signal muscularis propria (equivocal muscle invasion)
  4  interruption of the low-signal line: tumour extends into the muscularis propria
  5  tumour extends through the bladder wall into the extravesical fat
Final score: T2W (structural category, SC) is the starting point; DWI is the dominant sequence,
and DCE decides when DWI is inadequate (Panebianco 2018). Sub-scores stated as such are used;
otherwise the described appearance (stalk, inner layer, muscularis propria, extravesical fat)
gives the category. Several tumours: each its own category, the most severe governs.
Open questions (`ASKED`, in the Table 2 words): the muscularis propria, the morphology (stalk
or sessile) and the thickened inner layer, when the report's words do not say; an answer is
used only where the report's words settle nothing. Size is never asked.
"""

from __future__ import annotations

import re

from ..tools.answer import Finding, ToolAnswer
from ..tools.lexicon import findings_text, sizes_mm
from ._reading import negated, quote, result, span
from .questions import lesion_answers, open_questions, overall

GUIDELINE = "VI-RADS (Panebianco 2018)"
SYSTEM = "VI-RADS"
ORDER = ("1", "2", "3", "4", "5")

# Panebianco 2018 Table 2 words -> the category they give on their own (None: decided by the rest).
MUSCLE = {"intact (uninterrupted low-signal line)": None, "no clear disruption, invasion equivocal": "3",
          "interrupted (tumour extends into the muscle)": "4",
          "tumour extends through the wall into the extravesical fat": "5"}
MORPHOLOGY = ("exophytic / stalked", "sessile / broad-based")
ASKED = {"muscularis propria": tuple(MUSCLE), "morphology": MORPHOLOGY, "thickened inner layer": ("present", "absent")}
_READ = "read by the model (unverified)"

_MARK = re.compile(r"(?:^|(?<=\n)|(?<=\.\s))\s*(?:(?:a\s+)?(?:second|third|additional|further|another|separate|smaller|larger)\s+(?:papillary\s+|sessile\s+|exophytic\s+)?(?:tumou?r|lesion|mass|focus)|(?:tumou?r|lesion)\s*(?:#|no\.?)?\s*\d+)", re.IGNORECASE | re.MULTILINE)
_SEQ = {
    "T2-weighted (structural category)": re.compile(r"\b(?:T2W?I?|SC|structural\s+category)(?:\s*\(SC\))?(?:\s*(?:score|category))?\s*(?:[:=]\s*|\s+)([1-5])(?!\.\d|\d|\s*(?:mm|cm))", re.IGNORECASE),
    "diffusion (DWI)": re.compile(r"\b(?:DWI|DW|diffusion)(?:\s*/\s*ADC)?(?:\s*(?:score|category))?\s*(?:[:=]\s*|\s+)([1-5])(?!\.\d|\d|\s*(?:mm|cm))", re.IGNORECASE),
    "contrast enhancement (DCE)": re.compile(r"\bDCE(?:\s*(?:score|category))?\s*(?:[:=]\s*|\s+)([1-5])(?!\.\d|\d|\s*(?:mm|cm))", re.IGNORECASE),
}
_EXTRAVESICAL = re.compile(r"extra-?vesical\s+(?:extension|spread|invasion|disease|tumou?r)|(?:extension|extend\w*|invasion|invad\w+|infiltrat\w+|spread\w*)\s+(?:in)?to\s+(?:the\s+)?(?:perivesical|extravesical|peri-?vesical)|(?:perivesical|extravesical)\s+(?:fat\s+)?(?:stranding|infiltration|invasion|extension|spread)|beyond\s+the\s+(?:bladder\s+)?wall|through\s+(?:the\s+)?(?:entire\s+|full\s+thickness\s+of\s+the\s+)?(?:bladder\s+)?wall|full[- ]thickness|invad\w+\s+(?:into\s+)?(?:the\s+)?(?:perivesical|prostate|seminal|uterus|vagina|rectum|pelvic\s+(?:side\s+)?wall)", re.IGNORECASE)
_MUSCLE_INVASION = re.compile(r"(?:interruption|disruption|breach|loss|effacement|discontinuity|infiltration)\s+of\s+(?:the\s+)?(?:low[- ]signal\s+|hypointense\s+|dark\s+)?(?:muscularis(?:\s+propria)?|detrusor|muscle|muscular|line)|(?:invad\w+|infiltrat\w+|extend\w*|penetrat\w+)\s+(?:into\s+)?(?:the\s+)?(?:muscularis|detrusor|muscle\s+(?:layer|wall)|muscular\s+layer)|muscle[- ]invasi\w+|muscularis\s+propria\s+(?:invasion|involvement)|(?:muscularis(?:\s+propria)?|detrusor|muscle\s+layer|low[- ]signal\s+line)\s+(?:is\s+)?(?:interrupted|disrupted|breached|invaded)", re.IGNORECASE)
_EQUIVOCAL = re.compile(r"(?:cannot|can\s*not|could\s+not)\s+(?:be\s+)?(?:exclude|excluded|rule\s+out|ruled\s+out)[^.;]{0,30}(?:muscle|muscularis|detrusor|invasion)|(?:equivocal|indeterminate|possible|questionable|uncertain|probable)\s+(?:for\s+)?(?:early\s+)?(?:muscle|muscularis|detrusor)[\w\s]{0,20}invasion|(?:muscle|muscularis|detrusor)[\w\s]{0,25}(?:invasion|involvement)\s+(?:cannot|can\s*not|could\s+not)\s+be\s+(?:excluded|ruled\s+out)|no\s+clear\s+(?:disruption|interruption|invasion)|not\s+clearly\s+(?:disrupted|interrupted|invaded)", re.IGNORECASE)
_MP_INTACT = re.compile(r"(?:muscularis(?:\s+propria)?|detrusor|muscle\s+(?:layer|wall)|low[- ]signal\s+(?:muscle\s+)?(?:line|layer|band)|hypointense\s+(?:muscle\s+)?(?:line|layer|band))[^.;]{0,40}?(?:intact|preserved|uninterrupted|continuous|maintained|spared)|(?:intact|preserved|uninterrupted|continuous)\s+(?:low[- ]signal\s+|hypointense\s+|dark\s+)?(?:muscularis|detrusor|muscle|line|band)", re.IGNORECASE)
_INNER_LAYER = re.compile(r"(?:thickened|high[- ]signal|hyperintense|enhancing)\s+(?:\w+\s+){0,2}?inner\s+layer|inner\s+layer[^.;]{0,30}(?:thicken\w+|high\s+signal|enhanc\w+)|(?:submucos\w+|lamina\s+propria)\s+(?:thickening|oedema|edema|enhancement)|\bstalk\b", re.IGNORECASE)
_STALK = re.compile(r"\bstalk\b|pedunculated|\bexophytic\b|papillary|frond", re.IGNORECASE)
_SESSILE = re.compile(r"\bsessile\b|broad[- ]based|plaque-?like|\bflat\b|\bmural\s+thickening\b", re.IGNORECASE)
_TUMOUR = re.compile(r"tumou?r|lesion|mass|papillary|polypoid|sessile|exophytic|neoplasm|carcinoma|growth", re.IGNORECASE)
_OWN = re.compile(r"\d|muscle|muscularis|detrusor|intact|preserved|stalk|sessile", re.IGNORECASE)


def _first(rx, body, a, b, neg=False):
    for m in rx.finditer(body, a, b):
        if negated(body, m.start(), m.end(), own=_OWN) == neg:
            return m
    return None


def _blocks(body: str) -> list[tuple[int, int]]:
    starts = sorted({m.start() for m in _MARK.finditer(body)})
    bounds = ([0] if not starts or starts[0] > 0 else []) + starts + [len(body)]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if body[a:b].strip()]


def _tumour(body: str, a: int, b: int, given=None) -> tuple[set[str], list[Finding], str | None, list[str]] | None:
    """One tumour's categories. `given`: model-read values of open features (ASKED), used only
    where the report's words settle nothing."""
    given = given or {}
    findings: list[Finding] = []
    ev = None
    q = lambda m: quote(body, m.start(), m.end())
    seq: dict[str, int] = {}
    for name, rx in _SEQ.items():
        m = _first(rx, body, a, b)
        if m:
            seq[name] = int(m.group(1))
            findings.append(Finding(name, m.group(1), q(m), rule="stated sequence category"))
            ev = ev or q(m)
    if seq:
        for name in ("diffusion (DWI)", "contrast enhancement (DCE)", "T2-weighted (structural category)"):
            if name in seq:
                rule = {"diffusion (DWI)": "DWI is the dominant sequence",
                        "contrast enhancement (DCE)": "DCE decides when DWI is inadequate",
                        "T2-weighted (structural category)": "T2W structural category (no DWI or DCE category given)"}[name]
                findings.append(Finding("final score rule", rule, None, rule="Panebianco 2018"))
                return {str(seq[name])}, findings, ev, []
    # described appearance
    sizes = [s for s in sizes_mm(body[a:b])]
    size = max((s.mm for s in sizes), default=None)
    if size is not None:
        s = max(sizes, key=lambda s: s.mm)
        findings.append(Finding("tumour size", f"{size:g} mm", quote(body, a + s.start, a + s.end), rule="1 cm separates VI-RADS 1 from 2"))
    m = _first(_EXTRAVESICAL, body, a, b)
    if m:
        findings.append(Finding("extravesical extension", "present", q(m), rule="VI-RADS 5: through the wall into extravesical fat"))
        return {"5"}, findings, q(m), []
    m = _first(_MUSCLE_INVASION, body, a, b)
    if m and not _first(_EQUIVOCAL, body, a, b):
        findings.append(Finding("muscularis propria", "interrupted (tumour extends into the muscle)", q(m), rule="VI-RADS 4"))
        return {"4"}, findings, q(m), []
    m = _first(_EQUIVOCAL, body, a, b)
    if m:
        findings.append(Finding("muscularis propria", "no clear disruption, invasion equivocal", q(m), rule="VI-RADS 3"))
        return {"3"}, findings, q(m), []
    intact = _first(_MP_INTACT, body, a, b) or _first(_MUSCLE_INVASION, body, a, b, neg=True)
    inner = _first(_INNER_LAYER, body, a, b)
    no_inner = _first(_INNER_LAYER, body, a, b, neg=True)
    stalk = _first(_STALK, body, a, b)
    sessile = _first(_SESSILE, body, a, b)
    tumour = _first(_TUMOUR, body, a, b)
    if not (stalk or sessile or intact or inner or size is not None):
        return None   # a tumour named with nothing to assess ("Two tumours.") is not a lesion block
    intact_read = False
    if not intact and (read := given.get("muscularis propria")) in MUSCLE:
        findings.append(Finding("muscularis propria", read, None, rule=_READ))
        if MUSCLE[read]:
            return {MUSCLE[read]}, findings, None, []
        intact_read = True
    is_stalk, is_sessile = bool(stalk), bool(sessile)
    if not (stalk or sessile) and (read := given.get("morphology")) in MORPHOLOGY:
        findings.append(Finding("morphology", read, None, rule=_READ))
        is_stalk, is_sessile = read == MORPHOLOGY[0], read == MORPHOLOGY[1]
    inner_state = ("present" if inner and not (no_inner and no_inner.start() < inner.start())
                   else "absent" if no_inner else None)
    inner_read = False
    if inner_state is None and (read := given.get("thickened inner layer")) in ("present", "absent"):
        findings.append(Finding("thickened inner layer", read, None, rule=_READ))
        inner_state, inner_read = read, read == "present"
    if intact:
        findings.append(Finding("muscularis propria", "intact (uninterrupted low-signal line)", q(intact)))
    if inner:
        findings.append(Finding("inner layer / stalk", inner.group(0), q(inner)))
    if stalk:
        findings.append(Finding("morphology", "exophytic / stalked", q(stalk)))
    if sessile:
        findings.append(Finding("morphology", "sessile / broad-based", q(sessile)))
    ev = q(intact) if intact else q(tumour or stalk or sessile)
    mp_opts = {"intact"} if intact or intact_read else {"intact", "invaded", "extravesical", "equivocal"}
    cats = set()
    for mp in mp_opts:
        if mp == "invaded":
            cats.add("4"); continue
        if mp == "extravesical":
            cats.add("5"); continue
        if mp == "equivocal":
            cats.add("3"); continue
        sizes_opts = [size] if size is not None else [5.0, 15.0]
        for sz in sizes_opts:
            if is_sessile and not is_stalk:
                if inner_state == "present":
                    cats.add("2")
                elif inner_state == "absent":
                    cats.add("3")
                else:
                    cats.update({"2", "3"})
            elif is_stalk or inner or inner_read:
                cats.add("1" if sz < 10 else "2")
            else:
                cats.update({"1", "2", "3"} if sz < 10 else {"2", "3"})
    missing = []
    if not intact:
        missing.append("muscularis propria (intact or interrupted)")
    if size is None and len(cats) > 1:
        missing.append("tumour size")
    if sessile and not inner and not no_inner and "2" in cats and "3" in cats:
        missing.append("thickened inner layer (present or absent)")
    if not (stalk or sessile) and len(cats) > 1:
        missing.append("morphology (stalk or sessile)")
    return cats, findings, ev, missing


def assess(text: str) -> ToolAnswer | None:
    body = findings_text(text)
    if not re.search(r"bladder|vesical|VI-?RADS|urothelial", body, re.IGNORECASE):
        return None
    blocks = [(a, b, t) for a, b in _blocks(body) if (t := _tumour(body, a, b)) is not None]
    tumours = [t for _, _, t in blocks]
    if not tumours:
        return None
    asked = {}
    for i, (a, b, t) in enumerate(blocks):
        if len(t[0]) > 1:
            asked[id(t)] = open_questions(f"tumour {i + 1}" if len(blocks) > 1 else None,
                                          lambda g, a=a, b=b: _tumour(body, a, b, g)[0], ASKED.items())

    def resolve(answers):
        sets = []
        for t in tumours:
            questions, lesion_resolve = asked.get(id(t), ([], None))
            mine = lesion_answers(answers, questions)
            sets.append(lesion_resolve(mine) if lesion_resolve and mine else t[0])
        return overall(ORDER.index, sets)

    rank = lambda c: max(ORDER.index(x) for x in c)
    decided = [t for t in tumours if len(t[0]) == 1]
    top = max(decided, key=lambda t: rank(t[0])) if decided else None
    blocking = [t for t in tumours if len(t[0]) > 1 and (top is None or rank(t[0]) > rank(top[0]))]
    others = lambda gov: [{"category": span(ORDER, t[0]), "findings": [f.as_dict() for f in t[1]]} for t in tumours if t is not gov]
    if blocking:
        gov = max(blocking, key=lambda t: rank(t[0]))
        floor = rank(top[0]) if top else 0
        allowed = {c for c in gov[0] if ORDER.index(c) >= floor}
        questions = [q for t in blocking for q in asked.get(id(t), ([], None))[0]]
        return result(SYSTEM, GUIDELINE, None, None, gov[1], missing=gov[3] or ["a sequence category"],
                      allowed=span(ORDER, allowed), others=others(gov), questions=questions, resolve=resolve)
    return result(SYSTEM, GUIDELINE, next(iter(top[0])), top[2], top[1], others=others(top))
