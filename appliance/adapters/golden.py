"""Golden cases: the adapter's own proof that it loads over this base and behaves as built.

`trainer bundle` records, for a few inputs, what the appliance's engine answers with the
adapter over its base; import runs the same inputs through the same code here and
requires identical outputs (greedy decoding under the grammar is deterministic for the
same model, adapter and llama.cpp build). Both sides call `run_case`, so there is one
code path: the task's prompt builder, the base model's chat template, its grammar,
its token budget and its quote keys, exactly as serving uses them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..catalogue import ModelEntry
from ..engine import Engine
from ..engine.templates import TEMPLATES
from ..errors import InputError, OutputError
from ..tasks import FEATURE_TASK, get_task
from ..tasks.prompt import build_prompt
from .bundle import BundleError, GoldenCase


def load_engine(base_path: Path, entry: ModelEntry, adapter_path: Path | None, n_threads: int | None) -> Engine:
    """A private engine (not the shared cache): the adapter under test is not serving yet."""
    return Engine(base_path, n_ctx=entry.n_ctx, n_threads=n_threads, lora_path=adapter_path)


def run_case(engine: Engine, entry: ModelEntry, task_name: str, document: str) -> dict[str, Any]:
    task = _feature_question(document) if task_name == FEATURE_TASK else get_task(task_name)
    prompt = build_prompt(TEMPLATES[entry.chat_template], document, task)
    gen = engine.generate(prompt, task.output, max_tokens=task.budget, quote_keys=task.quote_keys)
    return gen.value.model_dump(mode="json")


def _feature_question(document: str):
    """Feature reading's case: the first question the RADS calculator asks of this report, as served."""
    from ..tasks.feature_question import question_task

    answer = get_task("rads_assignment").run_tools(document)
    if answer is None or not answer.questions:
        raise InputError("a golden case for feature reading needs a report whose RADS calculator asks a feature "
                         "question; this one asks none.")
    return question_task(answer.questions[0], answer.system)


def check_cases(engine: Engine, entry: ModelEntry, cases: list[GoldenCase], where: str) -> None:
    """Raise BundleError naming the first case whose output differs from the recorded one."""
    for i, case in enumerate(cases, 1):
        try:
            got = run_case(engine, entry, case.task, case.input)
        except (OutputError, InputError) as exc:
            raise BundleError(f"{where}: golden case {i} ({case.task}) gave no valid output on this appliance "
                              f"({exc}); the adapter does not work over this base. Not activated.") from exc
        if got != case.output:
            raise BundleError(
                f"{where}: golden case {i} ({case.task}) answered differently on this appliance than when the "
                f"bundle was built (expected {_short(case.output)}, got {_short(got)}); the adapter does not "
                "behave as its builder saw. Not activated; the previous adapter stays active.")


def _short(value: dict[str, Any]) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 100 else text[:97] + "..."
