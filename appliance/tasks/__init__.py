"""The task catalogue: one source of truth for each task's schema, prompt and budget."""

from __future__ import annotations

from . import differential_diagnosis, rads_assignment, staging
from .base import Task

TASKS: dict[str, Task] = {
    task.name: task
    for task in (
        rads_assignment.TASK,
        staging.N_TASK,
        staging.M_TASK,
        differential_diagnosis.TASK,
    )
}


def get_task(name: str) -> Task:
    try:
        return TASKS[name]
    except KeyError:
        raise KeyError(f"unknown task {name!r}; known tasks: {', '.join(TASKS)}") from None


__all__ = ["TASKS", "Task", "get_task"]
