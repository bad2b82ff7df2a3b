"""Calibrated confidence: how often answers like this one were right, measured on labelled answers.

The decoder's confidence (engine/decode.py) is the lowest renormalised probability of
the chosen option over an answer's choice points. It ranks answers, but it is not a
probability of being right: a small model is confidently wrong. So `appliance eval`
fits, per task × base model (sha256) × adapter (sha256), an isotonic map (pool-
adjacent-violators: the best non-decreasing step function, no assumed shape) from
that raw confidence to the share of model answers that were right, on the eval's own
labelled items; the run time looks the map up for every model answer.

What "right" means: an answer is right when it scores full marks on its task's own
metric (evaluation.py): the exact category / stage / label / disposition for the
categorical tasks. The confidence is one number per answer (the minimum over all of
its choice points, e.g. over all 14 chest x-ray labels), so the event it predicts is
the whole answer being right: for multi-label and graded tasks (chest x-ray labels,
entities, finding changes, ROUGE-L) that is every label right / full marks, not the
share of labels right. Free-text answers make no choice (raw confidence 1.0 for
all), so their map is a constant: the share of such answers fully right.

Figures printed by `appliance eval` (per task, model answers only):
- ECE, expected calibration error: answers in 10 equal-width confidence bins; the
  mean over answers of |share right in the bin - mean confidence in the bin|. 0 is
  perfectly calibrated; 0.10 means stated confidences are off by 10 points on average.
- ECE raw (the decoder's number as it is) and ECE calibrated, measured honestly by
  2-fold cross-fitting: the items are split in two halves at random (fixed seed), a
  map fitted on one half is applied to the other, both ways, and the ECE is taken
  over all out-of-half answers. The map stored for run time is fitted on all items.
- accuracy overall and on the most confident half (by raw confidence; ties at the
  boundary counted as a random draw): confidence is useful only where the most
  confident half is clearly more often right than the whole.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np
import sqlite_utils

BINS = 10
CROSS_FIT_SEED = 19
# Fewer model answers than this on a task: the figures are printed, but no map is stored
# (a step function fitted on a handful of answers says more about the handful than the model).
MIN_ANSWERS = 20
# Below an even chance of being right (calibrated): the clinician should check this answer
# against the report before anything else. Raw confidences are not compared with it (not probabilities).
LOW_CONFIDENCE = 0.5

CALIBRATED, RAW = "calibrated", "raw"


@dataclass(frozen=True)
class IsotonicMap:
    """Raw confidence → probability right: linear between the fitted points, flat beyond them."""

    x: tuple[float, ...]
    y: tuple[float, ...]

    def __call__(self, raw: float | Iterable[float]) -> Any:
        out = np.interp(np.asarray(raw, dtype=float), self.x, self.y)
        return float(out) if out.ndim == 0 else out

    def as_json(self) -> str:
        return json.dumps({"x": [round(v, 6) for v in self.x], "y": [round(v, 6) for v in self.y]})

    @classmethod
    def from_json(cls, text: str) -> "IsotonicMap":
        points = json.loads(text)
        return cls(tuple(points["x"]), tuple(points["y"]))


def fit_isotonic(raw: Iterable[float], correct: Iterable[bool | float]) -> IsotonicMap:
    """Pool adjacent violators: the non-decreasing fit of `correct` on `raw` with least squared error."""
    x = np.asarray(list(raw), dtype=float)
    y = np.asarray(list(correct), dtype=float)
    if len(x) == 0:
        raise ValueError("no answers to calibrate on")
    order = np.argsort(x, kind="mergesort")
    x, y = x[order], y[order]
    values, starts = np.unique(x, return_index=True)
    sums = np.add.reduceat(y, starts)
    counts = np.diff(np.append(starts, len(x)))
    blocks: list[list[float]] = []  # [sum, count, lowest x, highest x]
    for value, total, count in zip(values, sums, counts):
        blocks.append([float(total), float(count), float(value), float(value)])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] >= blocks[-1][0] / blocks[-1][1]:
            last = blocks.pop()
            blocks[-1][0] += last[0]
            blocks[-1][1] += last[1]
            blocks[-1][3] = last[3]
    xs: list[float] = []
    ys: list[float] = []
    for total, count, low, high in blocks:
        for point in ((low,) if low == high else (low, high)):
            xs.append(point)
            ys.append(total / count)
    return IsotonicMap(tuple(xs), tuple(ys))


def expected_calibration_error(probability: Iterable[float], correct: Iterable[bool | float], bins: int = BINS) -> float:
    """Mean over answers of |share right - mean confidence| within equal-width confidence bins."""
    p = np.clip(np.asarray(list(probability), dtype=float), 0.0, 1.0)
    y = np.asarray(list(correct), dtype=float)
    if len(p) == 0:
        return 0.0
    which = np.minimum((p * bins).astype(int), bins - 1)
    error = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            error += inside.sum() / len(p) * abs(y[inside].mean() - p[inside].mean())
    return float(error)


def most_confident_half_accuracy(raw: Iterable[float], correct: Iterable[bool | float]) -> float:
    """Share right among the n // 2 most confident answers (ties at the boundary: their mean, as a random draw)."""
    x = np.asarray(list(raw), dtype=float)
    y = np.asarray(list(correct), dtype=float)
    if len(x) == 0:
        return 0.0
    k = max(1, len(x) // 2)
    boundary = np.sort(x)[::-1][k - 1]
    above, tied = x > boundary, x == boundary
    taken_tied = k - int(above.sum())
    right = y[above].sum() + taken_tied * y[tied].mean()
    return float(right / k)


def cross_fitted(raw: Iterable[float], correct: Iterable[bool | float], seed: int = CROSS_FIT_SEED) -> np.ndarray:
    """Each answer's calibrated confidence from a map fitted on the other half of the items."""
    x = np.asarray(list(raw), dtype=float)
    y = np.asarray(list(correct), dtype=float)
    order = np.random.default_rng(seed).permutation(len(x))
    halves = order[: len(x) // 2], order[len(x) // 2:]
    out = np.empty(len(x))
    for fit_on, apply_to in ((halves[0], halves[1]), (halves[1], halves[0])):
        out[apply_to] = fit_isotonic(x[fit_on], y[fit_on])(x[apply_to])
    return out


@dataclass
class Calibration:
    """One task's calibration figures on an evaluation's model answers, and the map fitted on all of them."""

    n: int
    accuracy: float
    top_half_accuracy: float
    ece_raw: float
    ece_calibrated: float | None   # cross-fitted; None with too few answers to split
    mapping: IsotonicMap | None    # fitted on all answers; None below MIN_ANSWERS (not stored)

    def as_dict(self) -> dict:
        return {"n": self.n, "accuracy": round(self.accuracy, 4), "top_half_accuracy": round(self.top_half_accuracy, 4),
                "ece_raw": round(self.ece_raw, 4),
                "ece_calibrated": None if self.ece_calibrated is None else round(self.ece_calibrated, 4),
                "stored": self.mapping is not None,
                "map": json.loads(self.mapping.as_json()) if self.mapping is not None else None}

    def in_words(self) -> str:
        if self.n < 4:
            return f"{self.n} model answers: too few to measure"
        calibrated = f"{self.ece_calibrated:.3f}" if self.ece_calibrated is not None else "-"
        line = (f"{self.n} model answers; ECE raw {self.ece_raw:.3f}, calibrated {calibrated} (2-fold cross-fitted); "
                f"accuracy {self.accuracy:.3f}, most confident half {self.top_half_accuracy:.3f}")
        if self.mapping is None:
            line += f"; no map stored (fewer than {MIN_ANSWERS})"
        return line


def calibrate(raw: list[float], correct: list[bool]) -> Calibration | None:
    """The figures for these (raw confidence, right?) pairs; None without any."""
    if not raw:
        return None
    y = np.asarray(correct, dtype=float)
    cross = cross_fitted(raw, correct) if len(raw) >= 4 else None
    return Calibration(
        n=len(raw), accuracy=float(y.mean()), top_half_accuracy=most_confident_half_accuracy(raw, correct),
        ece_raw=expected_calibration_error(raw, correct),
        ece_calibrated=expected_calibration_error(cross, correct) if cross is not None else None,
        mapping=fit_isotonic(raw, correct) if len(raw) >= MIN_ANSWERS else None,
    )


# -- stored maps --------------------------------------------------------------------------

@dataclass(frozen=True)
class StoredMap:
    mapping: IsotonicMap
    n: int
    dataset: str


def store(db: sqlite_utils.Database, task: str, model_sha256: str, adapter_sha256: str | None,
          calibration: Calibration, dataset: str, dataset_sha256: str) -> None:
    """Keep the map fitted on all of an evaluation's answers (called inside its transaction)."""
    if calibration.mapping is None:
        return
    db["calibration"].insert({
        "created_at": datetime.datetime.now(datetime.timezone.utc).isoformat(), "task": task,
        "model_sha256": model_sha256, "adapter_sha256": adapter_sha256 or "", "method": "isotonic",
        "points": calibration.mapping.as_json(), "n": calibration.n, "accuracy": calibration.accuracy,
        "top_half_accuracy": calibration.top_half_accuracy, "ece_raw": calibration.ece_raw,
        "ece_calibrated": calibration.ece_calibrated, "dataset": dataset, "dataset_sha256": dataset_sha256,
    })


def lookup(db: sqlite_utils.Database, task: str, model_sha256: str, adapter_sha256: str | None) -> StoredMap | None:
    """The newest map for this task × model × adapter, if `appliance eval` fitted one."""
    if "calibration" not in db.table_names():
        return None
    rows = list(db.query(
        "SELECT points, n, dataset FROM calibration WHERE task = ? AND model_sha256 = ? AND adapter_sha256 = ? "
        "ORDER BY id DESC LIMIT 1", [task, model_sha256, adapter_sha256 or ""]))
    if not rows:
        return None
    return StoredMap(IsotonicMap.from_json(rows[0]["points"]), rows[0]["n"], rows[0]["dataset"] or "")


def confidence_fields(db: sqlite_utils.Database, task: str, model_sha256: str, adapter: dict | None,
                      raw: float | None) -> dict[str, Any]:
    """A model answer's confidence: calibrated where a map exists for it, else raw; the raw kept beside it."""
    if raw is None:
        return {"confidence": None, "confidence_raw": None, "calibrated_on": None}
    found = lookup(db, task, model_sha256, adapter["sha256"] if adapter else None)
    value = found.mapping(raw) if found is not None else raw
    return {"confidence": round(value, 4), "confidence_raw": round(raw, 4),
            "calibrated_on": found.n if found is not None else None}


def kind(calibrated_on: int | None) -> str:
    return CALIBRATED if calibrated_on else RAW


def is_low(confidence: float | None, calibrated_on: int | None) -> bool:
    """Low confidence: a calibrated confidence below LOW_CONFIDENCE (a raw one is never compared)."""
    return confidence is not None and bool(calibrated_on) and confidence < LOW_CONFIDENCE


def in_words(confidence: float | None, calibrated_on: int | None) -> str | None:
    """A model answer's confidence as a clinician reads it; None where no model chose anything."""
    if confidence is None:
        return None
    if not calibrated_on:
        return "Confidence not calibrated (not yet measured against labelled reports for this model)"
    basis = f"calibrated on {calibrated_on} labelled answers"
    if confidence < LOW_CONFIDENCE:
        return f"Low confidence: {confidence:.2f} ({basis}) - check it against the report"
    return f"Confidence {confidence:.2f} ({basis})"


__all__ = ["BINS", "CALIBRATED", "LOW_CONFIDENCE", "MIN_ANSWERS", "RAW", "Calibration", "IsotonicMap", "StoredMap",
           "calibrate", "confidence_fields", "cross_fitted", "expected_calibration_error", "fit_isotonic",
           "in_words", "is_low", "kind", "lookup", "most_confident_half_accuracy", "store"]
