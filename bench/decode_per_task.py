"""Decode time per task, step by step ("before") vs the served decoder ("after"), per embedded model.

    python bench/decode_per_task.py [--rounds 3] [--model gemma]

Each task answers its own golden document (the one the tests use) greedily, twice per
round, back to back from the same empty cache: step by step (one sampled, evaluated token
at a time: the decoder without fast-forward) and served (forced runs fast-forwarded,
quotes drafted from the document; the same tokens, checked). Prints one markdown table
per model: answer tokens, median decode seconds of each, their ratio, and the shares of
the answer that came from forced runs and from copied drafts. Prefill is outside the
clock (decode_s).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from appliance.catalogue import verified_path  # noqa: E402
from appliance.engine.decode import decode, exact_batch  # noqa: E402
from appliance.engine.llm import Engine, grammar_for  # noqa: E402
from appliance.engine.templates import TEMPLATES  # noqa: E402
from appliance.home import Home  # noqa: E402
from appliance.tasks import TASKS  # noqa: E402
from appliance.tasks.prompt import build_prompt  # noqa: E402
from bench.constrained_decoding import embedded_models  # noqa: E402


def bench_model(entry, home: Home, rounds: int) -> tuple[list[tuple], int]:
    engine = Engine(verified_path(entry, home), n_ctx=entry.n_ctx)
    llm, vocab = engine.llm, engine.vocabulary
    exact_batch(llm, vocab)
    rows = []
    for task in TASKS.values():
        tokens = engine.tokenize(build_prompt(TEMPLATES[entry.chat_template], task.golden, task))
        gbnf = grammar_for(task.output)[0].gbnf
        seconds = {False: [], True: []}
        for r in range(rounds):
            for fast in ((False, True) if r % 2 == 0 else (True, False)):
                llm.reset()
                out = decode(llm, vocab, tokens, gbnf, task.budget, task.golden, task.quote_keys, fast_forward=fast)
                seconds[fast].append(out.decode_s)
                if fast:
                    served = out
        before, after = statistics.median(seconds[False]), statistics.median(seconds[True])
        rows.append((task.name, served.tokens, before, after, before / after,
                     served.forced / served.tokens, served.copied / served.tokens))
    limit = vocab.batch_limit
    engine.llm.close()
    return rows, limit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--model", help="only the embedded model whose name contains this (default: both)")
    args = parser.parse_args()
    for entry, home in embedded_models(args.model):
        rows, limit = bench_model(entry, home, args.rounds)
        print(f"\n{entry.name} (exact batch limit {limit}, median of {args.rounds} rounds)")
        print("| task | tokens | step by step s | served s | speed-up | forced share | copied share |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for name, n, before, after, ratio, forced, copied in rows:
            print(f"| {name} | {n} | {before:.2f} | {after:.2f} | {ratio:.2f} | {forced:.2f} | {copied:.2f} |")
        total_before, total_after = sum(r[2] for r in rows), sum(r[3] for r in rows)
        print(f"| all | {sum(r[1] for r in rows)} | {total_before:.2f} | {total_after:.2f} | "
              f"{total_before / total_after:.2f} | | |", flush=True)


if __name__ == "__main__":
    main()
