"""rads_assignment: which RADS system applies and its category, valid by construction."""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, RootModel, create_model

from .base import Output, Quote, Task
from .rads_systems import NOT_APPLICABLE, RADS_CATEGORIES, SYSTEMS, system


def _variant(system: str, categories: tuple[str, ...]) -> type[Output]:
    # One object type per system, so the grammar ties each category list to its system.
    return create_model(
        "Rads_" + "".join(ch for ch in system if ch.isalnum()),
        __base__=Output,
        system=(Literal[system], ...),
        category=(Literal[categories], ...),
        evidence=(Quote, Field(..., description="Verbatim words from the document that support the category.")),
    )


_VARIANTS = tuple(_variant(system, cats) for system, cats in RADS_CATEGORIES.items()) + (
    _variant(NOT_APPLICABLE, ("not applicable",)),
)


# The systems the instruction names, from the rows (one place per system).
_SYSTEM_LIST = ", ".join(row.name for row in SYSTEMS) + f", or {NOT_APPLICABLE}"


class RadsAssignment(RootModel):
    root: Annotated[Union[_VARIANTS], Field(discriminator="system")]  # type: ignore[valid-type]


TASK = Task(
    name="rads_assignment",
    title="RADS category",
    output=RadsAssignment,
    instruction=(
        f"Name the RADS system that applies to this report ({_SYSTEM_LIST}) and its category. "
        'Answer as {"system": ..., "category": ..., "evidence": ...} where evidence copies the supporting words from the document exactly.'
    ),
    # No category is stated, so the selftest exercises the model, not the stated-category tool.
    golden=(
        "EXAM: Bilateral diagnostic mammogram.\nFINDINGS: A 14 mm irregular spiculated mass in the upper "
        "outer quadrant of the right breast at 10 o'clock.\nIMPRESSION: Highly suggestive of malignancy. "
        "Ultrasound-guided core biopsy recommended."
    ),
    budget=260,
    quote_keys=("evidence",),
    tools=("appliance.tools.rads:rads_answer",),
    describe=lambda v: ["No RADS system applies" if v["system"] == NOT_APPLICABLE else f"{v['system']} {v['category']}"],
    metric=lambda expected, predicted: float((predicted["system"], predicted["category"])
                                             == (expected["system"], expected["category"])),
    metric_name="category accuracy",
    severity=lambda v: _severity(v),
    label_key="category",
)


def _severity(value: dict) -> int | None:
    """The category's rank in its system's severity order (the rows say it), None if not comparable."""
    try:
        rank = system(value["system"]).rank(value["category"])
    except KeyError:
        return None
    return rank if rank >= 0 else None
