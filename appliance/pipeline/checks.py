"""Checks after decoding: every evidence quote must be a verbatim span of the document."""

from __future__ import annotations

import re

from pydantic import BaseModel

from ..tasks.base import Task


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
