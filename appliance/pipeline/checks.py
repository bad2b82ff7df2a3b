"""Checks after decoding: quotes must be verbatim, and a RADS system must fit the report."""

from __future__ import annotations

import re

from pydantic import BaseModel

from ..tasks.base import Task
from ..tasks.rads_systems import RADS_CONTEXT


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def unverified_quotes(task: Task, value: BaseModel, document: str) -> list[str]:
    """Flags for quotes not found in the document (whitespace runs count as one space)."""
    data = value.model_dump()
    haystack = _squash(document)
    flags = []
    for name in task.evidence_fields:
        quote = data.get(name)
        if isinstance(quote, str) and _squash(quote) not in haystack:
            flags.append(f"evidence_not_in_document:{task.name}.{name}")
    return flags


def rads_system_mismatch(value: dict, document: str) -> list[str]:
    """Flag a RADS system whose anatomy the report never mentions (e.g. BI-RADS on a thyroid study)."""
    words = RADS_CONTEXT.get(value.get("system", ""))
    if words and not re.search(words, document, re.IGNORECASE):
        return [f"rads_system_not_supported_by_text:{value['system']}"]
    return []
