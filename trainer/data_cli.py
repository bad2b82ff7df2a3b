"""`trainer data build`: the training dataset from the builders and the corpus (see trainer/dataset.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .data import DataError
from .dataset import CORPUS_DIR, PRESET_WEIGHTS, build_dataset

# The Open-i reports sit beside the repository in a developer checkout (../shared/...).
DEFAULT_OPENI = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "openi" / "indiana_reports.csv"


@click.command("build")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for train.jsonl, val.jsonl, test.jsonl and summary.json.")
@click.option("--openi", "openi_csv", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help=f"Open-i indiana_reports.csv [default: {DEFAULT_OPENI}]")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the synthetic reports and the weighted mix.")
@click.option("--limit", default=None, type=click.IntRange(min=1),
              help="At most N Open-i rows, synthetic reports per builder and corpus lines per file (quick runs).")
@click.option("--preset", default="radlite", show_default=True, type=click.Choice(sorted(PRESET_WEIGHTS)),
              help="Task weights of the training mix.")
@click.option("--corpus", "corpus_dir", default=CORPUS_DIR, show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder of hand-written *.jsonl examples.")
@click.option("--balance/--no-balance", default=True, show_default=True,
              help="Balance answer classes within each task of the training mix (trainer/balance.py).")
def build(out_dir: Path, openi_csv: Path | None, seed: int, limit: int | None, preset: str, corpus_dir: Path,
          balance: bool) -> None:
    """Build validated, deduplicated, leak-free train/val/test splits with task-weighted, class-balanced
    training data and a data card (data_card.md / .json: counts per task and per answer class)."""
    csv_path = openi_csv or DEFAULT_OPENI
    if not csv_path.is_file():
        click.echo(f"error: Open-i reports not found at {csv_path}; pass --openi PATH to indiana_reports.csv "
                   "(see shared/data/openi/README.md).", err=True)
        sys.exit(2)
    try:
        summary = build_dataset(out_dir, seed=seed, openi_csv=csv_path, limit=limit, preset=preset,
                                corpus_dir=corpus_dir, balance=balance)
    except DataError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    # Counts only: report text never goes to stdout.
    for name in ("train", "val", "test"):
        counts = ", ".join(f"{task} {n}" for task, n in summary["counts"][name].items())
        click.echo(f"{name}: {sum(summary['counts'][name].values())} ({counts})")
    click.echo(f"{summary['duplicates_dropped']} duplicates dropped; written to {out_dir} "
               f"(data card: {out_dir / 'data_card.md'})")
