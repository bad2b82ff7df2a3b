"""NI-RADS (ACR 2018; Aiken et al., JACR 2018, CT/PET-CT and MRI lexicon) for post-treatment
head and neck cancer surveillance. The primary site and the neck each get a category.

Primary site (ACR NI-RADS 2018):
  0  new baseline, prior imaging not available but will be obtained
  1  expected post-treatment change: no abnormal enhancement, non-mass-like distortion, diffuse
     linear mucosal enhancement, no FDG uptake beyond the expected
  2A focal superficial mucosal enhancement / mucosal FDG (non-mass-like)
  2B deep, ill-defined (non-discrete) soft tissue with mild/moderate differential enhancement,
     mild/moderate FDG uptake
  3  new or enlarging discrete nodule or mass, intense focal FDG uptake
  4  definite recurrence: pathologically proven or definite radiologic/clinical progression
Neck (ACR NI-RADS 2018): 1 no residual abnormal nodes; 2 enlarging residual or new abnormal node
without necrosis or extranodal extension, mild/intermediate FDG; 3 new or enlarging node with
necrosis or extranodal extension, or intense FDG; 4 definite (proven) nodal recurrence.
The neck has no 2A/2B; neck 2 is reported as "2B" (the same management: short-interval follow-up),
with a note. The higher of primary and neck is the answer; the other is listed in `others`.
"""

from __future__ import annotations

import re

from ..tools.answer import Finding, ToolAnswer
from ..tools.lexicon import findings_text
from ._reading import negated, quote, result, sentences

GUIDELINE = "NI-RADS (ACR 2018, CT/PET-CT and MRI)"
SYSTEM = "NI-RADS"
ORDER = ("0", "1", "2A", "2B", "3", "4")

_NECK_SENT = re.compile(r"\bnod(?:e|es|al)\b|lymph|adenopathy|\blevel\s+(?:I{1,3}V?|IV|V|VI|[1-6])[ab]?\b|jugulodigastric|cervical\s+chain|neck\s+dissection|\bneck\s*:", re.IGNORECASE)
_PRIMARY_HEAD = re.compile(r"(?:^|(?<=\.\s))\s*(?:primary(?:\s+site)?|local|surgical\s+bed|treatment\s+site)\s*:", re.IGNORECASE | re.MULTILINE)
_NECK_HEAD = re.compile(r"(?:^|(?<=\.\s))\s*(?:neck|nodes?|nodal|neck\s+nodes|lymph\s+nodes|regional\s+nodes)\s*:", re.IGNORECASE | re.MULTILINE)

_PRIMARY = [
    ("4", re.compile(r"(?:biopsy|histolog\w+|patholog\w+|cytolog\w+)[- ]?(?:\w+\s+)?(?:proven|confirmed|positive)|definite\s+(?:local\s+)?(?:recurrence|progression)|unequivocal\s+(?:recurrence|progression)|frank\s+recurrence", re.IGNORECASE)),
    ("3", re.compile(r"(?:new|enlarging|increasing|growing)\s+(?:or\s+enlarging\s+)?(?:discrete\s+)?(?:enhancing\s+)?(?:soft[- ]tissue\s+)?(?:nodule|mass|lesion)|discrete\s+(?:enhancing\s+)?(?:soft[- ]tissue\s+)?(?:nodule|mass)|intense(?:ly)?\s+(?:focal\s+)?(?:FDG|avid|hypermetabolic|uptake)|intense\s+(?:focal\s+)?(?:FDG\s+)?(?:uptake|avidity)|(?:markedly|highly|intensely)\s+(?:FDG[- ])?(?:avid|hypermetabolic)|has\s+(?:increased|grown)\s+in\s+size", re.IGNORECASE)),
    ("2B", re.compile(r"deep\s+(?:ill[- ]defined|non-?mass-?like|soft[- ]tissue)|ill[- ]defined\s+(?:deep\s+)?(?:soft[- ]tissue|enhancement|enhancing)|non-?discrete\s+(?:soft[- ]tissue|enhancement)|(?:mild|moderate)\s+(?:differential\s+)?enhancement\s+(?:of|in|within)\s+(?:the\s+)?(?:deep|soft)", re.IGNORECASE)),
    ("2B-FDG", re.compile(r"(?:mild|low[- ]grade|moderate|intermediate|mild[- ]to[- ]moderate)(?:ly)?\s+(?:increased\s+)?(?:FDG|avid|uptake|hypermetabolic|metabolic)", re.IGNORECASE)),
    ("2A", re.compile(r"(?<!diffuse )(?<!linear )(?:focal\s+)?(?:superficial\s+)?mucosal\s+(?:enhancement|FDG|uptake|abnormality|irregularity|thickening|hypermetabolism)|superficial\s+(?:mucosal\s+)?(?:enhancement|FDG|uptake)", re.IGNORECASE)),
    ("1", re.compile(r"expected\s+post[- ]?(?:treatment|radiation|radiotherapy|operative|surgical|therapy|therapeutic|chemoradiation)\s+(?:change|appearance)s?|post[- ]?(?:treatment|radiation|radiotherapy|chemoradiation|surgical|operative)\s+changes?|(?:no|without)\s+(?:evidence\s+of\s+)?(?:residual|recurrent|local)\s+(?:or\s+recurrent\s+)?(?:disease|tumou?r|mass|malignancy)|no\s+(?:abnormal|suspicious|focal|discrete)\s+(?:\w+\s+)?(?:enhancement|FDG|uptake|mass|soft\s+tissue|lesion)|complete\s+(?:metabolic\s+)?response|diffuse\s+(?:linear\s+)?mucosal\s+enhancement|non-?mass-?like\s+distortion|flap\s+(?:is\s+)?(?:unremarkable|intact|viable)", re.IGNORECASE)),
]
_NECK = [
    ("4", _PRIMARY[0][1]),
    ("3", re.compile(r"(?:necrotic|necrosis|extra-?nodal|extracapsular|\bENE\b)|(?:intense(?:ly)?|markedly|highly)\s+(?:FDG[- ])?(?:avid|hypermetabolic|uptake)|intense\s+(?:focal\s+)?(?:FDG\s+)?uptake", re.IGNORECASE)),
    ("2", re.compile(r"(?:new|enlarging|increasing|enlarged|prominent)\s+(?:[\w-]+\s+){0,7}?(?:lymph\s+)?nod(?:e|es)|(?:node|nodes)\s+(?:has|have)\s+(?:increased|enlarged|grown)|(?:mild|low[- ]grade|moderate|intermediate)(?:ly)?\s+(?:increased\s+)?(?:FDG|avid|uptake|hypermetabolic)", re.IGNORECASE)),
    ("1", re.compile(r"no\s+(?:residual\s+|recurrent\s+)?(?:\w+\s+){0,4}?(?:lymph\s*)?(?:nodes?|adenopathy|lymphadenopathy|nodal\s+disease)|(?:nodes?|neck)\s+(?:are\s+|is\s+)?(?:unremarkable|normal|clear|not\s+enlarged)|post[- ]?(?:surgical|operative|treatment|radiation)\s+changes?|neck\s+dissection|expected\s+post[- ]?treatment", re.IGNORECASE)),
]
_BASELINE = re.compile(r"prior\s+(?:imaging|studies|study|scans?)\s+(?:is\s+|are\s+)?(?:not\s+(?:currently\s+)?available|unavailable|will\s+be\s+obtained|being\s+obtained)|awaiting\s+(?:the\s+)?prior", re.IGNORECASE)
_OWN = re.compile(r"\d|new|enlarging|mass|nodule|FDG|enhanc|node", re.IGNORECASE)


def _site_spans(body: str) -> dict[str, list[tuple[int, int]]]:
    """Sentence spans for the primary site and the neck (a heading governs the lines under it)."""
    spans: dict[str, list[tuple[int, int]]] = {"primary": [], "neck": []}
    heads = sorted([(m.start(), "primary") for m in _PRIMARY_HEAD.finditer(body)] + [(m.start(), "neck") for m in _NECK_HEAD.finditer(body)])
    for a, b in sentences(body):
        under = [site for pos, site in heads if pos <= a]
        in_heading = [site for pos, site in heads if a <= pos < b]
        sent = body[a:b]
        if in_heading:
            site = in_heading[0]
        elif under and heads:
            # a heading governs until the next heading; a blank-line paragraph without one falls back to words
            site = under[-1]
        else:
            site = "neck" if _NECK_SENT.search(sent) else "primary"
        if site == "primary" and _NECK_SENT.search(sent) and not in_heading and not under:
            site = "neck"
        spans[site].append((a, b))
    return spans


def _site_category(body: str, spans, table, name: str):
    best = None
    for a, b in spans:
        for cat, rx in table:
            for m in rx.finditer(body, a, b):
                if negated(body, m.start(), m.end(), own=_OWN):
                    continue
                order = ("1", "2", "2A", "2B-FDG", "2B", "3", "4")
                if best is None or order.index(cat) > order.index(best[0]):
                    best = (cat, m)
                break
    if best and best[0] == "2B-FDG":
        # mild/intermediate FDG belongs to 2A when the abnormality is mucosal, to 2B when deep or not described
        mucosal = [m for a, b in spans for m in _PRIMARY[4][1].finditer(body, a, b) if not negated(body, m.start(), m.end(), own=_OWN)]
        best = ("2A", mucosal[0]) if mucosal else ("2B", best[1])
    return best


def assess(text: str) -> ToolAnswer | None:
    body = findings_text(text)
    if not re.search(r"neck|laryn|pharyn|oral\s+cavity|tongue|tonsil|glott|parotid|NI-?RADS|head\s+and\s+neck", body, re.IGNORECASE):
        return None
    spans = _site_spans(body)
    prim = _site_category(body, spans["primary"], _PRIMARY, "primary")
    neck = _site_category(body, spans["neck"], _NECK, "neck")
    findings: list[Finding] = []
    q = lambda m: quote(body, m.start(), m.end())
    base = None
    for m in _BASELINE.finditer(body):
        base = m
        break
    if prim:
        findings.append(Finding("primary site", f"NI-RADS {prim[0]}", q(prim[1]), rule=f"primary site category {prim[0]}"))
    if neck:
        findings.append(Finding("neck", f"NI-RADS {neck[0]}", q(neck[1]), rule=f"neck category {neck[0]}"))
    if not prim and not neck:
        if base:
            return result(SYSTEM, GUIDELINE, "0", q(base), [Finding("prior imaging", "not available", q(base), rule="NI-RADS 0")])
        return None
    if base and (prim is None or prim[0] == "1") and (neck is None or neck[0] == "1"):
        findings.append(Finding("prior imaging", "not available", q(base), rule="NI-RADS 0: new baseline awaiting prior imaging"))
        return result(SYSTEM, GUIDELINE, "0", q(base), findings)
    as_out = lambda c: "2B" if c == "2" else c
    cands = []
    if prim:
        cands.append(("primary", prim[0], prim[1]))
    if neck:
        cands.append(("neck", as_out(neck[0]), neck[1]))
    cands.sort(key=lambda c: ORDER.index(c[1]), reverse=True)
    site, cat, m = cands[0]
    others = [{"site": s, "category": (c if s == "primary" else (neck[0])), "evidence": q(mm)} for s, c, mm in cands[1:]]
    missing, note = [], None
    if prim is None:
        missing.append("primary site assessment")
    if neck is None:
        missing.append("neck assessment")
    if site == "neck" and neck[0] == "2":
        note = "neck NI-RADS 2 (the neck has no 2A/2B) shown as 2B: same management, short-interval follow-up"
    if missing and cat in ("1", "2A") :
        # a site not described could hold a higher category: do not guess
        return result(SYSTEM, GUIDELINE, None, None, findings, missing=missing, allowed=f"{cat}-4", others=others, note=note)
    flags = [f"{m_} not described" for m_ in missing]
    return result(SYSTEM, GUIDELINE, cat, q(m), findings, others=others, note=note, flags=flags)
