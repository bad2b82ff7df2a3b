"""Rank a note's differential from the presentation catalogue: negation-aware, every score explained.

`differential(text, hits)` finds the presentations in the note, collects their
diagnoses, scores each from the features the note states (or pointedly denies), and
fills the four tiers: most likely and two possible from the top scores, the
unlikely-but-serious tier from the highest-scoring must-not-miss diagnosis not already
shown (a red-flag rule's can't-miss diagnosis takes it first, marked as added by the
rule), and the workup from the chosen diagnoses' catalogue entries. A diagnosis
appears in one tier only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..safety.red_flags import red_flags
from ..tools.answer import Finding, ToolAnswer
from ..tools.lexicon import find_all
from .catalogue import DIAGNOSES, PRESENTATIONS, Diagnosis, Feature, Presentation, canonical

GUIDELINE = "Presentation catalogue (NICE CKS, OHCM 10th ed., Murtagh 8th ed., Rosen 9th ed.)"

# ---------------------------------------------------------------- reading age, sex and vital signs
_AGE_YEARS = re.compile(r"\b(\d{1,3})[- ]?(?:years?|yrs?|y/?o|yo)\b(?:[- ]old)?|\baged? (\d{1,3})\b|\b(\d{1,3}) ?([MF])\b|\b(\d{1,3})(?:yo|y)\s?([MF])\b", re.I)
_AGE_SMALL = re.compile(r"\b(\d{1,2})[- ](months?|weeks?|days?)[- ]old\b|\b(\d{1,2}) ?(mo|m/o)\b", re.I)
_MALE = re.compile(r"\b(male|man|boy|gentleman|he|his|him|mr|son|husband|father)\b|\b\d{1,3} ?M\b|\b\d+(yo|y) ?M\b", re.I)
_FEMALE = re.compile(r"\b(female|woman|girl|lady|she|her|mrs|ms|miss|daughter|wife|mother|pregnant)\b|\b\d{1,3} ?F\b|\b\d+(yo|y) ?F\b", re.I)
_TEMP = re.compile(r"\b(?:T|temp(?:erature)?|febrile to|fever of)\s*(?:of|:|=|is|was)?\s*(\d{2}(?:\.\d)?)\s*°?\s*C?\b", re.I)
_TEMP_F = re.compile(r"\b(1\d\d(?:\.\d)?)\s*°?\s*F\b")
_HR = re.compile(r"\b(?:HR|heart rate|pulse(?: rate)?|P)\s*(?:of|:|=|is|was)?\s*(\d{2,3})\b", re.I)
_BP = re.compile(r"\b(?:BP|blood pressure)?\s*(?:of|:|=|is|was)?\s*(\d{2,3})\s*/\s*(\d{2,3})\b(?!\s*(?:weeks|days))", re.I)
_SPO2 = re.compile(r"\b(?:SpO2|SaO2|O2 sat\w*|sats?|saturation\w*|oxygen saturation)\s*(?:of|:|=|is|was)?\s*(\d{2,3})\s*%", re.I)
_RR = re.compile(r"\b(?:RR|resp\w*(?: rate)?)\s*(?:of|:|=|is|was)?\s*(\d{1,2})\b", re.I)
_FEVER_WORDS = re.compile(r"(?<!hay )(?<!glandular )(?<!scarlet )fever\w*|febrile|pyrexi\w*|high temperature|rigors|chills", re.I)


@dataclass
class Patient:
    age: float | None = None
    age_words: str | None = None
    sex: str | None = None
    sex_words: str | None = None
    vitals: dict[str, tuple[float, str]] = field(default_factory=dict)  # name -> (value, verbatim words)


def read_patient(text: str) -> Patient:
    p = Patient()
    m = _AGE_SMALL.search(text)
    ma = _AGE_YEARS.search(text)
    if m and (not ma or m.start() < ma.start()):
        n = int(m.group(1) or m.group(3))
        unit = (m.group(2) or "months").lower()
        p.age = n / 12 if unit.startswith("mo") or unit.startswith("m") else n / 52 if unit.startswith("w") else n / 365
        p.age_words = m.group(0)
    elif ma:
        n = next(g for g in (ma.group(1), ma.group(2), ma.group(3), ma.group(5)) if g)
        p.age, p.age_words = float(n), ma.group(0)
        sex_letter = ma.group(4) or ma.group(6)
        if sex_letter:
            p.sex, p.sex_words = ("male" if sex_letter.upper() == "M" else "female"), ma.group(0)
    if p.sex is None:
        head = text[:400]
        fm, mm = _FEMALE.search(head), _MALE.search(head)
        if fm and (not mm or fm.start() <= mm.start()):
            p.sex, p.sex_words = "female", fm.group(0)
        elif mm:
            p.sex, p.sex_words = "male", mm.group(0)
    for name, pattern in (("temp", _TEMP), ("hr", _HR), ("spo2", _SPO2), ("rr", _RR)):
        m = pattern.search(text)
        if m:
            p.vitals[name] = (float(m.group(1)), m.group(0).strip())
    if "temp" not in p.vitals:
        m = _TEMP_F.search(text)
        if m:
            p.vitals["temp"] = ((float(m.group(1)) - 32) * 5 / 9, m.group(0))
    for m in _BP.finditer(text):
        sbp = float(m.group(1))
        if 50 <= sbp <= 260 and ("bp" in m.group(0).lower() or "pressure" in m.group(0).lower() or 40 <= float(m.group(2)) <= 150):
            p.vitals["sbp"] = (sbp, m.group(0).strip())
            break
    return p


_CMP = re.compile(r"@(age|hr|sbp|spo2|rr|temp)\s*(>=|<=|>|<)\s*(\d+(?:\.\d+)?)")


def _computed(token: str, patient: Patient, text: str) -> tuple[bool | None, str | None]:
    """(True/False/None for unknown, evidence words) for a computed token."""
    if token == "@male" or token == "@female":
        if patient.sex is None:
            return None, None
        return patient.sex == token[1:], patient.sex_words
    alias = {"@tachy": "@hr>100", "@hypotension": "@sbp<90", "@hypoxia": "@spo2<94", "@tachypnoea": "@rr>=22"}
    if token == "@fever":
        t = patient.vitals.get("temp")
        if t and t[0] >= 38:
            return True, t[1]
        words = find_all(_FEVER_WORDS, text)
        if words:
            return True, words[0].words
        neg = find_all(_FEVER_WORDS, text, negated=True)
        if neg or (t and t[0] < 37.5):
            return False, (neg[0].words if neg else t[1])
        return None, None
    m = _CMP.fullmatch(alias.get(token, token))
    if not m:
        return None, None
    key, op, bound = m.group(1), m.group(2), float(m.group(3))
    if key == "age":
        if patient.age is None:
            return None, None
        value, words = patient.age, patient.age_words
    else:
        if key not in patient.vitals:
            return None, None
        value, words = patient.vitals[key]
    ok = {">=": value >= bound, "<=": value <= bound, ">": value > bound, "<": value < bound}[op]
    return ok, words


@lru_cache(maxsize=2048)
def _rx(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


# ---------------------------------------------------------------- presentations
@dataclass
class Found:
    presentation: Presentation
    words: str       # verbatim words that triggered it
    start: int


def presentations(text: str, patient: Patient | None = None) -> list[Found]:
    """The presentations the note describes (non-negated trigger), in order of first mention."""
    patient = patient or read_patient(text)
    found = []
    for p in PRESENTATIONS:
        if p.requires:
            ok, _ = _computed(p.requires, patient, text)
            if not ok:
                continue
        matches = find_all(_rx(p.triggers), text)
        if matches:
            found.append(Found(p, matches[0].words, matches[0].start))
    found.sort(key=lambda f: f.start)
    return found


# ---------------------------------------------------------------- scoring
@dataclass
class Scored:
    name: str
    score: float
    serious: bool
    presentation: str
    moved: list[tuple[Feature, int, str]] = field(default_factory=list)  # feature, points applied, evidence


def _score(d: Diagnosis, text: str, patient: Patient, prior: float) -> tuple[float, list[tuple[Feature, int, str]]]:
    score, moved = prior, []
    for f in d.features:
        if f.pattern.startswith("@"):
            ok, words = _computed(f.pattern, patient, text)
            if ok is None:
                continue
            if ok:
                score += f.weight
                moved.append((f, f.weight, words or f.pattern))
            elif f.weight > 0 and f.pattern == "@fever":
                pts = -(f.weight // 2 or 1)
                score += pts
                moved.append((f, pts, words or "no fever"))
            continue
        rx = _rx(f.pattern)
        pos = find_all(rx, text)
        if pos:
            score += f.weight
            moved.append((f, f.weight, pos[0].quote()))
        elif f.weight > 0:
            neg = find_all(rx, text, negated=True)
            if neg:
                pts = -(f.weight // 2 or 1)
                score += pts
                moved.append((f, pts, neg[0].quote()))
    return score, moved


def _rank(text: str) -> tuple[Patient, list[Found], list[Scored]]:
    patient = read_patient(text)
    found = presentations(text, patient)
    best: dict[str, Scored] = {}
    for i, fp in enumerate(found):
        p = fp.presentation
        # Earlier-mentioned presentations (the chief complaint) weigh a little more.
        lead = 1.0 if i == 0 else 0.5 if i < 3 else 0.0
        entries = [(name, False, 1.5 - 0.1 * k) for k, name in enumerate(p.common)]
        entries += [(name, True, 0.5 - 0.1 * k) for k, name in enumerate(p.serious)]
        for name, serious, prior in entries:
            prior += lead
            if name in best:
                best[name].score += 0.75  # named by more than one presentation in the note
                best[name].serious = best[name].serious or serious
                continue
            score, moved = _score(DIAGNOSES[name], text, patient, prior)
            best[name] = Scored(name, score, serious, p.label, moved)
    ranked = sorted(best.values(), key=lambda s: -s.score)
    return patient, found, ranked


def candidates(text: str) -> list[str]:
    """The per-document candidate list (preferred names, best first): the enum a model may rank."""
    return [s.name for s in _rank(text)[2]]


# ---------------------------------------------------------------- output
def _ascii(s: str, limit: int) -> str:
    s = "".join(ch if 32 <= ord(ch) < 127 else " " for ch in s)
    s = " ".join(s.split())
    return s if len(s) <= limit else s[: limit - 3].rstrip() + "..."


def _reasoning(s: Scored, prefix: str = "") -> str:
    ups = [f.label for f, pts, _ in sorted(s.moved, key=lambda m: -m[1]) if pts > 0][:3]
    downs = [f.label for f, pts, _ in s.moved if pts < 0][:1]
    parts = []
    if ups:
        parts.append("Supported by " + ", ".join(ups))
    if downs:
        parts.append("against: " + downs[0])
    if not parts:
        parts.append(f"Common cause of {s.presentation}")
    return _ascii(prefix + "; ".join(parts), 120)


def _cant_miss_name(rule_cant_miss: str) -> str:
    name = canonical(rule_cant_miss)
    if name:
        return name
    for part in re.split(r"\s*/\s*", rule_cant_miss):
        name = canonical(part)
        if name:
            return name
    return _ascii(rule_cant_miss, 60)


def differential(text: str, hits: list | None = None) -> ToolAnswer | None:
    """A schema-valid four-tier differential with its working, or None when no presentation is found."""
    patient, found, ranked = _rank(text)
    if not found or len(ranked) < 3:
        return None
    # The red flags are computed once per document by the pipeline; alone, read them here.
    hits = red_flags(text) if hits is None else list(hits)
    top = ranked[:3]
    shown = {s.name for s in top}
    flags: list[str] = []
    findings: list[Finding] = []

    # The unlikely-but-serious tier: a red flag's can't-miss diagnosis first, then the catalogue's.
    serious_entry = None
    for hit in hits:
        name = _cant_miss_name(hit.rule.cant_miss)
        if name in shown:
            flags.append(f"red_flag_already_in_differential:{hit.rule.id}")
            continue
        serious_entry = {"diagnosis": _ascii(name, 60),
                         "reasoning": _ascii(f"Added by safety rule: {hit.rule.label}; {'; '.join(hit.evidence)}", 120)}
        flags.append(f"added_by_safety_rule:{hit.rule.id}")
        findings.append(Finding("safety rule", f"{name} added to unlikely-but-serious tier",
                                _ascii(hit.evidence[0], 160) if hit.evidence else None, rule=hit.rule.label))
        serious_scored = next((s for s in ranked if s.name == name), None)
        break
    else:
        serious_scored = next((s for s in ranked if s.serious and s.name not in shown), None)
        if serious_scored is None:
            # Every must-not-miss diagnosis already sits in the top three: move the lowest-placed one
            # (never the most likely) down to this tier and let the next candidate be possible.
            demote = next((s for s in reversed(top[1:]) if s.serious), None)
            rest = [s for s in ranked if s.name not in shown]
            if demote is not None and rest:
                top = [s for s in top if s is not demote] + [rest[0]]
                shown = {s.name for s in top}
                serious_scored = demote
            else:
                serious_scored = rest[0] if rest else None
        if serious_scored is not None:
            serious_entry = {"diagnosis": serious_scored.name,
                             "reasoning": _reasoning(serious_scored, f"Must not miss in {serious_scored.presentation}. ")}
    if serious_entry is None:
        return None

    # Symptoms: the presentations' own words, then the strongest positive features.
    symptoms: list[str] = []

    def add(label: str) -> None:
        # Short, distinct phrases: a trigger that spans a clause or repeats another says nothing new.
        if label and len(label) <= 45 and len(symptoms) < 6 and not any(label in s or s in label for s in symptoms):
            symptoms.append(label)

    for fp in found:
        add(_ascii(fp.words.strip(" ,.;:").lower(), 60))
    for s in top:
        for f, pts, _ in s.moved:
            if pts > 0 and not f.pattern.startswith("@"):
                add(_ascii(f.label, 60))

    # Workup from the chosen diagnoses' entries, deduplicated, at most five.
    workup: list[str] = []
    chosen = [*top, serious_scored] if serious_scored is not None else list(top)
    if serious_scored is None:
        chosen_names = [s.name for s in top] + [serious_entry["diagnosis"]]
    else:
        chosen_names = [s.name for s in chosen]
    queues = [list(DIAGNOSES[n].workup) for n in chosen_names if n in DIAGNOSES]
    while any(queues) and len(workup) < 5:
        for q in queues:
            if q and len(workup) < 5:
                w = q.pop(0)
                if w.lower() not in [x.lower() for x in workup]:
                    workup.append(_ascii(w, 60))
    if not workup:
        workup = ["Clinical assessment"]

    output = {
        "symptoms": symptoms or ["presenting complaint"],
        "most_likely": {"diagnosis": top[0].name, "reasoning": _reasoning(top[0])},
        "possible": [{"diagnosis": s.name, "reasoning": _reasoning(s)} for s in top[1:3]],
        "unlikely_but_serious": serious_entry,
        "recommended_workup": workup,
    }

    # Working: each feature that moved a chosen diagnosis's score, with its words.
    if patient.age is not None:
        findings.append(Finding("age", f"{patient.age:g} years" if patient.age >= 1 else f"{patient.age * 12:.0f} months", patient.age_words))
    if patient.sex:
        findings.append(Finding("sex", patient.sex, patient.sex_words))
    for fp in found:
        findings.append(Finding("presentation", fp.presentation.label, fp.words, rule=fp.presentation.source))
    for s in chosen:
        for f, pts, ev in s.moved:
            findings.append(Finding(f"{s.name}: {f.label}", "raises" if pts > 0 else "lowers",
                                    _ascii(ev, 160), points=pts, rule=DIAGNOSES[s.name].source))
    breakdown = "; ".join(f"{s.name} {s.score:.1f}" for s in ranked[:8])
    findings.append(Finding("score_breakdown", breakdown))
    others = [{"diagnosis": s.name, "score": round(s.score, 2), "must_not_miss": s.serious, "presentation": s.presentation,
               "features": [{"feature": f.label, "points": pts, "evidence": ev} for f, pts, ev in s.moved]}
              for s in ranked[:10]]
    return ToolAnswer(output=output, source="computed", guideline=GUIDELINE, findings=findings, others=others,
                      flags=flags, note="Ranked from the presentation catalogue; decision support for clinician review.")
