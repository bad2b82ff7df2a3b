"""Soak: N Open-i reports through the drop-folder pipeline, resident memory sampled as it goes.

    python bench/soak.py [--docs 1000] [--every 100]

Prints RSS after every --every documents and the growth from the first sample
(taken after the model has loaded) to the last.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from openi import openi_reports  # noqa: E402

from appliance.home import Home  # noqa: E402
from appliance.app import Appliance  # noqa: E402
from appliance.pipeline.watch import drain  # noqa: E402
from appliance.settings import Settings  # noqa: E402


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def soak(docs: int, every: int, root: Path) -> list[tuple[int, float]]:
    home = Home(root).ensure()
    app = Appliance(home, Settings.load(home).model_copy(update={"settle_seconds": 0}))
    app.engine()
    samples = [(0, rss_mb())]
    reports = openi_reports(docs)
    for start in range(0, len(reports), every):
        for name, text in reports[start:start + every]:
            (home.inbox / name).write_text(text)
        drain(app, lambda line: None)
        samples.append((min(start + every, len(reports)), rss_mb()))
    assert not list(home.inbox.iterdir()), "inbox not drained"
    unique = len({text for _, text in reports})  # the collection repeats some reports word for word
    assert len(list(home.outbox.glob("*.json"))) == unique, "an outbox JSON is missing or doubled"
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--every", type=int, default=100)
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        samples = soak(args.docs, args.every, Path(tmp))
    for done, rss in samples:
        print(f"{done:5d} documents  RSS {rss:7.1f} MB")
    elapsed = time.perf_counter() - started
    print(f"{args.docs} documents in {elapsed:.0f}s ({args.docs / elapsed * 60:.0f}/min); "
          f"RSS growth after the first {args.every}: {samples[-1][1] - samples[1][1]:+.1f} MB")


if __name__ == "__main__":
    main()
