"""The task catalogue: one source of truth for each task's schema, prompt and budget."""

from __future__ import annotations

from . import (abnormality_detection, differential_diagnosis, impression_generation, radiology_ner,
               radiology_nli, radiology_qa, rads_assignment, staging, temporal_comparison, triage)
from .base import Task

# In the design's canonical order (RadLite's nine, then HAI-DiffDx, then triage).
TASKS: dict[str, Task] = {
    task.name: task
    for task in (
        rads_assignment.TASK,
        impression_generation.TASK,
        temporal_comparison.TASK,
        radiology_ner.TASK,
        staging.N_TASK,
        staging.M_TASK,
        radiology_nli.TASK,
        abnormality_detection.TASK,
        radiology_qa.TASK,
        differential_diagnosis.TASK,
        triage.TASK,
    )
}


# The model's reading of one RADS feature: not a catalogue task (its questions are built per
# feature by tasks/feature_question.py), but the capability gate scores it and an adapter may
# be trained for it and serve it.
FEATURE_TASK, FEATURE_TITLE = "rads_features", "RADS feature reading"
SERVABLE: tuple[str, ...] = (*TASKS, FEATURE_TASK)  # what an adapter bundle may say it serves


def title(name: str) -> str:
    """The task in the words a clinician reads on screen."""
    return FEATURE_TITLE if name == FEATURE_TASK else TASKS[name].title if name in TASKS else name


def get_task(name: str) -> Task:
    try:
        return TASKS[name]
    except KeyError:
        raise KeyError(f"unknown task {name!r}; known tasks: {', '.join(TASKS)}") from None


__all__ = ["FEATURE_TASK", "FEATURE_TITLE", "SERVABLE", "TASKS", "Task", "get_task", "title"]
