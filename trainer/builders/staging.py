"""Rule-labelled synthetic reports for n_staging and m_staging (AJCC 8th edition).

Only sites and rules we are sure of:
- Lung, staging CT (clinical): N by the station of the highest enlarged node relative
  to the primary's side — none N0; ipsilateral peribronchial/hilar N1; ipsilateral
  mediastinal or subcarinal N2; contralateral mediastinal/hilar or any supraclavicular
  N3. M: none M0; contralateral lung nodules, pleural nodules or nodular pericardial
  disease M1a; a single extrathoracic metastasis M1b; several extrathoracic metastases
  (one organ or more) M1c.
- Colon, resection pathology: N by the number of positive regional nodes — 0 N0, 1 N1a,
  2-3 N1b, 4-6 N2a, >=7 N2b; tumour deposits without positive nodes N1c. Colon, staging
  CT: M0; metastases confined to one organ M1a; two or more organs M1b; peritoneal
  metastases M1c.
- Breast, axillary pathology: micrometastasis only N1mi; 1-3 nodes N1a; 4-9 N2a;
  >=10 N3a; none N0.

The text never states a TNM category (the stated-stage tool would answer instead);
the evidence is the verbatim phrase of the deciding finding. Same input feeds both
tasks when the report carries both (lung CT), so both examples share one group.
"""

from __future__ import annotations

import random
from typing import Iterator

from . import Example

SOURCE = "synthetic-staging"

_NUMBER = {0: "none", 1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
           9: "nine", 10: "ten", 11: "eleven", 12: "twelve"}

# ---------------------------------------------------------------- lung (AJCC 8)

# Node stations by their N level relative to the primary; "{side}" is the primary's side.
LUNG_NODES = {
    "N1": ["{side} hilar lymph node", "{side} peribronchial lymph node", "{side} interlobar lymph node"],
    "N2": ["{side} lower paratracheal lymph node", "subcarinal lymph node", "{side} upper paratracheal lymph node"],
    "N3": ["{other} hilar lymph node", "{other} lower paratracheal lymph node", "{side} supraclavicular lymph node",
           "{other} supraclavicular lymph node"],
}
_N_ORDER = ("N0", "N1", "N2", "N3")


def lung_n(levels: list[str]) -> str:
    """The highest level among the enlarged nodes (N0 when none)."""
    return max(levels, key=_N_ORDER.index, default="N0")


LUNG_M = {
    "M1a": ["{count} nodules in the {other} lung consistent with metastases", "multiple {side} pleural nodules with a pleural effusion",
            "nodular pericardial thickening with a pericardial effusion"],
    "M1b": ["single {size} cm metastasis in the {side2} adrenal gland", "solitary {size} cm liver metastasis in segment VI",
            "single lytic metastasis in the T9 vertebral body"],
    "M1c": ["multiple liver metastases, the largest {size} cm", "metastases in the liver and the {side2} adrenal gland",
            "multiple lytic bone metastases in the spine and pelvis"],
}


def lung_report(rng: random.Random, n_level: str, m_level: str) -> tuple[str, dict, dict]:
    side, other = rng.choice([("right", "left"), ("left", "right")])
    lobe = rng.choice(["upper", "lower"]) + " lobe"
    fill = {"side": side, "other": other, "side2": rng.choice(["right", "left"]),
            "size": f"{rng.uniform(1.2, 4.5):.1f}", "count": rng.choice(["Two", "Three", "Several"])}
    primary = f"{rng.uniform(1.5, 6.5):.1f} cm spiculated mass in the {side} {lobe}"
    # Enlarged nodes: one at the deciding level, sometimes one at a lower level too.
    levels = [] if n_level == "N0" else [n_level]
    if n_level in ("N2", "N3") and rng.random() < 0.5:
        levels.append(rng.choice(_N_ORDER[1:_N_ORDER.index(n_level)]))
    nodes = [(lvl, rng.choice(LUNG_NODES[lvl]).format(**fill)) for lvl in levels]
    sentences = [f"There is a {primary}."]
    for lvl, node in nodes:
        sentences.append(f"Enlarged {node}, {rng.uniform(1.1, 2.8):.1f} cm in short axis.")
    if n_level == "N0":
        n_evidence = rng.choice(["No enlarged hilar or mediastinal lymph nodes", "No hilar, mediastinal or supraclavicular lymphadenopathy"])
        sentences.append(n_evidence + ".")
    else:
        n_evidence = next(f"Enlarged {node}" for lvl, node in nodes if lvl == n_level)
    if m_level == "M0":
        m_evidence = rng.choice(["No evidence of distant metastatic disease", "The liver, adrenal glands and bones show no metastases"])
        sentences.append(m_evidence + ".")
    else:
        m_evidence = rng.choice(LUNG_M[m_level]).format(**fill)
        sentences.append(m_evidence[0].upper() + m_evidence[1:] + ".")
        m_evidence = m_evidence[0].upper() + m_evidence[1:]
    header = rng.choice(["EXAM: CT chest, abdomen and pelvis with contrast, staging.", "EXAM: Staging CT of the chest and upper abdomen."])
    history = rng.choice([f"HISTORY: Newly diagnosed non-small cell lung cancer, {side} {lobe}.",
                          f"HISTORY: Biopsy-proven adenocarcinoma of the {side} lung; staging."])
    text = f"{header}\n{history}\nFINDINGS: " + " ".join(sentences)
    assert lung_n(levels) == n_level
    return text, {"n_stage": n_level, "evidence": n_evidence}, {"m_stage": m_level, "evidence": m_evidence}


# ---------------------------------------------------------------- colon (AJCC 8)

def colon_n(positive_nodes: int, tumour_deposits: bool = False) -> str:
    if positive_nodes == 0:
        return "N1c" if tumour_deposits else "N0"
    return "N1a" if positive_nodes == 1 else "N1b" if positive_nodes <= 3 else "N2a" if positive_nodes <= 6 else "N2b"


def colon_m(organs: int, peritoneal: bool = False) -> str:
    """organs: number of distant organs (other than peritoneum) with metastases."""
    if peritoneal:
        return "M1c"
    return "M0" if organs == 0 else "M1a" if organs == 1 else "M1b"


def colon_pathology(rng: random.Random, target: str) -> tuple[str, dict]:
    counts = {"N0": (0, 0), "N1c": (0, 0), "N1a": (1, 1), "N1b": (2, 3), "N2a": (4, 6), "N2b": (7, 12)}
    positive = rng.randint(*counts[target])
    total = rng.randint(max(positive, 12), 28)
    deposits = target == "N1c"
    site = rng.choice(["sigmoid colon", "ascending colon", "transverse colon", "descending colon", "caecum"])
    nodes = f"Metastatic adenocarcinoma in {positive} of {total} regional lymph nodes" if positive else \
        f"{total} regional lymph nodes negative for metastatic carcinoma"
    lines = [f"SPECIMEN: {site.capitalize()}, resection.",
             f"DIAGNOSIS: Invasive adenocarcinoma of the {site}, moderately differentiated, invading through the muscularis propria "
             "into pericolorectal tissue.",
             f"LYMPH NODES: {nodes}."]
    evidence = nodes
    if deposits:
        evidence = f"{_NUMBER[rng.randint(1, 3)].capitalize()} tumour deposits in the pericolic fat"
        lines.append(f"TUMOUR DEPOSITS: {evidence}.")
    else:
        lines.append("TUMOUR DEPOSITS: None identified.")
    lines.append("MARGINS: Proximal, distal and radial margins clear.")
    assert colon_n(positive, deposits) == target
    return "\n".join(lines), {"n_stage": target, "evidence": evidence}


COLON_ORGANS = ["liver", "lungs", "left adrenal gland", "bones"]


def colon_ct(rng: random.Random, target: str) -> tuple[str, dict]:
    if target == "M0":
        finding = rng.choice(["No evidence of distant metastatic disease", "No liver, lung or peritoneal metastases"])
    elif target == "M1a":
        organ = rng.choice(["liver", "lungs"])
        finding = f"{rng.choice(['Two', 'Three', 'Multiple'])} metastases in the {organ}, the largest {rng.uniform(1, 4):.1f} cm"
    elif target == "M1b":
        a, b = rng.sample(COLON_ORGANS, 2)
        finding = f"Metastases in the {a} and the {b}"
    else:
        finding = rng.choice(["Omental caking and peritoneal nodules consistent with peritoneal metastases",
                              "Peritoneal carcinomatosis with nodular implants along the pelvic peritoneum"])
    site = rng.choice(["sigmoid colon", "ascending colon", "hepatic flexure", "descending colon"])
    text = (f"EXAM: CT chest, abdomen and pelvis with contrast.\nHISTORY: Known adenocarcinoma of the {site}; staging.\n"
            f"FINDINGS: Irregular wall thickening of the {site} in keeping with the known primary. {finding}. "
            f"{rng.choice(['No ascites.', 'Small volume pelvic free fluid.', 'No bowel obstruction.'])}")
    return text, {"m_stage": target, "evidence": finding}


# ---------------------------------------------------------------- breast (AJCC 8, pathologic N)

def breast_n(macro_nodes: int, micrometastasis_only: bool = False) -> str:
    if macro_nodes == 0:
        return "N1mi" if micrometastasis_only else "N0"
    return "N1a" if macro_nodes <= 3 else "N2a" if macro_nodes <= 9 else "N3a"


def breast_pathology(rng: random.Random, target: str) -> tuple[str, dict]:
    counts = {"N0": (0, 0), "N1mi": (0, 0), "N1a": (1, 3), "N2a": (4, 9), "N3a": (10, 14)}
    positive = rng.randint(*counts[target])
    total = rng.randint(max(positive, 2) + (2 if positive else 0), max(positive, 2) + 14)
    side = rng.choice(["right", "left"])
    if target == "N1mi":
        evidence = f"micrometastasis ({rng.uniform(0.3, 1.9):.1f} mm) in one of {total} axillary lymph nodes"
    elif positive:
        evidence = f"metastatic carcinoma in {positive} of {total} axillary lymph nodes (largest deposit {rng.randint(3, 15)} mm)"
    else:
        evidence = f"{total} axillary lymph nodes negative for metastatic carcinoma"
    text = (f"SPECIMEN: {side.capitalize()} breast, mastectomy, and {side} axillary lymph nodes.\n"
            f"DIAGNOSIS: Invasive ductal carcinoma, grade {rng.randint(1, 3)}, {rng.uniform(0.8, 4.5):.1f} cm.\n"
            f"LYMPH NODES: {evidence[0].upper() + evidence[1:]}.\nMARGINS: Clear.")
    assert breast_n(positive, target == "N1mi") == target
    return text, {"n_stage": target, "evidence": evidence[0].upper() + evidence[1:]}


def build(n_per_site: int = 150, seed: int = 0) -> Iterator[Example]:
    """Balanced over each site's categories; one group per synthetic report."""
    def example(task: str, text: str, output: dict, group: str) -> Example:
        return {"task": task, "input": text, "output": output, "group": group, "source": SOURCE}

    for i in range(n_per_site):
        rng = random.Random(f"{seed}:lung:{i}")
        group = f"staging:lung:{seed}:{i}"
        text, n_out, m_out = lung_report(rng, _N_ORDER[i % 4], ("M0", "M1a", "M1b", "M1c")[(i // 4) % 4])
        yield example("n_staging", text, n_out, group)
        yield example("m_staging", text, m_out, group)
    for i in range(n_per_site):
        rng = random.Random(f"{seed}:colon-path:{i}")
        yield example("n_staging", *colon_pathology(rng, ("N0", "N1a", "N1b", "N2a", "N2b", "N1c")[i % 6]),
                      f"staging:colon-path:{seed}:{i}")
        rng = random.Random(f"{seed}:colon-ct:{i}")
        yield example("m_staging", *colon_ct(rng, ("M0", "M1a", "M1b", "M1c")[i % 4]), f"staging:colon-ct:{seed}:{i}")
        rng = random.Random(f"{seed}:breast:{i}")
        yield example("n_staging", *breast_pathology(rng, ("N0", "N1mi", "N1a", "N2a", "N3a")[i % 5]),
                      f"staging:breast:{seed}:{i}")
