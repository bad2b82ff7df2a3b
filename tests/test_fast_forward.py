"""Fast-forwarding forced tokens changes how fast an answer comes, never which answer.

For every task's golden document, the served decoder with fast-forward must write the
same tokens as the step-by-step loop (one sampled and evaluated token at a time), with
the same confidence, on the embedded models.
"""

from __future__ import annotations

import pytest

from appliance.catalogue import load_catalogue, verified_path
from appliance.engine.decode import decode, exact_batch
from appliance.engine.llm import grammar_for, shared_engine
from appliance.engine.templates import TEMPLATES
from appliance.home import Home
from appliance.tasks import TASKS
from appliance.tasks.prompt import build_prompt

SMOL, GEMMA = "smollm2-135m-instruct-q4_1", "gemma-3-270m-q4_k_m"


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Home:
    return Home(tmp_path_factory.mktemp("home")).ensure()


def _engine(home: Home, name: str):
    entry = next(e for e in load_catalogue(home) if e.name == name)
    return entry, shared_engine(verified_path(entry, home), entry.n_ctx)


def _both(engine, entry, task_name: str):
    task = TASKS[task_name]
    prompt = build_prompt(TEMPLATES[entry.chat_template], task.golden, task)
    tokens = engine.tokenize(prompt)
    gbnf = grammar_for(task.output)[0].gbnf
    outs = []
    with engine.lock:
        exact_batch(engine.llm, engine.vocabulary)  # measured once, before either run (it clears the cache)
        for fast_forward in (False, True):
            # Both runs prefill the whole prompt from an empty cache: on gemma a prompt evaluated in
            # other chunks (a reused prefix) gives slightly other logits, which is not fast-forward's doing.
            engine.llm.reset()
            outs.append(decode(engine.llm, engine.vocabulary, tokens, gbnf, task.budget, task.golden,
                               task.quote_keys, fast_forward=fast_forward))
    return outs


@pytest.mark.slow
@pytest.mark.parametrize("model", [SMOL, GEMMA])
def test_fast_forward_writes_the_step_by_step_answer(home, model):
    entry, engine = _engine(home, model)
    forced = copied = total = 0
    for name in TASKS:
        plain, fast = _both(engine, entry, name)
        assert fast.text == plain.text, f"{model} {name}: fast-forward changed the answer"
        assert fast.tokens == plain.tokens and fast.finish_reason == plain.finish_reason == "stop"
        assert fast.confidence == pytest.approx(plain.confidence)
        assert plain.forced == 0
        if engine.vocabulary.batch_limit > 1:
            assert fast.batches < plain.batches
        forced, copied, total = forced + fast.forced, copied + fast.copied, total + fast.tokens
    if engine.vocabulary.batch_limit == 1:
        # Batched logits not proven identical on this model: it decodes one token at a time.
        assert forced == copied == 0
    else:
        # Keys, separators and closing quotes: a good share of every answer is forced.
        assert forced / total > 0.3
        # Evidence quotes copy the golden documents: some of their tokens come from copied drafts.
        assert copied > 0


@pytest.mark.slow
def test_confidence_is_a_probability_over_the_choices(home):
    entry, engine = _engine(home, SMOL)
    plain, fast = _both(engine, entry, "n_staging")
    assert 0.0 < fast.confidence <= 1.0
    free, _ = _both(engine, entry, "impression_generation")  # free text only: no choice among values
    assert free.confidence == 1.0
