"""`trainer train`, `trainer export-gguf` and `trainer eval`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from appliance.durable import file_sha256, write_json_atomic
from appliance.engine.templates import TEMPLATES

from .presets import PRESETS

_TEMPLATE = click.option("--template", type=click.Choice(sorted(TEMPLATES)),
                         help="Chat template (default: the catalogue's for a known base).")
_BASE = click.option("--base", default="smollm2-135m-instruct-q4_1", show_default=True,
                     help="Catalogue model name, a .gguf file, or a Hugging Face model folder.")


def _resolve(base: str, template: str | None):
    from .base import BaseError, resolve_base

    try:
        return resolve_base(base, template)
    except BaseError as exc:
        raise click.ClickException(str(exc)) from exc


def _export(peft_dir: Path, base, out: Path, name: str, training: dict | None) -> Path:
    from .export_gguf import ExportError, export_peft

    if base.gguf is None:
        raise click.ClickException("export needs the GGUF base the appliance serves (give --base as a catalogue "
                                   "name or .gguf file)")
    tasks = (training or {}).get("tasks") or []
    metadata = {"name": name, "tasks": json.dumps(tasks), "base": base.name, "base_sha256": base.sha256 or "",
                "training_data": json.dumps({k: (training or {}).get(k) for k in ("examples", "steps", "preset")})}
    try:
        return export_peft(peft_dir, base.gguf, out, metadata=metadata)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from exc


@click.command("train")
@click.option("--data", "data_dir", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder from `trainer data build` (train.jsonl, val.jsonl).")
@_BASE
@click.option("--preset", default="radlite", show_default=True, type=click.Choice(sorted(PRESETS)))
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", default="clinic-lora", show_default=True, help="Adapter name written into the GGUF.")
@click.option("--seed", default=0, show_default=True)
@click.option("--resume", is_flag=True, help="Continue from OUT/checkpoint.pt.")
@click.option("--max-steps", type=int, help="Stop after this many optimiser steps.")
@click.option("--learning-rate", type=float)
@click.option("--epochs", type=float)
@click.option("--batch-size", type=int)
@click.option("--micro-batch", type=int)
@click.option("--seq-len", type=int)
@click.option("--batch-tokens", type=int, help="Token budget of a length-bucketed micro-batch (rows x longest row).")
@click.option("--rank", type=int, help="LoRA rank (alpha is scaled with it).")
@click.option("--mixed-precision", type=click.Choice(["no", "bf16"]), help="bf16 autocast (default: the preset's).")
@click.option("--decision-weight", type=float,
              help="Loss weight of the tokens that choose a RADS feature question's value (preset's: 1).")
@click.option("--threads", type=int, help="CPU threads [default: every core this process may use].")
@click.option("--checkpoint-every", default=50, show_default=True)
@_TEMPLATE
def train_command(data_dir, base, preset, out, name, seed, resume, max_steps, learning_rate, epochs, batch_size,
                  micro_batch, seq_len, batch_tokens, rank, mixed_precision, decision_weight, threads,
                  checkpoint_every, template) -> None:
    """Train a LoRA adapter on DATA and export it to OUT/adapter.gguf for the appliance.

    QLoRA (4-bit NF4) on CUDA, plain LoRA on the CPU. Several GPUs:
    `accelerate launch -m trainer.cli train ...`. Interrupted? Run the same command with
    --resume: it continues from OUT/checkpoint.pt with the same data order.
    """
    from .train import train

    resolved = _resolve(base, template)
    chosen = PRESETS[preset]
    alpha = chosen.alpha * rank / chosen.rank if rank else None  # keep alpha/rank, the LoRA scale
    chosen = chosen.with_overrides(max_steps=max_steps, learning_rate=learning_rate, epochs=epochs,
                                   batch_size=batch_size, micro_batch=micro_batch, seq_len=seq_len,
                                   batch_tokens=batch_tokens, rank=rank, alpha=alpha,
                                   mixed_precision=mixed_precision, decision_weight=decision_weight)
    result = train(resolved, chosen, data_dir, out, seed=seed, resume=resume, checkpoint_every=checkpoint_every,
                   threads=threads)
    training = json.loads((out / "training.json").read_text())
    adapter = _export(out / "peft", resolved, out / "adapter.gguf", name, training)
    write_json_atomic(out / "adapter.json", {
        "name": name, "adapter": adapter.name, "adapter_sha256": file_sha256(adapter),
        "base": training["base"], "preset": training["preset"], "tasks": training["tasks"],
        "data": training["data"], "training": {k: training.get(k) for k in (
            "steps", "examples", "skipped_too_long", "train_loss_mean_last10", "val_loss_before", "val_loss_after",
            "device", "threads", "batching", "trained_tokens", "tokens_per_second", "seconds")},
    })
    click.echo(f"{result.steps} steps on {result.examples} examples ({result.skipped_too_long} longer than "
               f"seq_len left out); val loss {result.val_loss_before} -> {result.val_loss}; adapter {adapter}")
    if result.loop_seconds:
        click.echo(f"{result.trained_tokens} tokens trained in {result.loop_seconds:.0f} s of steps "
                   f"({result.trained_tokens / result.loop_seconds:.0f} tokens/s)")


@click.command("export-gguf")
@click.argument("peft_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_BASE
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--name", default="clinic-lora", show_default=True)
@click.option("--verify", is_flag=True,
              help="Prove the export: llama.cpp's logit change must match PEFT's (cosine >= 0.99).")
def export_command(peft_dir, base, out, name, verify) -> None:
    """Convert a saved PEFT adapter (PEFT_DIR) into a GGUF LoRA for the appliance."""
    resolved = _resolve(base, None)
    training_json = peft_dir.parent / "training.json"
    training = json.loads(training_json.read_text()) if training_json.exists() else None
    adapter = _export(peft_dir, resolved, out, name, training)
    click.echo(f"wrote {adapter} ({adapter.stat().st_size / 1e6:.1f} MB)")
    if verify:
        from .verify_export import verify_export

        result = verify_export(resolved, peft_dir, adapter, out.parent)
        click.echo(f"logit-change cosine, F32 base: min {result['cosine_f32_min']:.5f}; deployed "
                   f"{resolved.gguf.name}: min {result['cosine_deployed_min']:.5f} ({result['prompts']} prompts)")
        if result["cosine_f32_min"] < 0.99:
            click.echo("error: the exported adapter does not reproduce PEFT's effect; do not ship it", err=True)
            sys.exit(1)


@click.command("eval")
@click.option("--data", "data_path", required=True, type=click.Path(exists=True, path_type=Path),
              help="A JSONL of {task, input, output} or a `trainer data build` folder (its test.jsonl).")
@_BASE
@click.option("--adapter", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="GGUF LoRA to compare against zero-shot.")
@click.option("--per-task", type=int, help="At most this many examples per task.")
@click.option("--threads", type=int)
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="Evaluation through the appliance engine", show_default=True)
@click.option("--reuse", is_flag=True, help="Recompute metrics and report from OUT's saved predictions.")
def eval_command(data_path, base, adapter, per_task, threads, out, title, reuse) -> None:
    """Zero-shot (and fine-tuned) predictions through the appliance engine, metrics, report.md and plots."""
    from .evaluate import all_metrics, predict, sample_per_task
    from .report import write_report
    from .train import read_examples

    resolved = _resolve(base, None)
    test_file = data_path / "test.jsonl" if data_path.is_dir() else data_path
    examples = sample_per_task(read_examples(test_file), per_task)
    out.mkdir(parents=True, exist_ok=True)
    runs = {"zero_shot": None, **({"fine_tuned": adapter} if adapter else {})}
    rows = {}
    for name, lora in runs.items():
        saved = out / f"predictions_{name}.jsonl"
        if reuse and saved.exists():
            rows[name] = read_examples(saved)
            continue
        rows[name] = predict(resolved, examples, adapter=lora, n_threads=threads)
        saved.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows[name]), encoding="utf-8")
    metrics = {name: all_metrics(r) for name, r in rows.items()}
    write_json_atomic(out / "metrics.json", metrics)
    context = [
        f"Base: `{resolved.name}` (sha256 `{resolved.sha256}`); adapter: "
        + (f"`{adapter.name}` (sha256 `{file_sha256(adapter)}`)" if adapter else "none") + ".",
        f"Test data: `{test_file}` (sha256 `{file_sha256(test_file)}`), {len(examples)} examples"
        + (f" (at most {per_task} per task)" if per_task else "") + ".",
        "Every prediction went through the appliance's engine: its prompt builder, llama.cpp on the GGUF, "
        "grammar-constrained greedy decoding and schema validation.",
    ]
    report = write_report(out, rows["zero_shot"], rows.get("fine_tuned"), title, context)
    click.echo(f"report: {report}")
    for task, m in metrics["zero_shot"].items():
        tuned = metrics.get("fine_tuned", {}).get(task, {}).get("metric")
        click.echo(f"{task:24s} {m['metric_name'][:28]:28s} zero-shot {m['metric']:.3f}"
                   + (f"  fine-tuned {tuned:.3f}" if tuned is not None else "")
                   + f"  baseline {m['baseline']:.3f} ({m['baseline_name']})")
