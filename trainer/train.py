"""Train one LoRA adapter over all tasks. Reads top to bottom: config, data, model, loop, eval, save.

QLoRA (bitsandbytes 4-bit NF4) on CUDA, plain LoRA on the CPU. Several GPUs through
accelerate: `accelerate launch -m trainer.cli train ...`.

Data are the raw `{task, input, output}` JSONL files of `trainer data build`; each
example is formatted by the appliance's own prompt builder and tokenized once, up front,
by the base's own llama.cpp vocabulary, so the adapter trains on the exact tokens it
will serve. Only the answer's tokens carry loss.

Where the time goes on a CPU, and what this loop does about it:
- padding: micro-batches are length-bucketed under a token budget (trainer/batching.py),
  so a batch is a few tokens per row wider than its rows;
- the vocabulary projection: the loss needs logits only where an answer token is
  predicted, so the decoder's hidden states are projected to the vocabulary at those
  positions only (`AnswerLoss`), not at every prompt token (49k-262k logits each);
- threads: torch uses every core this process may run on (or `threads`);
- the data pipeline: tokenization is done once before the loop; collation is a few
  tensor copies per batch;
- LoRA dropout masks: torch's CPU `bernoulli_` took a fifth of a step; the same
  dropout drawn four elements per random number (trainer/dropout.py).
Accumulation and resumption use accelerate's own idioms: `accelerator.accumulate`,
and on `--resume` the epoch's deterministic batch order with
`accelerator.skip_first_batches`; `accelerator.prepare` shards the batches across processes.

Every `checkpoint_every` optimiser steps the adapter, optimiser, scheduler, RNG state and
position in the data are saved to OUT/checkpoint.pt (written to a temporary file,
fsynced, renamed); `--resume` continues from there with the same data order.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from appliance.durable import file_sha256, write_json_atomic
from appliance.engine.llm import tokenize_prompt

from .base import Base
from .batching import IGNORE, BucketBatchSampler, collate, padding_stats, plan_batches
from .data import prompt_and_completion
from .decision import answer_weights, decisive_span
from .presets import Preset

__all__ = ["IGNORE", "TrainResult", "read_examples", "encode", "train"]


@dataclass
class TrainResult:
    out: Path
    steps: int
    train_loss: float
    val_loss: float | None
    val_loss_before: float | None
    examples: int
    skipped_too_long: int
    seconds: float
    trained_tokens: int = 0      # real (unpadded) tokens through forward and backward in this call
    loop_seconds: float = 0.0    # time in the training steps of this call (no loading, eval or checkpoints)
    step_log: list[tuple[int, float]] = field(default_factory=list)  # (real tokens, seconds) of each step


# -- data ---------------------------------------------------------------------
def read_examples(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def encode(examples: list[dict], base: Base, seq_len: int,
           decision_weight: float = 1.0) -> tuple[list[dict], int]:
    """Token ids with the prompt masked out; examples longer than seq_len are left out.

    With a decision_weight other than 1, each example also gets per-token loss weights:
    the tokens that choose a feature question's value weigh that much (trainer/decision.py).
    """
    vocab = base.vocabulary()
    encoded, skipped = [], 0
    for example in examples:
        prompt, completion = prompt_and_completion(example, base.chat_template)
        prompt_ids = tokenize_prompt(vocab, prompt)
        answer_ids = vocab.tokenize(completion.encode("utf-8"), add_bos=False, special=False)
        ids = prompt_ids + answer_ids
        if len(ids) > seq_len:
            skipped += 1
            continue
        row = {"input_ids": ids, "labels": [IGNORE] * len(prompt_ids) + answer_ids, "task": example["task"]}
        if decision_weight != 1.0:
            span = decisive_span(example, completion)
            row["weights"] = [0.0] * len(prompt_ids) + answer_weights(vocab, answer_ids, span, decision_weight)
        encoded.append(row)
    return encoded, skipped


def set_threads(threads: int | None) -> int:
    """Every core this process may use (its CPU affinity), unless told otherwise."""
    import torch

    if not threads:
        threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    torch.set_num_threads(max(1, threads))
    return torch.get_num_threads()


# -- model --------------------------------------------------------------------
def load_peft_model(base: Base, preset: Preset, device_type: str, cache_dir: Path):
    import torch
    from peft import LoraConfig, get_peft_model, prepare_model_for_kbit_training

    from .dropout import speed_up_lora_dropout

    if device_type == "cuda":
        from transformers import BitsAndBytesConfig

        quant = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True,
                                   bnb_4bit_compute_dtype=torch.bfloat16)
        model = base.load_model(torch.bfloat16, quant, cache_dir)
        model = prepare_model_for_kbit_training(model)
    else:
        # With bf16 autocast the frozen base is kept in bfloat16 too: its weights are then not
        # cast again at every matmul (autocast caches casts only for weights that train), and
        # it takes half the memory. PEFT keeps the LoRA weights, which train, in float32.
        dtype = torch.bfloat16 if preset.mixed_precision == "bf16" else torch.float32
        model = base.load_model(dtype)
    config = LoraConfig(r=preset.rank, lora_alpha=preset.alpha, lora_dropout=preset.dropout,
                        target_modules=list(preset.target_modules), bias="none", task_type="CAUSAL_LM")
    peft_model = get_peft_model(model, config)
    if device_type == "cpu":
        speed_up_lora_dropout(peft_model)  # torch's CPU dropout masks cost a fifth of a step (dropout.py)
    return peft_model


def _answer_loss_class():
    import torch
    import torch.nn.functional as F

    class AnswerLoss(torch.nn.Module):
        """Summed cross-entropy over answer tokens and their count, for one padded batch.

        The decoder runs over every real token (an answer attends to its prompt), but the
        vocabulary projection and softmax run only at positions that predict an answer
        token. Models whose head is not a plain linear layer over the decoder's output
        (none of the shipped bases) fall back to the full forward.
        """

        def __init__(self, peft_model):
            super().__init__()
            self.model = peft_model
            causal = peft_model.get_base_model()
            decoder = causal.get_decoder() if hasattr(causal, "get_decoder") else None
            head = causal.get_output_embeddings()
            plain = (decoder is not None and isinstance(head, torch.nn.Linear)
                     and getattr(causal.config, "logit_scale", None) is None)
            # A plain tuple, not submodules: the parameters stay registered once, under `model`.
            self.parts = (decoder, head) if plain else None
            self.softcap = getattr(causal.config, "final_logit_softcapping", None)

        def forward(self, input_ids, attention_mask, labels, weights=None):
            """With `weights` (per label position), the weighted sum and the sum of the weights."""
            targets = labels[:, 1:]
            keep = targets != IGNORE
            # A batch without padding needs no mask: the causal mask alone is exact.
            mask = None if bool(attention_mask.all()) else attention_mask
            if self.parts is None:
                logits = self.model(input_ids=input_ids, attention_mask=mask, use_cache=False).logits[:, :-1][keep]
            else:
                decoder, head = self.parts
                hidden = decoder(input_ids=input_ids, attention_mask=mask, use_cache=False).last_hidden_state
                logits = head(hidden[:, :-1][keep])
            logits = logits.float()
            if self.softcap:
                logits = torch.tanh(logits / self.softcap) * self.softcap
            if weights is None:
                return F.cross_entropy(logits, targets[keep], reduction="sum"), keep.sum()
            kept = weights[:, 1:][keep]
            return (F.cross_entropy(logits, targets[keep], reduction="none") * kept).sum(), kept.sum()

    return AnswerLoss


def autocast(device_type: str, mixed_precision: str):
    """bf16 autocast for the forward pass, or nothing. Done here rather than through
    accelerate's `mixed_precision`, which is fixed once per process (a second run in the same
    process, such as the throughput bench or the tests, could not choose another)."""
    import torch

    if mixed_precision == "bf16":
        return torch.autocast(device_type=device_type, dtype=torch.bfloat16)
    if mixed_precision != "no":
        raise ValueError(f"mixed precision {mixed_precision!r}: use 'no' or 'bf16'")
    return contextlib.nullcontext()


def evaluate_loss(objective, encoded: list[dict], budget: int, pad_id: int, accelerator,
                  mixed_precision: str = "no") -> float | None:
    """Mean answer-token loss over held-out examples (in a fixed, unshuffled order)."""
    import torch

    if not encoded:
        return None
    objective.eval()
    total, count = 0.0, 0
    lengths = [len(e["input_ids"]) for e in encoded]
    with torch.no_grad(), autocast(accelerator.device.type, mixed_precision):
        for rows in plan_batches(lengths, budget, shuffle=False):
            batch = {k: v.to(accelerator.device) for k, v in collate([encoded[i] for i in rows], pad_id).items()}
            loss_sum, n = objective(**batch)
            total += float(loss_sum)
            count += int(n)
    objective.train()
    return total / max(count, 1)


# -- the run --------------------------------------------------------------------
def train(base: Base, preset: Preset, data_dir: Path, out: Path, seed: int = 0, resume: bool = False,
          checkpoint_every: int = 50, threads: int | None = None, show_progress: bool = True) -> TrainResult:
    import torch
    from accelerate import Accelerator, PartialState
    from peft import get_peft_model_state_dict, set_peft_model_state_dict
    from torch.utils.data import DataLoader
    from tqdm.auto import tqdm
    from transformers import get_scheduler

    started = time.monotonic()
    out.mkdir(parents=True, exist_ok=True)
    cuda = torch.cuda.is_available()
    n_threads = None if cuda else set_threads(threads)
    torch.manual_seed(seed)
    processes = PartialState(cpu=not cuda).num_processes

    # data: tokenized once, then planned into length-bucketed micro-batches
    train_path = data_dir / "train.jsonl"
    train_set, skipped = encode(read_examples(train_path), base, preset.seq_len, preset.decision_weight)
    val_path = data_dir / "val.jsonl"
    val_set, _ = encode(read_examples(val_path)[:preset.val_examples], base, preset.seq_len) if val_path.exists() else ([], 0)
    if not train_set:
        raise ValueError(f"{train_path}: no example fits seq_len {preset.seq_len}")
    budget = preset.tokens_per_batch()
    lengths = [len(e["input_ids"]) for e in train_set]
    sampler = BucketBatchSampler(lengths, budget, seed)
    first_plan = sampler.plan(0)
    per_batch = len(train_set) / len(first_plan)
    # Accumulate enough micro-batches to make about batch_size examples per optimiser step.
    accumulation = max(1, round(preset.batch_size / (per_batch * processes)))
    steps_per_epoch = math.ceil(math.ceil(len(first_plan) / processes) / accumulation)
    total_steps = math.ceil(steps_per_epoch * preset.epochs)
    if preset.max_steps is not None:
        total_steps = min(total_steps, preset.max_steps)
    # Every answer token weighs the same whichever batch it falls in: the summed loss of a
    # micro-batch is divided by the mean answer tokens per micro-batch, one constant for the run.
    answer_tokens = sum(sum(e["weights"][1:]) if "weights" in e else sum(1 for t in e["labels"][1:] if t != IGNORE)
                        for e in train_set)
    norm = answer_tokens / len(first_plan)
    plan_key = {"train_sha256": file_sha256(train_path), "seq_len": preset.seq_len, "budget": budget,
                "decision_weight": preset.decision_weight,
                "accumulation": accumulation, "seed": seed, "processes": processes}

    accelerator = Accelerator(cpu=not cuda, gradient_accumulation_steps=accumulation)
    device_type = accelerator.device.type
    autocast(device_type, preset.mixed_precision)  # an unknown value fails here, before the model loads
    if device_type == "cpu" and preset.mixed_precision == "bf16" and not _cpu_has_bf16():
        # Without AVX512-BF16 / AMX, bf16 is emulated and slower than float32.
        accelerator.print("this CPU has no native bf16 matmul; training in float32 instead")
        preset = preset.with_overrides(mixed_precision="no")

    # model
    model = load_peft_model(base, preset, device_type, out)
    pad_id = model.config.pad_token_id if model.config.pad_token_id is not None else 0
    objective = _answer_loss_class()(model)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad],
                                  lr=preset.learning_rate, weight_decay=preset.weight_decay)
    # accelerate steps a prepared scheduler once per process per optimiser step.
    scheduler = get_scheduler(preset.scheduler, optimizer,
                              num_warmup_steps=int(preset.warmup_ratio * total_steps) * processes,
                              num_training_steps=total_steps * processes)
    # Its own generator: starting an epoch's iterator must not draw from the global RNG, whose
    # state (dropout) is saved in checkpoints; a resumed run then draws the same masks.
    loader = DataLoader(train_set, batch_sampler=sampler, collate_fn=partial(collate, pad_id=pad_id),
                        generator=torch.Generator().manual_seed(seed))
    objective, optimizer, scheduler, loader = accelerator.prepare(objective, optimizer, scheduler, loader)
    peft_model = accelerator.unwrap_model(objective).model

    step, epoch, done = 0, 0, 0   # optimiser steps; epoch; micro-batches of this epoch already trained
    checkpoint = out / "checkpoint.pt"
    if resume and checkpoint.exists():
        state = torch.load(checkpoint, map_location="cpu", weights_only=False)
        if state.get("plan", plan_key) != plan_key:
            raise ValueError(f"{checkpoint} was made with other data or batching ({state['plan']}); resume needs the "
                             "same train.jsonl, seq_len, token budget, batch size, seed and process count, or a new --out.")
        set_peft_model_state_dict(peft_model, state["adapter"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        step = state["step"]
        epoch = state.get("epoch", step // steps_per_epoch)
        done = state.get("batches_done", (step % steps_per_epoch) * accumulation)
        if "rng" in state:
            torch.set_rng_state(state["rng"])
        accelerator.print(f"resumed at step {step} of {total_steps} (epoch {epoch}, batch {done})")

    val_before = evaluate_loss(objective, val_set, budget, pad_id, accelerator,
                               preset.mixed_precision) if step == 0 else None

    # loop
    objective.train()
    losses: list[float] = []
    progress = tqdm(total=total_steps, initial=step, desc=f"train {preset.name}",
                    disable=not (show_progress and accelerator.is_local_main_process))
    trained_tokens, loop_seconds, step_log, step_tokens = 0, 0.0, [], 0
    step_loss, step_answer_tokens = 0.0, 0
    while step < total_steps:
        loader.set_epoch(epoch)   # the loader's own epoch counter ...
        sampler.set_epoch(epoch)  # ... and the plan's (accelerate's shard wrapper does not pass it on)
        if done >= len(loader):
            epoch, done = epoch + 1, 0
            continue
        epoch_loader = accelerator.skip_first_batches(loader, done) if done else loader
        tick = time.perf_counter()
        for batch in epoch_loader:
            with accelerator.accumulate(objective):
                with autocast(device_type, preset.mixed_precision):
                    loss_sum, count = objective(**batch)
                accelerator.backward(loss_sum / norm)   # accelerate divides by the accumulation steps
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad()
            done += 1
            step_tokens += int(batch["attention_mask"].sum())
            step_loss += float(loss_sum.detach())
            step_answer_tokens += float(count)
            if not accelerator.sync_gradients:
                continue
            step += 1
            step_log.append((step_tokens, time.perf_counter() - tick))
            trained_tokens, loop_seconds, step_tokens = trained_tokens + step_tokens, loop_seconds + step_log[-1][1], 0
            losses.append(step_loss / max(step_answer_tokens, 1))
            step_loss, step_answer_tokens = 0.0, 0
            progress.update(1)
            progress.set_postfix(loss=f"{losses[-1]:.3f}", lr=f"{scheduler.get_last_lr()[0]:.1e}")
            if accelerator.is_main_process and (step % checkpoint_every == 0 or step == total_steps):
                _save_checkpoint(checkpoint, {
                    "adapter": get_peft_model_state_dict(peft_model), "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict(), "step": step, "epoch": epoch, "batches_done": done,
                    "rng": torch.get_rng_state(), "plan": plan_key})
            tick = time.perf_counter()
            if step >= total_steps:
                break
        else:
            epoch, done = epoch + 1, 0
    progress.close()

    # eval
    val_after = evaluate_loss(objective, val_set, budget, pad_id, accelerator, preset.mixed_precision)

    # save
    if accelerator.is_main_process:
        peft_model.save_pretrained(out / "peft")
        plan_stats = padding_stats(lengths, first_plan)
        summary = {
            "base": {"name": base.name, "sha256": base.sha256, "architecture": base.architecture,
                     "chat_template": base.chat_template},
            "preset": preset.as_dict(), "seed": seed, "device": device_type, "threads": n_threads,
            "processes": accelerator.num_processes, "steps": step, "examples": len(train_set),
            "skipped_too_long": skipped, "tasks": sorted({e["task"] for e in train_set}),
            "batching": {"token_budget": budget, "accumulation": accumulation,
                         "examples_per_micro_batch": round(per_batch, 2), "steps_per_epoch": steps_per_epoch,
                         "padding_fraction": round(plan_stats["padding_fraction"], 4)},
            "train_loss_last": losses[-1] if losses else None,
            "train_loss_mean_last10": sum(losses[-10:]) / len(losses[-10:]) if losses else None,
            "val_loss_before": val_before, "val_loss_after": val_after,
            "trained_tokens": trained_tokens, "loop_seconds": round(loop_seconds, 2),
            "tokens_per_second": round(trained_tokens / loop_seconds, 1) if loop_seconds else None,
            "data": _data_summary(data_dir), "seconds": round(time.monotonic() - started, 1),
        }
        write_json_atomic(out / "training.json", summary)
    return TrainResult(out, step, losses[-1] if losses else float("nan"), val_after, val_before,
                       len(train_set), skipped, time.monotonic() - started, trained_tokens, loop_seconds, step_log)


def _cpu_has_bf16() -> bool:
    import torch

    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


def _save_checkpoint(path: Path, state: dict) -> None:
    """Temporary file, fsync, rename, fsync the folder: a crash leaves the old or the new checkpoint."""
    import torch

    tmp = path.with_name(path.name + ".tmp")
    torch.save(state, tmp)
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _data_summary(data_dir: Path) -> dict:
    summary = data_dir / "summary.json"
    if summary.exists():
        return json.loads(summary.read_text())
    return {name: file_sha256(data_dir / name) for name in ("train.jsonl", "val.jsonl")
            if (data_dir / name).exists()}
