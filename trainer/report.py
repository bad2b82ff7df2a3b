"""Markdown report with PNG plots: zero-shot vs fine-tuned, per task, from evaluation rows."""

from __future__ import annotations

from pathlib import Path

from .evaluate import all_metrics, confusion

METRIC_NAMES = {
    "accuracy": "accuracy", "rouge_l": "ROUGE-L F", "jaccard": "set Jaccard",
    "per_label_accuracy": "per-label accuracy", "cant_miss_recall": "can't-miss recall",
}


def write_report(out_dir: Path, zero_rows: list[dict], tuned_rows: list[dict] | None, title: str,
                 context: list[str]) -> Path:
    """report.md + plots in out_dir; returns the Markdown path."""
    import matplotlib

    matplotlib.use("Agg")
    out_dir.mkdir(parents=True, exist_ok=True)
    zero = all_metrics(zero_rows)
    tuned = all_metrics(tuned_rows) if tuned_rows else {}
    lines = [f"# {title}", "", *context, ""]
    lines += ["| task | n | metric | zero-shot | fine-tuned | schema-valid (zero / tuned) |",
              "|---|---|---|---|---|---|"]
    for task, m in zero.items():
        t = tuned.get(task, {})
        key = m["primary"]
        lines.append(f"| {task} | {m['n']} | {METRIC_NAMES.get(key, key)} | {m[key]:.3f} | "
                     f"{t[key]:.3f} | {m['schema_valid']:.2f} / {t['schema_valid']:.2f} |" if t else
                     f"| {task} | {m['n']} | {METRIC_NAMES.get(key, key)} | {m[key]:.3f} | – | {m['schema_valid']:.2f} / – |")
    lines += ["", "## Secondary metrics", ""]
    for task, m in zero.items():
        extras = {k: v for k, v in m.items() if k not in ("n", "primary", m["primary"], "per_label", "per_system")}
        t = tuned.get(task, {})
        for key, value in extras.items():
            lines.append(f"- {task} {key}: zero-shot {_fmt(value)}" + (f"; fine-tuned {_fmt(t.get(key))}" if t else ""))
    if "rads_assignment" in zero:
        lines += ["", "## RADS error direction (RadLite Table 6 style)", "",
                  "| model | correct | undercall | overcall | same level | wrong system | other |", "|---|---|---|---|---|---|---|"]
        for name, metrics in (("zero-shot", zero), ("fine-tuned", tuned)):
            if "rads_assignment" in metrics:
                d = metrics["rads_assignment"]["directions"]
                lines.append(f"| {name} | {d['correct']} | {d['undercall']} | {d['overcall']} | {d['same_level']} | "
                             f"{d['wrong_system']} | {d['other']} |")
    plots = _plots(out_dir, zero, tuned, zero_rows, tuned_rows)
    lines += ["", "## Plots", ""] + [f"![{p.stem}]({p.name})" for p in plots]
    path = out_dir / "report.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _plots(out_dir: Path, zero: dict, tuned: dict, zero_rows, tuned_rows) -> list[Path]:
    import matplotlib.pyplot as plt
    import numpy as np

    paths = []
    tasks = list(zero)
    fig, ax = plt.subplots(figsize=(max(6, len(tasks) * 1.1), 4))
    x = np.arange(len(tasks))
    ax.bar(x - 0.2, [zero[t][zero[t]["primary"]] for t in tasks], 0.4, label="zero-shot")
    if tuned:
        ax.bar(x + 0.2, [tuned.get(t, {}).get(zero[t]["primary"], 0) for t in tasks], 0.4, label="fine-tuned")
    ax.set_xticks(x, [t.replace("_", "\n") for t in tasks], fontsize=7)
    ax.set_ylim(0, 1)
    ax.set_ylabel("primary metric")
    ax.legend()
    ax.set_title("Per task: zero-shot vs fine-tuned")
    paths.append(_save(fig, out_dir / "per_task.png"))

    if "rads_assignment" in zero:
        systems = sorted(zero["rads_assignment"]["per_system"])
        columns = [("zero-shot", zero)] + ([("fine-tuned", tuned)] if tuned else [])
        grid = np.array([[m["rads_assignment"]["per_system"].get(s, 0) for s in systems] for _, m in columns])
        fig, ax = plt.subplots(figsize=(max(4, len(systems) * 1.2), 2 + len(columns) * 0.5))
        image = ax.imshow(grid, vmin=0, vmax=1, cmap="viridis", aspect="auto")
        ax.set_xticks(range(len(systems)), systems)
        ax.set_yticks(range(len(columns)), [c for c, _ in columns])
        for (i, j), v in np.ndenumerate(grid):
            ax.text(j, i, f"{v:.2f}", ha="center", va="center", color="white" if v < 0.6 else "black")
        fig.colorbar(image)
        ax.set_title("RADS accuracy per system")
        paths.append(_save(fig, out_dir / "rads_per_system.png"))

    for task, key, name in (("rads_assignment", lambda o: f"{o['system']} {o['category']}", "rads"),
                            ("triage", lambda o: str(o["esi_level"]), "esi"),
                            ("n_staging", lambda o: o["n_stage"], "n_stage")):
        for label, rows in (("zero-shot", zero_rows), ("fine-tuned", tuned_rows or [])):
            counts = confusion(rows, task, key)
            if counts:
                paths.append(_confusion_plot(out_dir / f"confusion_{name}_{label}.png", counts, f"{task}: {label}"))
    return paths


def _confusion_plot(path: Path, counts, title: str) -> Path:
    import matplotlib.pyplot as plt
    import numpy as np

    labels = sorted({a for a, _ in counts} | {b for _, b in counts})
    index = {label: i for i, label in enumerate(labels)}
    grid = np.zeros((len(labels), len(labels)), dtype=int)
    for (want, got), n in counts.items():
        grid[index[want], index[got]] += n
    size = max(4, len(labels) * 0.45)
    fig, ax = plt.subplots(figsize=(size + 1, size))
    ax.imshow(grid, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
    ax.set_yticks(range(len(labels)), labels, fontsize=7)
    ax.set_xlabel("predicted")
    ax.set_ylabel("expected")
    for (i, j), v in np.ndenumerate(grid):
        if v:
            ax.text(j, i, str(v), ha="center", va="center", fontsize=7)
    ax.set_title(title)
    return _save(fig, path)


def _save(fig, path: Path) -> Path:
    import matplotlib.pyplot as plt

    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
