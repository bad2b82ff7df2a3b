"""radiology_qa: answer a question about a report, with the words that answer it."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from .base import Output, Quote, Task, exact_match

# What the answer says, word for word, when the report does not hold the answer.
NOT_IN_REPORT = "The report does not answer this question."

Answer = Annotated[str, StringConstraints(min_length=1, max_length=160)]


class RadiologyQa(Output):
    answer: Answer
    evidence: Quote


TASK = Task(
    name="radiology_qa",
    title="Question about the report",
    output=RadiologyQa,
    instruction=(
        "The document holds a QUESTION and a REPORT. Answer the question from the report alone, briefly. "
        f'If the report does not contain the answer, answer "{NOT_IN_REPORT}" and quote the report words '
        'closest to the question. Answer as {"answer": ..., "evidence": ...} where evidence copies words '
        "of the report exactly."
    ),
    golden=(
        "QUESTION:\nHow large is the liver lesion and in which segment is it?\n"
        "REPORT:\nEXAM: MRI abdomen with and without contrast.\nFINDINGS: A 2.3 cm arterially enhancing "
        "lesion in hepatic segment 7 with washout on the portal venous phase. The spleen is normal. "
        "No ascites."
    ),
    budget=360,
    parts=("question", "report"),
    describe=lambda v: [f"Answer: {v['answer']}"],
    metric=exact_match("answer"),
    quote_keys=("evidence",),
)
