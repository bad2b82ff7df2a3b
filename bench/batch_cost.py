"""What one llama.cpp batch of k tokens costs, with logits at every row or at the last only.

    python bench/batch_cost.py [--model gemma] [--repeats 15]

Fast-forward (appliance/engine/decode.py) evaluates a chosen token and the draft after it
in one batch, and needs every row's logits: each drafted token is kept only where the
step-by-step choice at its position is that token. So what it can gain is bounded by
how much cheaper k rows with k output rows are than k single-token evaluations. Each
figure is the median of --repeats evaluations of k tokens after the same 500 cached
tokens (the cache is cut back to 500 before each), on the embedded models, with the
appliance's engine settings.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from appliance.catalogue import verified_path  # noqa: E402
from appliance.engine.decode import _eval, _truncate  # noqa: E402
from appliance.engine.llm import Engine  # noqa: E402
from bench.constrained_decoding import embedded_models  # noqa: E402

SIZES = (1, 2, 3, 4, 6, 8)
CACHED = 500


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="only the embedded model whose name contains this (default: both)")
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    for entry, home in embedded_models(args.model):
        llm = Engine(verified_path(entry, home), n_ctx=2048).llm
        text = b"EXAM: CT chest. FINDINGS: 4 mm nodule, right upper lobe, stable. " * 30
        tokens = llm.tokenize(text, add_bos=True)[:CACHED + max(SIZES)]
        llm.reset()
        llm._ctx.kv_cache_seq_rm(-1, 0, -1)
        llm.eval(tokens[:CACHED])
        probe = tokens[CACHED:]
        print(f"\n{entry.name} ({CACHED} tokens cached, median of {args.repeats})\n")
        print("| tokens | every row's logits ms | last row's logits ms | every row / k single tokens |")
        print("|---:|---:|---:|---:|")
        single = None
        for k in SIZES:
            ms = {}
            for every in (True, False):
                times = []
                for _ in range(args.repeats):
                    _truncate(llm, CACHED)
                    started = time.perf_counter()
                    _eval(llm, probe[:k], all_logits=every)
                    times.append((time.perf_counter() - started) * 1000)
                ms[every] = statistics.median(times)
            single = single or ms[True]
            print(f"| {k} | {ms[True]:.1f} | {ms[False]:.1f} | {ms[True] / (k * single):.2f} |", flush=True)


if __name__ == "__main__":
    main()
