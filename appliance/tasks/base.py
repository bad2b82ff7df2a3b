"""What a task is: an output schema, an instruction, a token budget and its evidence fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints


class Output(BaseModel):
    """Base of every task output: no extra keys, and keys in the order the grammar emits them."""

    model_config = ConfigDict(extra="forbid")


# Bounded so the whole object always fits its task's token budget; the grammar
# emits printable ASCII only, one byte per character.
Label = Annotated[str, StringConstraints(min_length=1, max_length=60)]      # a diagnosis, a test
Reasoning = Annotated[str, StringConstraints(min_length=1, max_length=120)]  # one short sentence
Quote = Annotated[str, StringConstraints(min_length=1, max_length=160)]      # verbatim from the document


@dataclass(frozen=True)
class Task:
    name: str
    title: str
    output: type[BaseModel]
    instruction: str
    budget: int  # max new tokens; at least the grammar's longest output (checked by tests)
    golden: str  # a document the selftest runs the task on (must yield a schema-valid result)
    quote_keys: tuple[str, ...] = ()  # keys (at any depth) whose string values are verbatim quotes

    def schema(self) -> dict:
        return self.output.model_json_schema()
