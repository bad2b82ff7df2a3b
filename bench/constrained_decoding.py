"""Constrained vs unconstrained decoding speed, per embedded model, in one run.

    python bench/constrained_decoding.py [--rounds 5] [--max-tokens 48]

For each model and each round, the same task prompts (four tasks on three reports)
are decoded greedily four ways:
  unconstrained  the appliance's decode loop with no grammar: plain argmax (the baseline);
  llama_cpp      llama-cpp-python's create_completion, no grammar (a second baseline);
  gbnf           create_completion with the task's grammar (the grammar applied to the
                 whole vocabulary at every step: what the appliance replaced);
  appliance      appliance.engine.decode with the grammar and quote constraint (served path).
Tokens per second count decoding only (from the first generated token on), so prompt
evaluation and prefix-cache effects do not enter. The modes run back to back on each
prompt in a rotating order; each line prints the median over rounds of the per-round
ratio:
  model=<name> ratio=<appliance/unconstrained> gbnf_ratio=<gbnf/llama_cpp> ...
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from llama_cpp import LlamaGrammar

from appliance.catalogue import load_catalogue, verified_path
from appliance.engine.decode import decode
from appliance.engine.llm import Engine, _quiet_stderr, grammar_for
from appliance.engine.templates import TEMPLATES
from appliance.home import Home
from appliance.tasks import TASKS
from appliance.tasks.prompt import build_prompt

REPORTS = [
    "EXAM: Bilateral diagnostic mammogram.\nFINDINGS: 14 mm irregular spiculated mass, right breast 10 o'clock, "
    "with pleomorphic calcifications.\nIMPRESSION: Highly suggestive of malignancy; biopsy recommended.",
    "EXAM: CT chest, abdomen and pelvis, staging.\nFINDINGS: 4.2 cm right upper lobe mass. Enlarged right hilar "
    "node 1.8 cm. Two hypodense liver lesions consistent with metastases.\nIMPRESSION: Lung carcinoma with nodal "
    "and hepatic metastases.",
    "54-year-old man, 2 hours of crushing central chest pain radiating to the left arm, sweating and nausea. "
    "Smoker, hypertensive. BP 150/90, HR 104, SpO2 97%.",
]
BENCH_TASKS = ("rads_assignment", "n_staging", "m_staging", "differential_diagnosis")


def _tps_stream(engine: Engine, prompt, max_tokens: int, grammar=None) -> tuple[int, float]:
    """(tokens after the first, seconds after the first) for a streamed greedy completion."""
    first = last = None
    n = 0
    with _quiet_stderr():
        for _ in engine.llm.create_completion(engine.tokenize(prompt), max_tokens=max_tokens, temperature=0.0, top_k=1,
                                       grammar=grammar, stream=True):
            now = time.perf_counter()
            first = first or now
            last = now
            n += 1
    return max(n - 1, 0), (last - first) if first else 0.0


def _tps_appliance(engine: Engine, prompt: str, gbnf: str | None, max_tokens: int, document: str,
                   quote_keys) -> tuple[int, float]:
    tokens = engine.tokenize(prompt)
    with _quiet_stderr():
        out = decode(engine.llm, engine.vocabulary, tokens, gbnf, max_tokens, document, quote_keys)
    return out.tokens, out.decode_s


def bench_model(entry, home: Home, rounds: int, max_tokens: int) -> dict:
    engine = Engine(verified_path(entry, home), n_ctx=2048)
    template = TEMPLATES[entry.chat_template]
    jobs = []
    for report in REPORTS:
        for name in BENCH_TASKS:
            task = TASKS[name]
            gbnf = grammar_for(task.output)[0].gbnf
            jobs.append((build_prompt(template, report, task), gbnf, LlamaGrammar.from_string(gbnf, verbose=False),
                         report, task.quote_keys))
    _tps_appliance(engine, *jobs[0][:2], 4, *jobs[0][3:])  # warm-up, outside the clock
    ratios, gbnf_ratios, rates = [], [], []
    for r in range(rounds):
        modes = ["unconstrained", "llama_cpp", "gbnf", "appliance"]
        totals = {mode: [0, 0.0] for mode in modes}
        for j, (prompt, gbnf, grammar, document, quote_keys) in enumerate(jobs):
            # Modes run back to back on each prompt, in a rotating order, so load from
            # elsewhere on this shared machine falls on all of them alike.
            k = (r + j) % len(modes)
            for mode in modes[k:] + modes[:k]:
                if mode == "unconstrained":
                    n, s = _tps_appliance(engine, prompt, None, max_tokens, document, ())
                elif mode == "llama_cpp":
                    n, s = _tps_stream(engine, prompt, max_tokens)
                elif mode == "gbnf":
                    n, s = _tps_stream(engine, prompt, max_tokens, grammar)
                else:
                    n, s = _tps_appliance(engine, prompt, gbnf, max_tokens, document, quote_keys)
                totals[mode][0] += n
                totals[mode][1] += s
        tps = {mode: n / s for mode, (n, s) in totals.items()}
        rates.append(tps)
        ratios.append(tps["appliance"] / tps["unconstrained"])
        gbnf_ratios.append(tps["gbnf"] / tps["llama_cpp"])
        print(f"  {entry.name} round {r + 1}: " + ", ".join(f"{m} {v:.1f} tok/s" for m, v in tps.items()),
              file=sys.stderr)
    return {
        "ratio": statistics.median(ratios),
        "gbnf_ratio": statistics.median(gbnf_ratios),
        "unconstrained_tps": statistics.median(t["unconstrained"] for t in rates),
        "llama_cpp_tps": statistics.median(t["llama_cpp"] for t in rates),
        "appliance_tps": statistics.median(t["appliance"] for t in rates),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--max-tokens", type=int, default=48)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Home(Path(tmp)).ensure()
        for entry in load_catalogue(home):
            if entry.origin != "embedded":
                continue
            result = bench_model(entry, home, args.rounds, args.max_tokens)
            print(f"model={entry.name} ratio={result['ratio']:.3f} gbnf_ratio={result['gbnf_ratio']:.3f} "
                  f"unconstrained_tps={result['unconstrained_tps']:.1f} llama_cpp_tps={result['llama_cpp_tps']:.1f} "
                  f"appliance_tps={result['appliance_tps']:.1f} "
                  f"rounds={args.rounds}", flush=True)


if __name__ == "__main__":
    main()
