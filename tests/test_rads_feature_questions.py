"""Calculators expose the categorical features they could not read, as questions in their own words.

A partial RADS answer (no category: a feature the report's words do not settle) carries one
`FeatureQuestion` per open feature whose value changes the category, with the values the
calculator's own tables use, and `resolve`, which applies the same rules to answers. Sizes
are never asked. No model here (tests/test_feature_questions_model.py asks the model).
"""

from __future__ import annotations

import pytest

from appliance.rads import gb_rads, li_rads, lung_rads, o_rads, pi_rads, ti_rads, vi_rads
from appliance.tasks.feature_question import NOT_DESCRIBED, answer_model, question_task
from appliance.engine.llm import grammar_for
from appliance.tools.answer import FeatureQuestion


def _question(answer, feature: str) -> FeatureQuestion:
    found = [q for q in answer.questions if q.feature == feature]
    assert found, f"no question about {feature}: {[q.feature for q in answer.questions]}"
    return found[0]


def _resolved(answer, feature: str) -> dict[str, set[str]]:
    q = _question(answer, feature)
    return {v: answer.resolve({q: v}) for v in q.values}


THYROID_NO_COMPOSITION = ("EXAM: US thyroid.\nFINDINGS: Right lobe: 1.8 cm nodule, hypoechoic, wider-than-tall, "
                          "smooth margins, no echogenic foci.\nIMPRESSION: Right thyroid nodule.")


def test_tirads_missing_composition_is_asked_in_the_charts_own_words():
    a = ti_rads.assess(THYROID_NO_COMPOSITION)
    assert a.output is None and a.system == "TI-RADS"
    q = _question(a, "composition")
    assert set(q.values) == {name for name, _, _ in ti_rads.COMPOSITION}  # one source of truth
    assert q.lesion == "right lobe"
    # hypoechoic 2 + wider-than-tall 0 + smooth 0 + no foci 0, plus the composition's points
    assert _resolved(a, "composition") == {
        "spongiform": {"TR1"},                          # spongiform: 0 points, nothing else added
        "cystic or almost completely cystic": {"TR2"},  # 0 + 2
        "mixed cystic and solid": {"TR3"},              # 1 + 2
        "solid or almost completely solid": {"TR4"},    # 2 + 2
    }


def test_tirads_darker_than_the_gland_is_an_echogenicity_question():
    a = ti_rads.assess("Thyroid US. Right lobe: 1.6 cm solid nodule, darker than the surrounding gland, wider than "
                       "tall, smooth margins, no calcifications.")
    assert a.output is None and [q.feature for q in a.questions] == ["echogenicity"]
    got = _resolved(a, "echogenicity")
    assert got["hypoechoic"] == {"TR4"} and got["isoechoic"] == {"TR3"} and got["very hypoechoic"] == {"TR4"}
    assert set(_question(a, "echogenicity").values) == {name for name, _, _ in ti_rads.ECHOGENICITY}


def test_answers_combine_and_bad_or_missing_answers_change_nothing():
    a = ti_rads.assess("Thyroid US. Left lobe: 2 cm nodule, isoechoic, smooth margins, no calcifications.")
    comp, shape = _question(a, "composition"), _question(a, "shape")
    assert a.resolve({comp: "solid or almost completely solid", shape: "taller-than-wide"}) == {"TR4"}  # 2+1+3 = 6
    assert a.resolve({comp: "solid or almost completely solid", shape: "wider-than-tall"}) == {"TR3"}   # 2+1 = 3
    unanswered = a.resolve({})
    assert a.resolve({comp: "not a value"}) == unanswered and len(unanswered) > 1


def test_a_settled_report_asks_nothing():
    a = ti_rads.assess("Thyroid US. Right lobe: 2.7 cm solid isoechoic nodule, wider than tall, smooth margins, "
                       "no echogenic foci.")
    assert a.output["category"] == "TR3" and a.questions == [] and a.resolve is None


def test_the_most_severe_nodule_governs_after_the_answers():
    text = ("Thyroid US.\nNodule 1: right lobe, 1.2 cm solid isoechoic nodule, wider than tall, smooth margins, no "
            "calcifications.\nNodule 2: left lobe, 1.5 cm nodule, darker than the gland, wider than tall, smooth "
            "margins, no calcifications, made of soft tissue throughout.")
    a = ti_rads.assess(text)
    assert a.output is None
    assert {q.lesion for q in a.questions} == {"nodule 2"}
    comp = _question(a, "composition")
    echo = _question(a, "echogenicity")
    # nodule 1 is TR3; nodule 2 solid + hypoechoic is TR4 and governs; solid + isoechoic ties at TR3
    assert a.resolve({comp: "solid or almost completely solid", echo: "hypoechoic"}) == {"TR4"}
    assert a.resolve({comp: "solid or almost completely solid", echo: "isoechoic"}) == {"TR3"}
    assert a.resolve({comp: "spongiform"}) == {"TR3"}


def test_lirads_washout_and_capsule_questions():
    a = li_rads.assess("MRI liver. Cirrhosis. Segment 8: 25 mm observation with arterial phase hyperenhancement. "
                       "On the portal venous phase it becomes darker than the surrounding liver.")
    assert a.output is None and a.allowed == "LR-4-LR-5"
    wash = _question(a, "nonperipheral washout")
    assert wash.values == ("present", "absent")
    assert a.resolve({wash: "present"}) == {"LR-5"}
    cap = _question(a, "enhancing capsule")
    assert a.resolve({wash: "absent", cap: "absent"}) == {"LR-4"}


def test_lirads_treatment_response_question():
    a = li_rads.assess("CT liver post TACE. Segment 6 treated observation with lipiodol; there is a small region "
                       "of nodular tissue lighting up on the arterial images.")
    q = _question(a, "treatment response")
    assert set(q.values) == set(li_rads.RESPONSE)
    assert a.resolve({q: "viable tissue"}) == {"LR-TR viable"}


def test_pirads_offers_only_the_dwi_scores_the_words_still_allow():
    a = pi_rads.assess("MRI prostate. Left peripheral zone: 12 mm focal lesion with restricted diffusion. "
                       "No extraprostatic extension. No early enhancement.")
    q = _question(a, "diffusion (DWI) appearance")
    assert {pi_rads.DWI_WORDS[v] for v in q.values} == {3, 4}
    assert _resolved(a, "diffusion (DWI) appearance") == {
        "focal, mildly or moderately hypointense on ADC": {"3"},
        "focal, markedly hypointense on ADC and markedly hyperintense on high b-value": {"4"}}


def test_virads_muscle_question():
    a = vi_rads.assess("MRI bladder. 8 mm papillary tumour on the posterior wall with a stalk.")
    got = _resolved(a, "muscularis propria")
    assert got == {"intact (uninterrupted low-signal line)": {"1"}, "no clear disruption, invasion equivocal": {"3"},
                   "interrupted (tumour extends into the muscle)": {"4"},
                   "tumour extends through the wall into the extravesical fat": {"5"}}


def test_gbrads_extent_and_interface_questions():
    a = gb_rads.assess("US abdomen. The gallbladder wall is thickened to 5 mm, irregular, involving the whole "
                       "circumference of the organ.")
    assert a.output is None
    assert _resolved(a, "interface with the liver") == {"preserved": {"4"}, "lost (hepatic infiltration)": {"5"}}


def test_orads_colour_score_question():
    a = o_rads.assess("Pelvic US. Right ovary: 4.5 cm solid mass with smooth outer margins. Doppler: vessels seen "
                      "throughout the mass in abundance.")
    q = _question(a, "colour score (blood flow)")
    assert q.values == tuple(o_rads.COLOUR_SCORES)
    assert _resolved(a, "colour score (blood flow)") == {"no flow": {"3"}, "minimal flow": {"4"},
                                                         "moderate flow": {"4"}, "very strong flow": {"5"}}


def test_orads_mri_curve_question():
    a = o_rads.assess("MRI pelvis. Left adnexa: 6 cm mass with enhancing solid tissue. Perfusion curves were "
                      "not obtained.")
    assert _resolved(a, "time-intensity curve of the solid tissue") == {
        "low risk": {"3"}, "intermediate risk": {"4"}, "high risk": {"5"}}


def test_lungrads_nodule_type_is_asked_but_a_size_never_is():
    a = lung_rads.assess("LDCT lung screening, baseline. Right upper lobe: 9 x 7 mm nodule of hazy density "
                         "through which vessels are visible.")
    assert _resolved(a, "nodule type")["ground-glass"] == {"2"}
    assert _resolved(a, "nodule type")["solid"] == {"4A"}
    no_size = lung_rads.assess("LDCT lung screening, baseline. Right upper lobe: a solid nodule.")
    assert no_size.output is None and no_size.questions == [] and no_size.resolve is None


def test_the_answer_schema_is_the_values_or_not_described_with_a_quote_and_fits_its_budget():
    q = ti_rads.assess(THYROID_NO_COMPOSITION).questions[0]
    model = answer_model(q.values)
    schema = model.model_json_schema()
    assert schema["properties"]["value"]["enum"] == [*q.values, NOT_DESCRIBED]
    assert set(schema["required"]) == {"value", "evidence"}
    # Quote first, then the value it means: the grammar and the training completions follow
    # the schema's key order (value first, a LoRA did not learn the value at all).
    assert list(schema["properties"]) == ["evidence", "value"]
    assert (gbnf := grammar_for(model)[0].gbnf).index(r'\"evidence\": ') < gbnf.index(r'\"value\": ')
    task = question_task(q, "TI-RADS")
    assert task.quote_keys == ("evidence",) and task.budget >= grammar_for(model)[0].max_bytes
    assert task.budget <= 300  # one enum value and one short quote
    assert "category" not in schema["properties"]
    assert q.feature in task.instruction and "Do not give a category" in task.instruction


def test_the_card_shows_model_read_features_in_words():
    from tui.widgets.result_card import working_lines

    lines = working_lines({"source": "computed", "guideline": "ACR TI-RADS 2017 white paper", "findings": [],
                           "missing": ["echogenicity"], "allowed": "TR2-TR4", "others": [], "note": None,
                           "model_features": [{"feature": "echogenicity", "lesion": "right lobe", "value": "hypoechoic",
                                               "evidence": "darker than the surrounding gland", "confidence": 0.6}]})
    text = "\n".join(lines)
    assert "Read by the model, not checked by the rules: echogenicity (right lobe): hypoechoic" in text
    assert '"darker than the surrounding gland"' in text and "model_features" not in text


@pytest.mark.parametrize("module", [gb_rads, li_rads, lung_rads, o_rads, pi_rads, ti_rads, vi_rads])
def test_every_question_value_is_plain_words(module):
    for name in ("ASKED", "ASKED_US", "ASKED_MRI"):
        table = getattr(module, name, None)
        if table is None:
            continue
        for feature, values in table.items():
            words = [w for w, *_ in values] if isinstance(values, list) else (
                list(values[1]) if isinstance(values, tuple) and len(values) == 2 and isinstance(values[1], dict)
                else list(values))
            assert all(isinstance(w, str) and w and "_" not in w for w in words), (feature, words)


def test_lungrads_model_read_type_still_meets_the_category_0_rule():
    # Lung-RADS v2022: findings suggesting infection (no nodule category 3 or above) -> 0
    a = lung_rads.assess("LDCT screening baseline. Right lower lobe: 10 x 8 mm nodule with a hazy veil-like density. "
                         "Patchy consolidation in the left lower lobe.")
    assert _resolved(a, "nodule type")["ground-glass"] == {"0"}
    assert _resolved(a, "nodule type")["solid"] == {"4A"}
