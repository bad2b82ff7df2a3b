"""`appliance`: the operator's subcommands. The console script (`tui.cli:main`) adds `tui`, the default."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .. import DECISION_SUPPORT_NOTICE
from ..errors import ApplianceError, InputError
from .common import app as _app, existing_app as _existing_app, fail as _fail


class ApplianceGroup(click.Group):
    """Turns operator-facing errors into one clear line and a non-zero exit."""

    def invoke(self, ctx):
        import sqlite3

        from ..durable import DiskError, disk_error

        try:
            return super().invoke(ctx)
        except DiskError as exc:
            _fail(str(exc), code=exc.exit_code)
        except ApplianceError as exc:
            _fail(str(exc))
        except (OSError, sqlite3.Error) as exc:
            from ..home import Home

            found = disk_error(exc, Home.locate().root)
            if found is None:
                raise
            _fail(str(found), code=found.exit_code)


@click.group(cls=ApplianceGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="clinic-appliance", prog_name="appliance",
                      message="%(prog)s %(version)s (offline clinical decision support; output for a clinician's review)")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Offline clinical decision support. With no command, opens the clinician TUI.

    State lives in APPLIANCE_HOME (default: the platform's per-user data folder).
    """
    if ctx.invoked_subcommand is None:
        # The `tui` command is added by the console entry point (tui/cli.py), which sits
        # above this package: the appliance core never imports the TUI.
        opener = cli.get_command(ctx, "tui")
        if opener is None:
            click.echo(ctx.get_help())
            return
        ctx.invoke(opener)


@cli.command()
@click.option("--once", is_flag=True, help="Process everything in the drop folder, then exit.")
def watch(once: bool) -> None:
    """Headless drop-folder service: process each file that lands in the inbox.

    One service per home: a second one (or the clinician app's built-in service) finds
    the home's lock held, says which PID holds it and exits 3. A full disk or an I/O
    error stops it with a plain message and exit 74; nothing is lost.
    """
    from ..pipeline.watch import run_once, watch_forever
    from ..service_lock import ServiceLock, ServiceRunning

    app = _app()
    lock = ServiceLock(app.home)
    try:
        lock.acquire()
    except ServiceRunning as exc:
        _fail(str(exc), code=3)
    say = lambda line: click.echo(line, err=False)  # noqa: E731
    try:
        if once:
            handled = run_once(app, say)
            click.echo(f"{handled} file(s) handled")
            return
        watch_forever(app, say)
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        lock.release()


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--tasks", "task_list", help="Comma-separated task names (default: chosen per document).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per file (JSON lines).")
def process(files: tuple[Path, ...], task_list: str | None, as_json: bool) -> None:
    """Process FILE... once; results go to stdout and the outbox, originals stay where they are."""
    from ..pipeline.reader import read_document
    from ..store import jobs
    from ..store.jobs import JobStatus
    from ..tasks import get_task

    tasks = [t.strip() for t in task_list.split(",") if t.strip()] if task_list else None
    for name in tasks or []:
        try:
            get_task(name)
        except KeyError as exc:
            _fail(exc.args[0] + "; see `appliance tasks list`.", code=2)
    app = _app()
    failures = 0
    for path in files:
        try:
            doc = read_document(path, app.settings.max_text_bytes, app.settings.max_file_bytes)
        except InputError as exc:
            jobs.rejected(app.db, path.name, None, str(exc))
            click.echo(f"error: {exc}", err=True)
            failures += 1
            continue
        record = app.process(doc, tasks)
        failures += record["status"] != JobStatus.DONE
        if as_json:
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            _print_record(record)
    if not as_json:
        click.echo(DECISION_SUPPORT_NOTICE)
    sys.exit(1 if failures else 0)


def _print_record(record: dict) -> None:
    click.echo(f"{record['source']} [{record['document_type']}] {record['status']}")
    for task, value in record["results"].items():
        how = record.get("provenance", {}).get(task, "model").replace("_", " ")
        click.echo(f"  {task}: {json.dumps(value, ensure_ascii=False)} ({how})")
    for task, reason in record.get("withheld", {}).items():
        click.echo(f"  {task}: WITHHELD {reason}")
    for task, error in record["errors"].items():
        click.echo(f"  {task}: ERROR {error}")
    if record["flags"]:
        click.echo(f"  flags: {', '.join(record['flags'])}")


@cli.command("eval")
@click.argument("labelled", type=click.Path(path_type=Path))
@click.option("--tasks", "task_list",
              help="Comma-separated task names (default: every labelled task the planner chooses, as in service); "
                   "the catalogue's (`appliance tasks list`) and rads_features (RADS feature reading: the model's "
                   "answers to the feature questions a RADS calculator leaves open, labels with "
                   "\"feature\" and \"value\").")
@click.option("--model-only", is_flag=True,
              help="Score the model's own answers (no tools, no gate) and store them as the capability gate's "
                   "evidence for this model and adapter (rads_features: always stored, its answers are the "
                   "model's own).")
@click.option("--out", type=click.Path(path_type=Path), help="Also write report.json and report.md to this folder.")
@click.option("--json", "as_json", is_flag=True, help="Print the reports as JSON.")
def eval_command(labelled: Path, task_list: str | None, model_only: bool, out: Path | None, as_json: bool) -> None:
    """Run LABELLED.jsonl through the deployed path; print each task's metric beside its trivial baseline."""
    from ..evaluation import evaluate, read_labelled, scored_task
    from ..evaluation_store import store_reports, write_report_files

    tasks = [t.strip() for t in task_list.split(",") if t.strip()] if task_list else None
    for name in tasks or []:
        try:
            scored_task(name)
        except KeyError as exc:
            _fail(exc.args[0] + "; see `appliance tasks list`.", code=2)
    items = read_labelled(labelled)
    app = _app()
    if model_only:
        app.settings.gate_model_answers = False
    answers = evaluate(app, items, tasks, model_only=model_only,
                       progress=lambda i, n: click.echo(f"\r{i}/{n} documents", nl=False, err=True))
    click.echo("", err=True)
    reports = store_reports(app, labelled, answers, model_only)
    if out is not None:
        write_report_files(out, labelled, reports, answers)
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in reports], indent=2))
    else:
        from ..evaluation import table

        click.echo(table(reports))
        click.echo(DECISION_SUPPORT_NOTICE)


@cli.group()
def tasks() -> None:
    """The task catalogue."""


@tasks.command("list")
@click.option("--json", "as_json", is_flag=True)
def tasks_list(as_json: bool) -> None:
    """List the tasks with their token budgets."""
    from ..tasks import TASKS

    if as_json:
        click.echo(json.dumps([{"name": t.name, "title": t.title, "budget": t.budget} for t in TASKS.values()]))
        return
    for task in TASKS.values():
        click.echo(f"{task.name:<24} {task.title:<24} budget {task.budget} tokens")


@tasks.command("schema")
@click.argument("name")
def tasks_schema(name: str) -> None:
    """Print the JSON Schema of a task's output."""
    from ..tasks import get_task

    try:
        task = get_task(name)
    except KeyError as exc:
        _fail(exc.args[0], code=2)
    click.echo(json.dumps(task.schema(), indent=2))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print {ok, checks: [...]} as JSON.")
def selftest(as_json: bool) -> None:
    """Check that this box is healthy; exit 0 only when every check passes."""
    from ..selftest import run_selftest

    def progress(check: dict) -> None:
        # Each check on its own line as it finishes (flushed: a pipe or a log sees progress too).
        mark = "ok  " if check["ok"] else "FAIL"
        click.echo(f"{mark} {check['name']:<40} {check['duration_s']:7.2f}s  {check['detail']}")
        sys.stdout.flush()

    report = run_selftest(_app(), on_check=None if as_json else progress)
    if as_json:
        click.echo(json.dumps(report, indent=2))
    else:
        click.echo(f"{'healthy' if report['ok'] else 'NOT HEALTHY'} ({report['duration_s']:.1f}s)")
    sys.exit(0 if report["ok"] else 1)


@cli.group()
def audit() -> None:
    """The tamper-evident audit log."""


@audit.command("verify")
@click.option("--anchor", "anchor_file", type=click.Path(path_type=Path),
              help="A head kept earlier by `appliance audit anchor`: prove the log still holds it.")
def audit_verify(anchor_file: Path | None) -> None:
    """Check the chain, every row's MAC and the anchored head; names every edited, deleted or inserted row.

    Also detects the last rows (or all rows) deleted and a chain recomputed after an
    edit. With --anchor FILE, also proves the log still contains that earlier head.
    """
    from ..store import audit as audit_log

    app = _existing_app()
    anchor = None
    if anchor_file is not None:
        try:
            anchor = audit_log.read_anchor(anchor_file)
        except (ValueError, OSError) as exc:
            _fail(f"cannot read the anchor {anchor_file}: {exc}", code=2)
        if anchor is None:
            _fail(f"the anchor file {anchor_file} does not exist", code=2)
    problems = audit_log.verify(app.db, anchor)
    for line in problems:
        click.echo(line)
    if problems:
        _fail(f"audit log of {app.home.db_path} has been tampered with ({len(problems)} problem(s)).")
    held = f"; holds the head you gave (row {anchor['rows']})" if anchor else ""
    click.echo(f"audit log intact: {app.db['audit'].count} rows{held}")


@audit.command("anchor")
@click.option("--out", type=click.Path(path_type=Path), help="Also write the head to this file (e.g. on a USB stick).")
def audit_anchor(out: Path | None) -> None:
    """Print the log's current head (row count + hash) to write down or keep off the box.

    Later, `appliance audit verify --anchor FILE` proves the log still holds it: rows
    deleted or rewritten since, even by someone holding the audit key, are caught.
    """
    from ..durable import write_json_atomic
    from ..store import audit as audit_log

    app = _existing_app()
    found = audit_log.head(app.db)
    found.pop("mac", None)  # the operator's copy needs no key to be checked
    if out is not None:
        write_json_atomic(out, {**found, "home": str(app.home.root)})
    click.echo(f"audit head: row {found['rows']} hash {found['hash']}")


@audit.command("export")
@click.option("--out", type=click.Path(path_type=Path), help="Write to this file instead of stdout.")
def audit_export(out: Path | None) -> None:
    """Write the audit log as JSON lines."""
    from ..store import audit as audit_log

    app = _existing_app()
    lines = (json.dumps(row, ensure_ascii=False) + "\n" for row in audit_log.rows(app.db))
    if out is None:
        for line in lines:
            click.echo(line, nl=False)
        return
    from ..durable import atomic_write

    with atomic_write(out) as f:
        f.writelines(lines)


@cli.group()
def models() -> None:
    """The catalogue of base models."""


@models.command("list")
@click.option("--json", "as_json", is_flag=True)
def models_list(as_json: bool) -> None:
    """List catalogued models: where each file is and whether it is present."""
    from ..catalogue import expected_path, load_catalogue
    from ..home import Home

    home = Home.locate().ensure()
    from ..settings import Settings

    from ..capability import gate_table
    from ..store.db import open_db

    preferred = Settings.load(home).default_model
    db = open_db(home.db_path)
    rows = []
    for entry in load_catalogue(home):
        path = expected_path(entry, home)
        rows.append({
            "name": entry.name, "display": entry.display, "path": str(path) if path else None,
            "present": bool(path and path.is_file()), "sha256": entry.sha256,
            "default": entry.name == preferred if preferred else entry.default,
            "architecture": entry.architecture, "chat_template": entry.chat_template,
            "licence": entry.licence, "origin": entry.origin, "package": entry.package,
            "gate": gate_table(db, entry.sha256),
        })
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        star = "*" if row["default"] else " "
        state = "present" if row["present"] else "not assembled yet" if row["path"] else "package missing"
        click.echo(f"{star} {row['name']:<30} {row['architecture']:<8} {row['licence']:<20} {state}: {row['path']}")
        shown = [f"{task} ({g['evidence']})" for task, g in row["gate"].items() if g["open"]]
        click.echo(f"    model answers shown for: {', '.join(shown) or 'no task (no evaluation beats its baseline)'}")
        measured = [f"{task}: {g['evidence']}" for task, g in row["gate"].items() if not g["open"] and g["evidence"]]
        for line in measured:
            click.echo(f"    withheld, measured {line}")


@models.command("register")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--name", required=True, help="Catalogue name for the model.")
@click.option("--architecture", required=True, help="GGUF architecture, e.g. qwen2, llama.")
@click.option("--chat-template", required=True, help="Template name, e.g. chatml or gemma.")
@click.option("--licence", required=True)
@click.option("--n-ctx", default=4096, show_default=True, type=int)
def models_register(path: Path, name: str, architecture: str, chat_template: str, licence: str, n_ctx: int) -> None:
    """Register a clinic-supplied GGUF (its sha256 is pinned now and checked at every load)."""
    from ..catalogue import register
    from ..home import Home

    entry = register(Home.locate().ensure(), path, name, architecture, chat_template, licence, n_ctx)
    click.echo(f"registered {entry.name} ({entry.sha256})")


from .adapters import adapters  # noqa: E402  (the `appliance adapters` group)

cli.add_command(adapters)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
