"""The appliance's core path for one document.

Order of durable steps, chosen so that a crash between any two leaves each
document either not started or finished once:

1. job row `processing` (committed) — a crash after this re-runs the document;
2. model tasks (nothing durable);
3. one transaction: results + job `done` + audit rows;
4. outbox JSON (tmp + fsync + rename) — rebuilt from the database if missing;
5. original moved to archive/ (watch mode) — a done job whose file is still in
   the inbox is only archived on the next pass, never re-run.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlite_utils

from .. import DECISION_SUPPORT_NOTICE
from ..calibration import confidence_fields, is_low, kind as confidence_kind
from ..capability import withheld_reason
from ..catalogue import ModelEntry
from ..engine.llm import validate_output
from ..engine.templates import TEMPLATES
from ..errors import ApplianceError, InputError, OutputError
from ..store import audit
from ..tasks import get_task
from ..tasks.parts import missing_parts
from ..tasks.prompt import build_prompt
from ..safety.red_flags import red_flags
from ..service_lock import claim_alive, claim_token
from ..store import jobs
from ..safety.impression import impression_flags
from ..safety.review import review
from ..tasks.feature_question import NOT_DESCRIBED, TASK_NAME as FEATURE_TASK, question_task
from ..tasks.rads_systems import RADS_MANAGEMENT, system as rads_system
from .checks import rads_system_mismatch, unverified_quotes
from ..durable import write_json_atomic
from .plan import plan_document
from .reader import Document

if TYPE_CHECKING:  # the composition root (appliance/app.py) passes itself in
    from ..app import Appliance


@dataclass
class TaskRun:
    task: str
    output: dict[str, Any] | None
    error: str | None
    prompt_sha256: str | None = None
    prompt_tokens: int = 0
    prompt_evaluated: int = 0
    completion_tokens: int = 0
    prefill_s: float = 0.0
    decode_s: float = 0.0
    flags: list[str] = field(default_factory=list)
    source: str = "model"  # "stated_in_document" or "computed" when a deterministic tool answered
    model: ModelEntry | None = None  # None when no model was asked
    adapter: dict[str, str] | None = None  # identity of the LoRA adapter over the model, if one served
    working: dict[str, Any] | None = None  # a tool's features, quotes and guideline (tools/answer.py)
    withheld: str | None = None  # why this answer is not presented as a result (output kept, unverified)
    confidence: float | None = None  # calibrated where `appliance eval` fitted a map (calibration.py), else raw
    confidence_raw: float | None = None  # the decoder's own: lowest renormalised choice probability
    calibrated_on: int | None = None  # labelled answers the map was fitted on; None: not calibrated


def run_task(app: "Appliance", document: str, task_name: str, use_tools: bool = True, hits: list | None = None) -> TaskRun:
    """One task on one document; a bad output becomes an error, never a result.

    Deterministic tools answer first (a stated value, then a guideline calculation);
    the model is asked only where they find nothing to assess, and its answer is
    withheld unless measured evidence says it beats the trivial baseline.
    """
    task = get_task(task_name)
    if missing := missing_parts(task_name, document):
        return TaskRun(task_name, None, f"{task_name} needs a document with labelled parts; missing: "
                       f"{', '.join(missing)} (see README, input formats for two-part tasks)")
    answer = task.run_tools(document, hits) if use_tools else None
    if answer is not None and answer.output is not None:
        # Stated in so many words, or computed by the guideline from quoted features.
        value = validate_output(json.dumps(answer.output), task.output, task.schema())
        return TaskRun(task_name, value.model_dump(mode="json"), None, source=answer.source,
                       flags=answer.flags + unverified_quotes(task, value, document), working=answer.working())
    if answer is not None:
        # The tool found the lesion but not every feature its guideline needs: say which,
        # rather than ask a model for the category itself. Open categorical features are
        # asked of the model one by one, and the guideline's own rules applied to them.
        if answer.questions and answer.resolve is not None:
            return ask_features(app, document, task_name, answer)
        return TaskRun(task_name, None, None, source=answer.source, working=answer.working(), flags=answer.flags,
                       withheld=partial_reason(answer))
    entry, adapter, engine = app.engine_with_adapter(task_name)
    prompt = build_prompt(TEMPLATES[entry.chat_template], document, task)
    try:
        gen = engine.generate(prompt, task.output, max_tokens=task.budget, quote_keys=task.quote_keys)
    except (OutputError, InputError) as exc:
        return TaskRun(task_name, None, str(exc), model=entry, adapter=adapter)
    checked = model_answer_checks(task_name, gen.value.model_dump(mode="json"), document)
    gate = withheld_reason(app.db, task_name, entry.sha256, adapter["sha256"] if adapter else None) \
        if app.settings.gate_model_answers else None
    return TaskRun(
        task=task_name,
        model=entry,
        adapter=adapter,
        output=gen.value.model_dump(mode="json"),
        error=None,
        prompt_sha256=gen.prompt_sha256,
        prompt_tokens=gen.prompt_tokens,
        prompt_evaluated=gen.prompt_evaluated,
        completion_tokens=gen.completion_tokens,
        prefill_s=round(gen.prefill_s, 4),
        decode_s=round(gen.decode_s, 4),
        **confidence_fields(app.db, task_name, entry.sha256, adapter, gen.confidence),
        flags=unverified_quotes(task, gen.value, document) + checked,
        # A failed check withholds the answer even where the gate would let it through.
        withheld=gate or ("; ".join(checked) if checked and task_name == "impression_generation" else None),
    )

def process(app: "Appliance", doc: Document, tasks: list[str] | None = None) -> dict[str, Any]:
    """Run the document's tasks, commit results and audit together, write the outbox JSON."""
    for name in tasks or []:
        get_task(name)  # unknown names fail before anything is written
    entry = app.model_entry()
    plan = plan_document(doc.text, tasks)
    hits = red_flags(doc.text)  # before any model runs: urgency never waits on inference
    job_id = _start_job(app, doc, plan, entry, hits)
    started = time.perf_counter()
    runs = [run_task(app, doc.text, name, hits=hits) for name in plan.tasks]
    total_s = time.perf_counter() - started
    presented = {r.task: r.output for r in runs if r.output is not None and r.withheld is None}
    safety = review(doc.text, presented, hits)
    outbox_path = app.home.outbox / outbox_name(doc)
    flags = sorted({f for run in runs for f in run.flags} | {f"task_failed:{r.task}" for r in runs if r.error}
                   | set(safety.flags))
    if not plan.tasks:
        flags.append("no_applicable_tasks")
    results, audits = [], []
    for run in runs:
        results.append({
            "task": run.task, "status": "error" if run.error else ("withheld" if run.withheld else "ok"),
            "working": json.dumps(run.working, ensure_ascii=False) if run.working else None,
            "withheld": run.withheld, "confidence": run.confidence,
            "confidence_raw": run.confidence_raw, "calibrated_on": run.calibrated_on,
            "confidence_kind": confidence_kind(run.calibrated_on) if run.confidence is not None else None,
            "output": json.dumps(run.output) if run.output is not None else None, "error": run.error,
            "model_name": run.model.name if run.model else None,
            "model_sha256": run.model.sha256 if run.model else None,
            "adapter": json.dumps(run.adapter) if run.adapter else None,
            "prompt_sha256": run.prompt_sha256, "prompt_tokens": run.prompt_tokens,
            "prompt_evaluated": run.prompt_evaluated, "completion_tokens": run.completion_tokens,
            "prefill_s": run.prefill_s, "decode_s": run.decode_s, "source": run.source,
        })
        audits.append(("task_error" if run.error else "task_result", {
            "task": run.task, "error": run.error, "prompt_sha256": run.prompt_sha256, "withheld": run.withheld,
            "output_sha256": audit.sha256_text(json.dumps(run.output)) if run.output is not None else None,
            "model": run.model.name if run.model else None, "source": run.source, "flags": run.flags,
            "adapter": run.adapter["id"] if run.adapter else None,
        }))
    adapter = next((r.adapter for r in runs if r.adapter), None)
    jobs.finish(app.db, job_id, sha256=doc.sha256, results=results, result_audits=audits,
                checks={"flags": safety.flags, "additions": safety.additions}, urgent=safety.urgent,
                total_s=total_s, fields={
                    "flags": json.dumps(flags), "adapter": json.dumps(adapter) if adapter else None,
                    "additions": json.dumps(safety.additions), "outbox_path": str(outbox_path),
                    "error": "; ".join(f"{r.task}: {r.error}" for r in runs if r.error) or None,
                })
    record = outbox_record(app.db, job_id)
    write_json_atomic(outbox_path, record)
    return record

def _start_job(app: "Appliance", doc: Document, plan, entry: ModelEntry, hits: list) -> int:
    routing = {task: app.model_entry(task).name for task in plan.tasks}
    token = claim_token(app)

    def claimed_elsewhere(job: dict) -> str | None:
        # Two processes that bypass the service lock never both run a document.
        if job["claimed_by"] not in (None, token) and claim_alive(job["claimed_by"]):
            return (f"{doc.source}: another process is working on this content (job {job['id']}); "
                    "left for it")
        if doc.once and jobs.is_finished(job):
            return f"{doc.source}: this content was processed already (job {job['id']}); not run again"
        return None

    return jobs.start(
        app.db, sha256=doc.sha256, source=doc.source, token=token, claimed_elsewhere=claimed_elsewhere,
        fields={
            "document_type": plan.document_type, "modality": plan.modality, "region": plan.region,
            "format": doc.format, "metadata": json.dumps(doc.metadata, ensure_ascii=False),
            "plan": json.dumps({"tasks": plan.tasks, "reasons": plan.reasons, "routing": routing}),
            "model_name": entry.name, "model_sha256": entry.sha256, "adapter": None,
            "urgent": int(bool(hits)), "urgent_reasons": json.dumps([h.as_dict() for h in hits]),
        },
        plan_audit={"document_type": plan.document_type, "modality": plan.modality, "region": plan.region,
                    "tasks": plan.tasks, "reasons": plan.reasons, "routing": routing},
        red_flags=[h.as_dict() for h in hits])

def recover(app: "Appliance") -> None:
    """At service start: remove our own half-written temporary files (never originals)."""
    for folder in (app.home.outbox, app.home.quarantine):
        for tmp in folder.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)


MODEL_FEATURES = "computed_from_model_features"  # provenance: the guideline's rules over model-read features


def ask_features(app: "Appliance", document: str, task_name: str, answer) -> TaskRun:
    """A partial tool answer's open features asked of the model: one enum question each, never the category.

    Each answer is one of the calculator's own values (or "not described") with a verbatim
    quote; the calculator's `resolve` applies its rules to them. Model-read features are
    unproven, so the category they give is kept as unverified (withheld) unless the capability
    gate has passing evidence for feature reading ("rads_features") on this model and adapter,
    or the clinic has turned the gate off (`gate_model_answers`).
    """
    task = get_task(task_name)
    reason = partial_reason(answer)
    entry, adapter, engine = app.engine_with_adapter(FEATURE_TASK)
    template = TEMPLATES[entry.chat_template]
    read: list[dict[str, Any]] = []
    answers: dict = {}
    gens = []
    for question in answer.questions:
        asked = question_task(question, answer.system)
        try:
            gen = engine.generate(build_prompt(template, document, asked), asked.output,
                                  max_tokens=asked.budget, quote_keys=asked.quote_keys)
        except (OutputError, InputError) as exc:
            read.append({"feature": question.feature, "lesion": question.lesion, "value": None,
                         "evidence": None, "confidence": None, "error": str(exc)})
            continue
        gens.append(gen)
        value = gen.value.model_dump(mode="json")
        read.append({"feature": question.feature, "lesion": question.lesion, "value": value["value"],
                     "evidence": value["evidence"],
                     "confidence": round(gen.confidence, 4) if gen.confidence is not None else None})
        if value["value"] != NOT_DESCRIBED:
            answers[question] = value["value"]
    categories = answer.resolve(answers) if answers else set()
    row = rads_system(answer.system) if answer.system else None
    said = [r for r in read if r["value"] not in (None, NOT_DESCRIBED)]
    words = "; ".join(f"the model read the {r['feature']}{_of_lesion(r['lesion'])} as '{r['value']}' from "
                      f"\"{r['evidence']}\"" for r in said)
    output = None
    if len(categories) == 1:
        category = next(iter(categories))
        words += f" (unverified), which would give {answer.system} {category}"
        would_be = validate_output(json.dumps({"system": answer.system, "category": category,
                                               "evidence": said[0]["evidence"]}), task.output, task.schema())
        output = would_be.model_dump(mode="json")
    elif said:
        ordered = sorted(categories, key=row.rank) if row else sorted(categories)
        words += (f" (unverified), which would leave {ordered[0]}-{ordered[-1]}" if len(ordered) > 1
                  else " (unverified), which does not settle it")
    elif gens:
        words = "the model found none of these described: " + ", ".join(q.feature for q in answer.questions)
    else:
        words = "the model could not be asked: " + "; ".join(r["error"] for r in read if r.get("error"))
    gate = withheld_reason(app.db, FEATURE_TASK, entry.sha256, adapter["sha256"] if adapter else None) \
        if app.settings.gate_model_answers else None
    working = {**answer.working(), "model_features": read}
    presented = output is not None and gate is None
    used = [r["confidence"] for r in said if r["confidence"] is not None]  # the answers the category rests on
    return TaskRun(
        task=task_name, output=output, error=None, model=entry, adapter=adapter,
        prompt_sha256=gens[0].prompt_sha256 if gens else None,
        prompt_tokens=sum(g.prompt_tokens for g in gens), prompt_evaluated=sum(g.prompt_evaluated for g in gens),
        completion_tokens=sum(g.completion_tokens for g in gens),
        prefill_s=round(sum(g.prefill_s for g in gens), 4), decode_s=round(sum(g.decode_s for g in gens), 4),
        **confidence_fields(app.db, FEATURE_TASK, entry.sha256, adapter, min(used) if used else None),
        flags=answer.flags + (unverified_quotes(task, would_be, document) if output is not None else []),
        source=MODEL_FEATURES if presented else answer.source, working=working,
        withheld=None if presented else "; ".join(w for w in (reason, words, gate if output is not None else None) if w),
    )


def _of_lesion(label: str | None) -> str:
    return f" of the lesion ({label})" if label and label != "the lesion" else ""


def partial_reason(answer) -> str:
    """Why a tool that found the finding gives no answer: what is missing, what the rest allows."""
    allowed = f"; the features found allow {answer.allowed}" if answer.allowed else ""
    if answer.missing:
        return f"not enough in the report to decide: missing {', '.join(answer.missing)}{allowed}"
    return f"{answer.note or 'the report does not settle it'}{allowed}"


def model_answer_checks(task_name: str, value: dict[str, Any], document: str) -> list[str]:
    """Checks of a model's answer against the report's own words (rules, no model)."""
    if task_name == "rads_assignment":
        return rads_system_mismatch(value, document)
    if task_name == "impression_generation":
        # A normal impression for abnormal findings is the most dangerous output there is.
        return impression_flags(value["impression"], document)
    return []


def management(rows: list[dict[str, Any]]) -> dict[str, str]:
    """The RADS system's own next step for the assigned category (from the validity table)."""
    for row in rows:
        if row["task"] == "rads_assignment" and row["status"] == "ok":
            value = json.loads(row["output"])
            advice = RADS_MANAGEMENT.get(value["system"], {}).get(value["category"])
            if advice:
                return {"rads_assignment": advice}
    return {}


def outbox_name(doc: Document) -> str:
    return f"{Path(doc.source).stem}.{doc.sha256[:12]}.json"


def outbox_record(db: sqlite_utils.Database, job_id: int) -> dict[str, Any]:
    """The outbox JSON, built from the database alone (so it can always be rebuilt)."""
    job = db["jobs"].get(job_id)
    latest: dict[str, dict[str, Any]] = {}
    for row in db.query("SELECT * FROM results WHERE job_id = ? ORDER BY id", [job_id]):
        latest[row["task"]] = row
    plan = json.loads(job["plan"] or "{}")
    rows = [latest[t] for t in plan.get("tasks", []) if t in latest]
    return {
        "source": job["source"],
        "sha256": job["sha256"],
        "status": job["status"],
        "document_type": job["document_type"],
        "format": job["format"],
        "metadata": json.loads(job["metadata"] or "{}"),
        "results": {r["task"]: json.loads(r["output"]) for r in rows if r["status"] == "ok"},
        "errors": {r["task"]: r["error"] for r in rows if r["status"] == "error"},
        "provenance": {r["task"]: r["source"] for r in rows if r["status"] == "ok"},
        # Answers not presented as results: why, and the model's raw answer (unverified) where there is one.
        "withheld": {r["task"]: r["withheld"] for r in rows if r["status"] == "withheld"},
        "unverified": {r["task"]: json.loads(r["output"]) for r in rows if r["status"] == "withheld" and r["output"]},
        # The model's certainty per answer: calibrated (the share of such answers that were right on
        # labelled reports, calibration.py) where `appliance eval` fitted a map, else the decoder's raw
        # lowest renormalised choice probability; confidence_detail says which. The capability gate,
        # not this, decides what is shown.
        "confidence": {r["task"]: r["confidence"] for r in rows if r.get("confidence") is not None},
        "confidence_detail": {r["task"]: {
            "kind": r.get("confidence_kind") or "raw",
            "raw": r["confidence_raw"] if r.get("confidence_kind") else r["confidence"],
            "calibrated_on": r.get("calibrated_on"), "low": is_low(r["confidence"], r.get("calibrated_on")),
        } for r in rows if r.get("confidence") is not None},
        "working": {r["task"]: json.loads(r["working"]) for r in rows if r.get("working")},
        "management": management(rows),
        "rule_additions": json.loads(job["additions"] or "{}"),
        "flags": json.loads(job["flags"] or "[]"),
        "urgent": bool(job["urgent"]),
        "urgent_reasons": json.loads(job["urgent_reasons"] or "[]"),
        "plan": plan,
        "modality": job["modality"],
        "region": job["region"],
        "model": {"name": job["model_name"], "sha256": job["model_sha256"]},
        "models": {r["task"]: {"name": r["model_name"], "sha256": r["model_sha256"]} for r in rows if r["model_name"]},
        "adapter": json.loads(job["adapter"]) if job["adapter"] else None,
        "adapters": {r["task"]: json.loads(r["adapter"]) for r in rows if r["adapter"]},
        "timings": {
            r["task"]: {"prefill_s": r["prefill_s"], "decode_s": r["decode_s"],
                        "tokens_per_s": round(r["completion_tokens"] / r["decode_s"], 1) if r["decode_s"] else None}
            for r in rows
        },
        "usage": {
            r["task"]: {"prompt_tokens": r["prompt_tokens"], "prompt_evaluated": r["prompt_evaluated"],
                        "completion_tokens": r["completion_tokens"]}
            for r in rows
        },
        "processed_at": job["finished_at"],
        "notice": DECISION_SUPPORT_NOTICE,
    }


__all__ = ["ApplianceError", "TaskRun", "outbox_record", "process", "run_task"]
