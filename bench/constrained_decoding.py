"""Constrained answers vs free decoding of the same length, per embedded model, in one run.

    python bench/constrained_decoding.py [--rounds 5] [--model gemma]

For each model and round, the same task prompts (four tasks on three reports) are
answered greedily, modes back to back on each prompt in a rotating order:
  appliance     the served path: grammar, verbatim-quote constraint and fast-forward of
                forced runs (appliance.engine.decode);
  stepwise      the same decoder one sampled, evaluated token at a time (fast_forward=False);
  free          the same loop with no grammar, run for exactly as many tokens as the
                appliance's answer (the baseline: what the same text costs unconstrained);
  gbnf          llama-cpp-python's create_completion with the task's grammar (the grammar
                applied to the whole vocabulary at every step);
  llguidance    (if installed) llguidance's matcher over the same grammar (gbnf_to_lark):
                lazy check of the argmax, else its full mask, and its own fast-forward
                tokens (its tokenisation of a forced run, not necessarily greedy's).
Every figure is wall time of the decode (from the first generated token to the end, so
the prompt's prefill is outside), summed per round; a line per model prints the median
over rounds of answers per second relative to free decoding of the same length:
  model=<name> appliance=<x> stepwise=<x> gbnf=<x> llguidance=<x> identical=<k>/<n> ...
`identical` counts answers where fast-forward wrote the step-by-step text token for token.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from llama_cpp import LlamaGrammar

from appliance.catalogue import load_catalogue, verified_path
from appliance.engine.decode import _eval, _logits, decode, exact_batch
from appliance.engine.llm import Engine, _quiet_stderr, grammar_for
from appliance.engine.templates import TEMPLATES
from appliance.home import Home
from appliance.tasks import TASKS
from appliance.tasks.prompt import build_prompt

try:
    import llguidance
    import llguidance.llamacpp
    from llguidance.gbnf_to_lark import gbnf_to_lark
except ImportError:  # an optional peer
    llguidance = None

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


def _free(engine: Engine, tokens: list[int], n: int) -> float:
    """Seconds to decode exactly n tokens by plain argmax (end-of-generation does not stop it)."""
    llm, ctx = engine.llm, engine.llm._ctx.ctx
    _prefill(engine, tokens)
    started = time.perf_counter()
    for _ in range(n):
        token = int(np.argmax(_logits(ctx, -1, engine.vocabulary.size)))
        engine.vocabulary.piece(token)
        _eval(llm, [token], all_logits=False)
    return time.perf_counter() - started


def _prefill(engine: Engine, tokens: list[int]) -> None:
    from appliance.engine.decode import _reuse_prefix
    reused = _reuse_prefix(engine.llm, tokens)
    engine.llm.eval(tokens[reused:])


def _gbnf(engine: Engine, tokens: list[int], grammar, max_tokens: int) -> tuple[str, float]:
    first = last = None
    n, text = 0, ""
    with _quiet_stderr():
        for chunk in engine.llm.create_completion(tokens, max_tokens=max_tokens, temperature=0.0, top_k=1,
                                                  grammar=grammar, stream=True):
            now = time.perf_counter()
            first, last = first or now, now
            n += 1
            text += chunk["choices"][0]["text"]
    # The stream yields after each token: (n - 1) intervals for n tokens; scale to n.
    return text, (last - first) * n / max(n - 1, 1) if first else 0.0


class _Guidance:
    def __init__(self, engine: Engine):
        self.engine = engine
        self.tokenizer = llguidance.llamacpp.lltokenizer_from_vocab(engine.llm._model.vocab)

    def decode(self, tokens: list[int], gbnf: str, max_tokens: int) -> tuple[str, float]:
        llm, ctx, vocab = self.engine.llm, self.engine.llm._ctx.ctx, self.engine.vocabulary
        matcher = llguidance.LLMatcher(self.tokenizer, gbnf_to_lark(gbnf), log_level=0)
        words = (vocab.size + 31) // 32
        _prefill(self.engine, tokens)
        started = time.perf_counter()
        text, n = "", 0
        pending: list[int] = []
        while n < max_tokens and not matcher.is_stopped():
            if pending:
                _eval(llm, pending, all_logits=False)
            logits = _logits(ctx, -1, vocab.size)
            token = int(np.argmax(logits))
            if matcher.validate_tokens([token]) != 1:  # lazy: the full mask only when the argmax is refused
                bits = np.frombuffer(matcher.compute_bitmask(), dtype=np.uint32)[:words]
                allowed = np.unpackbits(bits.view(np.uint8), bitorder="little")[:vocab.size].astype(bool)
                token = int(np.flatnonzero(allowed)[np.argmax(logits[allowed])])
            if vocab.is_eog(token):
                break
            matcher.consume_token(token)
            forced = matcher.compute_ff_tokens()
            matcher.consume_tokens(forced)
            pending = [token, *forced]
            n += len(pending)
            text += "".join(vocab.piece(t) for t in pending)
            if matcher.is_stopped() or matcher.is_accepting() and text.endswith("}"):
                break
        return text, time.perf_counter() - started


def bench_model(entry, home: Home, rounds: int) -> dict:
    engine = Engine(verified_path(entry, home), n_ctx=2048)
    template = TEMPLATES[entry.chat_template]
    guidance = _Guidance(engine) if llguidance else None
    jobs = []
    for report in REPORTS:
        for name in BENCH_TASKS:
            task = TASKS[name]
            spec = grammar_for(task.output)[0]
            prompt = build_prompt(template, report, task)
            jobs.append((engine.tokenize(prompt), spec.gbnf, LlamaGrammar.from_string(spec.gbnf, verbose=False),
                         task.budget, report, task.quote_keys))
    exact_batch(engine.llm, engine.vocabulary)  # measured once per model, outside the clock
    lengths = []  # each answer's length, so free decoding runs in the rotation like the others
    for tokens, gbnf, _, budget, document, quote_keys in jobs:
        _prefill(engine, tokens)
        lengths.append(decode(engine.llm, engine.vocabulary, tokens, gbnf, budget, document, quote_keys).tokens)
    modes = ["appliance", "stepwise", "free", "gbnf"] + (["llguidance"] if guidance else [])
    per_round, identical, forced, copied, total = [], 0, 0, 0, 0
    for r in range(rounds):
        seconds = {m: 0.0 for m in modes}
        for j, (tokens, gbnf, grammar, budget, document, quote_keys) in enumerate(jobs):
            k = (r + j) % len(modes)
            answers = {}
            for mode in modes[k:] + modes[:k]:
                if mode in ("appliance", "stepwise"):
                    _prefill(engine, tokens)
                    out = decode(engine.llm, engine.vocabulary, tokens, gbnf, budget, document, quote_keys,
                                 fast_forward=mode == "appliance")
                    answers[mode], seconds[mode] = out, seconds[mode] + out.decode_s
                elif mode == "free":
                    seconds[mode] += _free(engine, tokens, lengths[j])
                elif mode == "gbnf":
                    seconds[mode] += _gbnf(engine, tokens, grammar, budget)[1]
                else:
                    seconds[mode] += guidance.decode(tokens, gbnf, budget)[1]
            if r == 0:
                identical += answers["appliance"].text == answers["stepwise"].text
                forced += answers["appliance"].forced
                copied += answers["appliance"].copied
                total += answers["appliance"].tokens
        per_round.append({m: seconds["free"] / s for m, s in seconds.items() if m != "free"})
        print(f"  {entry.name} round {r + 1}: " + ", ".join(f"{m} {s:.2f}s" for m, s in seconds.items()),
              file=sys.stderr, flush=True)
    result = {m: statistics.median(p[m] for p in per_round) for m in per_round[0]}
    result.update(identical=f"{identical}/{len(jobs)}", forced_share=forced / max(total, 1),
                  copied_share=copied / max(total, 1),
                  batch_limit=engine.vocabulary.batch_limit)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--model", help="only the embedded model whose name contains this (default: both)")
    args = parser.parse_args()
    for entry, home in embedded_models(args.model):
        result = bench_model(entry, home, args.rounds)
        print(f"model={entry.name} " + " ".join(
            f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in result.items())
              + f" rounds={args.rounds} (answers/s relative to free decoding of the same length)", flush=True)


def embedded_models(contains: str | None):
    """(entry, home) for each embedded model whose name contains `contains` (all when None), in a scratch home."""
    with tempfile.TemporaryDirectory() as tmp:
        home = Home(Path(tmp)).ensure()
        for entry in load_catalogue(home):
            if entry.origin == "embedded" and (not contains or contains in entry.name):
                yield entry, home


if __name__ == "__main__":
    main()
