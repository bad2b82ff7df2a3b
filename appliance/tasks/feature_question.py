"""One small question per feature a RADS calculator could not read: never the category itself.

When a guideline calculator (appliance/rads) finds a lesion but its report leaves a
categorical feature open (a thyroid nodule "darker than the surrounding gland"), the
calculator names the feature and the values its own rules use (`FeatureQuestion`). The
model is asked that feature alone, as an enum: one of those values or "not described",
with a verbatim quote of the words it read it from (the engine only lets a quote copy
the document). The calculator then applies its rules to the answer (`ToolAnswer.resolve`).

The prompt is the task prompt (`tasks/prompt.py`, document first, so the document's KV
cache is reused across questions) with a per-question instruction; the schema and
budget come from the question's values. `TASK_NAME` is the name the capability gate and
the calibration map know these answers by ("rads_features"), per model and adapter.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, create_model

from ..engine.llm import grammar_for
from ..tools.answer import FeatureQuestion
from . import FEATURE_TASK
from .base import Output, Task

TASK_NAME = FEATURE_TASK
# A report whose echogenicity the lexicon cannot read: the calculator asks it (trainer bundle's
# default golden case for an adapter that serves feature reading). Not from any evaluation set.
GOLDEN = ("ULTRASOUND THYROID\nFINDINGS: Left lobe, lower pole: 1.4 cm solid nodule, a shade darker than the "
          "adjacent thyroid tissue, wider than tall, with a smooth margin and no echogenic foci.\n"
          "IMPRESSION: Left thyroid nodule.")
NOT_DESCRIBED = "not described"
# A feature is described in a few words: a shorter quote than a task's keeps the budget small.
# min_length stays 1: a longer minimum can meet the end of the document, where no verbatim
# continuation exists and the grammar would force text that is not in the document.
FeatureQuote = Annotated[str, StringConstraints(min_length=1, max_length=120)]


@lru_cache(maxsize=None)
def answer_model(values: tuple[str, ...]) -> type[Output]:
    """`{"evidence": verbatim quote, "value": one of the values or "not described"}` for these values.

    The quote comes first (the grammar follows this key order): the model copies the words
    that describe the feature, then maps those words, just written, to a value. Value first,
    it had to classify the whole report in one token: a LoRA trained that way learnt the
    quote but picked the right value for only 0.28 of its own training examples (the most
    common value per feature: 0.56; first 80 training examples, teacher-forced).
    """
    name = "FeatureAnswer_" + hashlib.sha256("\x1f".join(values).encode()).hexdigest()[:10]
    return create_model(
        name,
        __base__=Output,
        evidence=(FeatureQuote, Field(..., description="The words of the document that describe it, copied exactly.")),
        value=(Literal[values + (NOT_DESCRIBED,)], Field(..., description="How the report describes the feature.")),
    )


def instruction(question: FeatureQuestion, system: str | None) -> str:
    where = f"the lesion ({question.lesion})" if question.lesion and question.lesion != "the lesion" else "the lesion"
    report = f"this {system} report" if system else "this report"
    choices = ", ".join(f'"{v}"' for v in question.values)
    return (
        f"In {report}, how is the {question.feature} of {where} described? "
        f'Choose one of: {choices}; or "{NOT_DESCRIBED}" if the report does not say. '
        "Do not give a category. "
        'Answer as {"evidence": ..., "value": ...}: first copy the words that describe it exactly from the document, '
        "then choose the value those words mean."
    )


def question_task(question: FeatureQuestion, system: str | None) -> Task:
    """A lightweight Task for the one prompt builder and the engine: schema, instruction, budget."""
    model = answer_model(tuple(question.values))
    spec, _ = grammar_for(model)
    return Task(
        name=TASK_NAME,
        title="RADS feature read by the model",
        output=model,
        instruction=instruction(question, system),
        budget=spec.max_bytes,  # the longest answer the grammar admits: never cut short
        golden="",
        quote_keys=("evidence",),
    )
