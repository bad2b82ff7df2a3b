"""Lung-RADS category of a lung cancer screening CT from the nodules the report describes.

Source: ACR Lung-RADS v2022 (Lung CT Screening Reporting & Data System, assessment
categories, released November 2022; Christensen J et al., Radiology 2024;310:e231682).

Rules applied (each named in the working):
- Size is the mean diameter: the mean of the long and short axis, to one decimal (mm).
- Category 1: no lung nodules, or nodules with a benign pattern of calcification
  (complete, central, popcorn, concentric/laminated) or containing fat.
- Solid: baseline <6 -> 2; 6 to <8 -> 3; 8 to <15 -> 4A; >=15 -> 4B.
  new: <4 -> 2; 4 to <6 -> 3; 6 to <8 -> 4A; >=8 -> 4B. growing: <8 -> 4A; >=8 -> 4B.
  Juxtapleural / perifissural solid nodule <10 mm (smooth, lentiform or triangular) -> 2.
- Part-solid: baseline total <6 -> 2; total >=6 with solid component <6 -> 3;
  solid component 6 to <8 -> 4A; >=8 -> 4B. new or growing: total <6 -> 3;
  solid component <4 -> 4A; >=4 -> 4B.
- Ground-glass (non-solid): <30 -> 2; >=30 baseline or new -> 3; stable or slowly growing -> 2.
- Stable / unchanged solid or part-solid nodule at follow-up -> 2.
- Segmental or more proximal endobronchial nodule -> 4A.
- 4X: a category 3 or 4 nodule with additional features that raise suspicion
  (spiculation, lymphadenopathy, metastatic disease).
- Category 0: prior CT being located for comparison, lungs not fully evaluable, or findings
  suggesting an inflammatory or infectious process (when no nodule is category 3 or above).
- Several nodules: each is assessed; the most severe governs.

Open question: the nodule type (solid, part-solid or ground-glass) when the report gives the
size but not the attenuation (`NODULE_TYPES`); an answer is used only where the report's words
name no type. Sizes are never asked.
"""

from __future__ import annotations

import re
from typing import Mapping

from ..tasks.rads_systems import system
from ..tools.answer import Finding, ToolAnswer
from ..tools.lexicon import Size, find, find_all, findings_text, sentence_at, sizes_mm
from .lesions import Lesion, LesionResult, combine, quote, split_lesions
from .questions import open_questions

GUIDELINE = "ACR Lung-RADS v2022"
ROW = system("Lung-RADS")
_I = re.IGNORECASE

_NODULE = re.compile(r"\bnodules?\b|\bgranulomas?\b|\bhamartomas?\b|\bnodular opacit\w+|\bopacit(?:y|ies)\b|\bGGNs?\b|\bGGOs?\b|\blesions?\b|\bmass\b", _I)
# Lung-RADS v2022 benign calcification: complete, central, popcorn, concentric rings (or fat).
# "non-calcified" / "partially calcified nodule" are not benign (the lookbehinds: a hyphen is a word boundary).
_BENIGN = re.compile(
    r"\b(?:completely|densely|diffusely|fully|entirely)\s+calcified\b|"
    r"(?<!non-)(?<!non )(?<!partially )(?<!partly )\bcalcified (?:granuloma|nodule)s?\b|\bgranulomas?\b|"
    r"\bpopcorn\b|\bcentral(?:ly)? calcifi\w+|\blaminated\b|\bconcentric (?:ring )?calcifi\w+|"
    r"\bfat[- ]containing\b|\bcontain(?:s|ing)? (?:macroscopic )?fat\b|\bhamartoma\b|\bintranodular fat\b", _I)
_PART_SOLID = re.compile(r"\bpart[\s-]?solid\b|\bsemi-?solid\b|\bmixed (?:ground[\s-]?glass|attenuation|density)\b|"
                         r"\bsub-?solid\b[^.;\n]{0,40}\bsolid component\b|\bsolid component\b", _I)
_GGN = re.compile(r"\bground[\s-]?glass\b|\bnon-?solid\b|\bGGN\b|\bGGO\b|\bpure ground\b|\bsub-?solid\b", _I)
_SOLID = re.compile(r"\bsolid\b|\bsoft[\s-]tissue (?:density|attenuation)\b", _I)
_PERIFISSURAL = re.compile(r"\bperi-?fissural\b|\bjuxta-?pleural\b|\bsubpleural\b|\bfissural\b|\bintrapulmonary lymph node\b|"
                           r"\b(?:along|abutting|on|adjacent to|attached to) the (?:\w+ )?(?:fissure|pleura)\b", _I)
_NEW = re.compile(r"\bnew(?:ly)?\b|\bnot (?:seen|present|visible) (?:on|at) (?:the )?(?:prior|previous)\b|\binterval development\b|\bde novo\b", _I)
_GROWING = re.compile(r"\b(?:grow(?:n|ing|th)|increas\w+ in size|enlarg\w+|larger than (?:before|previously|on the prior)|"
                      r"has increased|increased from|previously \d+(?:\.\d+)?\s*mm)\b", _I)
_NOT_ON_PRIOR = re.compile(r"\bnot (?:seen|present|visible|identified) (?:on|at|in) (?:the )?(?:prior|previous|earlier)\b(?: (?:study|CT|scan|exam\w*))?", _I)
_STABLE = re.compile(r"\b(?:stable|unchanged|no (?:significant |interval )?change|not changed|similar (?:in size )?to)\b", _I)
_SUSPICIOUS = re.compile(r"\bspiculat\w+|\b(?:mediastinal|hilar)? ?lymphadenopathy\b|\benlarged (?:mediastinal|hilar) (?:lymph )?nodes?\b|"
                         r"\bmetasta\w+", _I)
_ENDOBRONCHIAL = re.compile(r"\bendobronchial\b|\bwithin the (?:\w+ )?(?:segmental |lobar |main )?bronch\w+", _I)
_INCOMPLETE = re.compile(r"\bprior (?:CT|imaging|study|studies|exam\w*) (?:is |are )?(?:being|to be) (?:obtained|located|requested)\b|"
                         r"\bcomparison (?:is )?(?:being )?(?:requested|awaited)\b|\b(?:lungs? )?(?:cannot|could not) be (?:fully )?evaluated\b|"
                         r"\bincomplete(?:ly)? (?:evaluat\w+|imaged)\b", _I)
_INFECTION = re.compile(r"\bconsolidation\b|\b(?:inflammatory|infectious|infective) (?:process|aetiology|etiology|change)\w*|"
                        r"\btree[\s-]in[\s-]bud\b|\bpneumonia\b", _I)
_NONE = re.compile(r"\bnodules?\b|\bpulmonary nodul\w*", _I)
_SOLID_COMPONENT = re.compile(r"solid (?:component|portion|part)", _I)

_LOBE = re.compile(r"\b(right|left)\s+(upper|middle|lower)\s+lobe\b|\b(RUL|RML|RLL|LUL|LLL|lingula)\b", _I)
_NUMBER = re.compile(r"\bnodule\s*(?:#|no\.?\s*|number\s*)?(\d+)\b|\b(?:#)(\d+)\b", _I)
_ABBREV = {"right upper": "RUL", "right middle": "RML", "right lower": "RLL", "left upper": "LUL", "left lower": "LLL"}


NODULE_TYPES = ("solid", "part-solid", "ground-glass")  # the attenuation types of the v2022 table


def _label(sentence: str) -> str | None:
    if m := _NUMBER.search(sentence):
        return f"nodule {m.group(1) or m.group(2)}"
    if m := _LOBE.search(sentence):
        if m.group(3):
            return m.group(3).upper() if m.group(3).lower() != "lingula" else "lingula"
        return _ABBREV[f"{m.group(1).lower()} {m.group(2).lower()}"]
    return None


def mean_diameter(size: Size) -> float:
    """Lung-RADS: mean of the long and short axis, to one decimal (a single value is used as is)."""
    dims = sorted(size.dims_mm, reverse=True)[:2]
    return round(sum(dims) / len(dims), 1)


def _solid_category(d: float, status: str) -> str:
    if status == "growing":
        return "4A" if d < 8 else "4B"
    if status == "new":
        return "2" if d < 4 else "3" if d < 6 else "4A" if d < 8 else "4B"
    return "2" if d < 6 else "3" if d < 8 else "4A" if d < 15 else "4B"


def _part_solid_category(total: float, solid: float | None, status: str) -> set[str]:
    if status in ("new", "growing"):
        if total < 6:
            return {"3"}
        if solid is None:
            return {"4A", "4B"}
        return {"4A"} if solid < 4 else {"4B"}
    if total < 6:
        return {"2"}
    if solid is None:
        return {"3", "4A", "4B"}
    return {"3"} if solid < 6 else {"4A"} if solid < 8 else {"4B"}


def assess_lesion(lesion: Lesion, text: str, given: Mapping[str, str] | None = None) -> LesionResult:
    """One nodule's category. `given`: a model-read nodule type, used only where the report's
    words name none; None: the report alone (the open question listed)."""
    view = lesion.view
    nodule = lesion.find(_NODULE)
    if not nodule:
        return LesionResult(lesion.label, set())
    findings: list[Finding] = []
    if m := lesion.find(_BENIGN):
        findings.append(Finding("benign feature", m.words, quote(text, m), rule="benign calcification or fat -> 1"))
        return LesionResult(lesion.label, {"1"}, findings, evidence=quote(text, m))

    status, status_m = "baseline", None
    if m := lesion.find(_STABLE):
        status, status_m = "stable", m
    if m := lesion.find(_GROWING):
        status, status_m = "growing", m
    elif m := lesion.find(_NEW):
        status, status_m = "new", m
    findings.append(Finding("baseline or follow-up", status if status != "baseline" else "baseline (not described as new, growing or stable)",
                            quote(text, status_m) if status_m else None))

    # "not present on the prior study" says new, not absent: blank it so the nodule's own words are not read as negated.
    lesion = Lesion(lesion.label, _NOT_ON_PRIOR.sub(lambda m: " " * len(m.group(0)), lesion.view))
    if m := lesion.find(_ENDOBRONCHIAL):
        findings.append(Finding("location", "endobronchial", quote(text, m), rule="segmental or more proximal airway nodule -> 4A"))
        return _with_4x(lesion, text, LesionResult(lesion.label, {"4A"}, findings, evidence=quote(text, m)))

    kind_m = lesion.find(_PART_SOLID)
    kind = "part-solid" if kind_m else None
    if not kind and (kind_m := lesion.find(_GGN)):
        kind = "ground-glass"
    if not kind and (kind_m := lesion.find(_SOLID)):
        kind = "solid"
    read_kind = None
    if not kind and (given or {}).get("nodule type") in NODULE_TYPES:
        kind = read_kind = given["nodule type"]
    sizes = [s for s in sizes_mm(view)]
    solid_component: float | None = None
    solid_m = None
    if kind == "part-solid":
        for s in sizes:
            window = view[max(0, s.start - 40):s.end + 40]
            if _SOLID_COMPONENT.search(window) and re.search(r"solid (?:component|portion|part)[^.;\n]{0,25}$", view[max(0, s.start - 40):s.start], _I) \
                    or re.match(r"^\s*(?:\(\w+\s*)?solid (?:component|portion|part)", view[s.end:s.end + 30], _I):
                solid_component, solid_m = mean_diameter(s), s
                break
    total_sizes = [s for s in sizes if s is not solid_m]
    total = max((mean_diameter(s) for s in total_sizes), default=None)
    if total is not None:
        s = max(total_sizes, key=mean_diameter)
        findings.append(Finding("mean diameter", f"{total:g} mm", _sq(text, s), rule="mean of long and short axis"))
    if kind:
        findings.append(Finding("nodule type", kind, quote(text, kind_m) if kind_m else None,
                                rule="read by the model (unverified)" if read_kind else None))
    if solid_component is not None:
        findings.append(Finding("solid component", f"{solid_component:g} mm", _sq(text, solid_m)))

    missing = []
    if total is None:
        missing.append("nodule size (mean diameter)")
    if kind is None:
        missing.append("nodule type (solid, part-solid or ground-glass)")
    if missing:
        cats = {"2", "3", "4A", "4B"}
        if total is not None:
            # Every type the nodule could be: when all give one category, that is the category.
            cats = {"2"} if status == "stable" else (
                {_solid_category(total, status)} | _part_solid_category(total, None, status)
                | ({"2"} if total < 30 or status == "growing" else {"3"}))
            if len(cats) == 1:
                findings.append(Finding("category rule", next(iter(cats)), None,
                                        rule="the same category whether solid, part-solid or ground-glass"))
                return _with_4x(lesion, text, LesionResult(lesion.label, cats, findings, evidence=quote(text, nodule)))
        result = LesionResult(lesion.label, cats, findings, missing)
        if given is None and total is not None and kind is None:
            result.questions, result.resolve = open_questions(
                lesion.label, lambda g: assess_lesion(lesion, text, g).categories, [("nodule type", NODULE_TYPES)])
        return result

    perifissural = lesion.find(_PERIFISSURAL)
    if status == "stable" and kind in ("solid", "part-solid"):
        cats, rule = {"2"}, "stable solid or part-solid nodule at follow-up -> 2"
    elif kind == "solid":
        if perifissural and total < 10 and status != "growing":
            findings.append(Finding("location", "juxtapleural / perifissural", quote(text, perifissural)))
            cats, rule = {"2"}, "juxtapleural or perifissural solid nodule < 10 mm -> 2"
        else:
            cats, rule = {_solid_category(total, status)}, f"solid nodule, {status}, {total:g} mm"
    elif kind == "part-solid":
        cats = _part_solid_category(total, solid_component, status)
        rule = f"part-solid nodule, {status}, total {total:g} mm" + (f", solid component {solid_component:g} mm" if solid_component is not None else "")
        if len(cats) > 1:
            missing.append("size of the solid component")
    else:
        cats = {"2"} if total < 30 or status in ("stable", "growing") else {"3"}
        rule = f"ground-glass nodule, {status}, {total:g} mm"
    result = LesionResult(lesion.label, cats, findings, missing, evidence=quote(text, kind_m) if kind_m else quote(text, nodule))
    if result.category:
        findings.append(Finding("category rule", result.category, None, rule=rule))
    return _with_4x(lesion, text, result)


def _with_4x(lesion: Lesion, text: str, result: LesionResult) -> LesionResult:
    if m := lesion.find(_SUSPICIOUS):
        if result.category in ("3", "4A", "4B"):
            result.findings.append(Finding("additional suspicious feature", m.words, quote(text, m),
                                           rule="category 3 or 4 with additional suspicious features -> 4X"))
            result.categories, result.evidence = {"4X"}, quote(text, m)
    return result


def _sq(text: str, s: Size) -> str:
    sentence = sentence_at(text, s.start, s.end)
    return sentence if len(sentence) <= 160 else s.words


def assess(text: str) -> ToolAnswer | None:
    body = findings_text(text)
    results = [r for r in (assess_lesion(lesion, text) for lesion in split_lesions(text, _label)) if r.categories]
    if not results:
        # No nodule described: negative (category 1) when the report says so.
        if find(r"\blungs?\b|\bpulmonary\b|\bnodul", body):
            negated = find_all(_NONE, body, negated=True)
            if negated:
                n = negated[0]
                if (inc := find(_INCOMPLETE, body)) or (inf := find(_INFECTION, body)):
                    hit = inc or inf
                    return ToolAnswer({"system": ROW.name, "category": "0", "evidence": quote(text, hit)}, guideline=GUIDELINE,
                                      findings=[Finding("incomplete or inflammatory/infectious finding", hit.words, quote(text, hit),
                                                        rule="prior CT awaited, lungs not evaluable, or inflammation/infection -> 0")])
                return ToolAnswer({"system": ROW.name, "category": "1", "evidence": quote(text, n)}, guideline=GUIDELINE,
                                  findings=[Finding("lung nodules", "none", quote(text, n), rule="no lung nodules -> 1")])
        return None
    answer = combine(ROW, GUIDELINE, results)
    hit = find(_INCOMPLETE, body) or find(_INFECTION, body)
    if answer and answer.resolve and hit:
        # model-read features go through the same category-0 rule as the report's own words
        resolve = answer.resolve
        answer.resolve = lambda answers: (lambda cats: {"0"} if cats and cats <= {"1", "2"} else cats)(resolve(answers))
    if answer and answer.output and answer.output["category"] in ("1", "2"):
        if hit:
            answer.findings.append(Finding("incomplete or inflammatory/infectious finding", hit.words, quote(text, hit),
                                           rule="prior CT awaited, lungs not evaluable, or inflammation/infection -> 0"))
            answer.others.append({"lesion": "governing nodule before category 0", "category": answer.output["category"]})
            answer.output = {"system": ROW.name, "category": "0", "evidence": quote(text, hit)}
    return answer
