"""Schema bounds: every task's whole output fits its token budget, by construction."""

from __future__ import annotations

import json

import jsonschema
import pytest

from appliance.engine.grammar import GrammarError, schema_to_grammar
from appliance.engine.llm import grammar_for, validate_output
from appliance.errors import OutputError
from appliance.tasks import TASKS
from appliance.tasks.rads_assignment import RadsAssignment
from appliance.tasks.rads_systems import RADS_CATEGORIES


@pytest.mark.parametrize("name", sorted(TASKS))
def test_longest_possible_output_fits_the_budget(name):
    task = TASKS[name]
    spec, _ = grammar_for(task.output)
    assert spec.max_bytes <= task.budget, f"{name}: grammar admits {spec.max_bytes} bytes, budget {task.budget}"


@pytest.mark.parametrize("name", sorted(TASKS))
def test_grammar_compiles_in_llama_cpp(name):
    from llama_cpp import LlamaGrammar

    spec, _ = grammar_for(TASKS[name].output)
    LlamaGrammar.from_string(spec.gbnf, verbose=False)


def test_string_bound_is_a_repetition_limit_in_the_grammar():
    spec = schema_to_grammar({"type": "object", "properties": {"a": {"type": "string", "maxLength": 80}},
                              "required": ["a"]})
    assert "{0,80}" in spec.gbnf
    assert spec.max_bytes == len('{"a": ""}') + 80


def test_unbounded_schemas_are_refused():
    with pytest.raises(GrammarError, match="maxLength"):
        schema_to_grammar({"type": "string"})
    with pytest.raises(GrammarError, match="maxItems"):
        schema_to_grammar({"type": "array", "items": {"type": "string", "maxLength": 3}})
    with pytest.raises(GrammarError, match="required"):
        schema_to_grammar({"type": "object", "properties": {"a": {"type": "boolean"}}})


def test_each_rads_system_has_its_own_category_rule():
    spec, _ = grammar_for(RadsAssignment)
    for system, categories in RADS_CATEGORIES.items():
        rule = next(line for line in spec.gbnf.splitlines() if f'"\\"{system}\\""' in line)
        for category in categories:
            assert f'"\\"{category}\\""' in rule, (system, category)


def test_category_of_another_system_is_rejected_by_validation():
    _, schema = grammar_for(RadsAssignment)
    bad = {"system": "BI-RADS", "category": "TR4", "evidence": "x"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
    with pytest.raises(OutputError):
        validate_output(json.dumps(bad), RadsAssignment, schema)


def test_truncated_json_is_an_output_error():
    _, schema = grammar_for(RadsAssignment)
    with pytest.raises(OutputError, match="not complete JSON"):
        validate_output('{"system":"BI-RADS","category":"4', RadsAssignment, schema)
