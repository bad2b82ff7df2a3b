"""`appliance selftest`: proof that this box can do its job, one timed check at a time."""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass
from typing import Callable

from . import capability
from .adapters.store import active_for, active_rows, ident, verified_adapter_path
from .catalogue import load_catalogue, verified_path
from .home import SUBDIRS
from .app import Appliance
from .evaluation import score_answer
from .selftest_cases import CASES as LABELLED_CASES
from .store import audit
from .store.db import integrity_ok
from .tasks import TASKS


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    duration_s: float


def _timed(name: str, fn: Callable[[], str]) -> Check:
    started = time.perf_counter()
    try:
        detail, ok = fn(), True
    except Exception as exc:  # a selftest reports every failure, it never stops at the first
        detail, ok = f"{type(exc).__name__}: {exc}", False
    return Check(name, ok, detail, round(time.perf_counter() - started, 3))


class _Reported(list):
    """The checks so far; each one is also handed to `on_check` as it finishes (a screen fills row by row)."""

    def __init__(self, on_check: Callable[[dict], None] | None) -> None:
        super().__init__()
        self.on_check = on_check

    def append(self, check: Check) -> None:
        super().append(check)
        if self.on_check is not None:
            self.on_check(asdict(check))


# Worked examples for the deterministic tools: (task, document, field, the value the rule gives, where it comes from)
CASES = (
    ("rads_assignment", "EXAM: Screening mammogram.\nFINDINGS: Scattered fibroglandular density. No suspicious "
     "mass.\nIMPRESSION: Negative. BI-RADS 1.", "category", "1", "stated_in_document"),     # stated category
    ("rads_assignment", "EXAM: Thyroid ultrasound.\nFINDINGS: Right lobe 1.6 cm solid hypoechoic nodule with irregular "
     "margins and punctate echogenic foci, taller than wide.", "category", "TR5", "computed"),  # ACR TI-RADS 2017: 12 points
    ("rads_assignment", "Coronary CTA: 75% stenosis of the proximal LAD. Left main normal. RCA and LCx normal.",
     "category", "4A", "computed"),                                                       # CAD-RADS 2.0
    ("n_staging", "Sigmoid colon, resection: adenocarcinoma. Lymph nodes: metastatic carcinoma in 3 of 15 lymph "
     "nodes.", "n_stage", "N1b", "computed"),                                             # AJCC 8 colorectal
    ("triage", "CC: chest pain. 58-year-old man, crushing central chest pain for 40 minutes with sweating. "
     "HR 110, BP 150/95, SpO2 96%.", "esi_level", 2, "computed"),                         # ESI v4 decision B
    ("abnormality_detection", "EXAM: Chest radiograph PA and lateral.\nFINDINGS: Large right pleural effusion. "
     "No pneumothorax.", "pleural_effusion", "positive", "computed"),                     # CheXpert labeler rules
)
SOURCE_WORDS = {"stated_in_document": "stated in the report", "computed": "computed by the rules"}


def run_tool_checks(cases=CASES) -> str:
    """Every deterministic tool gives its worked example's answer, from the right source (no model)."""
    failed = []
    for task, text, key, want, source in cases:
        answer = TASKS[task].run_tools(text)
        got = answer.output.get(key) if answer is not None and answer.output else None
        how = SOURCE_WORDS.get(answer.source, answer.source) if answer is not None else "no answer"
        if got != want or (answer is not None and answer.source != source):
            failed.append(f"{TASKS[task].title} {want} {SOURCE_WORDS[source]}: got {got} {how}")
    if failed:
        raise RuntimeError("deterministic answers wrong: " + "; ".join(failed))
    return f"{len(cases)} worked examples answered by the guideline tools and stated values"


def served_model_tasks(app: Appliance) -> list[tuple[str, capability.Evidence]]:
    """The tasks whose model answers pass the gate for the model and adapter serving them now (no model loads)."""
    served = []
    for task in TASKS:
        entry = app.model_entry(task)
        adapter = active_for(app.db, entry.sha256, task)
        found = capability.evidence(app.db, task, entry.sha256, adapter["sha256"] if adapter else None)
        if found is not None and found.passes:
            served.append((task, found))
    return served


def gate_recheck(app: Appliance, cases: dict[str, list[tuple[str, dict]]] = LABELLED_CASES) -> str:
    """A tiny evaluation: each task served by the model still scores above its stored baseline on shipped cases.

    Only where a model answer is served as a result is a model asked (loaded).
    """
    if not app.settings.gate_model_answers:
        raise RuntimeError("the capability gate is switched off in the settings: model answers are shown "
                           "without measured evidence")
    served = served_model_tasks(app)
    if not served:
        # The deterministic answers are re-checked by the guideline_tools check, every run.
        return "no model answers are served as results; nothing to re-check"
    held, failed = [], []
    for task, found in served:
        title = TASKS[task].title
        shipped = cases.get(task) or []
        if not shipped:
            failed.append(f"{title}: no labelled cases shipped to re-check it with")
            continue
        scores = []
        for text, expected in shipped:
            run = app.run_task(text, task, use_tools=False)  # the model's own answer, as the evidence measured it
            scores.append(0.0 if run.error else score_answer(task, expected, run.output))
        mean = sum(scores) / len(scores)
        line = (f"{title}: {found.metric} {mean:.2f} on {len(scores)} labelled cases, stored baseline "
                f"{found.baseline:.2f} ({found.baseline_name})")
        (held if mean > found.baseline else failed).append(line)
    if failed:
        raise RuntimeError("the evidence behind model answers no longer holds on this build - " + "; ".join(failed)
                           + (" (holds: " + "; ".join(held) + ")" if held else "")
                           + "; rerun appliance eval on labelled reports")
    return "; ".join(held)


def run_selftest(app: Appliance, on_check: Callable[[dict], None] | None = None) -> dict:
    started = time.perf_counter()
    checks: list[Check] = _Reported(on_check)

    def home_writable() -> str:
        for name in SUBDIRS:
            probe = app.home.root / name / ".selftest-probe"
            with open(probe, "wb") as f:
                f.write(b"ok")
                f.flush()
                os.fsync(f.fileno())
            probe.unlink()
        return f"{app.home.root}: {', '.join(SUBDIRS)} writable"

    def database() -> str:
        ok, message = integrity_ok(app.db)
        if not ok:
            raise RuntimeError(f"{app.home.db_path}: integrity_check says {message}; restore the database from backup")
        return f"{app.home.db_path}: integrity ok"

    def audit_chain() -> str:
        problems = audit.verify(app.db)
        if problems:
            raise RuntimeError(f"{len(problems)} problem(s): {problems[0]}")
        return f"{app.db['audit'].count} rows, chain intact"

    checks.append(_timed("home_writable", home_writable))
    checks.append(_timed("database_integrity", database))
    checks.append(_timed("audit_chain", audit_chain))
    for entry in load_catalogue(app.home):
        checks.append(_timed(f"model_file:{entry.name}",
                             lambda e=entry: f"{verified_path(e, app.home)} sha256 ok"))
    def adapters() -> str:
        # Every active adapter's installed file still matches the sha256 it was verified with.
        rows = active_rows(app.db)
        for row in rows:
            verified_adapter_path(app.home, row)
        return ", ".join(f"{ident(r)} over {r['base_name']}: sha256 ok" for r in rows) or "none active (base models only)"

    checks.append(_timed("adapters", adapters))

    def capability_gate() -> str:
        # Which tasks show model answers: only those whose stored evaluation beats the baseline.
        from .capability import gate_table

        lines = []
        for entry in load_catalogue(app.home):
            open_tasks = [t for t, g in gate_table(app.db, entry.sha256).items() if g["open"]]
            lines.append(f"{entry.name}: model answers shown for {', '.join(open_tasks) or 'no task'}")
        return "; ".join(lines)

    checks.append(_timed("capability_gate", capability_gate))
    # The gate's evidence still holds on this build (a model is asked only for tasks it serves).
    checks.append(_timed("gate_evidence", lambda: gate_recheck(app)))

    def tools() -> str:
        # The deterministic tools answer their worked examples (no model): a calculator that broke
        # would otherwise only show as withheld results.
        return run_tool_checks()

    checks.append(_timed("guideline_tools", tools))

    def models_load() -> str:
        # The default model and every model a task is routed to stay loaded side by side.
        names = [app.engine(task)[0].name for task in [None, *app.settings.routes]]
        return f"{', '.join(sorted(set(names)))} loaded"

    load = _timed("model_loads", models_load)
    checks.append(load)
    for name, task in TASKS.items():
        if not load.ok:
            checks.append(Check(f"golden:{name}", False, "skipped: the model did not load", 0.0))
            continue

        def golden(task_name=name, document=task.golden) -> str:
            run = app.run_task(document, task_name, use_tools=False)  # the model itself, not a tool
            if run.error:
                raise RuntimeError(run.error)
            return f"schema-valid in {run.prefill_s + run.decode_s:.2f}s ({run.completion_tokens} tokens)"

        checks.append(_timed(f"golden:{name}", golden))
    return {
        "ok": all(c.ok for c in checks),
        "checks": [asdict(c) for c in checks],
        "duration_s": round(time.perf_counter() - started, 3),
    }
