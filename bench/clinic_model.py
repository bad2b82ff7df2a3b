"""What a clinic model costs on this box: a random-weight GGUF with Qwen2.5-3B's shape.

    python bench/clinic_model.py [--threads N] [--keep]

RadLite serves a Qwen2.5-3B LoRA as GGUF Q4_K_M on a 4-thread consumer CPU (7.7 tok/s,
2.6 s per RADS query). This script writes, in a temporary folder (never committed,
deleted afterwards), a GGUF with that architecture's exact shape — qwen2, 36 layers,
hidden 2048, 16 attention heads, 2 KV heads, intermediate 11008, vocabulary 151,936,
tied embeddings — with random Q4_0 weights written block by block (Q4_0 is what the
`gguf` writer stores natively; compute per token matches Q4_K_M's within a few per
cent). The vocabulary is SmolLM2's byte-level BPE padded with unused tokens, so a
report tokenizes as an English-trained model would tokenize it.

It then reports, on one typical report and the same threads:
  prefill tok/s and decode tok/s (bare llama.cpp, one token at a time);
  a RADS answer (rads_assignment) and a whole document (every task the planner
  chooses for the report) through the appliance's engine (grammar, verbatim quotes,
  fast-forward, the document's KV prefix reused) vs bare llama.cpp
  (llama-cpp-python's create_completion with the same grammar as GBNF, its own prefix
  cache) — wall seconds each, and their ratio.
A random model writes nonsense, but every task still ends in a schema-valid object of
a comparable length, which is what the timings need.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import gguf
from llama_cpp import LlamaGrammar

from appliance.catalogue import load_catalogue, verified_path
from appliance.engine.decode import _eval, _logits
from appliance.engine.llm import Engine, _quiet_stderr, grammar_for
from appliance.engine.templates import TEMPLATES
from appliance.home import Home
from appliance.pipeline.plan import plan_document
from appliance.tasks import TASKS
from appliance.tasks.prompt import build_prompt

SHAPE = dict(layers=36, hidden=2048, heads=16, kv_heads=2, ffn=11008, vocab=151_936, context=32_768)
REPORT = (
    "EXAM: Bilateral diagnostic mammogram with right breast ultrasound.\n"
    "HISTORY: 52-year-old woman with a palpable lump in the right breast.\n"
    "FINDINGS: Heterogeneously dense breasts. In the right breast at 10 o'clock, 6 cm from the nipple, there is a "
    "14 mm irregular hypoechoic mass with spiculated margins and posterior shadowing, with associated pleomorphic "
    "calcifications. No axillary lymphadenopathy. The left breast is unremarkable.\n"
    "IMPRESSION: Highly suspicious right breast mass; ultrasound-guided core biopsy recommended."
)
QK = gguf.GGML_QUANT_SIZES[gguf.GGMLQuantizationType.Q4_0]  # (32 weights, 18 bytes) per block


def _q4_0(rng: np.random.Generator, rows: int, cols: int) -> np.ndarray:
    """Random Q4_0 blocks: an fp16 scale near 1/sqrt(cols)/4.6 (unit-variance rows) and random nibbles."""
    blocks = cols // QK[0]
    data = rng.integers(0, 256, size=(rows, blocks, QK[1]), dtype=np.uint8)
    scale = np.float16(1.0 / (4.6 * np.sqrt(cols)))
    data[:, :, :2] = np.frombuffer(scale.tobytes(), dtype=np.uint8)
    return data.reshape(rows, blocks * QK[1])


def write_model(path: Path, tokenizer_from: Path) -> None:
    s, rng = SHAPE, np.random.default_rng(0)
    reader = gguf.GGUFReader(str(tokenizer_from))
    writer = gguf.GGUFWriter(str(path), "qwen2")
    writer.add_name("random-qwen2.5-3b-shape")
    writer.add_context_length(s["context"])
    writer.add_embedding_length(s["hidden"])
    writer.add_block_count(s["layers"])
    writer.add_feed_forward_length(s["ffn"])
    writer.add_head_count(s["heads"])
    writer.add_head_count_kv(s["kv_heads"])
    writer.add_rope_freq_base(1_000_000.0)
    writer.add_layer_norm_rms_eps(1e-6)
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_Q4_0)
    # SmolLM2's byte-level BPE, padded to Qwen's vocabulary size with unused tokens.
    field = reader.fields
    tokens = [bytes(field["tokenizer.ggml.tokens"].parts[i]).decode("utf-8", "replace")
              for i in field["tokenizer.ggml.tokens"].data]
    types = [int(field["tokenizer.ggml.token_type"].parts[i][0]) for i in field["tokenizer.ggml.token_type"].data]
    merges = [bytes(field["tokenizer.ggml.merges"].parts[i]).decode("utf-8", "replace")
              for i in field["tokenizer.ggml.merges"].data]
    pad = s["vocab"] - len(tokens)
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre(bytes(field["tokenizer.ggml.pre"].parts[-1]).decode())
    writer.add_token_list(tokens + [f"<unused_{i}>" for i in range(pad)])
    writer.add_token_types(types + [gguf.TokenType.UNUSED] * pad)
    writer.add_token_merges(merges)
    for key, add in (("tokenizer.ggml.bos_token_id", writer.add_bos_token_id),
                     ("tokenizer.ggml.eos_token_id", writer.add_eos_token_id)):
        if key in field:
            add(int(field[key].parts[-1][0]))
    h, kv = s["hidden"], s["hidden"] // s["heads"] * s["kv_heads"]
    norm = np.ones(h, dtype=np.float32)
    q4 = gguf.GGMLQuantizationType.Q4_0

    def matrix(name: str, rows: int, cols: int) -> None:
        # the byte shape (rows, blocks x 18): the writer derives the element shape from it
        writer.add_tensor(name, _q4_0(rng, rows, cols), raw_dtype=q4)

    matrix("token_embd.weight", s["vocab"], h)
    for i in range(s["layers"]):
        p = f"blk.{i}."
        writer.add_tensor(p + "attn_norm.weight", norm)
        for name, rows in (("attn_q", h), ("attn_k", kv), ("attn_v", kv)):
            matrix(p + name + ".weight", rows, h)
            writer.add_tensor(p + name + ".bias", np.zeros(rows, dtype=np.float32))
        matrix(p + "attn_output.weight", h, h)
        writer.add_tensor(p + "ffn_norm.weight", norm)
        matrix(p + "ffn_gate.weight", s["ffn"], h)
        matrix(p + "ffn_up.weight", s["ffn"], h)
        matrix(p + "ffn_down.weight", h, s["ffn"])
    writer.add_tensor("output_norm.weight", norm)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def _bare(engine: Engine, prompt, grammar, max_tokens: int) -> tuple[int, float]:
    started = time.perf_counter()
    with _quiet_stderr():
        out = engine.llm.create_completion(engine.tokenize(prompt), max_tokens=max_tokens, temperature=0.0, top_k=1,
                                           grammar=grammar)
    return out["usage"]["completion_tokens"], time.perf_counter() - started


def _appliance(engine: Engine, prompt, task) -> tuple[int, float]:
    started = time.perf_counter()
    gen = engine.generate(prompt, task.output, task.budget, task.quote_keys)
    _appliance.split.append((gen.prefill_s, gen.decode_s))
    return gen.completion_tokens, time.perf_counter() - started


_appliance.split = []  # (prefill s, decode s) of each appliance answer, for the breakdown line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--keep", action="store_true", help="keep the GGUF (printed path) instead of deleting it")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="clinic-model-"))
    free_gb = shutil.disk_usage(tmp).free / 2**30
    if free_gb < 4:
        sys.exit(f"{tmp}: {free_gb:.1f} GiB free; the model needs about 2 GiB. Free some space and retry.")
    try:
        home = Home(tmp / "home").ensure()
        smol = next(e for e in load_catalogue(home) if e.name.startswith("smollm2"))
        path = tmp / "random-qwen2.5-3b-q4_0.gguf"
        started = time.perf_counter()
        write_model(path, verified_path(smol, home))
        print(f"wrote {path.name}: {path.stat().st_size / 2**30:.2f} GiB in {time.perf_counter() - started:.0f}s",
              file=sys.stderr, flush=True)
        engine = Engine(path, n_ctx=4096, n_threads=args.threads)
        template = TEMPLATES["chatml"]
        rads = TASKS["rads_assignment"]
        tokens = engine.tokenize(build_prompt(template, REPORT, rads))
        # Prefill and decode rates, bare: the whole prompt in one call, then 16 single tokens.
        engine.llm.reset()
        t = time.perf_counter()
        engine.llm.eval(tokens)
        prefill = len(tokens) / (time.perf_counter() - t)
        t = time.perf_counter()
        for _ in range(16):
            _eval(engine.llm, [int(np.argmax(_logits(engine.llm._ctx.ctx, -1, engine.vocabulary.size)))], False)
        decode_rate = 16 / (time.perf_counter() - t)
        # One-time work at a model's first answer (the vocabulary's token tables, the exact-batch
        # probe): done here, outside the clock, as a served model has done it before its first report.
        t = time.perf_counter()
        engine.generate(build_prompt(template, "Chest radiograph: normal.", TASKS["m_staging"]),
                        TASKS["m_staging"].output, TASKS["m_staging"].budget, TASKS["m_staging"].quote_keys)
        setup = time.perf_counter() - t
        tasks = [n for n in plan_document(REPORT, None).tasks if n in TASKS]
        rows = []
        for label, names in (("RADS answer", ["rads_assignment"]), (f"whole document ({len(tasks)} tasks)", tasks)):
            times = {}
            for mode in ("appliance", "bare"):
                engine.llm.reset()
                total_tokens, total_s = 0, 0.0
                for name in names:
                    task = TASKS[name]
                    prompt = build_prompt(template, REPORT, task)
                    if mode == "appliance":
                        n, s = _appliance(engine, prompt, task)
                    else:
                        grammar = LlamaGrammar.from_string(grammar_for(task.output)[0].gbnf, verbose=False)
                        n, s = _bare(engine, prompt, grammar, task.budget)
                    total_tokens, total_s = total_tokens + n, total_s + s
                times[mode] = (total_tokens, total_s)
            rows.append((label, times))
        print(f"clinic model: qwen2 36 layers, hidden 2048, 16/2 heads, ffn 11008, vocab 151936, Q4_0 "
              f"({path.stat().st_size / 2**30:.2f} GiB), threads={args.threads}, prompt {len(tokens)} tokens")
        print(f"prefill_tok_s={prefill:.1f} decode_tok_s={decode_rate:.2f} (RadLite: 7.7 tok/s on 4 threads)")
        print(f"first answer after loading (one-time tables and probe, untimed below): {setup:.1f}s")
        prefill_s = sum(p for p, _ in _appliance.split)
        decode_s = sum(d for _, d in _appliance.split)
        print(f"appliance answers: prefill {prefill_s:.1f}s, decode {decode_s:.1f}s in all")
        for label, times in rows:
            (an, a_s), (bn, b_s) = times["appliance"], times["bare"]
            print(f"{label}: appliance {a_s:.1f}s ({an} tokens) vs bare llama.cpp {b_s:.1f}s ({bn} tokens); "
                  f"bare/appliance = {b_s / a_s:.2f}")
        if args.keep:
            print(f"kept {path}")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
