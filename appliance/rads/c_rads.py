"""C-RADS (Zalis et al., Radiology 2005; CT Colonography Reporting and Data System).

Colonic categories (Zalis 2005):
  C0  inadequate study: inadequate preparation (cannot exclude lesions >= 10 mm because of fluid
      or stool) or insufficient insufflation (a segment collapsed on both views); awaiting prior
  C1  normal colon or benign lesion: no polyp >= 6 mm (diminutive polyps <= 5 mm are not reported),
      lipoma, inverted diverticulum
  C2  intermediate polyp or indeterminate finding: 1-2 polyps of 6-9 mm; or an indeterminate
      finding (a polyp >= 6 mm cannot be excluded) in an adequate study
  C3  polyp, possibly advanced adenoma: a polyp >= 10 mm, or >= 3 polyps of 6-9 mm
  C4  colonic mass, likely malignant (luminal compromise, extracolonic invasion)
A C3/C4 finding is reported even where part of the colon was inadequately seen (C0 otherwise).
Extracolonic E0-E4 (E1 normal/variant, E2 clinically unimportant, E3 likely unimportant or
incompletely characterised, E4 potentially important) is given in `others`, never as the answer.
"""

from __future__ import annotations

import re

from ..tools.answer import Finding, ToolAnswer
from ..tools.lexicon import findings_text
from ._reading import negated, quote, result, sentences

GUIDELINE = "C-RADS (Zalis 2005, CT colonography)"
SYSTEM = "C-RADS"
ORDER = ("C0", "C1", "C2", "C3", "C4")

_NUM = {"one": 1, "a": 1, "an": 1, "single": 1, "solitary": 1, "two": 2, "both": 2, "pair": 2, "three": 3, "four": 4,
        "five": 5, "six": 6, "several": 3, "multiple": 3, "numerous": 3, "few": 3}
_POLYP_SENT = re.compile(r"polyp|polypoid|adenoma|lesion|nodule|filling\s+defect|sessile|pedunculated|flat\s+lesion", re.IGNORECASE)
_SIZE_RUN = re.compile(r"(\d+(?:\.\d+)?(?:\s*(?:,|and|&|or|-|–|to|x|×|by)\s*\d+(?:\.\d+)?)*)\s*(mm|cm)\b", re.IGNORECASE)
_COUNT = re.compile(r"\b(one|a|an|single|solitary|two|both|pair|three|four|five|six|several|multiple|numerous|few|\d)\b(?:\s+of)?(?:\s+\w+){0,4}?\s+(?:polyps|polyp|lesions|lesion|adenomas|nodules)", re.IGNORECASE)
_MASS = re.compile(r"(?:annular|apple[- ]core|constricting|circumferential|obstructing|stricturing|shouldered|fungating|ulcerated)\s+(?:\w+\s+){0,2}?(?:mass|lesion|tumou?r|narrowing|stricture)|(?:colonic|rectal|sigmoid|caecal|cecal)\s+(?:mass|carcinoma|cancer|neoplasm)|\bmass\s+(?:in|of|at|within)\s+the\s+(?:\w+\s+)?(?:colon|rectum|caecum|cecum|sigmoid|flexure)|(?:likely|probable|suspicious\s+for|consistent\s+with|in\s+keeping\s+with)\s+(?:a\s+)?(?:primary\s+)?(?:colonic\s+|rectal\s+)?(?:carcinoma|malignancy|adenocarcinoma|cancer)|\bcarcinoma\b", re.IGNORECASE)
_INADEQUATE = re.compile(r"(?:inadequate|poor|suboptimal)\s+(?:bowel\s+)?(?:preparation|prep|cleansing|distension|distention|insufflation)|(?:collapsed|non-?distended|poorly\s+distended|not\s+(?:adequately\s+)?distended)\s+(?:on\s+both|in\s+both)|(?:large\s+amount|large\s+volume|extensive)\s+of\s+(?:retained\s+)?(?:fluid|stool|faecal|fecal)|limited\s+by\s+(?:retained\s+)?(?:fluid|stool|faecal|fecal)|non-?diagnostic|(?:segment|sigmoid|colon|rectum|caecum|cecum)\s+(?:\w+\s+){0,3}?(?:remained|remains|was|is)\s+collapsed", re.IGNORECASE)
_INDETERMINATE = re.compile(r"indeterminate|cannot\s+(?:be\s+)?exclude[d]?\s+(?:a\s+)?(?:polyp|lesion)|(?:possible|questionable|equivocal)\s+(?:polyp|lesion|filling\s+defect)|(?:polyp|lesion)\s+cannot\s+be\s+excluded|\?\s*polyp", re.IGNORECASE)
_DIMINUTIVE = re.compile(r"diminutive|tiny|sub-?5", re.IGNORECASE)
_BENIGN = re.compile(r"lipoma|inverted\s+diverticul\w+|diverticul\w+|ileocaecal valve|ileocecal valve|no\s+(?:colonic\s+)?polyps?|no\s+(?:polyps?\s+or\s+)?(?:masses|mass)|colon\s+is\s+(?:normal|unremarkable)|normal\s+colon|no\s+(?:significant\s+)?(?:colonic\s+)?(?:lesion|abnormality)", re.IGNORECASE)
_E_STATED = re.compile(r"\bE\s?-?([0-4])\b")
_E4 = re.compile(r"(?:solid|enhancing)\s+(?:renal|adrenal|pancreatic|hepatic|liver|ovarian)\s+(?:mass|lesion)|(?:renal|adrenal|pancreatic|ovarian|hepatic)\s+mass|lymphadenopathy|aortic\s+aneurysm|\bAAA\b|aneurysm\w*|(?:lung|pulmonary)\s+(?:nodule|mass)\s+(?:measuring\s+)?(?:1\d|[2-9]\d)\s*mm|metasta\w+", re.IGNORECASE)
_E3 = re.compile(r"(?:minimally\s+)?complex\s+(?:renal\s+|hepatic\s+|adnexal\s+)?cyst|indeterminate\s+(?:renal|adrenal|hepatic|liver|pancreatic)|too\s+small\s+to\s+characteri[sz]e|incompletely\s+characteri[sz]ed|(?:lung|pulmonary)\s+nodule", re.IGNORECASE)
_E2 = re.compile(r"simple\s+(?:renal\s+|hepatic\s+|liver\s+)?cysts?|cholelithiasis|gall\s?stones?|hiatus\s+hernia|hiatal\s+hernia|haemangioma|hemangioma|adrenal\s+(?:adenoma|nodule)|renal\s+calculus|non-?obstructing\s+(?:renal\s+)?calcul\w+|fibroids?|atherosclero\w+", re.IGNORECASE)
_E1 = re.compile(r"no\s+(?:significant\s+|clinically\s+significant\s+)?extra-?colonic\s+(?:abnormality|findings?|lesion)|extra-?colonic\s+(?:structures|findings|organs)\s+(?:are\s+)?(?:unremarkable|normal)", re.IGNORECASE)
_OWN = re.compile(r"\d|polyp|mass|lesion", re.IGNORECASE)


def category(sizes: list[float], mass: bool, indeterminate: bool, inadequate: bool) -> str:
    if mass:
        return "C4"
    large = [s for s in sizes if s >= 10]
    small = [s for s in sizes if 6 <= s < 10]
    if large or len(small) >= 3:
        return "C3"
    if inadequate:
        return "C0"
    if small or indeterminate:
        return "C2"
    return "C1"


def _polyps(body: str) -> list[tuple[float, str]]:
    """(size in mm, quote) for each polyp of a stated size; "two 7 mm polyps" counts twice."""
    out = []
    for a, b in sentences(body):
        sent = body[a:b]
        if not _POLYP_SENT.search(sent) or re.search(r"slice|collimation|reconstruct|insufflat|tagging", sent, re.IGNORECASE):
            continue
        for m in _SIZE_RUN.finditer(body, a, b):
            if negated(body, m.start(), m.end(), own=_OWN):
                continue
            unit = 10.0 if m.group(2).lower() == "cm" else 1.0
            run = m.group(1)
            q = quote(body, m.start(), m.end())
            if re.search(r"x|×|by", run):
                vals = [max(float(v) for v in re.findall(r"\d+(?:\.\d+)?", run)) * unit]
            elif re.search(r"-|–|to", run) and not re.search(r",|and|&|or", run):
                lo, hi = (float(v) * unit for v in re.findall(r"\d+(?:\.\d+)?", run)[:2])
                vals = [hi]
            else:
                vals = [float(v) * unit for v in re.findall(r"\d+(?:\.\d+)?", run)]
            if len(vals) == 1:
                pre = body[max(a, m.start() - 40):m.start()]
                c = re.search(r"\b(two|both|pair|three|four|five|six|several|multiple|numerous|[2-9])\s+(?:\w+\s+){0,2}$", pre, re.IGNORECASE)
                post = body[m.end():b]
                c2 = None if c else re.match(r"\s*(?:\w+\s+){0,3}?(polyps|lesions|adenomas)\b", post, re.IGNORECASE)
                n = 1
                if c:
                    w = c.group(1).lower()
                    n = int(w) if w.isdigit() else _NUM.get(w, 1)
                elif c2:
                    n = 2  # plural with no number: at least two
                vals = vals * n
            out.extend((v, q) for v in vals)
    return out


def assess(text: str) -> ToolAnswer | None:
    body = findings_text(text)
    if not re.search(r"colon|colonograph|CTC\b|rectum|sigmoid|caec|cec|C-?RADS", body, re.IGNORECASE):
        return None
    q = lambda m: quote(body, m.start(), m.end())
    findings: list[Finding] = []
    polyps = _polyps(body)
    reportable = [(s, e) for s, e in polyps if s >= 6]
    for s, e in polyps:
        findings.append(Finding("polyp size", f"{s:g} mm", e, rule="C3 if >= 10 mm; 6-9 mm counts toward C2 (1-2) / C3 (>= 3); <= 5 mm not reported"))
    mass = None
    for m in _MASS.finditer(body):
        if not negated(body, m.start(), m.end(), own=_OWN):
            mass = m; break
    if mass:
        findings.append(Finding("colonic mass", "likely malignant", q(mass), rule="C4"))
    inad = None
    for m in _INADEQUATE.finditer(body):
        if not negated(body, m.start(), m.end(), own=_OWN):
            inad = m; break
    if inad:
        findings.append(Finding("study adequacy", "inadequate preparation or distension", q(inad), rule="C0"))
    indet = None
    for m in _INDETERMINATE.finditer(body):
        if not negated(body, m.start(), m.end()) and not re.search(r"renal|adrenal|hepatic|liver|lung|pulmonary|ovar|adnex|pancrea", quote(body, m.start(), m.end()), re.IGNORECASE):
            indet = m; break
    if indet:
        findings.append(Finding("indeterminate colonic finding", "present", q(indet), rule="C2"))
    # sizeless polyps: a polyp named with no size cannot be placed
    sizeless = []
    for a, b in sentences(body):
        sent = body[a:b]
        for m in re.finditer(r"\bpolyps?\b", sent, re.IGNORECASE):
            if negated(body, a + m.start(), a + m.end(), own=_OWN):
                continue
            if not _SIZE_RUN.search(sent) and not _DIMINUTIVE.search(sent):
                sizeless.append(a + m.start())
    benign = None
    for m in _BENIGN.finditer(body):
        benign = m; break
    sizes = [s for s, _ in polyps]
    cat = category(sizes, bool(mass), bool(indet), bool(inad))
    # extracolonic category, for `others`
    others = []
    e = _E_STATED.search(body)
    e_cat = None
    if e:
        e_cat, e_ev = f"E{e.group(1)}", q(e)
    else:
        for name, rx in (("E4", _E4), ("E3", _E3), ("E2", _E2), ("E1", _E1)):
            hit = next((m for m in rx.finditer(body) if not negated(body, m.start(), m.end())), None)
            if hit:
                e_cat, e_ev = name, q(hit); break
    if e_cat:
        others.append({"extracolonic": e_cat, "evidence": e_ev})
    if not (polyps or mass or inad or indet or sizeless or benign):
        return None
    if sizeless and cat in ("C1", "C2") and not inad:
        m = sizeless[0]
        findings.append(Finding("polyp size", "not stated", quote(body, m, m + 5)))
        return result(SYSTEM, GUIDELINE, None, None, findings, missing=["polyp size"], allowed=f"{cat}-C3", others=others)
    if cat == "C4":
        ev = q(mass)
    elif cat == "C3":
        big = [e for s, e in polyps if s >= 10]
        ev = big[0] if big else [e for s, e in polyps if s >= 6][-1]
    elif cat == "C0":
        ev = q(inad)
    elif cat == "C2":
        ev = reportable[0][1] if reportable else q(indet)
    else:
        ev = polyps[0][1] if polyps else q(benign)
    return result(SYSTEM, GUIDELINE, cat, ev, findings, others=others)
