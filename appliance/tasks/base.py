"""What a task is: everything task-specific, in the task's own file.

A task knows its output schema, instruction, token budget and evidence fields, which
labelled parts of a document it reads, the deterministic tool that may answer it
before the model is asked, how to say a result in a clinician's words, and how its
answers are scored. Adding a task is one file plus one line in `tasks/__init__.py`.
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Callable

from pydantic import BaseModel, ConfigDict, StringConstraints

if TYPE_CHECKING:
    from ..tools.answer import ToolAnswer


class Output(BaseModel):
    """Base of every task output: no extra keys, and keys in the order the grammar emits them."""

    model_config = ConfigDict(extra="forbid")


# Bounded so the whole object always fits its task's token budget; the grammar
# emits printable ASCII only, one byte per character.
Label = Annotated[str, StringConstraints(min_length=1, max_length=60)]      # a diagnosis, a test
Reasoning = Annotated[str, StringConstraints(min_length=1, max_length=120)]  # one short sentence
Quote = Annotated[str, StringConstraints(min_length=1, max_length=160)]      # verbatim from the document


def _fields_in_words(value: dict[str, Any]) -> list[str]:
    return [f"{k.replace('_', ' ').capitalize()}: {v}" for k, v in value.items() if k != "evidence"] or ["(empty)"]


def exact_match(key: str) -> Callable[[dict, dict], float]:
    """Metric: 1.0 when the predicted `key` equals the expected one."""
    def score(expected: dict, predicted: dict) -> float:
        return float(predicted.get(key) == expected.get(key))
    score.__name__ = f"exact_{key}"
    return score


@dataclass(frozen=True)
class Task:
    name: str
    title: str               # what a clinician reads ("RADS category"), never the internal name
    output: type[BaseModel]
    instruction: str
    budget: int  # max new tokens; at least the grammar's longest output (checked by tests)
    golden: str  # a document the selftest runs the model on (must yield a schema-valid result)
    quote_keys: tuple[str, ...] = ()  # keys (at any depth) whose string values are verbatim quotes
    parts: tuple[str, ...] = ()       # labelled parts the document must hold (tasks/parts.py), in order
    # Deterministic tools tried in order before the model ("module:function", each
    # `(text) -> ToolAnswer | None`); imported lazily so tools may import task tables.
    tools: tuple[str, ...] = ()
    # The result in a clinician's words; the first line is the headline (worklist, status line, card).
    describe: Callable[[dict[str, Any]], list[str]] = _fields_in_words
    # Score of one answer against its label (0..1), used by `appliance eval` and the trainer.
    metric: Callable[[dict, dict], float] | None = None
    metric_name: str = "accuracy"
    # For ordinal answers: how severe a value is (higher = more severe), so an error reads
    # as an undercall (the dangerous one) or an overcall; None where it cannot be compared.
    severity: Callable[[dict], int | None] | None = None
    label_key: str | None = None  # the field whose rare classes get their own recall
    # For multi-label answers: (positives found, positives labelled) in one answer; a constant
    # "not mentioned" scores well on accuracy and finds nothing, so this is reported beside it.
    positive_recall: Callable[[dict, dict], tuple[int, int]] | None = None

    def schema(self) -> dict:
        return self.output.model_json_schema()

    def headline(self, value: dict[str, Any]) -> str:
        return self.describe(value)[0]

    def run_tools(self, text: str, hits: list | None = None) -> "ToolAnswer | None":
        """The first tool that answers (a stated value, a computed one, or the working of a partial one).

        `hits`: the document's red flags, computed once per document, for tools that take them.
        """
        partial = None
        for ref in self.tools:
            module, _, function = ref.partition(":")
            tool = getattr(importlib.import_module(module), function)
            takes_hits = "hits" in inspect.signature(tool).parameters
            answer = as_tool_answer(tool(text, hits=hits) if takes_hits else tool(text))
            if answer is None:
                continue
            if answer.output is not None:
                return answer
            partial = partial or answer
        return partial


def as_tool_answer(found: Any) -> "ToolAnswer | None":
    """A stated-value tool's `Stated` (output, span, flags) as a ToolAnswer; ToolAnswers pass through."""
    from ..tools.answer import Finding, ToolAnswer

    if found is None or isinstance(found, ToolAnswer):
        return found
    return ToolAnswer(found.output, source="stated_in_document", flags=list(found.flags),
                      findings=[Finding("stated in the report", found.span, found.span)])
