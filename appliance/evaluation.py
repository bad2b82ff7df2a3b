"""`appliance eval`: the deployed path over a labelled file, each metric beside its trivial baseline.

One line per document: `{"id", "text", "label"}`. `label` maps task names to the
expected output, or uses one of the short forms the project's data sets use
(README, "Checking the appliance on your own reports"):

    {"rads_assignment": {"system": "TI-RADS", "category": "TR4"}}      # task → expected fields
    {"system": "TI-RADS", "category": "TR4"}                            # RADS
    {"N": "N1", "M": "M0"}                                              # staging (null: not labelled)
    {"disposition": "emergency", "esi": 2}                              # triage
    {"diagnosis": "appendicitis"}                                       # differential: gold in the four tiers
    {"cardiomegaly": "positive", ...all 14 CheXpert keys}               # chest x-ray findings
    {"system": "TI-RADS", "category": "TR4",
     "feature": "echogenicity", "value": "hypoechoic"}                  # RADS + the feature the model reads

Every document goes through the same code as `appliance process`: the planner (or
`--tasks`), the deterministic tools, the engine with the active adapter, the checks
and the capability gate. A labelled task the planner did not choose counts as not
answered, and so does a withheld answer: what the clinician would have seen is what
is scored. Nothing is written to the worklist or the outbox.

The baseline is the strongest constant answer on the same items (the majority class
for a category, the best single reference text for an impression), so a metric that a
constant can reach is seen for what it is. Intervals are 95 % bootstrap intervals
(2,000 resamples, fixed seed).

Every model answer (shown or withheld) also gives a (raw confidence, right?) pair:
calibration.py turns them into the task's calibration figures (ECE raw and 2-fold
cross-fitted, accuracy overall and on the most confident half) and the map that
evaluation_store.py keeps for run time.

RADS feature reading (`rads_features`, not a catalogue task: the model is asked a
feature only where a RADS calculator leaves it open) is scored on the same deployed
path: the report's `rads_assignment` run (planner, stated value, calculator, then
processor.ask_features, one question per open feature). The score is the model's
answer to the labelled feature's question (of the labelled lesion, where the label
names one): 1 for the gold value, 0 otherwise ("not described" included). A report
where the calculator did not ask the labelled feature (it read the feature itself,
stated or computed the category, or asked others) is "not asked" and counts as 0,
like a task the planner did not choose. The answer is the model's own whether or not
the gate shows the category it gives, so every run of this task is the capability
gate's evidence for this model and adapter (evaluation_store.py), with or without
`--model-only`. The baseline is the most common gold value per feature (each
feature's question is its own: `best_constant` within each feature), so a feature
labelled once gets a baseline of 1 on its item.
"""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from . import calibration
from .errors import InputError
from .pipeline.plan import plan_document
from .tasks import FEATURE_TASK, FEATURE_TITLE, TASKS
from .tasks.abnormality_detection import CHEXPERT_LABELS
from .tasks.base import Output, Task

if TYPE_CHECKING:
    from .pipeline.processor import TaskRun

BOOTSTRAP_ROUNDS = 2000
NOT_ASKED = "not asked"  # rads_features: the calculator did not ask the labelled feature (scored 0)


def _feature_value_right(expected: dict, predicted: dict) -> float:
    """rads_features: the model's answer to the labelled feature's question is the gold value."""
    return float(predicted["feature"] == expected["feature"] and predicted["value"] == expected["value"])


# The model's reading of one RADS feature (`ask_features`): scored like a catalogue task, never asked as one
# (its questions are built per feature by tasks/feature_question.py), so its scoring lives here.
FEATURE_READING = Task(
    name=FEATURE_TASK, title=FEATURE_TITLE, output=Output,
    instruction="one question per feature a RADS calculator leaves open (tasks/feature_question.py)",
    budget=0, golden="", metric=_feature_value_right, metric_name="feature value accuracy",
)
# Every task `appliance eval` scores: the catalogue's, then feature reading.
SCORED: dict[str, Task] = {**TASKS, FEATURE_TASK: FEATURE_READING}
# Tasks whose every scored answer is the model's own (no tool answers them, no gate sits between):
# each run of them is the capability gate's evidence, with or without --model-only.
MODEL_ANSWERS_ONLY = frozenset({FEATURE_TASK})


def scored_task(name: str) -> Task:
    """The task `appliance eval` scores by this name (KeyError naming the known ones otherwise)."""
    try:
        return SCORED[name]
    except KeyError:
        raise KeyError(f"unknown task {name!r}; tasks appliance eval scores: {', '.join(SCORED)}") from None


def expected_by_task(label: dict[str, Any]) -> dict[str, dict]:
    """The label's expected output per task (short forms expanded; unlabelled parts left out)."""
    if any(key in SCORED for key in label):
        return {task: value for task, value in label.items() if task in SCORED and value is not None}
    found: dict[str, dict] = {}
    if label.get("system") and label.get("category"):
        found["rads_assignment"] = {"system": label["system"], "category": label["category"]}
    if label.get("feature") and label.get("value"):
        found[FEATURE_TASK] = {key: label[key] for key in ("system", "feature", "value", "lesion") if label.get(key)}
    if label.get("N"):
        found["n_staging"] = {"n_stage": label["N"]}
    if label.get("M"):
        found["m_staging"] = {"m_stage": label["M"]}
    if label.get("disposition") or label.get("esi"):
        found["triage"] = {"esi_level": label.get("esi"), "disposition": label.get("disposition")}
    if label.get("diagnosis"):
        found["differential_diagnosis"] = {"most_likely": {"diagnosis": label["diagnosis"]}}
    chexpert = set(CHEXPERT_LABELS.values())
    if chexpert <= set(label):
        found["abnormality_detection"] = {key: label[key] for key in CHEXPERT_LABELS.values()}
    return found


def read_labelled(path: Path) -> list[dict]:
    items = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the labelled file ({exc.strerror})") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            text, label = row["text"], row["label"]
        except (json.JSONDecodeError, KeyError, TypeError):
            raise InputError(f"{path}, line {number}: expected a JSON object with \"id\", \"text\" and \"label\" "
                             "(see README, checking the appliance on your own reports)") from None
        items.append({"id": str(row.get("id", number)), "text": text, "expected": expected_by_task(label)})
    if not items:
        raise InputError(f"{path}: no labelled documents in the file")
    return items


@dataclass
class Answer:
    id: str
    expected: dict
    predicted: dict | None       # what the clinician is shown as a result (None: nothing)
    source: str                  # stated_in_document | computed | model | withheld | not planned | error
    raw: dict | None = None      # the model's answer even when withheld (for the gate's own evidence)
    confidence: float | None = None  # the decoder's raw confidence of that answer (what calibration maps)


@dataclass
class TaskReport:
    task: str
    metric_name: str
    n: int
    value: float
    ci: tuple[float, float]
    baseline: float
    baseline_name: str
    sources: dict[str, int]
    directions: dict[str, int] = field(default_factory=dict)
    recall: dict[str, str] = field(default_factory=dict)   # rare class → "found/total"
    calibration: calibration.Calibration | None = None      # over the model answers; None without any

    def as_dict(self) -> dict:
        return {"task": self.task, "metric": self.metric_name, "n": self.n, "value": round(self.value, 4),
                "ci95": [round(self.ci[0], 4), round(self.ci[1], 4)], "baseline": round(self.baseline, 4),
                "baseline_name": self.baseline_name, "sources": self.sources, "directions": self.directions,
                "recall": self.recall,
                "calibration": self.calibration.as_dict() if self.calibration is not None else None}


def bootstrap(scores: list[float], rounds: int = BOOTSTRAP_ROUNDS, seed: int = 13) -> tuple[float, float]:
    if not scores:
        return 0.0, 0.0
    rng = random.Random(seed)
    n = len(scores)
    means = sorted(sum(rng.choices(scores, k=n)) / n for _ in range(rounds))
    return means[int(0.025 * rounds)], means[int(0.975 * rounds) - 1]


def _score(metric: Callable[[dict, dict], float], expected: dict, predicted: dict | None) -> float:
    if predicted is None:
        return 0.0
    try:
        return float(metric(expected, predicted))
    except (KeyError, TypeError):
        return 0.0


def best_constant(metric: Callable[[dict, dict], float], expected: list[dict]) -> tuple[float, str]:
    """The strongest constant answer drawn from the labels themselves, and its mean score."""
    counts = Counter(json.dumps(e, sort_keys=True) for e in expected)
    best, best_name = 0.0, "constant answer"
    for text, _ in counts.most_common(40):
        candidate = json.loads(text)
        score = sum(_score(metric, e, _complete(candidate)) for e in expected) / len(expected)
        if score > best:
            best, best_name = score, f"constant {_short(candidate)}"
    return best, best_name


def _complete(candidate: dict) -> dict:
    """A label used as an answer: triage labels carry a disposition, answers an ESI level."""
    if "disposition" in candidate and candidate.get("esi_level") is None:
        level = {"emergency": 2, "urgent visit": 3, "self-care": 5}.get(candidate["disposition"])
        return {**candidate, "esi_level": level}
    return candidate


def _short(value: dict) -> str:
    flat = [str(v) for v in value.values() if isinstance(v, (str, int)) and v is not None]
    if "most_likely" in value:
        flat = [value["most_likely"]["diagnosis"]]
    text = " ".join(flat) if flat and len(value) <= 3 else "most common label"
    return f'"{text[:40]}"'


def directions(task: str, answers: list[Answer]) -> dict[str, int]:
    """Undercall (less severe than the label: the dangerous error) / overcall, for ordinal tasks."""
    severity = scored_task(task).severity
    if severity is None:
        return {}
    counts = Counter()
    for a in answers:
        if a.predicted is None:
            counts["no answer"] += 1
            continue
        if a.expected.get("system", a.predicted.get("system")) != a.predicted.get("system"):
            counts["wrong system"] += 1
            continue
        want, got = severity(a.expected), severity(a.predicted)
        if want is None or got is None:
            counts["not comparable"] += 1
        else:
            counts["correct" if got == want else ("undercall" if got < want else "overcall")] += 1
    return dict(counts)


def rare_class_recall(task: str, answers: list[Answer]) -> dict[str, str]:
    """Recall of the classes that are rare in the labels (under 30 %): a constant never finds them."""
    key = scored_task(task).label_key
    if key is None:
        return {}
    labels = Counter(str(a.expected.get(key)) for a in answers if a.expected.get(key) is not None)
    total = sum(labels.values())
    out = {}
    for label, count in labels.items():
        if total and count / total < 0.3:
            found = sum(1 for a in answers if str(a.expected.get(key)) == label and a.predicted is not None
                        and _score(scored_task(task).metric, a.expected, a.predicted) == 1.0)
            out[label] = f"{found}/{count}"
    return out


def positive_recall(task: str, answers: list[Answer]) -> dict[str, str]:
    """Positive findings found / labelled, over all answers (multi-label tasks)."""
    count = scored_task(task).positive_recall
    if count is None:
        return {}
    found = total = 0
    for a in answers:
        f, t = count(a.expected, a.predicted or {})
        found, total = found + f, total + t
    return {"positive findings": f"{found}/{total}"}


def score_answer(task: str, expected: dict, answer: dict | None) -> float:
    """One answer's score on its task's metric (0 for no answer or one the metric cannot read)."""
    return _score(scored_task(task).metric, expected, answer)


def answer_right(task: str, expected: dict, answer: dict | None) -> bool:
    """Full marks on the task's metric: the event a confidence predicts (calibration.py: why)."""
    return score_answer(task, expected, answer) >= 1.0 - 1e-9


def calibration_of(task: str, answers: list[Answer]) -> calibration.Calibration | None:
    """Calibration figures over the model's own answers (shown or withheld), scored on the raw answer."""
    model = [a for a in answers if a.confidence is not None and a.raw is not None]
    return calibration.calibrate([a.confidence for a in model], [answer_right(task, a.expected, a.raw) for a in model])


def baseline_of(task: str, expected: list[dict]) -> tuple[float, str]:
    """The trivial baseline on these items: the strongest constant answer; for feature reading, one per feature."""
    metric = scored_task(task).metric
    if task != FEATURE_TASK:
        return best_constant(metric, expected)
    by_feature: dict[str, list[dict]] = defaultdict(list)
    for e in expected:
        by_feature[e["feature"]].append(e)
    right = sum(best_constant(metric, group)[0] * len(group) for group in by_feature.values())
    return right / len(expected), f"most common value per feature ({len(by_feature)} features)"


def feature_answer(item_id: str, expected: dict, run: "TaskRun | None") -> Answer:
    """The model's answer to the labelled feature's question in a report's deployed rads_assignment run.

    `run` None: RADS not planned. The questions asked and their answers are the run's
    `working["model_features"]` (processor.ask_features); the labelled lesion, where the label
    names one, must be the one asked about (a question about no particular lesion matches any).
    """
    if run is None:
        return Answer(item_id, expected, None, "not planned")
    if run.error:
        return Answer(item_id, expected, None, "error")
    read = next((r for r in (run.working or {}).get("model_features") or []
                 if r["feature"] == expected["feature"]
                 and (expected.get("lesion") is None or r.get("lesion") in (None, expected["lesion"]))), None)
    if read is None:
        return Answer(item_id, expected, None, NOT_ASKED)
    if read["value"] is None:  # the question could not be asked (its error is in the run's working)
        return Answer(item_id, expected, None, "error")
    said = {key: read.get(key) for key in ("feature", "lesion", "value", "evidence")}
    return Answer(item_id, expected, said, "model", said, read.get("confidence"))


def report(task: str, answers: list[Answer]) -> TaskReport:
    t = scored_task(task)
    scores = [_score(t.metric, a.expected, a.predicted) for a in answers]
    baseline, baseline_name = baseline_of(task, [a.expected for a in answers])
    return TaskReport(task, t.metric_name, len(answers), sum(scores) / len(scores), bootstrap(scores),
                      baseline, baseline_name, dict(Counter(a.source for a in answers)),
                      directions(task, answers), rare_class_recall(task, answers) | positive_recall(task, answers),
                      calibration_of(task, answers))


def evaluate(app, items: list[dict], tasks: list[str] | None = None, model_only: bool = False,
             progress: Callable[[int, int], None] | None = None) -> dict[str, list[Answer]]:
    """Run every labelled task of every document through the deployed path.

    `model_only`: ask the model even where a tool would answer, and score its raw answer
    (how the capability gate's evidence for a model is measured). Feature reading
    (`rads_features`) always runs the deployed rads_assignment path, tools first: the
    calculator is what asks the questions (feature_answer).
    """
    by_task: dict[str, list[Answer]] = {}
    for i, item in enumerate(items):
        wanted = {t: e for t, e in item["expected"].items() if tasks is None or t in tasks}
        if not wanted:
            continue
        plan = plan_document(item["text"], tasks or (list(wanted) if model_only else None))
        runs: dict[tuple[str, bool], Any] = {}  # one run per (task, use_tools) and document

        def run_once(task: str, use_tools: bool):
            if (task, use_tools) not in runs:
                runs[task, use_tools] = app.run_task(item["text"], task, use_tools=use_tools)
            return runs[task, use_tools]

        for task, expected in wanted.items():
            if task == FEATURE_TASK:
                planned = FEATURE_TASK in plan.tasks or "rads_assignment" in plan.tasks
                answer = feature_answer(item["id"], expected, run_once("rads_assignment", True) if planned else None)
            elif task not in plan.tasks:
                answer = Answer(item["id"], expected, None, "not planned")
            else:
                run = run_once(task, not model_only)
                if run.error:
                    answer = Answer(item["id"], expected, None, "error")
                elif model_only:
                    answer = Answer(item["id"], expected, run.output, "model", run.output, run.confidence_raw)
                elif run.withheld:
                    answer = Answer(item["id"], expected, None, "withheld", run.output, run.confidence_raw)
                else:
                    answer = Answer(item["id"], expected, run.output, run.source, run.output, run.confidence_raw)
            by_task.setdefault(task, []).append(answer)
        if progress:
            progress(i + 1, len(items))
    return by_task


def table(reports: list[TaskReport]) -> str:
    """A terminal table: the metric, its interval and the baseline side by side."""
    lines = [f"{'task':<24} {'n':>4}  {'metric':<34} {'value':>6}  {'95% CI':<13} {'baseline':>8}  beats?"]
    for r in reports:
        beats = "yes" if r.ci[0] > r.baseline else "no"
        lines.append(f"{r.task:<24} {r.n:>4}  {r.metric_name[:34]:<34} {r.value:>6.3f}  "
                     f"{r.ci[0]:.3f}-{r.ci[1]:.3f}   {r.baseline:>8.3f}  {beats}")
        lines.append(f"{'':<30}baseline: {r.baseline_name}; from: "
                     + ", ".join(f"{k} {v}" for k, v in sorted(r.sources.items())))
        if r.task == FEATURE_TASK:
            lines.append(f"{'':<30}{scored_task(r.task).title}: the model's answer to the labelled feature's "
                         f"question; {NOT_ASKED}: {r.sources.get(NOT_ASKED, 0)} of {r.n} reports where the "
                         "calculator did not ask it (counted as wrong)")
        if r.directions:
            lines.append(f"{'':<30}direction: " + ", ".join(f"{k} {v}" for k, v in sorted(r.directions.items())))
        if r.recall:
            lines.append(f"{'':<30}recall: " + ", ".join(f"{k} {v}" for k, v in sorted(r.recall.items())))
        if r.calibration is not None:
            lines.append(f"{'':<30}confidence: {r.calibration.in_words()}")
    return "\n".join(lines)
