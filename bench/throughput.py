"""Pipeline throughput against the bare engine on the same documents, in the same run.

    python bench/throughput.py [--docs 20] [--rounds 3]

Baseline: for each document, the same planned tasks run straight through
Appliance.run_task (stated-category tools + engine), nothing else. Pipeline: the same
documents dropped into an inbox and drained by the watch service (settle check, read,
hash, job rows, results + audit transaction, outbox JSON, archive move). Rounds
alternate the two so drift on this shared machine hits both; the figure is the median
of per-round ratios.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from openi import openi_reports  # noqa: E402

from appliance.home import Home  # noqa: E402
from appliance.pipeline.plan import plan_document  # noqa: E402
from appliance.app import Appliance  # noqa: E402
from appliance.pipeline.watch import run_once  # noqa: E402
from appliance.settings import Settings  # noqa: E402


def documents_with_tasks(n: int) -> list[tuple[str, str]]:
    """The first n Open-i reports that need at least one task (the others cost no model time)."""
    return [(name, text) for name, text in openi_reports() if plan_document(text).tasks][:n]


def bare(app: Appliance, docs: list[tuple[str, str]]) -> float:
    started = time.perf_counter()
    for _, text in docs:
        for task in plan_document(text).tasks:
            app.run_task(text, task)
    return time.perf_counter() - started


def pipeline(root: Path, docs: list[tuple[str, str]], tag: str) -> float:
    home = Home(root / tag).ensure()
    app = Appliance(home, Settings.load(home).model_copy(update={"settle_seconds": 0}))
    for name, text in docs:
        (home.inbox / name).write_text(text)
    started = time.perf_counter()
    handled = run_once(app, lambda line: None)
    elapsed = time.perf_counter() - started
    assert handled == len(docs), (handled, len(docs))
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    docs = documents_with_tasks(args.docs)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        warm = Home(root / "bare").ensure()
        app = Appliance(warm, Settings.load(warm))
        app.run_task(docs[0][1], plan_document(docs[0][1]).tasks[0])  # load the model once, outside the clock
        ratios = []
        for r in range(args.rounds):
            first_bare = r % 2 == 0
            t_bare = bare(app, docs) if first_bare else None
            t_pipe = pipeline(root, docs, f"pipe{r}")
            t_bare = t_bare if first_bare else bare(app, docs)
            ratios.append(t_bare / t_pipe)
            print(f"round {r + 1}: bare {len(docs) / t_bare * 60:.1f} docs/min, "
                  f"pipeline {len(docs) / t_pipe * 60:.1f} docs/min, pipeline/bare {t_bare / t_pipe:.3f}")
    median = statistics.median(ratios)
    print(f"median pipeline/bare throughput over {args.rounds} rounds of {len(docs)} documents: "
          f"{median:.3f} (overhead {(1 - median) * 100:.1f} %)")


if __name__ == "__main__":
    main()
