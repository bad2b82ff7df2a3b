"""`trainer`: commands run on the GPU workstation."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from appliance.engine.templates import TEMPLATES

from .data import DataError, format_file


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Build training data and adapters for the clinic appliance."""


@cli.group()
def data() -> None:
    """Training data in the appliance's own prompt layout."""


@data.command("format")
@click.argument("examples", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", required=True, type=click.Path(path_type=Path), help="JSONL of {task, prompt, completion}.")
@click.option("--template", default="chatml", show_default=True, type=click.Choice(sorted(TEMPLATES)),
              help="Chat template of the base model.")
def data_format(examples: Path, out: Path, template: str) -> None:
    """Format EXAMPLES (JSONL of {task, input, output}) with the appliance's prompt builder."""
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as f:
            count = 0
            for row in format_file(examples, template):
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
    except DataError as exc:
        tmp.unlink(missing_ok=True)
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    os.replace(tmp, out)
    click.echo(f"{count} examples written to {out}")


from .bundle import bundle  # noqa: E402
from .data_cli import build as data_build  # noqa: E402
from .keys import keys  # noqa: E402
from .run_cli import eval_command, export_command, train_command  # noqa: E402
from .sign import sign_command  # noqa: E402

data.add_command(data_build)
for command in (train_command, eval_command, export_command, keys, bundle, sign_command):
    cli.add_command(command)


def main() -> None:
    cli()


if __name__ == "__main__":  # `accelerate launch -m trainer.cli train ...`
    main()
