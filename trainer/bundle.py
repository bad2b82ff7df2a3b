"""`trainer bundle`: a GGUF LoRA adapter → a signed bundle for `appliance adapters import`.

The manifest says what the adapter is (name, version, tasks, base model by sha256 and
architecture, LoRA rank and alpha, training data summary, metrics) and carries golden
cases: a few inputs with the outputs the appliance's own engine gives with this adapter
over its base, recorded here and required to match on the appliance at import.
Missing options are read from the adapter's GGUF metadata (`clinic.name`,
`clinic.tasks`, `clinic.base` / `clinic.base_sha256`, `clinic.metrics`,
`clinic.training_data`, `adapter.lora.alpha`, the lora_a shapes for the rank).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import tarfile
import time
from pathlib import Path
from typing import Any

import click

from appliance.adapters.bundle import (ADAPTER, MANIFEST, NAME_PATTERN, SIGNATURES, AdapterFile, BaseRef, GoldenCase,
                                       LoraInfo, Manifest, load_private_key, manifest_bytes, now_iso, sign,
                                       signatures_bytes)
from appliance.adapters.golden import load_engine, run_case
from appliance.catalogue import ModelEntry, load_catalogue, verified_path
from appliance.durable import file_sha256
from appliance.errors import ApplianceError
from appliance.home import Home
from appliance.tasks import FEATURE_TASK, SERVABLE, get_task

from .keys import private_key_path

DEFAULT_GOLDEN_CASES = 3


class BundleBuildError(click.ClickException):
    pass


def gguf_adapter_info(path: Path) -> dict[str, Any]:
    """Architecture, alpha, rank and clinic.* metadata of a GGUF LoRA adapter."""
    import gguf
    import numpy as np

    try:
        reader = gguf.GGUFReader(str(path))
    except Exception as exc:
        raise BundleBuildError(f"{path}: not a readable GGUF file ({exc}).") from exc

    def value(key: str):
        f = reader.fields.get(key)
        if f is None:
            return None
        part = f.parts[f.data[0]]
        return bytes(part).decode("utf-8") if part.dtype == np.uint8 else part.tolist()[0]

    if value("general.type") != "adapter" or value("adapter.type") != "lora":
        raise BundleBuildError(f"{path}: not a GGUF LoRA adapter (general.type / adapter.type); "
                               "export it with `trainer export-gguf`.")
    ranks = {min(int(n) for n in t.shape[:2]) for t in reader.tensors if t.name.endswith(".lora_a")}
    clinic = {key.removeprefix("clinic."): value(key) for key in reader.fields if key.startswith("clinic.")}
    return {"architecture": value("general.architecture"), "alpha": value("adapter.lora.alpha"),
            "rank": max(ranks) if ranks else None, "clinic": clinic}


def _json_field(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def resolve_base(catalogue: list[ModelEntry], base: str | None, info: dict[str, Any]) -> ModelEntry:
    wanted = base or info["clinic"].get("base") or info["clinic"].get("base_sha256")
    if wanted:
        for entry in catalogue:
            if wanted in (entry.name, entry.sha256):
                return entry
        raise BundleBuildError(f"base model {wanted!r} is not in the appliance catalogue; "
                               f"known: {', '.join(e.name for e in catalogue)}.")
    same_arch = [e for e in catalogue if e.architecture == info["architecture"]]
    if len(same_arch) != 1:
        raise BundleBuildError("say which base model the adapter was trained over with --base NAME.")
    return same_arch[0]


def read_golden_inputs(path: Path | None, tasks: list[str]) -> list[tuple[str, str]]:
    """(task, input) pairs: from a JSON/JSONL file of {task, input}, else each task's own golden document."""
    if path is None:
        from appliance.tasks.feature_question import GOLDEN

        return [(t, GOLDEN if t == FEATURE_TASK else get_task(t).golden) for t in tasks[:DEFAULT_GOLDEN_CASES]]
    text = path.read_text(encoding="utf-8")
    try:
        rows = json.loads(text) if text.lstrip().startswith("[") else [json.loads(l) for l in text.splitlines() if l.strip()]
        cases = [(str(r["task"]), str(r["input"])) for r in rows]
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise BundleBuildError(f"{path}: expected JSON lines (or a JSON list) of {{task, input}} ({exc}).") from exc
    if not cases:
        raise BundleBuildError(f"{path}: no golden cases.")
    return cases


def build_bundle(adapter: Path, out: Path, *, version: str, key: Path, name: str | None = None,
                 tasks: list[str] | None = None, base: str | None = None, rank: int | None = None,
                 alpha: float | None = None, metrics: dict | None = None, training_data: dict | None = None,
                 golden_cases: Path | None = None, home: Home | None = None,
                 n_threads: int | None = None) -> Manifest:
    """Write the signed bundle to `out` (a folder, or a .tar file when out ends in .tar)."""
    private_key = load_private_key(private_key_path(key))
    info = gguf_adapter_info(adapter)
    clinic = info["clinic"]
    home = home or Home.locate()
    entry = resolve_base(load_catalogue(home), base, info)
    if info["architecture"] and info["architecture"] != entry.architecture:
        raise BundleBuildError(f"{adapter}: a {info['architecture']} adapter cannot go over {entry.name} "
                               f"({entry.architecture}).")
    name = name or clinic.get("name") or re.sub(r"[^a-z0-9._-]+", "-", adapter.stem.lower()).strip("-._")
    if not re.match(NAME_PATTERN, name or ""):
        raise BundleBuildError(f"adapter name {name!r}: use lowercase letters, digits, '.', '_' or '-' (--name).")
    if tasks is None:
        found = _json_field(clinic.get("tasks"))
        tasks = found if isinstance(found, list) else [t.strip() for t in (found or "").split(",") if t.strip()]
    if not tasks:
        raise BundleBuildError("which tasks does the adapter serve? give --tasks a,b (or clinic.tasks in the GGUF).")
    unknown = [t for t in tasks if t not in SERVABLE]
    if unknown:
        raise BundleBuildError(f"unknown task(s) {', '.join(unknown)}; an adapter may serve {', '.join(SERVABLE)}")

    base_path = verified_path(entry, home)
    engine = load_engine(base_path, entry, adapter, n_threads)
    golden = []
    try:
        for task, document in read_golden_inputs(golden_cases, tasks):
            try:
                golden.append(GoldenCase(task=task, input=document, output=run_case(engine, entry, task, document)))
            except ApplianceError as exc:
                raise BundleBuildError(f"golden case for {task}: the adapter gives no valid output ({exc}).") from exc
    finally:
        engine.llm.close()

    manifest = Manifest(
        name=name, version=version, tasks=tasks,
        base=BaseRef(name=entry.name, sha256=entry.sha256, architecture=entry.architecture),
        lora=LoraInfo(rank=rank or info["rank"] or 1, alpha=alpha or info["alpha"] or 1.0),
        adapter=AdapterFile(sha256=file_sha256(adapter), size=adapter.stat().st_size),
        training_data=training_data or _json_field(clinic.get("training_data")) or {},
        metrics=metrics or _json_field(clinic.get("metrics")) or {},
        created=now_iso(), golden=golden,
    )
    data = manifest_bytes(manifest)
    write_bundle(out, data, signatures_bytes([sign(private_key, data)]), adapter)
    return manifest


def write_bundle(out: Path, manifest_data: bytes, signatures_data: bytes, adapter: Path) -> None:
    """The three files as a folder or a .tar, written to a temporary name and renamed."""
    if out.exists():
        raise BundleBuildError(f"{out} already exists; choose a new --out.")
    tmp = out.with_name(f".{out.name}.tmp")
    if tmp.exists():
        shutil.rmtree(tmp) if tmp.is_dir() else tmp.unlink()
    if out.name.endswith(".tar"):
        with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tar:
            for member, data in ((MANIFEST, manifest_data), (SIGNATURES, signatures_data)):
                info = tarfile.TarInfo(member)
                info.size, info.mode, info.mtime = len(data), 0o644, int(time.time())
                tar.addfile(info, io.BytesIO(data))
            tar.add(adapter, arcname=ADAPTER, recursive=False)
    else:
        tmp.mkdir(parents=True)
        (tmp / MANIFEST).write_bytes(manifest_data)
        (tmp / SIGNATURES).write_bytes(signatures_data)
        shutil.copyfile(adapter, tmp / ADAPTER)
    os.replace(tmp, out)


def _load_json(path: Path | None) -> dict | None:
    if path is None:
        return None
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise BundleBuildError(f"{path}: not a readable JSON file ({exc}).") from exc
    if not isinstance(value, dict):
        raise BundleBuildError(f"{path}: expected a JSON object.")
    return value


@click.command("bundle")
@click.argument("adapter", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--version", required=True, help="Dotted numbers, e.g. 1.2.0; must grow with every release.")
@click.option("--key", required=True, type=click.Path(exists=True, path_type=Path),
              help="Folder from `trainer keys generate` (or its signing.key).")
@click.option("--out", required=True, type=click.Path(path_type=Path),
              help="Bundle folder to create (or a .tar file).")
@click.option("--name", help="Adapter name (default: clinic.name in the GGUF, else the file name).")
@click.option("--tasks", "task_list", help="Comma-separated tasks it serves (default: clinic.tasks in the GGUF).")
@click.option("--base", help="Catalogue name of the base model (default: clinic.base in the GGUF).")
@click.option("--rank", type=int, help="LoRA rank (default: read from the adapter).")
@click.option("--alpha", type=float, help="LoRA alpha (default: read from the adapter).")
@click.option("--metrics", type=click.Path(exists=True, path_type=Path), help="JSON object of evaluation metrics.")
@click.option("--training-data", type=click.Path(exists=True, path_type=Path),
              help="JSON object summarising the training data.")
@click.option("--golden-cases", type=click.Path(exists=True, path_type=Path),
              help="JSON lines of {task, input} (default: each task's own golden document, at most 3).")
def bundle(adapter: Path, version: str, key: Path, out: Path, name: str | None, task_list: str | None,
           base: str | None, rank: int | None, alpha: float | None, metrics: Path | None,
           training_data: Path | None, golden_cases: Path | None) -> None:
    """Sign ADAPTER (a GGUF LoRA) into a bundle for `appliance adapters import`."""
    tasks = [t.strip() for t in task_list.split(",") if t.strip()] if task_list else None
    try:
        manifest = build_bundle(adapter, out, version=version, key=key, name=name, tasks=tasks, base=base,
                                rank=rank, alpha=alpha, metrics=_load_json(metrics),
                                training_data=_load_json(training_data), golden_cases=golden_cases)
    except ApplianceError as exc:
        raise click.ClickException(str(exc)) from exc
    except ValueError as exc:  # pydantic: a field the manifest refuses (e.g. the version)
        raise click.ClickException(f"the manifest is not valid: {exc}") from exc
    click.echo(f"bundle {manifest.ident} for {', '.join(manifest.tasks)} over {manifest.base.name}: {out}")
    click.echo(f"{len(manifest.golden)} golden case(s) recorded; adapter sha256 {manifest.adapter.sha256}")
