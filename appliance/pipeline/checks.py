"""Checks after decoding: quotes must be verbatim, and a RADS system must fit the report."""

from __future__ import annotations

import re

from pydantic import BaseModel

from ..tasks.base import Task
from ..tasks.rads_systems import RADS_CONTEXT


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def quotes(task: Task, data: object, path: str = "") -> list[tuple[str, str]]:
    """(path, quote) for every string under one of the task's quote keys, at any depth."""
    found = []
    if isinstance(data, dict):
        for key, value in data.items():
            where = f"{path}.{key}" if path else key
            if key in task.quote_keys and isinstance(value, str):
                found.append((where, value))
            else:
                found += quotes(task, value, where)
    elif isinstance(data, list):
        for i, item in enumerate(data):
            found += quotes(task, item, f"{path}[{i}]")
    return found


def unverified_quotes(task: Task, value: BaseModel, document: str) -> list[str]:
    """Flags for quotes not found in the document (whitespace runs count as one space)."""
    haystack = _squash(document)
    return [f"evidence_not_in_document:{task.name}.{where}"
            for where, quote in quotes(task, value.model_dump(), "") if _squash(quote) not in haystack]


def rads_system_mismatch(value: dict, document: str) -> list[str]:
    """Flag a RADS system whose anatomy the report never mentions (e.g. BI-RADS on a thyroid study)."""
    words = RADS_CONTEXT.get(value.get("system", ""))
    if words and not re.search(words, document, re.IGNORECASE):
        return [f"rads_system_not_supported_by_text:{value['system']}"]
    return []
