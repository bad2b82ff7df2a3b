"""A stand-in for the model in tests that check what happens around an answer, not the answer itself.

The appliance's own run_task, gate, calibration lookup, results, outbox and TUI all run;
only `engine.generate` is replaced, so no GGUF is loaded. The tests that exercise the real
model are marked slow elsewhere.
"""

from __future__ import annotations

import json
from typing import Callable

from appliance import calibration, capability
from appliance.calibration import Calibration, IsotonicMap
from appliance.engine.llm import Generation
from appliance.store.tx import transaction

QA = ("QUESTION:\n{question}\nREPORT:\nEXAM: MRI abdomen.\nFINDINGS: A 2.3 cm arterially enhancing lesion in "
      "hepatic segment 7. The spleen is normal.\n")
QA_ANSWER = {"answer": "2.3 cm", "evidence": "A 2.3 cm arterially enhancing lesion"}


class FakeEngine:
    """Answers every task with `reply(prompt text) -> (value, raw confidence)`."""

    def __init__(self, reply: Callable[[str], tuple[dict, float]]):
        self.reply = reply
        self.calls = 0

    def generate(self, prompt, model_cls, max_tokens, quote_keys=()) -> Generation:
        self.calls += 1
        value, confidence = self.reply(str(prompt))
        return Generation(value=model_cls.model_validate(value), text=json.dumps(value), prompt_sha256="0" * 64,
                          prompt_tokens=10, prompt_evaluated=10, completion_tokens=5, prefill_s=0.01,
                          decode_s=0.01, confidence=confidence)


def use_fake_engine(app, engine: FakeEngine) -> FakeEngine:
    """Every task of this Appliance is answered by `engine` (the catalogue's model identity is kept)."""
    app.engine_with_adapter = lambda task=None: (app.model_entry(task), None, engine)
    return engine


def qa_by_confidence(prompt: str) -> tuple[dict, float]:
    """The QA answer, with a low raw confidence where the question says 'unsure'."""
    return QA_ANSWER, (0.2 if "unsure" in prompt else 0.95)


def open_gate(app, task: str) -> None:
    """Measured evidence that the model beats the baseline on `task` (so its answers are shown)."""
    entry = app.model_entry(task)
    with transaction(app.db):
        capability.record(app.db, {"task": task, "model_sha256": entry.sha256, "adapter_sha256": "",
                                   "metric": "accuracy", "value": 0.9, "ci_low": 0.8, "ci_high": 0.95,
                                   "baseline": 0.5, "baseline_name": "constant answer", "n": 40,
                                   "dataset": "clinic.jsonl", "dataset_sha256": "0" * 64})


# raw 0.2 → 0.18 (low), raw 0.95 → 0.84
MAP = IsotonicMap((0.0, 0.5, 1.0), (0.1, 0.3, 0.9))


def store_map(app, task: str, mapping: IsotonicMap = MAP, n: int = 40) -> None:
    entry = app.model_entry(task)
    with transaction(app.db):
        calibration.store(app.db, task, entry.sha256, None, Calibration(n, 0.6, 0.8, 0.2, 0.05, mapping),
                          "clinic.jsonl", "0" * 64)
