"""Rule-labelled synthetic reports for the RADS feature questions ("rads_features").

When a guideline calculator (appliance/rads) finds a lesion but cannot read one of its
categorical features, the appliance asks the model that feature alone
(appliance/tasks/feature_question.py): one of the calculator's own values, or "not
described", with a verbatim quote. These examples teach that question.

Each report describes one lesion. The feature asked is written in one of three ways:
- in the guideline lexicon's own words ("hypoechoic"): the calculator reads these itself,
  but the model should read them too;
- in plain prose a radiologist might write ("darker than the surrounding gland"): words
  the calculator's lexicon does not know, so at run time it asks exactly this question;
- not at all: gold "not described", evidence a verbatim phrase naming the lesion.
The other features of the lesion are written in lexicon words, chosen so that the asked
feature changes the category (a calculator only asks such features). The gold value is
the value the phrase was drawn for; the evidence is that phrase, verbatim. Half the
reports use US spelling. Values, feature names and lesion labels are the calculators'
own (imported, or the label their lesion splitter gives), so the prompt built here is
the prompt the appliance builds; tests/test_trainer_features.py checks both.

Sources of each feature's values are in trainer/builders/README.md.
"""

from __future__ import annotations

import random
import re
from typing import Callable, Iterator

from appliance.rads import gb_rads, li_rads, lung_rads, o_rads, pi_rads, ti_rads, vi_rads
from appliance.tasks.feature_question import NOT_DESCRIBED, TASK_NAME

from . import Example
from .rads import liver_header

SOURCE = "synthetic-rads-features"
LEXICON, PLAIN = "lexicon", "plain"

# value -> (lexicon phrasings, plain-prose phrasings). Every phrase reads after "<lesion>, ".
Phrases = dict[str, tuple[list[str], list[str]]]
# (rng, the phrase or None when the feature is not described) -> (report, lesion label, anchor phrase)
Report = Callable[[random.Random, str | None], tuple[str, str | None, str]]

_US = {"tumour": "tumor", "colour": "color", "haemorrhagic": "hemorrhagic", "haematuria": "hematuria",
       "oedematous": "edematous", "oedema": "edema", "artefact": "artifact", "artefacts": "artifacts",
       "chemoembolisation": "chemoembolization", "centre": "center", "neighbouring": "neighboring",
       "localised": "localized", "millimetre": "millimeter"}
_US_RE = re.compile(r"\b(" + "|".join(sorted(_US, key=len, reverse=True)) + r")\b", re.IGNORECASE)


def american(text: str) -> str:
    """US spelling, word by word (keeps the first letter's case)."""
    def swap(m: re.Match) -> str:
        us = _US[m.group(0).lower()]
        return us[0].upper() + us[1:] if m.group(0)[0].isupper() else us
    return _US_RE.sub(swap, text)


def _features(parts: list[str | None]) -> str:
    return ", ".join(p for p in parts if p)


_NEGATION = re.compile(r"\b(no|not|without|nothing|neither|cannot)\b", re.IGNORECASE)


def _place(parts: list[str | None], slot: int, phrase: str | None) -> list[str | None]:
    """`parts` with `phrase` at `slot`; a phrase with a negation cue goes last, because a cue
    negates the rest of its sentence for the calculators' negation reader (and for readers)."""
    parts = list(parts)
    if phrase and _NEGATION.search(phrase):
        return parts + [phrase]
    parts.insert(slot, phrase)
    return parts


# ---------------------------------------------------------------- ACR TI-RADS 2017

TI_VALUES = {f: tuple(v for v, _ in values) for f, values in ti_rads.ASKED.items()}
TI_PHRASES: dict[str, Phrases] = {
    "composition": {
        "cystic or almost completely cystic": (["cystic", "almost completely cystic", "entirely cystic"],
                                               ["filled with fluid and without any soft tissue",
                                                "made up of fluid apart from a thin wall",
                                                "containing only clear fluid"]),
        "spongiform": (["spongiform"],
                       ["made of innumerable tiny fluid spaces like a sponge",
                        "composed of many small microcystic spaces filling most of its volume",
                        "with a honeycomb of minute fluid pockets throughout"]),
        "mixed cystic and solid": (["mixed cystic and solid", "partly cystic", "solid with cystic components"],
                                   ["containing both fluid-filled areas and soft tissue",
                                    "part fluid and part soft tissue",
                                    "with a soft tissue portion and a fluid-filled portion of similar size"]),
        "solid or almost completely solid": (["solid", "almost completely solid", "entirely solid"],
                                             ["composed entirely of tissue with no fluid spaces",
                                              "made of soft tissue throughout without fluid pockets",
                                              "without any fluid-filled areas"]),
    },
    "echogenicity": {
        "anechoic": (["anechoic"], ["completely black on ultrasound without internal echoes",
                                    "echo-free throughout", "entirely dark with no internal echoes at all"]),
        "hyperechoic": (["hyperechoic", "mildly hyperechoic"],
                        ["brighter than the surrounding thyroid tissue", "more echogenic than the adjacent parenchyma",
                         "a little brighter than the background thyroid"]),
        "isoechoic": (["isoechoic"],
                      ["of the same brightness as the normal gland", "similar in echogenicity to the background thyroid",
                       "blending in with the surrounding gland in brightness"]),
        "hypoechoic": (["hypoechoic", "mildly hypoechoic"],
                       ["darker than the surrounding gland", "lower in echogenicity than the adjacent parenchyma",
                        "less echogenic than the normal thyroid tissue", "a little darker than the background thyroid"]),
        "very hypoechoic": (["markedly hypoechoic", "very hypoechoic"],
                            ["darker even than the adjacent strap muscles",
                             "as dark as or darker than the overlying strap muscles",
                             "much darker than the thyroid and darker than the strap muscles"]),
    },
    "shape": {
        "wider-than-tall": (["wider-than-tall", "wider than tall"],
                            ["its transverse width exceeding its anteroposterior depth",
                             "broader side to side than front to back on transverse images",
                             "with the anteroposterior dimension smaller than the transverse dimension"]),
        "taller-than-wide": (["taller-than-wide", "taller than wide"],
                             ["its anteroposterior depth exceeding its transverse width",
                              "deeper front to back than it is broad on transverse images",
                              "with the height greater than the width in the transverse plane"]),
    },
    "margin": {
        "smooth": (["smooth margins", "well-defined margins", "well circumscribed"],
                   ["with a crisp, even outline", "with an even, sharply drawn edge all around",
                    "clearly separated from the gland by a fine even line"]),
        "ill-defined": (["ill-defined margins", "poorly defined margins"],
                        ["its edges blending imperceptibly into the surrounding thyroid",
                         "with edges that are hard to tell apart from the normal gland",
                         "fading into the adjacent parenchyma without a clear edge"]),
        "lobulated or irregular": (["lobulated margins", "irregular margins", "spiculated margins"],
                                   ["with small rounded bulges along its outline",
                                    "with finger-like protrusions into the surrounding tissue",
                                    "with a bumpy outline showing several knob-like protrusions"]),
        "extrathyroidal extension": (["extrathyroidal extension"],
                                     ["bulging through the thyroid capsule into the adjacent strap muscle",
                                      "growing out of the gland into the surrounding soft tissues",
                                      "crossing the outer surface of the gland into the perithyroidal fat"]),
    },
    "echogenic foci": {
        "none": (["no echogenic foci", "no calcifications"],
                 ["with nothing bright inside it", "without any bright specks within it",
                  "with a uniform interior free of bright dots"]),
        "large comet-tail artefacts": (["large comet-tail artefacts", "comet-tail artefacts"],
                                       ["with bright reflectors trailing a tapering ring-down artefact",
                                        "with bright dots each followed by a reverberation tail typical of colloid"]),
        "macrocalcification": (["macrocalcifications", "coarse calcifications"],
                               ["with a large chunk of calcium casting an acoustic shadow",
                                "with a big dense calcific focus that blocks the sound beam",
                                "with a bulky calcium deposit behind which the beam is lost"]),
        "peripheral (rim) calcification": (["peripheral rim calcification", "eggshell calcification"],
                                           ["with a calcified shell around its edge",
                                            "with a thin curve of calcium lining its periphery",
                                            "with calcium outlining its border like a shell"]),
        "punctate echogenic foci": (["punctate echogenic foci", "microcalcifications"],
                                    ["with tiny pinpoint bright dots without shadowing",
                                     "with multiple minute bright specks smaller than a millimetre",
                                     "with scattered pinpoint bright spots too small to shadow"]),
    },
}
# The other features, in lexicon words, chosen so the asked feature changes the level.
TI_CONTEXT = {
    "composition": ["hypoechoic", "wider-than-tall", "smooth margins", "no echogenic foci"],
    "echogenicity": ["solid", "wider-than-tall", "smooth margins", "no echogenic foci"],
    "shape": ["solid", "isoechoic", "smooth margins", "no echogenic foci"],
    "margin": ["solid", "isoechoic", "wider-than-tall", "no echogenic foci"],
    "echogenic foci": ["solid", "isoechoic", "wider-than-tall", "smooth margins"],
}
_TI_SLOT = {"composition": 0, "echogenicity": 1, "shape": 2, "margin": 3, "echogenic foci": 4}


def _thyroid(feature: str) -> Report:
    def report(rng: random.Random, phrase: str | None) -> tuple[str, str | None, str]:
        side, pole = rng.choice(["right", "left"]), rng.choice(["upper pole", "mid pole", "lower pole"])
        size = f"{rng.uniform(0.8, 3.5):.1f} cm"
        parts: list[str | None] = list(TI_CONTEXT[feature])
        if feature == "composition":
            parts[0] = rng.choice(["hypoechoic", "isoechoic"])
        if feature == "echogenicity" and phrase in TI_PHRASES["echogenicity"]["anechoic"][0] + TI_PHRASES["echogenicity"]["anechoic"][1]:
            parts[0] = None  # an anechoic nodule is cystic: its composition is left unsaid, not contradicted
        parts = _place(parts, _TI_SLOT[feature], phrase)
        anchor = f"{size} nodule"
        other = "left" if side == "right" else "right"
        if rng.random() < 0.5:
            desc = f"In the {pole} of the {side} lobe there is a {anchor}, {_features(parts)}."
        else:
            desc = f"{side.capitalize()} lobe, {pole}: {anchor}, {_features(parts)}."
        header = rng.choice(["EXAM: Thyroid ultrasound.", "EXAM: US thyroid.", "EXAMINATION: Ultrasound of the thyroid gland."])
        history = rng.choice(["HISTORY: Palpable lump.", "HISTORY: Incidental thyroid nodule on CT.", "HISTORY: Goitre."])
        text = (f"{header}\n{history}\nFINDINGS: The thyroid gland is normal in size. {desc} "
                f"The {other} lobe and isthmus are unremarkable.")
        return text, f"{side} lobe", anchor
    return report


# ---------------------------------------------------------------- LI-RADS v2018 CT/MRI

LI_PHRASES: dict[str, Phrases] = {
    "nonrim arterial phase hyperenhancement": {
        "present": (["with nonrim arterial phase hyperenhancement", "which hyperenhances in the late arterial phase"],
                    ["becoming brighter than the surrounding liver on the late arterial images",
                     "lighting up uniformly in the arterial phase",
                     "brighter than the background liver on the arterial phase images"]),
        "absent": (["with no arterial phase hyperenhancement", "hypoenhancing on the arterial phase"],
                   ["staying darker than the liver on the arterial images",
                    "not brightening in the arterial phase",
                    "no brighter than the background liver on the arterial images"]),
    },
    "nonperipheral washout": {
        "present": (["with nonperipheral washout", "washing out on the portal venous phase"],
                    ["becoming darker than the surrounding liver on the portal venous phase",
                     "fading to below the background liver on the delayed images",
                     "turning darker than the adjacent liver on later phases"]),
        "absent": (["with no washout", "without washout"],
                   ["remaining as bright as the liver on the portal venous and delayed phases",
                    "not fading relative to the liver on later phases",
                    "staying similar to the background liver on the delayed images"]),
    },
    "enhancing capsule": {
        "present": (["with an enhancing capsule", "with capsular enhancement"],
                    ["with a smooth bright ring around it on the portal venous images",
                     "surrounded by a thin smooth border that brightens on the delayed images",
                     "outlined by a smooth band that brightens on later phases"]),
        "absent": (["with no capsule", "without an enhancing capsule"],
                   ["with no surrounding bright border on later phases",
                    "without any smooth bright band around it on the delayed images"]),
    },
    "treatment response": {
        "viable tissue": (["with residual viable tumour at the margin", "with nodular arterial phase hyperenhancement at its edge"],
                          ["with a small bump of tissue at its edge that brightens early and fades later",
                           "with a crescent of tissue along its margin that lights up on the arterial images and fades on the portal venous phase"]),
        "equivocal enhancement": (["with equivocal enhancement", "with atypical enhancement along the margin"],
                                  ["with faint brightening along its edge that is neither clearly expected post-procedure change nor clearly tumour",
                                   "with some brightening at the margin that cannot be called either expected change or tumour"]),
        "no viable tissue": (["with no residual enhancement", "non-enhancing", "with no viable tissue"],
                             ["showing no internal brightening on any phase",
                              "uniformly dark after contrast with only a thin even halo around it",
                              "without any brightening inside it after contrast"]),
    },
}
LI_CONTEXT = {
    "nonrim arterial phase hyperenhancement": ["with nonperipheral washout", "with no capsule"],
    "nonperipheral washout": ["with nonrim arterial phase hyperenhancement", "with no capsule"],
    "enhancing capsule": ["with nonrim arterial phase hyperenhancement", "with no washout"],
}
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]


def _liver(feature: str) -> Report:
    def report(rng: random.Random, phrase: str | None) -> tuple[str, str | None, str]:
        segment = rng.choice([2, 3, 5, 6, 7, 8])
        seg_words = f"segment {segment}" if rng.random() < 0.5 else f"segment {_ROMAN[segment - 1]}"
        modality = rng.choice(["MRI", "CT"])
        size = rng.randint(11, 18)
        if feature == "treatment response":
            treated = rng.choice(["following TACE", "after chemoembolisation", "after radiofrequency ablation"])
            anchor = f"{size} mm treated observation in {seg_words}"
            body = f"There is a {anchor} {treated}" + (f", {phrase}." if phrase else ".")
        else:
            parts = _place(LI_CONTEXT[feature], 0 if feature.startswith("nonrim") else 1, phrase)
            anchor = f"{size} mm observation in {seg_words}"
            body = f"There is a {anchor}, {_features(parts)}. No prior imaging is available."
        text = (f"{liver_header(rng, modality)}\nFINDINGS: The liver is cirrhotic with a nodular contour. {body} "
                "The portal and hepatic veins are patent. The spleen measures 13 cm.")
        return text, f"segment {segment}", anchor
    return report


# ---------------------------------------------------------------- Lung-RADS v2022

LUNG_PHRASES: Phrases = {
    "solid": (["solid", "solid in attenuation"],
              ["uniformly dense and completely obscuring the underlying vessels",
               "homogeneously opaque throughout", "as dense as the adjacent vessels throughout"]),
    "part-solid": (["part-solid", "of mixed ground-glass and solid attenuation", "semi-solid"],
                   ["hazy with a denser central core", "mostly hazy with a small dense centre",
                    "a faint opacity containing a more opaque nodular portion"]),
    "ground-glass": (["ground-glass", "non-solid", "of pure ground-glass attenuation"],
                     ["faint and hazy with the vessels still visible through it",
                      "a subtle area of increased density that does not obscure the underlying vessels",
                      "hazy and translucent throughout"]),
}
_LOBES = {"right upper lobe": "RUL", "right middle lobe": "RML", "right lower lobe": "RLL",
          "left upper lobe": "LUL", "left lower lobe": "LLL"}


def _lung(feature: str) -> Report:
    def report(rng: random.Random, phrase: str | None) -> tuple[str, str | None, str]:
        lobe = rng.choice(list(_LOBES))
        long_axis = rng.randint(7, 16)
        dims = f"{long_axis} x {rng.randint(max(5, long_axis - 5), long_axis)} mm"  # mean 6-16 mm: the type changes the category
        anchor = f"{dims} nodule in the {lobe}"
        finding = f"There is a {anchor}" + (f", {phrase}." if phrase else ".")
        header = rng.choice(["EXAM: Low-dose CT chest for lung cancer screening.", "EXAM: LDCT lung cancer screening, baseline.",
                             "EXAMINATION: Low dose CT of the chest (lung cancer screening)."])
        history = rng.choice(["HISTORY: 62-year-old, 35 pack-year current smoker.", "HISTORY: Former smoker, 40 pack-years.",
                              "HISTORY: Screening, 30 pack-year smoking history."])
        text = (f"{header}\n{history}\nFINDINGS: {finding} The airways are patent. No pleural effusion. "
                f"{rng.choice(['Mild centrilobular emphysema.', 'No emphysema.', 'Coronary artery calcification is present.'])}")
        return text, _LOBES[lobe], anchor
    return report


# ---------------------------------------------------------------- PI-RADS v2.1

_PI = {name: feature for name, (feature, _) in pi_rads.ASKED.items()}
PI_PHRASES: dict[str, Phrases] = {
    _PI["zone"]: {
        "peripheral zone": (["in the peripheral zone", "in the left posterolateral peripheral zone"],
                            ["in the outer posterior gland", "in the posterior outer part of the gland near the capsule"]),
        "transition zone": (["in the transition zone", "in the anterior transition zone"],
                            ["within the enlarged inner gland among the hyperplastic nodules",
                             "in the inner gland surrounding the urethra"]),
    },
    _PI["t2"]: {
        "completely encapsulated (typical) nodule": (["a completely encapsulated nodule", "a typical BPH nodule"],
                                                     ["a round nodule fully surrounded by a thin dark rim",
                                                      "a round nodule ringed all the way around by a dark band"]),
        "mostly encapsulated or circumscribed nodule without a capsule, or mildly hypointense area":
            (["a mostly encapsulated nodule", "a mildly hypointense area between nodules"],
             ["a round, sharply marginated nodule whose dark rim is incomplete",
              "a sharply outlined nodule lacking a surrounding dark rim"]),
        "heterogeneous signal with obscured margins": (["heterogeneous signal with obscured margins"],
                                                       ["of mixed signal with edges that cannot be separated from the surrounding nodules",
                                                        "patchy in signal with edges lost among the neighbouring nodules"]),
        "lenticular or non-circumscribed, homogeneous, moderately hypointense":
            (["lenticular, homogeneous and moderately hypointense", "an erased charcoal appearance"],
             ["lens-shaped, uniformly dark on T2 with smudged borders",
              "a uniformly dark, lens-shaped area without a clear edge on T2"]),
    },
    _PI["dwi"]: {
        "no abnormality on ADC or high b-value": (["with no abnormality on ADC or high b-value images"],
                                                  ["with nothing dark on the ADC map and nothing bright on the high b-value images",
                                                   "looking like the normal gland on the diffusion images"]),
        "linear or wedge-shaped": (["linear on ADC", "wedge-shaped on ADC"],
                                   ["a thin streak of reduced ADC", "a triangular band of reduced ADC tapering toward the capsule"]),
        "focal, mildly or moderately hypointense on ADC": (["focal, mildly hypointense on ADC", "with mild diffusion restriction"],
                                                           ["a focal area somewhat darker on the ADC map without a matching bright spot at high b-value",
                                                            "a little darker than the surrounding gland on the ADC map"]),
        "focal, markedly hypointense on ADC and markedly hyperintense on high b-value":
            (["markedly hypointense on ADC and markedly hyperintense on high b-value", "with marked diffusion restriction"],
             ["very dark on the ADC map and very bright on the high b-value images",
              "intensely dark on ADC with a matching intensely bright spot at high b-value"]),
    },
    _PI["dce"]: {
        "positive": (["with focal early enhancement", "DCE positive"],
                     ["lighting up quickly after contrast ahead of the surrounding tissue",
                      "taking up contrast sooner than the adjacent normal tissue"]),
        "negative": (["with no early enhancement", "DCE negative"],
                     ["not taking up contrast any sooner than the adjacent gland",
                      "enhancing diffusely along with the rest of the gland"]),
    },
}
PI_CONTEXT = {  # zone first, then the other features
    _PI["zone"]: [None, "heterogeneous signal with obscured margins",
                  "markedly hypointense on ADC and markedly hyperintense on high b-value"],
    _PI["t2"]: ["in the transition zone", None, "with mild diffusion restriction"],
    _PI["dwi"]: ["in the peripheral zone", None, "with no early enhancement"],
    _PI["dce"]: ["in the peripheral zone", "with mild diffusion restriction", None],
}


def _prostate(feature: str) -> Report:
    def report(rng: random.Random, phrase: str | None) -> tuple[str, str | None, str]:
        size = rng.randint(5, 14)  # < 15 mm and no extraprostatic extension: a score-4 appearance stays 4
        where = rng.choice(["at the right mid-gland", "at the left mid-gland", "at the left base", "at the left apex",
                            "at the right base", "at the right apex"])
        context = list(PI_CONTEXT[feature])
        slot = context.index(None)
        context[slot] = phrase
        zone = context.pop(0)
        anchor = f"{size} mm lesion {where}"
        desc = f"There is a {anchor}" + (f" {zone}" if zone else "") + ("," if context else "")
        rest = _features(context)
        header = rng.choice(["EXAM: MRI prostate without and with contrast.", "EXAM: Multiparametric MRI of the prostate."])
        history = rng.choice(["HISTORY: PSA 7.4 ng/mL.", "HISTORY: Raised PSA, negative biopsy last year."])
        text = (f"{header}\n{history}\nFINDINGS: The prostate gland measures 48 mL. "
                f"{desc} {rest}.".replace(", .", ".").replace(" .", ".")
                + " The seminal vesicles are unremarkable. No pelvic lymphadenopathy.")
        return text, None, anchor
    return report


# ---------------------------------------------------------------- VI-RADS (Panebianco 2018)

VI_PHRASES: dict[str, Phrases] = {
    "muscularis propria": {
        "intact (uninterrupted low-signal line)": (["with an intact low-signal muscularis propria", "with an uninterrupted low-signal muscle layer"],
                                                   ["the dark band of muscle beneath it remaining unbroken",
                                                    "the dark line of the wall muscle under its base running unbroken"]),
        "no clear disruption, invasion equivocal": (["with no clear disruption of the muscularis propria", "muscle invasion cannot be excluded"],
                                                    ["it being uncertain whether it reaches into the dark muscle line, which is hard to follow under its base",
                                                     "the dark muscle line under its base being blurred but not clearly broken"]),
        "interrupted (tumour extends into the muscle)": (["with interruption of the low-signal muscularis propria", "invading the detrusor muscle"],
                                                         ["the dark muscle line being broken where it grows into the wall muscle",
                                                          "growing down into the dark muscle layer, which is broken at its base"]),
        "tumour extends through the wall into the extravesical fat": (["with extravesical extension", "extending through the bladder wall into the perivesical fat"],
                                                                      ["with tumour tissue seen outside the bladder in the surrounding fat",
                                                                       "crossing the outer edge of the bladder and reaching the pelvic fat"]),
    },
    "morphology": {
        "exophytic / stalked": (["pedunculated", "exophytic, on a stalk"],
                                ["hanging into the lumen from a narrow neck", "attached to the wall by a slender pedicle",
                                 "projecting into the lumen on a slender base"]),
        "sessile / broad-based": (["sessile", "broad-based"],
                                  ["attached to the wall along its whole width", "with a wide base of attachment to the wall",
                                   "spread along the wall with a wide attachment"]),
    },
    "thickened inner layer": {
        "present": (["with a thickened high-signal inner layer", "with submucosal thickening"],
                    ["with the bright layer just beneath the mucosa swollen under it",
                     "with a band of swollen, bright tissue separating it from the muscle"]),
        "absent": (["with no thickened inner layer"],
                   ["sitting directly on the dark muscle with no bright band in between",
                    "with nothing bright separating its base from the dark muscle"]),
    },
}
VI_CONTEXT = {
    "muscularis propria": [["sessile", "with a thickened high-signal inner layer"], ["pedunculated"]],
    "morphology": [["with an intact low-signal muscularis propria"]],
    "thickened inner layer": [["sessile", "with an intact low-signal muscularis propria"]],
}


def _bladder(feature: str) -> Report:
    def report(rng: random.Random, phrase: str | None) -> tuple[str, str | None, str]:
        size = rng.randint(8, 28)
        wall = rng.choice(["left lateral", "right lateral", "posterior", "trigonal", "dome"])
        context = list(rng.choice(VI_CONTEXT[feature]))
        anchor = f"{size} mm tumour arising from the {wall} wall"
        parts = _place(context, {"morphology": 0, "thickened inner layer": 1}.get(feature, len(context)), phrase)
        header = rng.choice(["EXAM: MRI bladder.", "EXAM: MRI of the urinary bladder with contrast."])
        history = rng.choice(["HISTORY: Haematuria; bladder tumour at cystoscopy.", "HISTORY: Newly diagnosed bladder tumour."])
        text = (f"{header}\n{history}\nFINDINGS: The bladder is well distended. There is a {anchor}, {_features(parts)}. "
                "No pelvic lymphadenopathy. The upper tracts are not dilated.")
        return text, None, anchor
    return report


# ---------------------------------------------------------------- GB-RADS (2022)

GB_PHRASES: dict[str, Phrases] = {
    "extent": {
        "focal": (["focal", "segmental"],
                  ["confined to one short stretch of the wall", "limited to a small part of the wall, the rest being thin"]),
        "circumferential": (["circumferential", "diffuse"],
                            ["involving the whole wall all the way around", "extending around its full circumference"]),
    },
    "interface with the liver": {
        "preserved": (["with a preserved interface with the liver", "with an intact fat plane to the liver"],
                      ["with a clean bright line still separating it from the liver",
                       "with no sign of spread into the neighbouring liver"]),
        "lost (hepatic infiltration)": (["with loss of the interface with the liver", "infiltrating the adjacent liver"],
                                        ["merging with the adjacent liver with no visible boundary",
                                         "growing across into the liver next to it"]),
    },
}


def _gallbladder(feature: str) -> Report:
    def report(rng: random.Random, phrase: str | None) -> tuple[str, str | None, str]:
        mm = rng.randint(4, 15)
        if feature == "extent":
            anchor = f"gallbladder wall is thickened, measuring {mm} mm"
            thick = f"The {anchor}" + (f", {phrase}" if phrase else "") + ", with small intramural cysts."
            tail = "The interface with the liver is preserved."
        else:
            kind = rng.choice(["focal", "asymmetric circumferential"])
            anchor = f"{kind} thickening of the gallbladder wall, measuring {mm} mm"
            thick = f"There is {anchor}" + (f", {phrase}." if phrase else ".")
            tail = ""
        header = rng.choice(["EXAM: Ultrasound of the gallbladder.", "EXAM: US abdomen, right upper quadrant.",
                             "EXAMINATION: Right upper quadrant ultrasound."])
        history = rng.choice(["HISTORY: Wall thickening on CT.", "HISTORY: Intermittent right upper quadrant discomfort.",
                              "HISTORY: Abnormal liver tests.", "HISTORY: Follow-up of gallbladder wall thickening."])
        stones = rng.choice(["No gallstones.", "A few small mobile gallstones.", "No sludge or stones."])
        text = (f"{header}\n{history}\nFINDINGS: The gallbladder is well distended after fasting. {thick} {tail} "
                f"{stones} The common bile duct measures {rng.randint(3, 6)} mm.").replace("  ", " ")
        return text, None, anchor
    return report


# ---------------------------------------------------------------- O-RADS US v2022 / MRI 2022

OUS_PHRASES: dict[str, Phrases] = {
    "colour score (blood flow)": {
        "no flow": (["with no internal vascularity", "avascular on colour Doppler", "colour score 1"],
                    ["with no Doppler signal anywhere within it", "showing not a single colour pixel inside"]),
        "minimal flow": (["with minimal internal flow", "colour score 2"],
                         ["with only one or two tiny colour Doppler signals inside", "showing just a trace of colour signal centrally"]),
        "moderate flow": (["with moderate internal flow", "colour score 3"],
                          ["with several vessels clearly shown inside it on colour Doppler",
                           "with a fair amount of colour signal within it"]),
        "very strong flow": (["with very strong internal flow", "colour score 4", "hypervascular"],
                             ["filled with colour from abundant vessels on Doppler",
                              "lighting up with colour throughout on Doppler interrogation"]),
    },
    "outer contour": {
        "smooth": (["with a smooth outer contour", "well-defined"],
                   ["with a neat, rounded outline", "its outline even and rounded all the way round"]),
        "irregular": (["with an irregular outer contour", "lobulated"],
                      ["with an uneven, knobbly outline", "whose edge is ragged and angular"]),
    },
    "number of papillary projections": {
        "1 to 3": (["two papillary projections", "a single papillary projection", "three papillary projections"],
                   ["a couple of small papillary projections", "papillary projections, two in total",
                    "papillary projections numbering no more than three"]),
        "4 or more": (["four papillary projections", "numerous papillary projections", "more than three papillary projections"],
                      ["papillary projections, at least five of them", "a dozen or so papillary projections",
                       "papillary projections too many to count individually"]),
    },
    "menopausal status": {  # a sentence of the history line, not a clause
        "premenopausal": (["Premenopausal", "Premenopausal, LMP 2 weeks ago"],
                          ["Still having regular monthly periods", "Regular menstrual cycles, last period 10 days ago"]),
        "postmenopausal": (["Postmenopausal", "Postmenopausal for 6 years"],
                           ["Periods stopped 7 years ago", "No menstrual bleeding since age 51",
                            "Went through menopause 4 years ago"]),
    },
}
OMRI_PHRASES: dict[str, Phrases] = {
    "time-intensity curve of the solid tissue": {
        "low risk": (["with a low-risk time-intensity curve", "showing a type 1 time-intensity curve"],
                     ["whose signal rises slowly and steadily without an early peak",
                      "with gradual, progressive uptake and no shoulder"]),
        "intermediate risk": (["with an intermediate-risk time-intensity curve", "showing a type 2 time-intensity curve"],
                              ["with a moderate initial rise followed by a plateau",
                               "with an initial upslope less steep than the outer myometrium, then a plateau"]),
        "high risk": (["with a high-risk time-intensity curve", "showing a type 3 time-intensity curve"],
                      ["with an initial upslope steeper than the outer myometrium",
                       "whose signal shoots up early, faster than the outer myometrium"]),
    },
    "cyst fluid content": {
        "simple fluid": (["containing simple fluid"],
                         ["with contents that follow the signal of urine on every sequence",
                          "with fluid bright on T2 and dark on T1, like the bladder contents"]),
        "endometriotic (T2 shading)": (["with T2 shading", "with endometriotic contents"],
                                       ["with fluid very bright on T1 that loses signal in a layered gradient on T2",
                                        "with contents bright on T1 fat-suppressed images and dark, layering signal on T2"]),
        "proteinaceous, haemorrhagic or mucinous": (["with haemorrhagic contents", "containing proteinaceous fluid", "with mucinous contents"],
                                                    ["with thick, protein-rich fluid",
                                                     "with contents bright on both T1 and T2, consistent with blood products"]),
    },
}


def _adnexa(feature: str) -> Report:
    def report(rng: random.Random, phrase: str | None) -> tuple[str, str | None, str]:
        side = rng.choice(["right", "left"])
        other = "left" if side == "right" else "right"
        status = rng.choice(["", " Premenopausal.", " Postmenopausal."])
        mri = feature in OMRI_PHRASES
        cm = f"{rng.uniform(3.5, 8.5):.1f} cm"
        if feature == "colour score (blood flow)":
            anchor = f"{cm} solid mass with a smooth outer contour"
            lesion = f"{anchor}, {phrase}" if phrase else anchor
        elif feature == "outer contour":
            anchor = f"{cm} solid mass"
            lesion = f"{anchor}, " + (f"{phrase}, " if phrase else "") + rng.choice(["with minimal internal flow", "colour score 3"])
        elif feature == "number of papillary projections":
            anchor = f"{cm} unilocular cyst"
            lesion = f"{anchor} with " + (phrase or "papillary projections")
        elif feature == "menopausal status":
            anchor = f"{rng.uniform(1.5, 3.0):.1f} cm simple cyst"
            lesion = f"{anchor} with a thin smooth wall"
            status = f" {phrase}." if phrase else ""
        elif feature == "time-intensity curve of the solid tissue":
            anchor = f"{cm} lesion with enhancing solid tissue"
            lesion = f"{anchor}, {phrase}" if phrase else anchor
        else:
            anchor = f"{cm} unilocular cyst with a smooth wall"
            lesion = f"{anchor}, {phrase}" if phrase else anchor
        if mri:
            header = rng.choice(["EXAM: MRI pelvis without and with contrast.", "EXAM: MRI of the adnexa with dynamic contrast."])
            opening = "The uterus is normal on T2-weighted images."
        else:
            header = rng.choice(["EXAM: Pelvic ultrasound, transabdominal and transvaginal.", "EXAM: Transvaginal ultrasound of the pelvis."])
            opening = f"The uterus is normal in size. The endometrium measures {rng.randint(3, 9)} mm."
        history = rng.choice(["Pelvic pressure.", "Adnexal finding on CT.", "Bloating."])
        text = (f"{header}\nHISTORY: {history}{status}\nFINDINGS: {opening} In the {side} ovary there is a {lesion}. "
                f"The {other} ovary is unremarkable. No free fluid.")
        return text, f"{side} adnexa", anchor
    return report


# ---------------------------------------------------------------- the table

# (system as the calculator names it, feature, the calculator's values, phrases, report)
SPECS: list[tuple[str, str, tuple[str, ...], Phrases, Report]] = [
    *[("TI-RADS", f, TI_VALUES[f], TI_PHRASES[f], _thyroid(f)) for f in TI_PHRASES],
    *[("LI-RADS", f, li_rads.ASKED[f], LI_PHRASES[f], _liver(f)) for f in LI_PHRASES],
    ("Lung-RADS", "nodule type", lung_rads.NODULE_TYPES, LUNG_PHRASES, _lung("nodule type")),
    *[("PI-RADS", feature, tuple(words), PI_PHRASES[feature], _prostate(feature)) for feature, words in pi_rads.ASKED.values()],
    *[("VI-RADS", f, vi_rads.ASKED[f], VI_PHRASES[f], _bladder(f)) for f in VI_PHRASES],
    *[("GB-RADS", f, gb_rads.ASKED[f], GB_PHRASES[f], _gallbladder(f)) for f in GB_PHRASES],
    *[("O-RADS", f, o_rads.ASKED_US[f], OUS_PHRASES[f], _adnexa(f)) for f in OUS_PHRASES],
    *[("O-RADS", f, o_rads.ASKED_MRI[f], OMRI_PHRASES[f], _adnexa(f)) for f in OMRI_PHRASES],
]


def example(system: str, feature: str, values: tuple[str, ...], phrases: Phrases, report: Report,
            value: str, i: int, seed: int) -> Example:
    """One report whose `feature` is `value` (or not described), seeded on its own."""
    rng = random.Random(f"{seed}:{system}:{feature}:{value}:{i}")
    style = None if value == NOT_DESCRIBED else LEXICON if i % 3 == 0 else PLAIN  # two in three are paraphrases
    phrase = rng.choice(phrases[value][0] if style == LEXICON else phrases[value][1]) if style else None
    text, lesion, anchor = report(rng, phrase)
    text = re.sub(r"\b([Aa]) (?=(?:8|11|18)(?!\d))", r"\1n ", text)  # "an 18 mm", "an 8.1 cm"
    evidence = phrase or anchor
    if rng.random() < 0.5:
        text, evidence = american(text), american(evidence)
    if evidence not in text:
        raise AssertionError(f"{system} {feature}: evidence not verbatim ({evidence!r})")
    return {"task": TASK_NAME, "input": text, "output": {"value": value, "evidence": evidence},
            "question": {"system": system, "feature": feature, "values": list(values), "lesion": lesion},
            "style": style or "not described",
            "group": f"features:{system}:{feature}:{seed}:{value}:{i}", "source": SOURCE}


def build(n_per_value: int = 30, seed: int = 0) -> Iterator[Example]:
    """`n_per_value` reports for every value of every feature, and as many with it not described."""
    for system, feature, values, phrases, report in SPECS:
        assert set(phrases) == set(values), f"{system} {feature}: phrases for {sorted(set(values) ^ set(phrases))}"
        for value in (*values, NOT_DESCRIBED):
            for i in range(n_per_value):
                yield example(system, feature, values, phrases, report, value, i, seed)
