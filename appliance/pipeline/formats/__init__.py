"""One module per input format the drop folder accepts; each turns raw bytes into report text.

Every reader returns an `Extracted` (text plus metadata: ids, dates, never report text)
or raises `InputError` with a message that starts with the file's name, says what is
wrong in plain words and what to do. `reader.py` chooses the module by file type.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Extracted:
    text: str
    metadata: dict = field(default_factory=dict)
