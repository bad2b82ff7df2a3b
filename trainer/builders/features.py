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
       "localised": "localized", "millimetre": "millimeter",
       "millimetres": "millimeters", "centimetre": "centimeter", "greyscale": "grayscale", "coloured": "colored",
       "behaviour": "behavior", "levelling": "leveling", "amenorrhoeic": "amenorrheic"}
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
                                                "containing only clear fluid",
                                                "fluid-filled throughout",
                                                "consisting almost entirely of fluid with only a wisp of tissue",
                                                "a thin-walled sac of fluid",
                                                "entirely fluid, with an imperceptible wall",
                                                "essentially a pocket of fluid, with no tissue portion",
                                                "which appears to hold nothing but fluid",
                                                "with fluid making up virtually all of its volume",
                                                "seen as a collection of fluid with a hairline wall"]),
        "spongiform": (["spongiform"],
                       ["made of innumerable tiny fluid spaces like a sponge",
                        "composed of many small microcystic spaces filling most of its volume",
                        "with a honeycomb of minute fluid pockets throughout",
                        "sponge-like, made up of many minute fluid spaces",
                        "with aggregated tiny fluid bubbles occupying more than half of its volume",
                        "resembling a honeycomb of small fluid pockets separated by thin septa",
                        "made up mostly of clustered pinhead-sized fluid spaces",
                        "composed of innumerable tiny fluid locules with thin walls between them",
                        "looking like a sponge, with countless small fluid spaces",
                        "with over half of its volume made of tiny bubble-like fluid spaces",
                        "with a sponge-like microcystic architecture filling most of it"]),
        "mixed cystic and solid": (["mixed cystic and solid", "partly cystic", "solid with cystic components"],
                                   ["containing both fluid-filled areas and soft tissue",
                                    "part fluid and part soft tissue",
                                    "with a soft tissue portion and a fluid-filled portion of similar size",
                                    "roughly half fluid and half soft tissue",
                                    "with a fluid pocket taking up about a third of its volume, the rest being tissue",
                                    "made of soft tissue with a few sizeable fluid spaces within it",
                                    "with a tissue nodule projecting into a fluid-filled space",
                                    "predominantly tissue with a substantial fluid-filled area",
                                    "predominantly fluid with an eccentric tissue portion along one wall",
                                    "partly fluid-filled and partly fleshy",
                                    "with a few larger fluid spaces set within soft tissue"]),
        "solid or almost completely solid": (["solid", "almost completely solid", "entirely solid"],
                                             ["composed entirely of tissue with no fluid spaces",
                                              "made of soft tissue throughout without fluid pockets",
                                              "without any fluid-filled areas",
                                              "made of tissue throughout",
                                              "entirely fleshy, with no fluid spaces",
                                              "composed of soft tissue with at most a tiny fluid space",
                                              "consisting wholly of soft tissue",
                                              "all soft tissue, without a fluid portion",
                                              "soft tissue from edge to edge",
                                              "formed entirely of tissue, no fluid being seen within it",
                                              "wholly tissue apart from a pinpoint fluid space"]),
    },
    "echogenicity": {
        "anechoic": (["anechoic"], ["completely black on ultrasound without internal echoes",
                                    "echo-free throughout", "entirely dark with no internal echoes at all",
                                    "returning no internal echoes",
                                    "black throughout on greyscale imaging",
                                    "devoid of echoes",
                                    "as black as the lumen of the nearby carotid artery",
                                    "uniformly black, like the blood in a vessel",
                                    "showing no echoes inside it at all",
                                    "with a completely dark, echo-free interior",
                                    "appearing entirely black on ultrasound"]),
        "hyperechoic": (["hyperechoic", "mildly hyperechoic"],
                        ["brighter than the surrounding thyroid tissue", "more echogenic than the adjacent parenchyma",
                         "a little brighter than the background thyroid",
                         "whiter than the surrounding thyroid on greyscale",
                         "more reflective than the rest of the gland",
                         "of higher echogenicity than the background thyroid",
                         "standing out as brighter than the normal parenchyma around it",
                         "returning stronger echoes than the adjacent thyroid",
                         "appearing brighter than the thyroid tissue next to it",
                         "echo-bright compared with the neighbouring gland",
                         "lighter than the background gland on ultrasound"]),
        "isoechoic": (["isoechoic"],
                      ["of the same brightness as the normal gland", "similar in echogenicity to the background thyroid",
                       "blending in with the surrounding gland in brightness",
                       "matching the surrounding thyroid in brightness",
                       "of the same echo strength as the adjacent parenchyma",
                       "indistinguishable in brightness from the normal gland",
                       "neither brighter nor darker than the background thyroid",
                       "equal in echogenicity to the thyroid around it",
                       "as bright as the rest of the gland",
                       "of much the same greyscale brightness as the normal thyroid",
                       "with the same echo brightness as the adjacent gland"]),
        "hypoechoic": (["hypoechoic", "mildly hypoechoic"],
                       ["darker than the surrounding gland", "lower in echogenicity than the adjacent parenchyma",
                        "less echogenic than the normal thyroid tissue", "a little darker than the background thyroid",
                        "less bright than the thyroid around it",
                        "a shade darker than the adjacent thyroid but brighter than the strap muscles",
                        "of lower echogenicity than normal thyroid, though not as dark as muscle",
                        "darker than the gland yet lighter than the overlying strap muscles",
                        "returning weaker echoes than the background thyroid",
                        "appearing darker than the neighbouring thyroid tissue",
                        "slightly darker than the rest of the gland"]),
        "very hypoechoic": (["markedly hypoechoic", "very hypoechoic"],
                            ["darker even than the adjacent strap muscles",
                             "as dark as or darker than the overlying strap muscles",
                             "much darker than the thyroid and darker than the strap muscles",
                             "blacker than the strap muscles",
                             "darker than the overlying neck muscles",
                             "lower in echogenicity than the adjacent strap muscles",
                             "even less echogenic than the strap muscles",
                             "darker than the sternothyroid muscle in front of it",
                             "so dark that it falls below the strap muscles in brightness",
                             "appearing darker than the strap musculature",
                             "returning fewer echoes than the strap muscles overlying the gland"]),
    },
    "shape": {
        "wider-than-tall": (["wider-than-tall", "wider than tall"],
                            ["its transverse width exceeding its anteroposterior depth",
                             "broader side to side than front to back on transverse images",
                             "with the anteroposterior dimension smaller than the transverse dimension",
                             "longer side to side than front to back on transverse imaging",
                             "with an anteroposterior-to-transverse ratio below one",
                             "broader than it is deep",
                             "lying with its long axis along the skin surface",
                             "measuring more across than in depth on the transverse view",
                             "flat in orientation, shallower than it is broad",
                             "its depth less than its width on transverse images",
                             "oval, with the long axis running across the neck rather than into it"]),
        "taller-than-wide": (["taller-than-wide", "taller than wide"],
                             ["its anteroposterior depth exceeding its transverse width",
                              "deeper front to back than it is broad on transverse images",
                              "with the height greater than the width in the transverse plane",
                              "deeper than it is broad on transverse imaging",
                              "with an anteroposterior-to-transverse ratio greater than one",
                              "with its long axis perpendicular to the skin on transverse images",
                              "measuring more front to back than side to side on the transverse view",
                              "more tall than broad on transverse images",
                              "its depth exceeding its width on transverse imaging",
                              "with an AP dimension greater than its transverse dimension",
                              "oriented front to back, its depth greater than its width"]),
    },
    "margin": {
        "smooth": (["smooth margins", "well-defined margins", "well circumscribed"],
                   ["with a crisp, even outline", "with an even, sharply drawn edge all around",
                    "clearly separated from the gland by a fine even line",
                    "with a clean, sharp edge all around",
                    "neatly outlined by a continuous, even edge",
                    "sharply demarcated from the adjacent thyroid",
                    "with a crisp, unbroken curved border",
                    "its edge even and clearly seen all the way round",
                    "with an edge that is sharp and rounded throughout",
                    "with a neat, curving outline and no bumps",
                    "cleanly separated from the gland around it by a sharp edge"]),
        "ill-defined": (["ill-defined margins", "poorly defined margins"],
                        ["its edges blending imperceptibly into the surrounding thyroid",
                         "with edges that are hard to tell apart from the normal gland",
                         "fading into the adjacent parenchyma without a clear edge",
                         "with a hazy edge that is difficult to trace",
                         "its boundary with the gland hard to make out",
                         "with fuzzy borders",
                         "merging gradually into the normal thyroid",
                         "with an edge that cannot be followed all the way round",
                         "with a vague outline that is hard to see against the gland",
                         "whose edge is hard to separate from the adjacent tissue",
                         "with edges that seem to dissolve into the background thyroid"]),
        "lobulated or irregular": (["lobulated margins", "irregular margins", "spiculated margins"],
                                   ["with small rounded bulges along its outline",
                                    "with finger-like protrusions into the surrounding tissue",
                                    "with a bumpy outline showing several knob-like protrusions",
                                    "with a knobbly outline",
                                    "with spiky extensions into the adjacent gland",
                                    "with a scalloped, bumpy contour",
                                    "with a saw-toothed edge",
                                    "its edge sending short spikes into the surrounding parenchyma",
                                    "with a contour made up of several small rounded humps",
                                    "with sharp angles along its border",
                                    "with tentacle-like strands reaching into the thyroid around it"]),
        "extrathyroidal extension": (["extrathyroidal extension"],
                                     ["bulging through the thyroid capsule into the adjacent strap muscle",
                                      "growing out of the gland into the surrounding soft tissues",
                                      "crossing the outer surface of the gland into the perithyroidal fat",
                                      "growing into the overlying strap muscles",
                                      "with frank invasion of the adjacent strap muscle",
                                      "breaking out of the thyroid into the soft tissues of the neck",
                                      "growing through the gland's capsule into the surrounding muscle",
                                      "spreading out of the thyroid to involve the sternothyroid muscle",
                                      "with tumour tissue extending outside the gland into the strap muscles",
                                      "growing out of the thyroid into the wall of the trachea",
                                      "infiltrating the neck muscles in front of the gland"]),
    },
    "echogenic foci": {
        "none": (["no echogenic foci", "no calcifications"],
                 ["with nothing bright inside it", "without any bright specks within it",
                  "with a uniform interior free of bright dots",
                  "with no bright spots or shadowing within it",
                  "its interior clear of any bright reflectors",
                  "containing no bright specks of any size",
                  "with a clean interior, no bright dots being seen",
                  "without bright flecks or acoustic shadows",
                  "showing nothing echo-bright inside",
                  "with an interior devoid of bright dots",
                  "lacking any internal bright reflectors"]),
        "large comet-tail artefacts": (["large comet-tail artefacts", "comet-tail artefacts"],
                                       ["with bright reflectors trailing a tapering ring-down artefact",
                                        "with bright dots each followed by a reverberation tail typical of colloid",
                                        "with bright specks that each trail a tapering V-shaped echo",
                                        "with reverberation tails longer than a millimetre behind bright dots",
                                        "with bright colloid reflectors casting tapering ring-down tails",
                                        "with several bright foci trailing triangular reverberation echoes",
                                        "with the ring-down tails typical of inspissated colloid",
                                        "with tapering triangular echo tails behind its bright spots",
                                        "with reverberation artefacts trailing from bright specks, in keeping with colloid",
                                        "with bright reflectors followed by a fading V-shaped trail of echoes",
                                        "with colloid crystals producing large reverberation tails"]),
        "macrocalcification": (["macrocalcifications", "coarse calcifications"],
                               ["with a large chunk of calcium casting an acoustic shadow",
                                "with a big dense calcific focus that blocks the sound beam",
                                "with a bulky calcium deposit behind which the beam is lost",
                                "with a big calcific focus throwing a dense acoustic shadow",
                                "containing a chunk of calcium with posterior acoustic shadowing",
                                "with a dense calcium deposit that shadows strongly",
                                "with a bright calcific lump large enough to cast a shadow",
                                "with a coarse bright lump that blocks the beam behind it",
                                "with a shadowing calcific focus several millimetres across",
                                "with a bulky calcific deposit and a dark shadow deep to it",
                                "with a large calcific focus showing posterior shadowing"]),
        "peripheral (rim) calcification": (["peripheral rim calcification", "eggshell calcification"],
                                           ["with a calcified shell around its edge",
                                            "with a thin curve of calcium lining its periphery",
                                            "with calcium outlining its border like a shell",
                                            "with an arc of calcium along part of its edge",
                                            "ringed by a thin shell of calcium",
                                            "with a curved calcific line running around its margin",
                                            "encased in a partial shell of calcium",
                                            "with calcium outlining part of its circumference",
                                            "with a crescent of calcium at its border",
                                            "with a bright curved calcific band hugging its periphery",
                                            "wrapped in an eggshell-like layer of calcium"]),
        "punctate echogenic foci": (["punctate echogenic foci", "microcalcifications"],
                                    ["with tiny pinpoint bright dots without shadowing",
                                     "with multiple minute bright specks smaller than a millimetre",
                                     "with scattered pinpoint bright spots too small to shadow",
                                     "with tiny non-shadowing bright dots scattered through it",
                                     "sprinkled with minute bright specks",
                                     "with pinpoint bright flecks that cast no shadow",
                                     "with multiple sub-millimetre bright dots without acoustic shadowing",
                                     "speckled with tiny bright points",
                                     "with dot-like bright reflectors, each under a millimetre across",
                                     "with a scattering of tiny bright dots, too small to cast a shadow",
                                     "peppered with minute echo-bright dots"]),
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
        return text, ti_rads.lesion_label(desc), anchor  # the splitter's own label: a pole when one is named
    return report


# ---------------------------------------------------------------- LI-RADS v2018 CT/MRI

LI_PHRASES: dict[str, Phrases] = {
    "nonrim arterial phase hyperenhancement": {
        "present": (["with nonrim arterial phase hyperenhancement", "which hyperenhances in the late arterial phase"],
                    ["becoming brighter than the surrounding liver on the late arterial images",
                     "lighting up uniformly in the arterial phase",
                     "brighter than the background liver on the arterial phase images",
                     "hyperdense to the background liver on the late arterial phase",
                     "uniformly hyperattenuating in the arterial phase",
                     "hyperintense to liver throughout on the late arterial images",
                     "flushing brightly and evenly on the late arterial images",
                     "showing avid uptake of contrast across the whole lesion in the arterial phase",
                     "whiter than the surrounding liver on the arterial phase",
                     "lighting up as a whole, not just at the edge, in the arterial phase",
                     "conspicuously brighter than the liver in the arterial phase"]),
        "absent": (["with no arterial phase hyperenhancement", "hypoenhancing on the arterial phase"],
                   ["staying darker than the liver on the arterial images",
                    "not brightening in the arterial phase",
                    "no brighter than the background liver on the arterial images",
                    "hypodense to the liver on the arterial phase",
                    "isodense to the background liver in the arterial phase",
                    "appearing hypointense to liver on the late arterial images",
                    "showing no arterial-phase brightening",
                    "indistinguishable from the liver on the arterial images",
                    "of the same brightness as the liver in the arterial phase",
                    "without any early arterial uptake of contrast",
                    "no more conspicuous than the liver on the arterial images"]),
    },
    "nonperipheral washout": {
        "present": (["with nonperipheral washout", "washing out on the portal venous phase"],
                    ["becoming darker than the surrounding liver on the portal venous phase",
                     "fading to below the background liver on the delayed images",
                     "turning darker than the adjacent liver on later phases",
                     "hypodense to the liver on the portal venous phase",
                     "losing its brightness to become darker than the liver on later phases",
                     "dropping below the liver in brightness by the delayed images",
                     "hypointense relative to the liver on the portal venous phase",
                     "fading out to look darker than the surrounding parenchyma on the venous images",
                     "becoming hypodense to background liver by the delayed phase",
                     "clearing contrast faster than the liver, so that it is darker on the delayed images",
                     "the whole of it turning darker than the liver on the delayed phase"]),
        "absent": (["with no washout", "without washout"],
                   ["remaining as bright as the liver on the portal venous and delayed phases",
                    "not fading relative to the liver on later phases",
                    "staying similar to the background liver on the delayed images",
                    "isodense to the liver on the portal venous and delayed phases",
                    "still brighter than the liver on the delayed images",
                    "holding its contrast on later phases, never darker than the liver",
                    "keeping pace with the liver on the portal venous phase",
                    "not dropping below the background liver on any later phase",
                    "indistinguishable from the liver on the delayed images",
                    "with no fall-off in brightness relative to the liver on later phases",
                    "retaining its brightness through the portal venous and delayed phases"]),
    },
    "enhancing capsule": {
        "present": (["with an enhancing capsule", "with capsular enhancement"],
                    ["with a smooth bright ring around it on the portal venous images",
                     "surrounded by a thin smooth border that brightens on the delayed images",
                     "outlined by a smooth band that brightens on later phases",
                     "ringed by a thin, smooth bright border on the delayed phase",
                     "encircled by a smooth bright band on the transitional phase",
                     "with a thin bright rind around its edge on the delayed images",
                     "outlined by a smooth, bright perimeter on later phases",
                     "wrapped in a thin bright border that shows on the portal venous images",
                     "with a sharp bright margin around most of its circumference on portal venous images",
                     "with a smooth hyperdense ring around it on the delayed phase",
                     "framed by a smooth, bright line on the portal venous and delayed images"]),
        "absent": (["with no capsule", "without an enhancing capsule"],
                   ["with no surrounding bright border on later phases",
                    "without any smooth bright band around it on the delayed images",
                    "lacking a bright border on the portal venous and delayed images",
                    "unencapsulated on the delayed images",
                    "its edge meeting the liver directly without any bright band",
                    "with no ring around it on later phases",
                    "showing no bright perimeter on the transitional or delayed phase",
                    "without a surrounding bright ring on the portal venous images",
                    "its margin showing no bright line on later images",
                    "not outlined by any bright band on the delayed phase",
                    "bordered by nothing brighter than the liver on later phases"]),
    },
    "treatment response": {
        "viable tissue": (["with residual viable tumour at the margin", "with nodular arterial phase hyperenhancement at its edge"],
                          ["with a small bump of tissue at its edge that brightens early and fades later",
                           "with a crescent of tissue along its margin that lights up on the arterial images and fades on the portal venous phase",
                           "with a thick, irregular cuff of tissue at its edge that brightens on the arterial phase",
                           "with a small hypervascular nodule along its margin",
                           "with a mass-like area at its edge that lights up in the arterial phase and fades later",
                           "with a nodular focus at its margin, hyperdense on arterial and hypodense on delayed images",
                           "with tissue along its margin that brightens and fades just as the tumour did before",
                           "with a knob of tissue at its edge that is brighter than the liver on arterial images",
                           "with a fresh nodule of arterially bright tissue at its margin",
                           "with nodular arterial brightening at one edge that turns dark on the delayed phase",
                           "with a thick band of tissue along one side, bright early and dark later"]),
        "equivocal enhancement": (["with equivocal enhancement", "with atypical enhancement along the margin"],
                                  ["with faint brightening along its edge that is neither clearly expected post-procedure change nor clearly tumour",
                                   "with some brightening at the margin that cannot be called either expected change or tumour",
                                   "with a faint smudge of brightening at its edge that is hard to call either way",
                                   "with hazy brightening at its margin that fits neither expected change nor tumour",
                                   "with marginal brightening of uncertain significance",
                                   "with some brightening at its margin whose nature is uncertain",
                                   "with patchy brightening along one edge that could be either treatment effect or tumour",
                                   "with a faint, indeterminate blush along part of its rim",
                                   "with questionable brightening at the margin, too subtle to call tumour",
                                   "with borderline brightening at one edge, unclear whether tumour or post-treatment change",
                                   "with an unusual blush at its edge that is hard to classify"]),
        "no viable tissue": (["with no residual enhancement", "non-enhancing", "with no viable tissue"],
                             ["showing no internal brightening on any phase",
                              "uniformly dark after contrast with only a thin even halo around it",
                              "without any brightening inside it after contrast",
                              "dark on every post-contrast phase",
                              "with no brightening anywhere in it after contrast",
                              "showing no uptake of contrast within the treated area",
                              "with only a thin, even halo of brightening around the treated area",
                              "a uniformly dark defect with nothing brightening inside or at its edge",
                              "entirely devoid of contrast uptake",
                              "with no part of it brightening on the arterial, portal venous or delayed phases",
                              "completely dark after contrast apart from a thin even rim of expected change"]),
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
               "homogeneously opaque throughout", "as dense as the adjacent vessels throughout",
               "dense throughout and completely hiding the vessels that run through it",
               "with a mean attenuation of about 35 HU",
               "fully opaque, with no hazy portion",
               "as dense as muscle throughout",
               "uniformly opaque on lung windows",
               "completely blotting out the lung markings behind it",
               "visible as dense tissue on mediastinal windows as well as lung windows",
               "opaque from edge to edge with no haze"]),
    "part-solid": (["part-solid", "of mixed ground-glass and solid attenuation", "semi-solid"],
                   ["hazy with a denser central core", "mostly hazy with a small dense centre",
                    "a faint opacity containing a more opaque nodular portion",
                    "a hazy opacity with a dense core",
                    "with a dense nodular centre surrounded by a hazy halo",
                    "made of faint haze around a more opaque central portion",
                    "partly hazy and partly dense",
                    "with a denser portion inside an otherwise hazy nodule",
                    "hazy at its edges with an opaque centre that hides the vessels",
                    "a hazy nodule containing a dense focus that obscures the underlying vessels",
                    "with a hazy part through which vessels show and a dense part that hides them"]),
    "ground-glass": (["ground-glass", "non-solid", "of pure ground-glass attenuation"],
                     ["faint and hazy with the vessels still visible through it",
                      "a subtle area of increased density that does not obscure the underlying vessels",
                      "hazy and translucent throughout",
                      "a faint veil of increased attenuation that preserves the vessel margins",
                      "subtly hazy, with the vessels clearly visible through it",
                      "of hazy increased density without any dense portion",
                      "a soft haze through which the bronchial walls and vessels can still be seen",
                      "faint, like a smudge of haze on the lung",
                      "visible on lung windows only, disappearing on mediastinal windows",
                      "entirely hazy, with no opaque part",
                      "a veil-like haze that does not hide the underlying lung markings"]),
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
                            ["in the outer posterior gland", "in the posterior outer part of the gland near the capsule",
                             "in the outer gland posteriorly",
                             "in the posterior part of the gland just inside the capsule",
                             "in the normally T2-bright outer gland",
                             "in the outer gland facing the rectum",
                             "outside the surgical capsule in the posterior gland",
                             "in the outer rim of glandular tissue at the back of the prostate",
                             "in the bright outer tissue that wraps around the back of the gland",
                             "in the posterior outer gland, behind the surgical capsule",
                             "in the outer glandular tissue posteriorly, away from the enlarged inner gland"]),
        "transition zone": (["in the transition zone", "in the anterior transition zone"],
                            ["within the enlarged inner gland among the hyperplastic nodules",
                             "in the inner gland surrounding the urethra",
                             "among the adenomatous nodules of the enlarged inner gland",
                             "in the hyperplastic inner gland surrounding the proximal urethra",
                             "within the adenoma",
                             "in the hyperplastic inner gland, inside the surgical capsule",
                             "in the BPH-enlarged inner gland anterior to the urethra",
                             "within the nodular, hyperplastic inner gland",
                             "in the inner gland amid the hyperplastic nodules",
                             "inside the surgical capsule among the BPH nodules",
                             "in the enlarged periurethral inner gland"]),
    },
    _PI["t2"]: {
        "completely encapsulated (typical) nodule": (["a completely encapsulated nodule", "a typical BPH nodule"],
                                                     ["a round nodule fully surrounded by a thin dark rim",
                                                      "a round nodule ringed all the way around by a dark band",
                                                      "a well-rounded nodule with a complete dark ring around it",
                                                      "an oval nodule walled off all the way round by a thin dark band",
                                                      "a round nodule with an unbroken dark rim",
                                                      "a sharply outlined round nodule whose thin dark rim is complete",
                                                      "a typical-looking hyperplastic nodule fully ringed by a dark capsule",
                                                      "a round nodule enclosed on all sides by a thin low-signal rim",
                                                      "a ball-like nodule with a continuous dark rim",
                                                      "a round nodule completely encircled by a thin dark line",
                                                      "a round BPH nodule outlined by a complete thin dark rim"]),
        "mostly encapsulated or circumscribed nodule without a capsule, or mildly hypointense area":
            (["a mostly encapsulated nodule", "a mildly hypointense area between nodules"],
             ["a round, sharply marginated nodule whose dark rim is incomplete",
              "a sharply outlined nodule lacking a surrounding dark rim",
              "a round nodule with a dark rim that is broken over a short stretch",
              "a slightly hypointense, uniform area lying between nodules",
              "a sharply marginated round nodule with no dark rim around it",
              "a round nodule, mostly ringed by a dark band but open along one side",
              "a faintly dark, even-toned area squeezed between nodules",
              "a rounded nodule with a crisp edge but only a partial dark rim",
              "a well-marginated round nodule without a surrounding dark rim",
              "a slightly dark, uniform band of tissue between two adenomatous nodules",
              "a round nodule with an incomplete dark capsule"]),
        "heterogeneous signal with obscured margins": (["heterogeneous signal with obscured margins"],
                                                       ["of mixed signal with edges that cannot be separated from the surrounding nodules",
                                                        "patchy in signal with edges lost among the neighbouring nodules",
                                                        "of mottled signal with borders that merge with the neighbouring nodules",
                                                        "patchy and uneven in signal, its edges lost among the surrounding adenoma",
                                                        "mixed dark and bright on T2 with margins that cannot be traced",
                                                        "blotchy on T2 with an outline hidden by the adjacent nodules",
                                                        "a patchy area whose edges blur into the surrounding hyperplastic tissue",
                                                        "of variegated signal with edges hard to separate from nearby nodules",
                                                        "inhomogeneous on T2, with borders obscured by the surrounding nodules",
                                                        "of uneven T2 signal, blending into the adjacent nodules without a definable edge",
                                                        "mottled and indistinct among the surrounding adenoma"]),
        "lenticular or non-circumscribed, homogeneous, moderately hypointense":
            (["lenticular, homogeneous and moderately hypointense", "an erased charcoal appearance"],
             ["lens-shaped, uniformly dark on T2 with smudged borders",
              "a uniformly dark, lens-shaped area without a clear edge on T2",
              "lens-shaped and evenly dark on T2",
              "a uniform, moderately dark, lens-shaped area",
              "evenly dark on T2 like smudged charcoal, without a clear edge",
              "a flat, lens-like region of uniform dark signal",
              "uniformly dark on T2 with a smudged, poorly marginated edge",
              "a homogeneous dark smudge on T2 without a capsule",
              "a uniformly dark, ill-marginated lentiform area",
              "shaped like a lens, of uniform moderate darkness on T2",
              "of even, moderately low T2 signal in a lens-shaped area with no definable margin"]),
    },
    _PI["dwi"]: {
        "no abnormality on ADC or high b-value": (["with no abnormality on ADC or high b-value images"],
                                                  ["with nothing dark on the ADC map and nothing bright on the high b-value images",
                                                   "looking like the normal gland on the diffusion images",
                                                   "indistinguishable from the normal gland on the ADC map and high b-value images",
                                                   "invisible on the diffusion images",
                                                   "with ADC and high b-value signal the same as the surrounding normal tissue",
                                                   "unremarkable on diffusion, with normal ADC and no bright spot at high b-value",
                                                   "showing normal ADC and normal signal at high b-value",
                                                   "appearing normal on ADC and at high b-value",
                                                   "with nothing to see on the diffusion images",
                                                   "matching the normal gland on both the ADC map and the b1400 images",
                                                   "with a normal appearance on the diffusion sequence"]),
        "linear or wedge-shaped": (["linear on ADC", "wedge-shaped on ADC"],
                                   ["a thin streak of reduced ADC", "a triangular band of reduced ADC tapering toward the capsule",
                                    "a thin stripe of low ADC without a focal component",
                                    "a triangular area of low ADC with its base at the capsule",
                                    "a narrow streak that is dark on the ADC map",
                                    "a thin line of reduced diffusivity",
                                    "a triangle of low ADC pointing toward the urethra",
                                    "a streak-shaped area of mildly reduced ADC",
                                    "a strand-like, non-focal area dark on the ADC map",
                                    "a sliver of low ADC tapering toward the capsule",
                                    "a thin, straight line of diffusion abnormality rather than a focus"]),
        "focal, mildly or moderately hypointense on ADC": (["focal, mildly hypointense on ADC", "with mild diffusion restriction"],
                                                           ["a focal area somewhat darker on the ADC map without a matching bright spot at high b-value",
                                                            "a little darker than the surrounding gland on the ADC map",
                                                            "a focal spot slightly dark on the ADC map and only a little bright at high b-value",
                                                            "a discrete focus of modestly reduced ADC",
                                                            "a focal area a little darker than the gland on ADC, barely brighter at high b-value",
                                                            "a small focal area of somewhat low ADC, only faintly bright at high b-value",
                                                            "a focal patch of moderately reduced ADC with little change at high b-value",
                                                            "a focal, moderately dark area on ADC that is isointense at high b-value",
                                                            "a discrete spot of slightly reduced diffusivity",
                                                            "a focal area faintly dark on the ADC map with no clear high b-value correlate",
                                                            "a focal area of ADC a little below the surrounding gland"]),
        "focal, markedly hypointense on ADC and markedly hyperintense on high b-value":
            (["markedly hypointense on ADC and markedly hyperintense on high b-value", "with marked diffusion restriction"],
             ["very dark on the ADC map and very bright on the high b-value images",
              "intensely dark on ADC with a matching intensely bright spot at high b-value",
              "strikingly dark on the ADC map and glowing on the high b-value images",
              "a focus of profoundly reduced ADC that lights up brightly at high b-value",
              "black on the ADC map and white on the b1400 images",
              "intensely low on ADC and intensely high on high b-value imaging",
              "far darker than the gland on ADC, with a matching very bright spot at high b-value",
              "much darker than the rest of the gland on ADC and much brighter at high b-value",
              "dark on ADC and bright at high b-value, both to a striking degree",
              "conspicuously dark on the ADC map with an equally conspicuous bright high b-value focus",
              "a focus with strongly reduced ADC and strongly raised high b-value signal"]),
    },
    _PI["dce"]: {
        "positive": (["with focal early enhancement", "DCE positive"],
                     ["lighting up quickly after contrast ahead of the surrounding tissue",
                      "taking up contrast sooner than the adjacent normal tissue",
                      "with a focal blush on the first post-contrast images",
                      "focally hyperenhancing ahead of the background gland",
                      "showing focal contrast uptake before the normal tissue around it",
                      "enhancing focally and quickly, matching the diffusion abnormality",
                      "lighting up focally within seconds of the contrast injection",
                      "brightening focally on the earliest dynamic images, sooner than the surrounding gland",
                      "with rapid focal contrast wash-in corresponding to the lesion",
                      "with focal uptake of contrast at the same time as or before the adjacent normal tissue",
                      "showing a quick, focal flush of contrast that matches the lesion on T2 and diffusion"]),
        "negative": (["with no early enhancement", "DCE negative"],
                     ["not taking up contrast any sooner than the adjacent gland",
                      "enhancing diffusely along with the rest of the gland",
                      "with contrast uptake that lags behind the surrounding tissue",
                      "showing only the same gradual uptake as the rest of the gland",
                      "not standing out from the gland on the dynamic series",
                      "with no focal blush on the dynamic images",
                      "taking up contrast no faster than the neighbouring gland",
                      "enhancing only diffusely, in step with the rest of the gland",
                      "with unremarkable dynamic contrast behaviour",
                      "showing no focal early uptake on the dynamic series",
                      "with only slow, patchy uptake that does not correspond to the lesion"]),
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
                                                    "the dark line of the wall muscle under its base running unbroken",
                                                    "the dark muscle layer beneath it unbroken all along its base",
                                                    "sitting on a clean, unbroken dark line of detrusor",
                                                    "with the low-signal muscle under it running straight and unbroken",
                                                    "confined to the inner surface, the dark muscle beneath it untouched",
                                                    "the wall muscle under its base keeping its dark, unbroken line",
                                                    "with the dark muscle line under it clearly undisturbed",
                                                    "stopping short of the dark muscle layer, which runs unbroken beneath it",
                                                    "leaving the dark muscle stripe beneath it whole",
                                                    "with a sharp, unbroken dark muscle line deep to its base"]),
        "no clear disruption, invasion equivocal": (["with no clear disruption of the muscularis propria", "muscle invasion cannot be excluded"],
                                                    ["it being uncertain whether it reaches into the dark muscle line, which is hard to follow under its base",
                                                     "the dark muscle line under its base being blurred but not clearly broken",
                                                     "its base abutting the dark muscle line, which is too hazy to judge",
                                                     "possibly just touching the dark muscle layer, though a break cannot be confirmed",
                                                     "the dark muscle line under it blurred over a short stretch, so muscle spread is uncertain",
                                                     "with loss of clarity of the dark muscle line beneath it but no definite break",
                                                     "with the dark muscle line hard to follow under its base, spread into it uncertain",
                                                     "the underlying dark muscle being indistinct, so early involvement is hard to judge",
                                                     "possibly reaching the dark muscle layer, which cannot be followed clearly beneath it",
                                                     "its relation to the dark muscle line unclear on these images",
                                                     "with a hazy base where the dark muscle line may or may not be broken"]),
        "interrupted (tumour extends into the muscle)": (["with interruption of the low-signal muscularis propria", "invading the detrusor muscle"],
                                                         ["the dark muscle line being broken where it grows into the wall muscle",
                                                          "growing down into the dark muscle layer, which is broken at its base",
                                                          "its base eating into the dark muscle layer, which is broken",
                                                          "with tumour signal replacing a segment of the dark muscle line",
                                                          "growing into the bladder muscle, leaving a gap in the dark line beneath it",
                                                          "breaking the dark muscle line but staying within the bladder wall",
                                                          "with the dark muscle stripe under it broken by tumour",
                                                          "reaching into the dark wall muscle, whose line is cut through",
                                                          "growing down into the deep muscle, its dark line broken",
                                                          "the dark muscle band beneath it broken over a short length",
                                                          "with the dark line of the wall muscle broken where the tumour grows into it"]),
        "tumour extends through the wall into the extravesical fat": (["with extravesical extension", "extending through the bladder wall into the perivesical fat"],
                                                                      ["with tumour tissue seen outside the bladder in the surrounding fat",
                                                                       "crossing the outer edge of the bladder and reaching the pelvic fat",
                                                                       "with tumour tissue reaching out into the fat around the bladder",
                                                                       "breaking out of the bladder into the surrounding fat",
                                                                       "spreading past the outer surface of the bladder into the fat",
                                                                       "with tumour signal in the fat outside the bladder",
                                                                       "growing out beyond the serosa into the pelvic fat",
                                                                       "with a tongue of tumour pushing through the outer wall into the surrounding fat",
                                                                       "with tumour crossing the whole thickness of the wall into the fat",
                                                                       "with the fat next to it infiltrated by tumour",
                                                                       "extending into the fat surrounding the bladder"]),
    },
    "morphology": {
        "exophytic / stalked": (["pedunculated", "exophytic, on a stalk"],
                                ["hanging into the lumen from a narrow neck", "attached to the wall by a slender pedicle",
                                 "projecting into the lumen on a slender base",
                                 "mushrooming into the lumen from a thin attachment",
                                 "on a narrow pedicle",
                                 "tethered to the wall by a thin neck",
                                 "polypoid, joined to the wall only by a narrow neck",
                                 "growing out into the lumen from a narrow base",
                                 "hanging from the wall on a thin stem",
                                 "projecting into the bladder like a mushroom on a slim neck",
                                 "a pedicled polyp projecting into the lumen"]),
        "sessile / broad-based": (["sessile", "broad-based"],
                                  ["attached to the wall along its whole width", "with a wide base of attachment to the wall",
                                   "spread along the wall with a wide attachment",
                                   "sitting on the wall with a base as wide as the tumour itself",
                                   "with a wide footprint on the bladder wall",
                                   "seated on a broad attachment",
                                   "with a base wider than its height",
                                   "hugging the wall with no narrow neck",
                                   "attached along its full length to the wall without a neck",
                                   "spreading along the wall rather than projecting on a neck",
                                   "low and wide, attached to the wall across its whole base"]),
    },
    "thickened inner layer": {
        "present": (["with a thickened high-signal inner layer", "with submucosal thickening"],
                    ["with the bright layer just beneath the mucosa swollen under it",
                     "with a band of swollen, bright tissue separating it from the muscle",
                     "with a bright, swollen band of submucosa beneath it",
                     "with a cushion of bright T2 tissue between its base and the muscle",
                     "with a thick bright layer under the lining beneath its base",
                     "with the lamina propria under it swollen and bright",
                     "with a bright, widened band of tissue lying between it and the dark muscle",
                     "separated from the muscle by a widened bright submucosal stripe",
                     "with an oedematous bright layer just under the mucosa at its base",
                     "with a swollen layer of high T2 signal beneath the mucosa",
                     "resting on a thick bright band that keeps it apart from the muscle"]),
        "absent": (["with no thickened inner layer"],
                   ["sitting directly on the dark muscle with no bright band in between",
                    "with nothing bright separating its base from the dark muscle",
                    "its base resting straight on the dark muscle layer",
                    "with no bright layer separating its base from the muscle",
                    "touching the dark muscle directly, without any bright cushion beneath",
                    "with its base in direct contact with the dark muscle",
                    "without any swollen bright band under it",
                    "with no high-signal stripe between it and the muscle",
                    "lying straight on the dark muscle with nothing bright in between",
                    "with the submucosa under it not thickened",
                    "abutting the muscle directly, the bright layer beneath it not widened"]),
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
                  ["confined to one short stretch of the wall", "limited to a small part of the wall, the rest being thin",
                   "confined to the fundus, the rest of the wall being normal",
                   "restricted to a short segment of the wall",
                   "affecting just one part of the wall",
                   "in a single area about a centimetre long",
                   "involving only a small patch of the wall",
                   "limited to one spot on the wall, with thin wall elsewhere",
                   "seen in one short stretch only",
                   "occupying only one section of the wall",
                   "confined to a small area in the fundus"]),
        "circumferential": (["circumferential", "diffuse"],
                            ["involving the whole wall all the way around", "extending around its full circumference",
                             "affecting every part of the wall",
                             "encircling the lumen",
                             "seen all round the gallbladder",
                             "in the fundus, body and neck alike",
                             "involving the wall on all sides",
                             "present around the whole circumference of the gallbladder",
                             "ringing the whole gallbladder",
                             "wrapping all the way round the lumen",
                             "involving the wall along its full length and all around"]),
    },
    "interface with the liver": {
        "preserved": (["with a preserved interface with the liver", "with an intact fat plane to the liver"],
                      ["with a clean bright line still separating it from the liver",
                       "with no sign of spread into the neighbouring liver",
                       "with the echogenic line between gallbladder and liver still visible",
                       "separate from the adjacent liver",
                       "stopping short of the liver",
                       "with the bright fat line to the liver unbroken",
                       "with the liver beside it looking normal",
                       "with a crisp boundary against the liver",
                       "with the neighbouring liver untouched",
                       "with the liver edge next to it sharp and undisturbed",
                       "sparing the adjacent liver"]),
        "lost (hepatic infiltration)": (["with loss of the interface with the liver", "infiltrating the adjacent liver"],
                                        ["merging with the adjacent liver with no visible boundary",
                                         "growing across into the liver next to it",
                                         "spreading into the liver substance beside the gallbladder bed",
                                         "with tumour-like tissue reaching into the adjacent liver",
                                         "with no visible line between it and the liver",
                                         "blending into the liver so that the two cannot be told apart",
                                         "breaking through into the adjacent liver",
                                         "with the bright line to the liver wiped out",
                                         "pushing into the liver with no clear boundary",
                                         "growing into the neighbouring liver parenchyma",
                                         "with the liver next to it involved by direct spread"]),
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
                    ["with no Doppler signal anywhere within it", "showing not a single colour pixel inside",
                     "completely silent on colour Doppler",
                     "showing no vessels on colour or power Doppler",
                     "with nothing lighting up inside it on Doppler",
                     "without detectable internal Doppler signal",
                     "Doppler-silent throughout",
                     "devoid of colour signal on Doppler interrogation",
                     "with no colour at all within it, even at sensitive Doppler settings",
                     "showing an entirely blank interior on colour Doppler",
                     "with colour appearing nowhere within it"]),
        "minimal flow": (["with minimal internal flow", "colour score 2"],
                         ["with only one or two tiny colour Doppler signals inside", "showing just a trace of colour signal centrally",
                          "with a single tiny colour focus within it",
                          "showing just one or two specks of colour inside",
                          "with barely any colour Doppler signal inside",
                          "with a solitary small vessel seen inside on Doppler",
                          "with only a few dots of colour on Doppler",
                          "with a faint trace of internal Doppler signal",
                          "with scarcely any internal colour signal",
                          "showing a lone tiny vessel centrally on power Doppler",
                          "with colour confined to one or two pinpoint spots"]),
        "moderate flow": (["with moderate internal flow", "colour score 3"],
                          ["with several vessels clearly shown inside it on colour Doppler",
                           "with a fair amount of colour signal within it",
                           "with a moderate number of vessels on colour Doppler",
                           "showing a fair number of internal vessels on Doppler",
                           "with a reasonable amount of colour signal, neither sparse nor abundant",
                           "with a handful of well-seen internal vessels",
                           "with colour filling part but not most of it on Doppler",
                           "with intermediate internal colour signal on Doppler",
                           "with a modest network of internal vessels on colour Doppler",
                           "showing several coloured vessels branching inside it",
                           "with more than a trace but less than abundant internal colour signal"]),
        "very strong flow": (["with very strong internal flow", "colour score 4", "hypervascular"],
                             ["filled with colour from abundant vessels on Doppler",
                              "lighting up with colour throughout on Doppler interrogation",
                              "with abundant vessels throughout on colour Doppler",
                              "lit up with colour almost everywhere on Doppler",
                              "with a dense tangle of internal vessels on colour Doppler",
                              "showing profuse internal colour signal",
                              "with colour filling most of it on Doppler",
                              "with intensely coloured internal vessels throughout",
                              "with a rich internal vascular network on Doppler",
                              "blazing with colour on Doppler interrogation",
                              "with striking internal colour signal across the whole mass"]),
    },
    "outer contour": {
        "smooth": (["with a smooth outer contour", "well-defined"],
                   ["with a neat, rounded outline", "its outline even and rounded all the way round",
                    "with a clean, even outline",
                    "with a sharp, regular edge",
                    "evenly rounded with a crisp outline",
                    "with an outline that is even all the way round",
                    "with clean, sharply drawn edges",
                    "with a neat oval outline lacking any bumps",
                    "sharply marginated and rounded",
                    "with a uniform, gently curving edge",
                    "with a tidy, even border"]),
        "irregular": (["with an irregular outer contour", "lobulated"],
                      ["with an uneven, knobbly outline", "whose edge is ragged and angular",
                       "with a bumpy, uneven border",
                       "with spiky projections from its surface",
                       "with a jagged edge",
                       "with lumpy protrusions along its surface",
                       "with an angular, uneven outline",
                       "whose outline is uneven with several bulges",
                       "with a shaggy, uneven outer edge",
                       "with a nodular, uneven surface",
                       "with a scalloped, uneven margin"]),
    },
    "number of papillary projections": {
        "1 to 3": (["two papillary projections", "a single papillary projection", "three papillary projections"],
                   ["a couple of small papillary projections", "papillary projections, two in total",
                    "papillary projections numbering no more than three",
                    "papillary projections, three at most",
                    "a pair of papillary projections",
                    "a lone papillary projection",
                    "a trio of papillary projections",
                    "papillary projections, fewer than four in all",
                    "a solitary papillary projection",
                    "papillary projections arising from the wall, two or three in number",
                    "papillary projections, only a couple of them"]),
        "4 or more": (["four papillary projections", "numerous papillary projections", "more than three papillary projections"],
                      ["papillary projections, at least five of them", "a dozen or so papillary projections",
                       "papillary projections too many to count individually",
                       "papillary projections, at least four",
                       "papillary projections carpeting much of the inner wall",
                       "a crowd of papillary projections",
                       "papillary projections, seven or eight in all",
                       "a cluster of papillary projections, well over three",
                       "papillary projections, which number more than three",
                       "papillary projections in abundance, at least half a dozen",
                       "papillary projections, a group of five or more"]),
    },
    "menopausal status": {  # a sentence of the history line, not a clause
        "premenopausal": (["Premenopausal", "Premenopausal, LMP 2 weeks ago"],
                          ["Still having regular monthly periods", "Regular menstrual cycles, last period 10 days ago",
                           "Regular periods every 28 days",
                           "Last menstrual period started a week ago",
                           "Menses regular, currently mid-cycle",
                           "Still cycling normally",
                           "Periods monthly and regular, last one two weeks ago",
                           "Menstrual cycle day 12 at the time of the scan",
                           "Has regular monthly bleeds, last period ended 5 days ago",
                           "Periods ongoing and regular",
                           "Normal menstrual cycles, last period 3 weeks ago"]),
        "postmenopausal": (["Postmenopausal", "Postmenopausal for 6 years"],
                           ["Periods stopped 7 years ago", "No menstrual bleeding since age 51",
                            "Went through menopause 4 years ago",
                            "Last menstrual period 8 years ago",
                            "Menopause at 50, now 63",
                            "No periods for the past decade",
                            "Periods ceased 5 years ago",
                            "Has not menstruated for 3 years",
                            "Amenorrhoeic for 12 years since a natural menopause",
                            "Menses stopped in her late forties, now aged 66",
                            "Final menstrual period at age 49, 10 years ago"]),
    },
}
OMRI_PHRASES: dict[str, Phrases] = {
    "time-intensity curve of the solid tissue": {
        "low risk": (["with a low-risk time-intensity curve", "showing a type 1 time-intensity curve"],
                     ["whose signal rises slowly and steadily without an early peak",
                      "with gradual, progressive uptake and no shoulder",
                      "whose signal creeps up steadily through the dynamic series with no plateau",
                      "rising gradually across the whole acquisition without levelling off",
                      "enhancing slowly and progressively, still rising at the end of the run",
                      "with a slow, steady upslope and no shoulder",
                      "showing gradual enhancement that keeps increasing throughout",
                      "with a gentle, continuous rise in signal and no early peak",
                      "with a curve that climbs slowly and never flattens out",
                      "whose enhancement builds up gradually, with no well-defined shoulder",
                      "with progressive, shallow uptake over the whole dynamic series"]),
        "intermediate risk": (["with an intermediate-risk time-intensity curve", "showing a type 2 time-intensity curve"],
                              ["with a moderate initial rise followed by a plateau",
                               "with an initial upslope less steep than the outer myometrium, then a plateau",
                               "with a modest early upslope, no steeper than the outer myometrium, then a plateau",
                               "rising moderately at first and then levelling off",
                               "with a plateau after an initial rise gentler than that of the outer myometrium",
                               "whose signal climbs less steeply than the outer myometrium and then flattens",
                               "with a moderate wash-in followed by a flat plateau",
                               "showing an initial rise slower than the outer myometrium and a sustained plateau",
                               "with an upslope below that of the outer myometrium, reaching a plateau",
                               "with a rise-and-plateau pattern, the rise less steep than the outer myometrium",
                               "with uptake rising more gently than the outer myometrium, then holding steady"]),
        "high risk": (["with a high-risk time-intensity curve", "showing a type 3 time-intensity curve"],
                      ["with an initial upslope steeper than the outer myometrium",
                       "whose signal shoots up early, faster than the outer myometrium",
                       "rising more steeply than the outer myometrium in the first seconds",
                       "whose enhancement outpaces the outer myometrium in the early phase",
                       "with an early rise steeper than the outer myometrium, then a plateau or decline",
                       "brightening faster than the outer myometrium in the first seconds after contrast",
                       "with a steep initial rise exceeding the slope of the outer myometrium",
                       "with an initial slope greater than that of the outer myometrium",
                       "taking up contrast faster than the outer myometrium at first",
                       "with a precipitous early rise, steeper than the outer myometrium",
                       "with rapid early uptake outstripping the outer myometrium"]),
    },
    "cyst fluid content": {
        "simple fluid": (["containing simple fluid"],
                         ["with contents that follow the signal of urine on every sequence",
                          "with fluid bright on T2 and dark on T1, like the bladder contents",
                          "with water-like contents, dark on T1 and bright on T2",
                          "whose fluid matches the urine in the bladder on T1 and T2",
                          "containing clear, watery fluid",
                          "with CSF-like signal on every sequence",
                          "with fluid of low T1 and high T2 signal that does not enhance",
                          "filled with thin fluid behaving like urine on all sequences",
                          "with homogeneous water signal throughout",
                          "with contents as dark on T1 as urine and as bright on T2",
                          "with non-enhancing watery fluid"]),
        "endometriotic (T2 shading)": (["with T2 shading", "with endometriotic contents"],
                                       ["with fluid very bright on T1 that loses signal in a layered gradient on T2",
                                        "with contents bright on T1 fat-suppressed images and dark, layering signal on T2",
                                        "with contents bright on fat-suppressed T1 that fade to low signal dependently on T2",
                                        "with T1-bright contents that show layered low signal on T2, typical of old blood",
                                        "with fluid very bright on T1 that darkens in a gradient towards the dependent part on T2",
                                        "whose contents are T1-bright and progressively darker on T2 from top to bottom",
                                        "with T1-bright fluid that loses signal in a graded, layered fashion on T2",
                                        "with bright T1 signal persisting on fat saturation and dark, layering signal on T2",
                                        "with T1-bright contents that turn dark on T2 like a chocolate cyst",
                                        "with fluid bright on fat-saturated T1 images and showing a dark gradient on T2",
                                        "with contents of very high T1 signal and marked graded signal loss on T2"]),
        "proteinaceous, haemorrhagic or mucinous": (["with haemorrhagic contents", "containing proteinaceous fluid", "with mucinous contents"],
                                                    ["with thick, protein-rich fluid",
                                                     "with contents bright on both T1 and T2, consistent with blood products",
                                                     "with thick, viscous contents brighter than urine on T1",
                                                     "with fluid of intermediate T1 signal, in keeping with thick mucoid contents",
                                                     "with blood-stained fluid, bright on T1 and bright on T2",
                                                     "containing protein-rich fluid, mildly bright on T1",
                                                     "with fluid brighter than urine on T1 and without dependent darkening on T2",
                                                     "with contents of raised T1 signal and no layering on T2",
                                                     "with subacute blood products, high on T1 and high on T2",
                                                     "with jelly-like contents of intermediate signal on T1",
                                                     "containing thick, mucus-like fluid that is not as bright on T2 as urine"]),
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
