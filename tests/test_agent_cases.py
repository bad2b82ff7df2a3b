"""The labelled agent set (tests/data/agent_cases.jsonl): routing, stated categories, red flags.

Scores are printed (run with -s to see them); the bars are the issue's: red-flag
recall 100 %, stated-category exactness 100 %, no routine case escalated. Everything
here is rules and tools, so it runs without the model; the can't-miss check covers
what the rules add to a differential whatever the model wrote.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from appliance.pipeline.plan import plan_document
from appliance.safety.red_flags import red_flags
from appliance.tools.stated import stated_m, stated_n, stated_rads

CASES = [json.loads(line) for line in (Path(__file__).parent / "data" / "agent_cases.jsonl").read_text().splitlines()
         if line.strip()]


def score() -> dict:
    s = {"red_flag_total": 0, "red_flag_found": 0, "cant_miss_found": 0, "routine_total": 0, "routine_escalated": [],
         "stated_total": 0, "stated_exact": 0, "stage_total": 0, "stage_exact": 0, "routing_total": 0,
         "routing_exact": 0, "type_exact": 0, "misses": []}
    for case in CASES:
        text, hits = case["text"], red_flags(case["text"])
        plan = plan_document(text)
        if case["expect_urgent"]:
            s["red_flag_total"] += 1
            s["red_flag_found"] += bool(hits)
            if any(h.rule.cant_miss == case["expect_cant_miss"] for h in hits):
                s["cant_miss_found"] += 1
            else:
                s["misses"].append((case["id"], "cant_miss", case["expect_cant_miss"], [h.rule.id for h in hits]))
        else:
            s["routine_total"] += 1
            if hits:
                s["routine_escalated"].append((case["id"], [h.rule.id for h in hits]))
        if case["expect_stated"]:
            s["stated_total"] += 1
            found = stated_rads(text)
            got = {"system": found.output["system"], "category": found.output["category"]} if found else None
            s["stated_exact"] += got == case["expect_stated"]
            if got != case["expect_stated"]:
                s["misses"].append((case["id"], "stated", case["expect_stated"], got))
        for key, fn, field in (("expect_n", stated_n, "n_stage"), ("expect_m", stated_m, "m_stage")):
            if case.get(key):
                s["stage_total"] += 1
                found = fn(text)
                got = found.output[field] if found else None
                s["stage_exact"] += got == case[key]
                if got != case[key]:
                    s["misses"].append((case["id"], key, case[key], got))
        s["routing_total"] += 1
        s["type_exact"] += plan.document_type == case["document_type"]
        routed = sorted(plan.tasks) == sorted(case["expect_tasks"]) and plan.document_type == case["document_type"]
        s["routing_exact"] += routed
        if not routed:
            s["misses"].append((case["id"], "routing", (case["document_type"], case["expect_tasks"]),
                                (plan.document_type, plan.tasks)))
    return s


@pytest.fixture(scope="module")
def scores():
    s = score()
    print(f"\nagent set: {len(CASES)} cases")
    print(f"red-flag recall {s['red_flag_found']}/{s['red_flag_total']}, "
          f"can't-miss named {s['cant_miss_found']}/{s['red_flag_total']}")
    print(f"routine escalated {len(s['routine_escalated'])}/{s['routine_total']}")
    print(f"stated RADS exact {s['stated_exact']}/{s['stated_total']}, stated TNM exact {s['stage_exact']}/{s['stage_total']}")
    print(f"routing exact {s['routing_exact']}/{s['routing_total']} "
          f"({100 * s['routing_exact'] / s['routing_total']:.1f} %), document type {s['type_exact']}/{s['routing_total']}")
    for miss in s["misses"]:
        print("  miss:", miss)
    return s


def test_the_set_is_big_and_varied_enough():
    kinds = {c["kind"] for c in CASES}
    assert len(CASES) >= 80 and kinds == {"red_flag", "stated", "routine", "routing"}


def test_every_red_flag_case_is_escalated_and_names_its_cant_miss(scores):
    assert scores["red_flag_found"] == scores["red_flag_total"]
    assert scores["cant_miss_found"] == scores["red_flag_total"]


def test_no_routine_case_is_escalated(scores):
    assert scores["routine_escalated"] == []


def test_every_stated_category_is_exact(scores):
    assert scores["stated_exact"] == scores["stated_total"]
    assert scores["stage_exact"] == scores["stage_total"]


def test_routing_accuracy_is_reported_and_high(scores):
    assert scores["routing_exact"] / scores["routing_total"] >= 0.9
