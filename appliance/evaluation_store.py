"""Where an evaluation goes: the database (with model, adapter and file identity) and report files.

Each task's confidence map (calibration.py), fitted on all of the run's model answers, is kept
beside its evaluation: from then on model answers for that task × model × adapter carry a
calibrated confidence. Rerunning `appliance eval` refits it (the newest map serves).

The capability gate's evidence (capability.py) is stored for a `--model-only` run, and for
every run of a task whose scored answers are all the model's own (RADS feature reading,
`rads_features`: evaluation.py), under the model and adapter that served it.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from . import calibration, capability
from .adapters.store import active_for
from .durable import file_sha256, write_json_atomic, write_text_atomic
from .evaluation import MODEL_ANSWERS_ONLY, Answer, TaskReport, report, table
from .store.tx import transaction


def store_reports(app, labelled: Path, answers: dict[str, list[Answer]], model_only: bool) -> list[TaskReport]:
    """One evaluations row per task, its confidence map; the capability gate's evidence where the
    answers are the model's own (`model_only`, or a task in MODEL_ANSWERS_ONLY)."""
    reports = [report(task, rows) for task, rows in sorted(answers.items())]
    digest = file_sha256(labelled)
    now = datetime.datetime.now(datetime.timezone.utc).isoformat()
    with transaction(app.db):
        for r in reports:
            entry = app.model_entry(r.task)
            adapter = active_for(app.db, entry.sha256, r.task)
            adapter_sha = adapter["sha256"] if adapter else ""
            own = model_only or r.task in MODEL_ANSWERS_ONLY
            app.db["evaluations"].insert({
                "created_at": now, "dataset": labelled.name, "dataset_sha256": digest, "task": r.task,
                "model_name": entry.name, "model_sha256": entry.sha256, "adapter_sha256": adapter_sha,
                "model_only": int(own), "report": json.dumps(r.as_dict()),
            })
            if r.calibration is not None:
                calibration.store(app.db, r.task, entry.sha256, adapter_sha, r.calibration, labelled.name, digest)
            if own:
                capability.record(app.db, {
                    "task": r.task, "model_sha256": entry.sha256, "adapter_sha256": adapter_sha,
                    "metric": r.metric_name, "value": r.value, "ci_low": r.ci[0], "ci_high": r.ci[1],
                    "baseline": r.baseline, "baseline_name": r.baseline_name, "n": r.n,
                    "dataset": labelled.name, "dataset_sha256": digest,
                })
    return reports


def write_report_files(out: Path, labelled: Path, reports: list[TaskReport], answers: dict[str, list[Answer]]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    write_json_atomic(out / "report.json", {
        "dataset": labelled.name, "reports": [r.as_dict() for r in reports],
        "answers": {task: [{"id": a.id, "expected": a.expected, "predicted": a.predicted, "source": a.source,
                            "confidence_raw": a.confidence}
                           for a in rows] for task, rows in answers.items()},
    })
    write_text_atomic(out / "report.md", f"# Evaluation of {labelled.name}\n\n```\n{table(reports)}\n```\n")
