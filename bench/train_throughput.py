"""Trained tokens per second: our training loop against a plain Hugging Face Trainer + PEFT LoRA.

    python bench/train_throughput.py [--examples 48] [--steps 3] [--rounds 3] [--preset cpu-135m]
                                     [--base smollm2-135m-instruct-q4_1] [--threads N] [--baseline-bf16]

Both sides, in the same run: the same examples (a few dozen from the trainer's own
builders and corpus, a round robin over tasks), the same base (the appliance's GGUF,
dequantised by transformers; nothing is downloaded), the same LoRA rank, alpha, dropout
and target projections, the same learning rate, the same number of optimiser steps of
about the same number of examples each, the same threads.

- ours: `trainer.train.train` as `trainer train` runs it (length-bucketed micro-batches
  under the preset's token budget, answer-only vocabulary projection, the preset's
  mixed precision, accelerate's accumulation);
- baseline: `transformers.Trainer` over `peft.get_peft_model`, `DataCollatorForSeq2Seq`
  padding each batch of `micro_batch` random examples to its longest, float32 (bf16
  autocast with --baseline-bf16), full-vocabulary logits and its own loss.

Ours runs in bf16 where the preset says so (cpu-135m does) and the baseline in float32,
its default; `--baseline-bf16` gives the baseline bf16 autocast too and `--mixed-precision
no` takes it from ours, to see how much of the ratio is the number format and how much
the loop. A step of ours is one token-budget micro-batch at least (4-5 examples of
~450 tokens under 2048), so keep --batch-size near that for steps of the same size.

Trained tokens are the real tokens of the batches that went through forward and
backward (attention mask sums; padding excluded), divided by the seconds of the training
steps after the first (`--warmup`: kernel set-up and first allocations), model loading,
tokenizing and saving excluded on both sides. Each side runs in
its own process (a fresh interpreter: no state, memory or threads left over from the
other). Rounds alternate which side runs first, so drift on this shared machine hits
both; the figure is the median of the per-round ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

OPENI = Path(__file__).resolve().parents[2] / "shared" / "data" / "openi" / "indiana_reports.csv"


def pick_examples(n: int, seed: int = 0) -> list[dict]:
    """n validated examples, a round robin over tasks, from the builders and the corpus."""
    from trainer.dataset import collect

    examples = collect(OPENI if OPENI.exists() else None, seed=seed, limit=max(n, 20))
    by_task: dict[str, list[dict]] = defaultdict(list)
    for example in examples:
        by_task[example["task"]].append(example)
    picked: list[dict] = []
    while len(picked) < n and any(by_task.values()):
        for task in sorted(by_task):
            if by_task[task] and len(picked) < n:
                picked.append(by_task[task].pop(0))
    return picked


def run_ours(base, preset, data_dir: Path, out: Path, threads: int) -> dict:
    from trainer.train import train

    result = train(base, preset, data_dir, out, seed=0, checkpoint_every=10**9, threads=threads, show_progress=False)
    training = json.loads((out / "training.json").read_text())
    return {"steps": result.step_log, "padding": training["batching"]["padding_fraction"],
            "examples_per_step": training["batching"]["examples_per_micro_batch"] * training["batching"]["accumulation"]}


def run_baseline(base, preset, encoded: list[dict], out: Path, threads: int, bf16: bool, tokenizer=None) -> dict:
    import torch
    from transformers import AutoTokenizer, DataCollatorForSeq2Seq, Trainer, TrainerCallback, TrainingArguments

    from trainer.train import load_peft_model

    torch.set_num_threads(threads)
    model = load_peft_model(base, preset.with_overrides(mixed_precision="no"), "cpu", out)  # float32, as HF loads it
    if tokenizer is None:
        tokenizer = AutoTokenizer.from_pretrained(base.gguf.parent, gguf_file=base.gguf.name)
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    counts = {"real": 0, "padded": 0}

    def count(_module, _args, kwargs):
        mask = kwargs.get("attention_mask")
        counts["real"] += int(mask.sum()) if mask is not None else kwargs["input_ids"].numel()
        counts["padded"] += kwargs["input_ids"].numel()

    model.register_forward_pre_hook(count, with_kwargs=True)
    steps: list[tuple[int, float]] = []

    class StepClock(TrainerCallback):
        """(real tokens, seconds) of each optimiser step, from its first micro-batch to its update."""

        def on_step_begin(self, *args, **kwargs):
            self.start, self.tokens = time.perf_counter(), counts["real"]

        def on_step_end(self, *args, **kwargs):
            steps.append((counts["real"] - self.tokens, time.perf_counter() - self.start))

    micro = min(preset.micro_batch, preset.batch_size)
    args = TrainingArguments(
        output_dir=str(out), per_device_train_batch_size=micro,
        gradient_accumulation_steps=max(1, preset.batch_size // micro), max_steps=preset.max_steps,
        learning_rate=preset.learning_rate, lr_scheduler_type=preset.scheduler, warmup_steps=0,
        weight_decay=preset.weight_decay, use_cpu=True, bf16=bf16, report_to="none", save_strategy="no",
        logging_strategy="no", disable_tqdm=True, dataloader_num_workers=0, seed=0)
    rows = [{"input_ids": e["input_ids"], "labels": e["labels"]} for e in encoded]
    trainer = Trainer(model=model, args=args, train_dataset=rows, callbacks=[StepClock()],
                      data_collator=DataCollatorForSeq2Seq(tokenizer, padding=True, label_pad_token_id=-100))
    trainer.train()
    padding = 1 - counts["real"] / counts["padded"] if counts["padded"] else 0.0
    return {"steps": steps, "padding": round(padding, 4),
            "examples_per_step": args.per_device_train_batch_size * args.gradient_accumulation_steps}


def throughput(result: dict, warmup: int) -> tuple[int, float]:
    """Real tokens and seconds of the steps after the first `warmup` (kernel set-up, first allocations)."""
    kept = result["steps"][warmup:] or result["steps"][-1:]
    return sum(t for t, _ in kept), sum(s for _, s in kept)


def _preset(args):
    from trainer.presets import PRESETS

    return PRESETS[args.preset].with_overrides(max_steps=args.steps, batch_size=args.batch_size, val_examples=0,
                                               mixed_precision=args.mixed_precision, warmup_ratio=0.0)


def run_side(args) -> None:
    """One side of one round, in this (fresh) process; the figures go to --result as JSON."""
    from trainer.base import resolve_base
    from trainer.train import encode, read_examples

    base, preset = resolve_base(args.base), _preset(args)
    data, out = Path(args.data), Path(args.result).with_suffix("")
    if args.side == "ours":
        result = run_ours(base, preset, data, out, args.threads)
    else:
        encoded, _ = encode(read_examples(data / "train.jsonl"), base, preset.seq_len)
        result = run_baseline(base, preset, encoded, out, args.threads, args.baseline_bf16)
    Path(args.result).write_text(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=48)
    parser.add_argument("--steps", type=int, default=3, help="Optimiser steps per side per round.")
    parser.add_argument("--warmup", type=int, default=1, help="First steps of each side left out of the timing.")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--preset", default="cpu-135m")
    parser.add_argument("--base", default="smollm2-135m-instruct-q4_1")
    parser.add_argument("--batch-size", type=int, default=4, help="Examples per optimiser step (both sides).")
    parser.add_argument("--threads", type=int, default=None, help="Default: every core this process may use.")
    parser.add_argument("--mixed-precision", choices=["no", "bf16"], help="Ours (default: the preset's).")
    parser.add_argument("--baseline-bf16", action="store_true", help="Give the baseline bf16 autocast too.")
    parser.add_argument("--side", choices=["ours", "baseline"], help=argparse.SUPPRESS)   # internal: one side
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.threads = args.threads or len(os.sched_getaffinity(0))
    if args.side:
        run_side(args)
        return

    from trainer.base import resolve_base
    from trainer.train import encode

    base, preset = resolve_base(args.base), _preset(args)
    examples = pick_examples(args.examples)
    encoded, skipped = encode(examples, base, preset.seq_len)
    tasks = sorted({e["task"] for e in examples})
    print(f"{len(encoded)} examples ({skipped} over seq_len {preset.seq_len} left out) from {len(tasks)} tasks; "
          f"base {base.name}; LoRA r {preset.rank} alpha {preset.alpha} on {len(preset.target_modules)} projections; "
          f"{args.steps} steps of ~{args.batch_size} examples; {args.threads} threads")
    print(f"ours: token budget {preset.tokens_per_batch()}, mixed precision {preset.mixed_precision}; "
          f"baseline: micro-batch {min(preset.micro_batch, preset.batch_size)}, "
          f"{'bf16' if args.baseline_bf16 else 'float32'}", flush=True)

    passed = [f"--{k.replace('_', '-')}={v}" for k, v in vars(args).items()
              if k in ("steps", "preset", "base", "batch_size", "threads", "mixed_precision") and v is not None]
    passed += ["--baseline-bf16"] if args.baseline_bf16 else []
    rows = []
    with tempfile.TemporaryDirectory(prefix="train-throughput-") as tmp:
        root = Path(tmp)
        data = root / "data"
        data.mkdir()
        (data / "train.jsonl").write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in examples))
        for r in range(args.rounds):
            sides = ("ours", "baseline") if r % 2 == 0 else ("baseline", "ours")
            got = {}
            for side in sides:
                result = root / f"{side}-{r}.json"
                subprocess.run([sys.executable, __file__, *passed, "--side", side, "--data", str(data),
                                "--result", str(result)], check=True)
                got[side] = json.loads(result.read_text())
            measured = {side: throughput(got[side], args.warmup) for side in got}
            ours, baseline = (measured[s][0] / measured[s][1] for s in ("ours", "baseline"))
            rows.append((ours, baseline, ours / baseline))
            print(f"round {r + 1}: ours {measured['ours'][0]} tokens in {measured['ours'][1]:.1f} s "
                  f"({len(got['ours']['steps'])} steps of ~{got['ours']['examples_per_step']:.1f} examples, padding "
                  f"{got['ours']['padding']:.1%}); baseline {measured['baseline'][0]} tokens in "
                  f"{measured['baseline'][1]:.1f} s ({len(got['baseline']['steps'])} steps of "
                  f"{got['baseline']['examples_per_step']} examples, padding {got['baseline']['padding']:.1%}); "
                  f"first {args.warmup} step(s) of each side not timed", flush=True)

    print()
    print("| round | ours tokens/s | baseline tokens/s | ours / baseline |")
    print("|---:|---:|---:|---:|")
    for i, (ours, baseline, ratio) in enumerate(rows, 1):
        print(f"| {i} | {ours:.1f} | {baseline:.1f} | {ratio:.2f} |")
    print(f"| median | {statistics.median(r[0] for r in rows):.1f} | {statistics.median(r[1] for r in rows):.1f} | "
          f"**{statistics.median(r[2] for r in rows):.2f}** |")


if __name__ == "__main__":
    main()
