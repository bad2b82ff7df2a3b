"""Rule-labelled synthetic reports for the RADS systems whose category follows from stated features.

Each report states features only — never the category, nor the system's name — so the
appliance's stated-category tool finds nothing and the model must apply the rules. The
category comes from a scoring function that implements the published rules (sources in
trainer/builders/README.md); the evidence is a verbatim phrase of the report naming the
deciding feature. Wording, headers, laterality and sizes vary with a seeded RNG, so a
seed always gives the same reports.

Only the parts of each system we are sure of are generated:
- ACR TI-RADS 2017: points for the five feature groups → TR1..TR5.
- Lung-RADS v2022, baseline screening only: solid, part-solid and ground-glass size
  rules, benign calcification/fat → 1, 2, 3, 4A, 4B.
- LI-RADS v2018 CT/MRI diagnostic table: size, nonrim APHE and the additional major
  features (nonperipheral washout, enhancing capsule, threshold growth) → LR-3/4/5.
- O-RADS US v2022: premenopausal follicle, simple cysts by size, dermoid/endometrioma,
  multilocular cysts, cysts with papillary projections, solid lesions by contour and
  colour score, ascites/peritoneal nodules → 1..5.
"""

from __future__ import annotations

import random
from typing import Callable, Iterator

from . import Example

SOURCE = "synthetic-rads"

# ---------------------------------------------------------------- ACR TI-RADS (2017)

TIRADS_POINTS: dict[str, dict[str, int]] = {
    "composition": {"cystic": 0, "spongiform": 0, "mixed": 1, "solid": 2},
    "echogenicity": {"anechoic": 0, "hyperechoic": 1, "isoechoic": 1, "hypoechoic": 2, "very hypoechoic": 3},
    "shape": {"wider-than-tall": 0, "taller-than-wide": 3},
    "margin": {"smooth": 0, "ill-defined": 0, "lobulated": 2, "irregular": 2, "extrathyroidal extension": 3},
    # Echogenic foci are additive: each kind present adds its points.
    "foci": {"none": 0, "comet-tail": 0, "macrocalcifications": 1, "rim calcifications": 2, "punctate": 3},
}


def tirads_points(composition: str, echogenicity: str, shape: str, margin: str, foci: tuple[str, ...]) -> int:
    """ACR TI-RADS total points. A spongiform nodule scores 0 whatever else is seen (ACR:
    do not add points for other features)."""
    if composition == "spongiform":
        return 0
    p = TIRADS_POINTS
    return (p["composition"][composition] + p["echogenicity"][echogenicity] + p["shape"][shape]
            + p["margin"][margin] + sum(p["foci"][f] for f in foci))


def tirads_category(points: int) -> str:
    """0 → TR1, 2 → TR2, 3 → TR3, 4-6 → TR4, >=7 → TR5 (ACR has no level for 1 point)."""
    if points == 1 or points < 0:
        raise ValueError(f"{points} points has no ACR TI-RADS level")
    return "TR1" if points == 0 else "TR2" if points == 2 else "TR3" if points == 3 else "TR4" if points <= 6 else "TR5"


_TI_WORDS = {
    "cystic": "cystic", "spongiform": "spongiform", "mixed": "mixed cystic and solid", "solid": "solid",
    "anechoic": "anechoic", "hyperechoic": "hyperechoic", "isoechoic": "isoechoic", "hypoechoic": "hypoechoic",
    "very hypoechoic": "markedly hypoechoic", "wider-than-tall": "wider-than-tall", "taller-than-wide": "taller-than-wide",
    "smooth": "smooth margins", "ill-defined": "ill-defined margins", "lobulated": "lobulated margins",
    "irregular": "irregular margins", "extrathyroidal extension": "extrathyroidal extension",
    "none": "no echogenic foci", "comet-tail": "large comet-tail artifacts", "macrocalcifications": "macrocalcifications",
    "rim calcifications": "peripheral rim calcification", "punctate": "punctate echogenic foci",
}


def _tirads_features(rng: random.Random) -> tuple[str, str, str, str, tuple[str, ...]]:
    """A coherent feature set: cystic nodules are anechoic and smooth; spongiform ones iso/hyperechoic."""
    composition = rng.choice(["cystic", "spongiform", "mixed", "mixed", "solid", "solid", "solid"])
    if composition == "cystic":
        return composition, "anechoic", "wider-than-tall", "smooth", (rng.choice(["none", "comet-tail"]),)
    if composition == "spongiform":
        return composition, rng.choice(["isoechoic", "hyperechoic"]), "wider-than-tall", "smooth", ("none",)
    echo = rng.choice(["isoechoic", "hyperechoic", "hypoechoic", "hypoechoic", "very hypoechoic"])
    shape = rng.choice(["wider-than-tall"] * 3 + ["taller-than-wide"])
    margin = rng.choice(["smooth", "smooth", "ill-defined", "lobulated", "irregular", "extrathyroidal extension"])
    foci = tuple(rng.sample(["comet-tail", "macrocalcifications", "rim calcifications", "punctate"], rng.choice([0, 0, 1, 1, 2])))
    return composition, echo, shape, margin, foci or ("none",)


def tirads_report(rng: random.Random) -> tuple[str, dict]:
    features = _tirads_features(rng)
    composition, echo, shape, margin, foci = features
    category = tirads_category(tirads_points(*features))
    side = rng.choice(["right", "left"])
    pole = rng.choice(["upper pole", "mid pole", "lower pole", "interpolar region"])
    size = [round(rng.uniform(0.5, 3.5), 1) for _ in range(3)]
    dims = " x ".join(f"{s:.1f}" for s in size) + " cm"
    foci_text = " and ".join(_TI_WORDS[f] for f in foci)
    nodule = f"{_TI_WORDS[composition]}, {_TI_WORDS[echo]} nodule"
    if rng.random() < 0.5:
        desc = (f"In the {pole} of the {side} lobe there is a {dims} {nodule}. "
                f"It is {_TI_WORDS[shape]} with {_TI_WORDS[margin]}. Echogenic foci: {foci_text}.")
    else:
        desc = f"{side.capitalize()} lobe, {pole}: {dims} {nodule}, {_TI_WORDS[shape]}, with {_TI_WORDS[margin]}; {foci_text}."
    header = rng.choice(["EXAM: Thyroid ultrasound.", "EXAM: US thyroid.", "EXAMINATION: Ultrasound of the thyroid gland."])
    history = rng.choice(["HISTORY: Palpable neck fullness.", "HISTORY: Incidental thyroid nodule on CT.", "HISTORY: Goiter."])
    other = "left" if side == "right" else "right"
    text = (f"{header}\n{history}\nFINDINGS: The thyroid gland is normal in size. {desc} "
            f"The {other} lobe and isthmus are unremarkable. No abnormal cervical lymph nodes.")
    # The deciding words: a suspicious shape, margin or focus (>= 2 points) when there is
    # one, else the nodule's composition and echogenicity.
    suspicious = [(TIRADS_POINTS["shape"][shape], _TI_WORDS[shape]), (TIRADS_POINTS["margin"][margin], _TI_WORDS[margin])]
    suspicious += [(TIRADS_POINTS["foci"][f], _TI_WORDS[f]) for f in foci]
    points, words = max(suspicious, key=lambda s: s[0])
    evidence = words if points >= 2 and category not in ("TR1", "TR2") else nodule
    return text, {"system": "TI-RADS", "category": category, "evidence": evidence}


# ---------------------------------------------------------------- Lung-RADS v2022 (baseline)

def lungrads_baseline(kind: str, mean_mm: float = 0.0, solid_mm: float = 0.0) -> str:
    """Lung-RADS v2022 category of the most suspicious nodule on a baseline screening CT.

    kind: "none" | "benign" (complete/central/popcorn/laminated calcification or fat) |
    "solid" | "part-solid" | "ground-glass"; sizes are mean diameters in mm (part-solid:
    mean_mm is the total, solid_mm the solid component).
    """
    if kind in ("none", "benign"):
        return "1"
    if kind == "solid":
        return "2" if mean_mm < 6 else "3" if mean_mm < 8 else "4A" if mean_mm < 15 else "4B"
    if kind == "part-solid":
        if mean_mm < 6:
            return "2"
        return "3" if solid_mm < 6 else "4A" if solid_mm < 8 else "4B"
    if kind == "ground-glass":
        return "2" if mean_mm < 30 else "3"
    raise ValueError(f"unknown nodule kind {kind!r}")


_LOBES = ["right upper lobe", "right middle lobe", "right lower lobe", "left upper lobe", "lingula", "left lower lobe"]


def lungrads_report(rng: random.Random) -> tuple[str, dict]:
    kind = rng.choice(["none", "benign", "solid", "solid", "solid", "part-solid", "part-solid", "ground-glass"])
    lobe = rng.choice(_LOBES)
    mean = solid = 0.0
    if kind == "none":
        nodule = rng.choice(["No pulmonary nodules are identified.", "No lung nodules."])
    elif kind == "benign":
        calc = rng.choice(["a completely calcified", "a centrally calcified", "a popcorn-calcified", "a fat-containing"])
        mean = round(rng.uniform(3, 12), 1)
        nodule = f"There is {calc} {mean} mm nodule in the {lobe}."
    elif kind == "solid":
        mean = round(rng.choice([rng.uniform(2, 5.9), rng.uniform(6, 7.9), rng.uniform(8, 14.9), rng.uniform(15, 28)]), 1)
        nodule = f"{mean} mm solid nodule in the {lobe}"
    elif kind == "part-solid":
        mean = round(rng.choice([rng.uniform(3, 5.9), rng.uniform(6, 25)]), 1)
        solid = round(rng.uniform(1, min(mean - 1, 14)), 1) if mean >= 6 else round(rng.uniform(1, mean - 1), 1)
        nodule = f"{mean} mm part-solid nodule in the {lobe} with a {solid} mm solid component"
    else:
        mean = round(rng.choice([rng.uniform(4, 29.9), rng.uniform(30, 45)]), 1)
        nodule = f"{mean} mm ground-glass nodule in the {lobe}"
    category = lungrads_baseline(kind, mean, solid)
    finding = nodule if kind in ("none", "benign") else rng.choice([f"There is a {nodule}.", f"A {nodule} is noted."])
    evidence = nodule.rstrip(".")
    if kind == "benign":
        evidence = evidence.removeprefix("There is ")
    header = rng.choice(["EXAM: Low-dose CT chest for lung cancer screening.", "EXAM: LDCT lung cancer screening, baseline.",
                         "EXAMINATION: Low dose CT of the chest (lung cancer screening)."])
    history = rng.choice(["HISTORY: 62-year-old, 35 pack-year current smoker.", "HISTORY: Former smoker, 40 pack-years, quit 8 years ago.",
                          "HISTORY: Screening, 30 pack-year smoking history."])
    text = (f"{header}\n{history}\nCOMPARISON: None; this is the baseline screening examination.\n"
            f"FINDINGS: {finding} The airways are patent. No pleural effusion. "
            f"{rng.choice(['Mild centrilobular emphysema.', 'No emphysema.', 'Coronary artery calcification is present.'])} "
            "No mediastinal or hilar lymphadenopathy.")
    return text, {"system": "Lung-RADS", "category": category, "evidence": evidence}


# ---------------------------------------------------------------- LI-RADS v2018 (CT/MRI)

def lirads_category(size_mm: float, aphe: bool, washout: bool, capsule: bool, growth: bool) -> str:
    """The LI-RADS v2018 CT/MRI diagnostic table (no LR-M or tumour-in-vein features).

    aphe: nonrim arterial phase hyperenhancement; washout: nonperipheral; capsule:
    enhancing capsule; growth: threshold growth (>=50 % size increase in <=6 months).
    """
    extra = washout + capsule + growth
    if not aphe:
        if size_mm < 20:
            return "LR-4" if extra >= 2 else "LR-3"
        return "LR-4" if extra >= 1 else "LR-3"
    if size_mm < 10:
        return "LR-4" if extra >= 1 else "LR-3"
    if size_mm < 20:
        if extra == 0:
            return "LR-3"
        if extra == 1:
            return "LR-4" if capsule else "LR-5"
        return "LR-5"
    return "LR-5" if extra >= 1 else "LR-4"


def threshold_growth(size_mm: float, prior_mm: float, months: int) -> bool:
    """LI-RADS v2018 threshold growth: a size increase of at least 50 % in at most 6 months."""
    return months <= 6 and (size_mm - prior_mm) / prior_mm >= 0.5


def liver_header(rng: random.Random, modality: str) -> str:
    """The exam and history lines of a multiphase liver report in a surveillance population."""
    header = rng.choice([f"EXAM: {modality} abdomen with and without contrast, multiphase liver protocol.",
                         f"EXAM: Multiphasic {modality} of the liver."])
    history = rng.choice(["HISTORY: Cirrhosis, hepatitis C. Surveillance.", "HISTORY: Alcohol-related cirrhosis; HCC surveillance.",
                          "HISTORY: Chronic hepatitis B with cirrhosis."])
    return f"{header}\n{history}"


def lirads_report(rng: random.Random) -> tuple[str, dict]:
    size = rng.choice([rng.randint(6, 9), rng.randint(10, 19), rng.randint(10, 19), rng.randint(20, 45)])
    aphe, washout, capsule, growth = (rng.random() < p for p in (0.65, 0.5, 0.4, 0.2))
    segment = rng.choice(["II", "III", "IVa", "IVb", "V", "VI", "VII", "VIII"])
    modality = rng.choice(["MRI", "CT"])
    phrases = []
    phrase_aphe = ("demonstrates nonrim arterial phase hyperenhancement" if aphe else
                   rng.choice(["shows no arterial phase hyperenhancement", "is hypoenhancing on the arterial phase"]))
    phrases.append(phrase_aphe)
    phrase_wash = "nonperipheral washout on the portal venous phase"
    phrase_caps = "an enhancing capsule"
    if washout and capsule:
        phrases.append(f"with {phrase_wash} and {phrase_caps}")
    elif washout:
        phrases.append(f"with {phrase_wash}")
    elif capsule:
        phrases.append(f"with {phrase_caps} but no washout")
    else:
        phrases.append("without washout or capsule")
    if growth:  # >=50 % larger within 6 months
        prior, months = max(4, int(size / rng.uniform(1.5, 2.0))), rng.randint(2, 6)
    else:  # either slower growth or a longer interval
        prior, months = max(4, round(size / rng.uniform(1.0, 1.3))), rng.randint(7, 18)
    growth_text = f"It measured {prior} mm on the {modality} {months} months ago."
    if not growth and rng.random() < 0.5:
        growth_text = "No prior imaging is available."
    else:
        growth = threshold_growth(size, prior, months)
    category = lirads_category(size, aphe, washout, capsule, growth)
    observation = f"{size} mm observation in segment {segment}"
    text_body = f"There is a {observation} which {phrases[0]}, {phrases[1]}. {growth_text}"
    if category == "LR-5":  # the feature that made it definite
        evidence = phrase_wash if washout else growth_text if growth else phrase_caps
    elif category == "LR-4":
        evidence = phrase_aphe if aphe else phrase_wash if washout else phrase_caps if capsule else growth_text
    else:
        evidence = observation
    text = (f"{liver_header(rng, modality)}\nFINDINGS: The liver is cirrhotic with a nodular contour. {text_body} "
            "The portal and hepatic veins are patent. No ascites. The spleen measures 13 cm.")
    return text, {"system": "LI-RADS", "category": category, "evidence": evidence}


# ---------------------------------------------------------------- O-RADS US v2022

def orads_us(lesion: str, size_cm: float = 0.0, premenopausal: bool = True, colour_score: int = 1,
             papillary: int = 0, irregular: bool = False) -> str:
    """O-RADS US v2022 risk category for the rules implemented here.

    lesion: "simple cyst" | "dermoid" | "endometrioma" | "multilocular" (smooth, no solid
    component) | "unilocular papillary" (papillary projections, count in `papillary`) |
    "multilocular solid" | "solid" | "ascites nodules" (ascites with peritoneal nodules).
    """
    if lesion == "simple cyst":
        if size_cm <= 3:
            if not premenopausal:
                raise ValueError("a postmenopausal simple cyst <=3 cm is not generated (rule not implemented)")
            return "1"  # a follicle: normal premenopausal ovary
        return "2" if size_cm < 10 else "3"
    if lesion in ("dermoid", "endometrioma"):
        return "2" if size_cm < 10 else "3"
    if lesion == "multilocular":
        return "4" if size_cm >= 10 or colour_score == 4 else "3"
    if lesion == "unilocular papillary":
        return "5" if papillary >= 4 else "4"
    if lesion == "multilocular solid":
        return "4" if colour_score <= 2 else "5"
    if lesion == "solid":
        if irregular:
            return "5"
        return "3" if colour_score == 1 else "4" if colour_score <= 3 else "5"
    if lesion == "ascites nodules":
        return "5"
    raise ValueError(f"unknown lesion {lesion!r}")


_FLOW = {1: "no internal vascularity (color score 1)", 2: "minimal internal flow (color score 2)",
         3: "moderate internal flow (color score 3)", 4: "very strong internal flow (color score 4)"}


def orads_report(rng: random.Random) -> tuple[str, dict]:
    lesion = rng.choice(["simple cyst", "simple cyst", "dermoid", "endometrioma", "multilocular",
                         "unilocular papillary", "multilocular solid", "solid", "ascites nodules"])
    premenopausal = True if lesion == "simple cyst" else rng.random() < 0.6
    side = rng.choice(["right", "left"])
    size = round(rng.choice([rng.uniform(1.5, 3.0), rng.uniform(3.1, 9.9), rng.uniform(10, 14)]), 1)
    if lesion != "simple cyst":
        size = max(size, 3.1)
    cs = rng.randint(1, 4)
    papillary = rng.choice([1, 2, 3, 4, 5])
    irregular = rng.random() < 0.4
    if lesion == "simple cyst":
        feature = f"{size} cm simple cyst with a thin smooth wall, anechoic, with posterior acoustic enhancement and no internal flow"
    elif lesion == "dermoid":
        feature = f"{size} cm hyperechoic lesion with acoustic shadowing and echogenic lines and dots, no internal flow"
    elif lesion == "endometrioma":
        feature = f"{size} cm unilocular cyst with homogeneous low-level (ground glass) echoes, smooth walls and no internal flow"
    elif lesion == "multilocular":
        feature = f"{size} cm multilocular cyst with smooth inner walls and septations, no solid component, {_FLOW[cs]}"
    elif lesion == "unilocular papillary":
        count = {1: "one papillary projection", 2: "two papillary projections", 3: "three papillary projections",
                 4: "four papillary projections", 5: "five papillary projections"}[papillary]
        feature = f"{size} cm unilocular cyst with {count}"
    elif lesion == "multilocular solid":
        feature = f"{size} cm multilocular cyst with a solid component, {_FLOW[cs]}"
    elif lesion == "solid":
        contour = "irregular outer contour" if irregular else "smooth outer contour"
        feature = f"{size} cm solid lesion with a {contour}, {_FLOW[cs]}"
    else:
        feature = f"{size} cm complex adnexal lesion with moderate ascites and peritoneal nodules"
    category = orads_us(lesion, size, premenopausal, cs, papillary, irregular)
    if lesion in ("simple cyst", "dermoid", "endometrioma"):
        evidence = feature.split(",")[0]
    elif lesion == "ascites nodules":
        evidence = "moderate ascites and peritoneal nodules"
    else:
        evidence = feature
    status = ("Premenopausal; last menstrual period 2 weeks ago." if premenopausal else
              rng.choice(["Postmenopausal for 6 years.", "Postmenopausal since age 51."]))
    header = rng.choice(["EXAM: Pelvic ultrasound, transabdominal and transvaginal.", "EXAM: Transvaginal ultrasound of the pelvis."])
    history = rng.choice(["Pelvic pressure.", "Incidental adnexal finding on CT.", "Bloating."])
    other = "left" if side == "right" else "right"
    text = (f"{header}\nHISTORY: {history} {status}\nFINDINGS: The uterus is normal in size. The endometrium measures "
            f"{rng.randint(3, 9)} mm. In the {side} ovary there is a {feature}. The {other} ovary is normal.")
    if lesion != "ascites nodules":
        text += " No free fluid."
    return text, {"system": "O-RADS", "category": category, "evidence": evidence}


GENERATORS: dict[str, Callable[[random.Random], tuple[str, dict]]] = {
    "tirads": tirads_report, "lungrads": lungrads_report, "lirads": lirads_report, "orads": orads_report,
}
# The categories each generator can reach; build() cycles through them so every
# category is about equally common (a natural feature mix makes TR2 or O-RADS 1 rare).
REACHABLE: dict[str, tuple[str, ...]] = {
    "tirads": ("TR1", "TR2", "TR3", "TR4", "TR5"), "lungrads": ("1", "2", "3", "4A", "4B"),
    "lirads": ("LR-3", "LR-4", "LR-5"), "orads": ("1", "2", "3", "4", "5"),
}


def balanced(generate: Callable[[random.Random], tuple[str, dict]], category: str, rng: random.Random) -> tuple[str, dict]:
    """A report of the wanted category: draw feature sets until the rules give it."""
    for _ in range(10_000):
        text, output = generate(rng)
        if output["category"] == category:
            return text, output
    raise RuntimeError(f"{generate.__name__} never produced category {category}")


def build(n_per_system: int = 300, seed: int = 0) -> Iterator[Example]:
    """`n_per_system` reports for each system; each report is its own group (seeded per report)."""
    for name, generate in GENERATORS.items():
        for i in range(n_per_system):
            rng = random.Random(f"{seed}:{name}:{i}")
            category = REACHABLE[name][i % len(REACHABLE[name])]
            text, output = balanced(generate, category, rng)
            yield {"task": "rads_assignment", "input": text, "output": output,
                   "group": f"rads:{name}:{seed}:{i}", "source": SOURCE}
