"""Ordered, named migrations; each runs once and is recorded in _migrations.

Never edit or reorder a migration that has shipped: add a new one.
"""

from __future__ import annotations

import datetime
from typing import Callable

import sqlite_utils

from .tx import transaction

MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = []


def migration(fn: Callable[[sqlite_utils.Database], None]):
    MIGRATIONS.append(fn)
    return fn


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply the pending migrations in order; returns the names applied."""
    if "_migrations" not in db.table_names():
        db["_migrations"].create({"name": str, "applied_at": str}, pk="name")
    done = {row["name"] for row in db["_migrations"].rows}
    applied = []
    for fn in MIGRATIONS:
        if fn.__name__ in done:
            continue
        with transaction(db):  # one transaction per migration: all of it or none
            fn(db)
            db["_migrations"].insert(
                {"name": fn.__name__, "applied_at": datetime.datetime.now(datetime.timezone.utc).isoformat()}
            )
        applied.append(fn.__name__)
    return applied


@migration
def m001_jobs_results_audit(db: sqlite_utils.Database) -> None:
    db["jobs"].create(
        {
            "id": int,
            "sha256": str,          # content hash: the idempotency key
            "source": str,          # file name as it arrived
            "document_type": str,
            "status": str,          # received | processing | done | failed | quarantined
            "error": str,
            "urgent": int,
            "flags": str,           # JSON list
            "plan": str,            # JSON: tasks chosen and why
            "model_name": str,
            "model_sha256": str,
            "adapter": str,
            "outbox_path": str,
            "received_at": str,
            "started_at": str,
            "finished_at": str,
        },
        pk="id",
        not_null={"sha256", "source", "status", "received_at"},
        defaults={"urgent": 0, "flags": "[]"},
    )
    db["jobs"].create_index(["sha256"], unique=True)
    db["jobs"].create_index(["status"])
    db["results"].create(
        {
            "id": int,
            "job_id": int,
            "task": str,
            "status": str,          # ok | error
            "output": str,          # validated JSON; NULL when status = error
            "error": str,
            "model_name": str,
            "model_sha256": str,
            "adapter": str,
            "prompt_sha256": str,
            "prompt_tokens": int,
            "prompt_evaluated": int,
            "completion_tokens": int,
            "prefill_s": float,
            "decode_s": float,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("job_id", "jobs", "id")],
        not_null={"job_id", "task", "status", "created_at"},
    )
    db["results"].create_index(["job_id", "task"])
    db["audit"].create(
        {
            "id": int,
            "ts": str,
            "actor": str,
            "event": str,
            "job_id": int,
            "details": str,         # canonical JSON
            "prev_hash": str,
            "hash": str,
        },
        pk="id",
        not_null={"ts", "actor", "event", "details", "prev_hash", "hash"},
    )


@migration
def m002_result_source(db: sqlite_utils.Database) -> None:
    # Where a result came from: "model", or "stated_in_document" (a deterministic tool).
    db["results"].add_column("source", str, not_null_default="model")


@migration
def m003_job_archive_and_attempts(db: sqlite_utils.Database) -> None:
    # archived_at: the original left the inbox (archive/ or quarantine/); until then a
    # finished job's file is only moved on, never re-run. attempts: processing starts,
    # so a document that keeps crashing the service is quarantined instead of looping.
    db["jobs"].add_column("archived_at", str)
    db["jobs"].add_column("archive_path", str)
    db["jobs"].add_column("attempts", int, not_null_default=0)
    db["jobs"].add_column("format", str)     # text | pdf | hl7v2 | fhir
    db["jobs"].add_column("metadata", str)   # JSON: patient/accession ids from HL7 or FHIR, never report text


@migration
def m004_agent_decisions(db: sqlite_utils.Database) -> None:
    # What the agent decided about the document: its modality and region, why it is
    # urgent (red-flag rules with their evidence), and diagnoses the rules added.
    db["jobs"].add_column("modality", str)
    db["jobs"].add_column("region", str)
    db["jobs"].add_column("urgent_reasons", str)
    db["jobs"].add_column("additions", str)


@migration
def m005_reviews(db: sqlite_utils.Database) -> None:
    # A clinician's decision on one task's result: accept, correct (with the corrected
    # object, valid under the same schema) or reject (with a reason). The model's
    # original output is kept beside it, so nothing is overwritten.
    db["reviews"].create(
        {
            "id": int,
            "job_id": int,
            "task": str,
            "action": str,            # accept | correct | reject
            "reviewer": str,
            "reason": str,
            "original_output": str,
            "corrected_output": str,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("job_id", "jobs", "id")],
        not_null={"job_id", "task", "action", "reviewer", "created_at"},
    )
    db["reviews"].create_index(["job_id"])
    db["jobs"].add_column("reviewed_at", str)


@migration
def m006_adapters(db: sqlite_utils.Database) -> None:
    # Installed adapter versions (a row exists only once the version's folder is in
    # place and its golden cases passed) and the active pointer: `active` = 1 on at most
    # one row per base model. `previous_id` is what was active for that base before this
    # one was activated, so rollback walks back one switch at a time.
    db["adapters"].create(
        {
            "id": int,
            "name": str,
            "version": str,
            "tasks": str,             # JSON list of task names it serves
            "base_name": str,
            "base_sha256": str,
            "architecture": str,
            "sha256": str,            # of adapter.gguf
            "size": int,
            "manifest_sha256": str,
            "keyids": str,            # JSON list: trusted keys whose signatures were valid
            "lora_rank": int,
            "lora_alpha": float,
            "created": str,           # when the trainer built it (from the manifest)
            "path": str,              # folder, relative to HOME/adapters: <name>/<version>
            "installed_at": str,
            "active": int,
            "activated_at": str,
            "previous_id": int,
        },
        pk="id",
        not_null={"name", "version", "tasks", "base_sha256", "sha256", "path", "installed_at"},
        defaults={"active": 0},
    )
    db["adapters"].create_index(["name", "version"], unique=True)
    db["adapters"].create_index(["base_sha256", "active"])


@migration
def m007_working_withheld_capability(db: sqlite_utils.Database) -> None:
    # How a result was reached (a calculator's features and quotes) and, for a model
    # answer without measured evidence, why it is withheld (its raw output is kept).
    db["results"].add_column("working", str)
    db["results"].add_column("withheld", str)
    db["results"].add_column("confidence", float)
    # Measured evidence that a model (+ adapter) beats the trivial baseline on a task:
    # written by `appliance eval`, read by the capability gate.
    db["capability"].create(
        {
            "id": int,
            "task": str,
            "model_sha256": str,
            "adapter_sha256": str,    # '' for the base model alone
            "metric": str,
            "value": float,
            "ci_low": float,
            "ci_high": float,
            "baseline": float,
            "baseline_name": str,
            "n": int,
            "dataset": str,           # file name
            "dataset_sha256": str,
            "created_at": str,
        },
        pk="id",
        not_null={"task", "model_sha256", "metric", "value", "baseline", "n"},
    )
    db["capability"].create_index(["task", "model_sha256", "adapter_sha256"])


@migration
def m008_drop_folder_faults(db: sqlite_utils.Database) -> None:
    # claimed_by: which live process is working on the job (pid:start-time:instance),
    # set when processing starts and cleared when the original is archived, so two
    # processes that bypass the service lock cannot both process one document.
    db["jobs"].add_column("claimed_by", str)
    # Attempts to read/parse a file, kept by content hash before any job row exists:
    # a file that kills the service while being read is quarantined after a few tries.
    db["read_attempts"].create(
        {"sha256": str, "source": str, "attempts": int, "last_at": str},
        pk="sha256", not_null={"source", "attempts", "last_at"},
    )
    # The keyed audit log: every row gets mac = HMAC-SHA256(HOME/keys/audit.key, hash).
    # Rows already in the log are sealed now, as they are: a change to them from this
    # migration on is detected; a change made before it only by the plain chain.
    from . import audit

    db["audit"].add_column("mac", str)
    audit.seal_existing(db)


@migration
def m009_evaluations(db: sqlite_utils.Database) -> None:
    # One row per task of each `appliance eval` run: the report as JSON, with the model
    # and adapter identity and the labelled file's sha256.
    db["evaluations"].create(
        {
            "id": int,
            "created_at": str,
            "dataset": str,
            "dataset_sha256": str,
            "task": str,
            "model_name": str,
            "model_sha256": str,
            "adapter_sha256": str,
            "model_only": int,
            "report": str,
        },
        pk="id",
    )


@migration
def m010_calibration(db: sqlite_utils.Database) -> None:
    # A model answer's confidence as shown (calibrated where a map exists, else raw), the
    # decoder's raw number beside it, and how many labelled answers the map was fitted on.
    db["results"].add_column("confidence_raw", float)
    db["results"].add_column("confidence_kind", str)   # 'calibrated' | 'raw'
    db["results"].add_column("calibrated_on", int)
    # Isotonic maps raw confidence → share of answers right, per task × model × adapter:
    # written by `appliance eval` (fitted on all its model answers), read at run time.
    db["calibration"].create(
        {
            "id": int,
            "created_at": str,
            "task": str,
            "model_sha256": str,
            "adapter_sha256": str,    # '' for the base model alone
            "method": str,            # 'isotonic'
            "points": str,            # JSON {"x": [...], "y": [...]}
            "n": int,                 # model answers it was fitted on
            "accuracy": float,
            "top_half_accuracy": float,
            "ece_raw": float,
            "ece_calibrated": float,  # 2-fold cross-fitted
            "dataset": str,
            "dataset_sha256": str,
        },
        pk="id",
        not_null={"task", "model_sha256", "points", "n"},
    )
    db["calibration"].create_index(["task", "model_sha256", "adapter_sha256"])
