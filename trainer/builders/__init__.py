"""Builders of training examples: each yields `{task, input, output, group, source}` dicts.

`group` names the source document (an Open-i report, a synthetic seed) so the dataset
split can keep every example of one document in one split; `source` names the builder.
"""

from __future__ import annotations

Example = dict  # {task, input, output, group, source}
