"""impression_generation: the impression a radiologist would write for a report's findings."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from .base import Output, Task
from .metrics import rouge_l

# One free-text field, as reference impressions are written (and scored with ROUGE);
# several points go in it numbered "1. ... 2. ...".
Impression = Annotated[str, StringConstraints(min_length=1, max_length=300)]


class ImpressionGeneration(Output):
    impression: Impression


TASK = Task(
    name="impression_generation",
    title="Impression",
    output=ImpressionGeneration,
    instruction=(
        "Write the impression for this report's findings: the most important findings first, with their "
        "likely meaning and any recommended follow-up, in at most 300 characters; number the points if "
        'there are several. Answer as {"impression": ...}.'
    ),
    golden=(
        "EXAM: CT abdomen and pelvis with contrast.\nHISTORY: Right lower quadrant pain and fever.\n"
        "FINDINGS: The appendix is dilated to 12 mm with wall thickening and surrounding fat stranding. "
        "A 6 mm appendicolith is present at its base. No free air. No drainable fluid collection. "
        "Liver, spleen, pancreas and kidneys are unremarkable."
    ),
    budget=330,
    describe=lambda v: [f"Impression: {v['impression']}"],
    metric=lambda expected, predicted: rouge_l(expected["impression"], predicted["impression"]),
    metric_name="ROUGE-L",
)
