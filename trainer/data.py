"""Training examples `{task, input, output}` → prompt/completion pairs in the served layout."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from pydantic import ValidationError

from appliance.engine.templates import TEMPLATES
from appliance.tasks import get_task
from appliance.tasks.base import Task
from appliance.tasks.feature_question import TASK_NAME as FEATURE_TASK, question_task
from appliance.tasks.prompt import Prompt, build_prompt
from appliance.tools.answer import FeatureQuestion


class DataError(ValueError):
    pass


def task_of(example: dict) -> Task:
    """The example's task. A feature question ("rads_features") is no fixed task: its schema and
    instruction come from the question the calculator asks (`question`: system, feature, values,
    lesion), built by the appliance's own `question_task`, so training sees the served prompt."""
    if example["task"] != FEATURE_TASK:
        return get_task(example["task"])
    q = example.get("question")
    try:
        question = FeatureQuestion(str(q["feature"]), tuple(str(v) for v in q["values"]), q.get("lesion"))
        system = q.get("system")
    except (KeyError, TypeError, AttributeError):
        raise DataError(f"a {FEATURE_TASK} example needs its question {{system, feature, values, lesion}}") from None
    if not question.values:
        raise DataError(f"a {FEATURE_TASK} question needs its values")
    return question_task(question, system)


def prompt_and_completion(example: dict, template: str) -> tuple[Prompt, str]:
    """One example as the served prompt and the exact answer text; the output must fit its schema."""
    try:
        task = task_of(example)
    except KeyError as exc:
        raise DataError(exc.args[0]) from None
    try:
        value = task.output.model_validate(example["output"])
    except ValidationError as exc:
        raise DataError(f"output does not fit the {task.name} schema: {exc.errors()[0]['msg']}") from None
    # Exactly the bytes the serving grammar emits (", " and ": " separators, schema key
    # order), so the adapter learns the layout it will be constrained to.
    completion = json.dumps(value.model_dump(mode="json"), ensure_ascii=False)
    return build_prompt(TEMPLATES[template], example["input"], task), completion


def format_example(example: dict, template: str) -> dict:
    """One example in exactly the prompt layout the appliance serves."""
    prompt, completion = prompt_and_completion(example, template)
    return {"task": example["task"], "prompt": prompt.text, "completion": completion}


def format_file(path: Path, template: str) -> Iterator[dict]:
    with path.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                yield format_example(json.loads(line), template)
            except (json.JSONDecodeError, KeyError, DataError) as exc:
                raise DataError(f"{path}:{lineno}: {exc}; fix or remove this example.") from None
