"""radiology_ner: anatomy and observation entities of a report, each present, absent or uncertain."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .base import Output, Task

# Verbatim words of the document (checked like every quote key), as short as an entity.
EntityText = Annotated[str, StringConstraints(min_length=1, max_length=60)]


class Entity(Output):
    text: EntityText
    type: Literal["anatomy", "observation"]
    status: Literal["present", "absent", "uncertain"]


class RadiologyNer(Output):
    entities: list[Entity] = Field(..., min_length=1, max_length=10)


TASK = Task(
    name="radiology_ner",
    title="Named entities",
    output=RadiologyNer,
    instruction=(
        "List the entities of this report (at most ten, the most important first): each is an anatomy "
        "(a body part or organ) or an observation (a finding or disease), and each is present, absent "
        "(negated) or uncertain (possible, suspected). Answer as "
        '{"entities": [{"text": ..., "type": ..., "status": ...}]} where text copies the words of the '
        "document exactly."
    ),
    golden=(
        "EXAM: Chest radiograph, PA and lateral.\nFINDINGS: Patchy opacity in the left lower lobe. "
        "No pleural effusion or pneumothorax. Heart size is normal. Possible small hiatal hernia."
    ),
    budget=1230,
    describe=lambda v: [f"{len(v['entities'])} entities",
                        *(f"{e['text']} ({e['type']}, {e['status']})" for e in v["entities"])],
    metric=lambda expected, predicted: _entity_jaccard(expected, predicted),
    metric_name="entity Jaccard",
    quote_keys=("text",),
)


def _entity_jaccard(expected: dict, predicted: dict) -> float:
    def entities(value: dict) -> set:
        return {(e["text"].lower(), e["type"], e["status"]) for e in value.get("entities", [])}
    want, got = entities(expected), entities(predicted)
    return len(want & got) / len(want | got) if want | got else 1.0
