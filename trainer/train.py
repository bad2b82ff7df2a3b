"""Train one LoRA adapter over all tasks. Reads top to bottom: config, data, model, loop, eval, save.

QLoRA (bitsandbytes 4-bit NF4) on CUDA, plain LoRA on the CPU. Several GPUs through
accelerate: `accelerate launch -m trainer.cli train ...`. Every `checkpoint_every`
optimiser steps the adapter, optimiser, scheduler and step are saved to
OUT/checkpoint.pt (atomically); `--resume` continues from there with the same data order.

Data are the raw `{task, input, output}` JSONL files of `trainer data build`; each
example is formatted by the appliance's own prompt builder and tokenized by the base's
own llama.cpp vocabulary, so the adapter trains on the exact tokens it will serve.
Only the answer's tokens carry loss.
"""

from __future__ import annotations

import json
import math
import os
import random
import time
from dataclasses import dataclass
from pathlib import Path

from appliance.durable import file_sha256, write_json_atomic
from appliance.engine.llm import tokenize_prompt

from .base import Base
from .data import prompt_and_completion
from .presets import Preset

IGNORE = -100


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


# -- data ---------------------------------------------------------------------
def read_examples(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def encode(examples: list[dict], base: Base, seq_len: int) -> tuple[list[dict], int]:
    """Token ids with the prompt masked out; examples longer than seq_len are left out."""
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
        encoded.append({"input_ids": ids, "labels": [IGNORE] * len(prompt_ids) + answer_ids,
                        "task": example["task"]})
    return encoded, skipped


def batches(encoded: list[dict], size: int, pad_id: int, seed: int, epoch: int):
    """Shuffled micro-batches, right-padded; the order depends only on seed and epoch (for resume)."""
    import torch

    order = list(range(len(encoded)))
    random.Random(seed * 1000 + epoch).shuffle(order)
    for start in range(0, len(order), size):
        rows = [encoded[i] for i in order[start:start + size]]
        width = max(len(r["input_ids"]) for r in rows)
        ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
        labels = torch.full((len(rows), width), IGNORE, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for i, r in enumerate(rows):
            n = len(r["input_ids"])
            ids[i, :n] = torch.tensor(r["input_ids"])
            labels[i, :n] = torch.tensor(r["labels"])
            mask[i, :n] = 1
        yield {"input_ids": ids, "attention_mask": mask, "labels": labels}


# -- model --------------------------------------------------------------------
def load_peft_model(base: Base, preset: Preset, device_type: str, cache_dir: Path):
    import torch
    from peft import LoraConfig, get_peft_model, prepare_model_for_kbit_training

    if device_type == "cuda":
        from transformers import BitsAndBytesConfig

        quant = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True,
                                   bnb_4bit_compute_dtype=torch.bfloat16)
        model = base.load_model(torch.bfloat16, quant, cache_dir)
        model = prepare_model_for_kbit_training(model)
    else:
        model = base.load_model(torch.float32)
    config = LoraConfig(r=preset.rank, lora_alpha=preset.alpha, lora_dropout=preset.dropout,
                        target_modules=list(preset.target_modules), bias="none", task_type="CAUSAL_LM")
    return get_peft_model(model, config)


def evaluate_loss(model, encoded: list[dict], micro_batch: int, pad_id: int, accelerator) -> float | None:
    """Mean answer-token loss over held-out examples."""
    import torch

    if not encoded:
        return None
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for batch in batches(encoded, micro_batch, pad_id, seed=0, epoch=0):
            batch = {k: v.to(accelerator.device) for k, v in batch.items()}
            tokens = int((batch["labels"][:, 1:] != IGNORE).sum())
            total += float(model(**batch).loss) * tokens
            count += tokens
    model.train()
    return total / max(count, 1)


# -- the run --------------------------------------------------------------------
def train(base: Base, preset: Preset, data_dir: Path, out: Path, seed: int = 0, resume: bool = False,
          checkpoint_every: int = 50) -> TrainResult:
    import torch
    from accelerate import Accelerator
    from peft import get_peft_model_state_dict, set_peft_model_state_dict
    from tqdm.auto import tqdm
    from transformers import get_scheduler

    started = time.monotonic()
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(seed)
    accelerator = Accelerator(cpu=not torch.cuda.is_available())
    device_type = accelerator.device.type
    per_step = preset.micro_batch * accelerator.num_processes
    accumulation = max(1, preset.batch_size // per_step)

    # data
    train_set, skipped = encode(read_examples(data_dir / "train.jsonl"), base, preset.seq_len)
    val_path = data_dir / "val.jsonl"
    val_set, _ = encode(read_examples(val_path)[:preset.val_examples], base, preset.seq_len) if val_path.exists() else ([], 0)
    if not train_set:
        raise ValueError(f"{data_dir / 'train.jsonl'}: no example fits seq_len {preset.seq_len}")
    steps_per_epoch = math.ceil(len(train_set) / (preset.micro_batch * accumulation))
    total_steps = math.ceil(steps_per_epoch * preset.epochs)
    if preset.max_steps is not None:
        total_steps = min(total_steps, preset.max_steps)

    # model
    model = load_peft_model(base, preset, device_type, out)
    pad_id = model.config.pad_token_id if model.config.pad_token_id is not None else 0
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad],
                                  lr=preset.learning_rate, weight_decay=preset.weight_decay)
    scheduler = get_scheduler(preset.scheduler, optimizer, num_warmup_steps=int(preset.warmup_ratio * total_steps),
                              num_training_steps=total_steps)
    model, optimizer, scheduler = accelerator.prepare(model, optimizer, scheduler)

    step = 0
    checkpoint = out / "checkpoint.pt"
    if resume and checkpoint.exists():
        state = torch.load(checkpoint, map_location="cpu", weights_only=False)
        set_peft_model_state_dict(accelerator.unwrap_model(model), state["adapter"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        step = state["step"]
        accelerator.print(f"resumed at step {step} of {total_steps}")

    val_before = evaluate_loss(model, val_set, preset.micro_batch, pad_id, accelerator) if step == 0 else None

    # loop
    model.train()
    losses: list[float] = []
    progress = tqdm(total=total_steps, initial=step, desc=f"train {preset.name}",
                    disable=not accelerator.is_local_main_process)
    micro = 0
    epoch = step // steps_per_epoch
    skip = (step % steps_per_epoch) * accumulation  # micro-batches of this epoch already seen
    while step < total_steps:
        for i, batch in enumerate(batches(train_set, preset.micro_batch, pad_id, seed, epoch)):
            if i < skip or i % accelerator.num_processes != accelerator.process_index:
                continue
            batch = {k: v.to(accelerator.device) for k, v in batch.items()}
            loss = model(**batch).loss / accumulation
            accelerator.backward(loss)
            micro += 1
            if micro % accumulation:
                continue
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            losses.append(float(loss) * accumulation)
            progress.update(1)
            progress.set_postfix(loss=f"{losses[-1]:.3f}", lr=f"{scheduler.get_last_lr()[0]:.1e}")
            if accelerator.is_main_process and (step % checkpoint_every == 0 or step == total_steps):
                _save_checkpoint(checkpoint, {
                    "adapter": get_peft_model_state_dict(accelerator.unwrap_model(model)),
                    "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(), "step": step})
            if step >= total_steps:
                break
        epoch, skip = epoch + 1, 0
    progress.close()

    # eval
    val_after = evaluate_loss(model, val_set, preset.micro_batch, pad_id, accelerator)

    # save
    if accelerator.is_main_process:
        accelerator.unwrap_model(model).save_pretrained(out / "peft")
        summary = {
            "base": {"name": base.name, "sha256": base.sha256, "architecture": base.architecture,
                     "chat_template": base.chat_template},
            "preset": preset.as_dict(), "seed": seed, "device": device_type,
            "processes": accelerator.num_processes, "steps": step, "examples": len(train_set),
            "skipped_too_long": skipped, "tasks": sorted({e["task"] for e in train_set}),
            "train_loss_last": losses[-1] if losses else None,
            "train_loss_mean_last10": sum(losses[-10:]) / len(losses[-10:]) if losses else None,
            "val_loss_before": val_before, "val_loss_after": val_after,
            "data": _data_summary(data_dir), "seconds": round(time.monotonic() - started, 1),
        }
        write_json_atomic(out / "training.json", summary)
    return TrainResult(out, step, losses[-1] if losses else float("nan"), val_after, val_before,
                       len(train_set), skipped, time.monotonic() - started)


def _save_checkpoint(path: Path, state: dict) -> None:
    import torch

    tmp = path.with_name(path.name + ".tmp")
    torch.save(state, tmp)
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _data_summary(data_dir: Path) -> dict:
    summary = data_dir / "summary.json"
    if summary.exists():
        return json.loads(summary.read_text())
    return {name: file_sha256(data_dir / name) for name in ("train.jsonl", "val.jsonl")
            if (data_dir / name).exists()}
