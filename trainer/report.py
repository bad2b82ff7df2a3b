"""Markdown report with PNG plots: zero-shot vs fine-tuned, per task, from evaluation rows."""

from __future__ import annotations

from pathlib import Path

from .evaluate import all_metrics, confusion



def write_report(out_dir: Path, zero_rows: list[dict], tuned_rows: list[dict] | None, title: str,
                 context: list[str]) -> Path:
    """report.md + plots in out_dir; returns the Markdown path."""
    import matplotlib

    matplotlib.use("Agg")
    out_dir.mkdir(parents=True, exist_ok=True)
    zero = all_metrics(zero_rows)
    tuned = all_metrics(tuned_rows) if tuned_rows else {}
    lines = [f"# {title}", "", *context, ""]
    lines += ["| task | n | metric | zero-shot | fine-tuned | trivial baseline | schema-valid (zero / tuned) |",
              "|---|---|---|---|---|---|---|"]
    for task, m in zero.items():
        t = tuned.get(task, {})
        tuned_value = f"{t['metric']:.3f}" if t else "–"
        tuned_valid = f"{t['schema_valid']:.2f}" if t else "–"
        lines.append(f"| {task} | {m['n']} | {m['metric_name']} | {m['metric']:.3f} | {tuned_value} | "
                     f"{m['baseline']:.3f} ({m['baseline_name']}) | {m['schema_valid']:.2f} / {tuned_valid} |")
    lines += ["", "## Secondary metrics", ""]
    for task, m in zero.items():
        extras = {k: v for k, v in m.items() if k not in ("n", "primary", "metric", "metric_name", "baseline",
                                                          "baseline_name")}
        t = tuned.get(task, {})
        for key, value in extras.items():
            lines.append(f"- {task} {key}: zero-shot {_fmt(value)}" + (f"; fine-tuned {_fmt(t.get(key))}" if t else ""))
    if "rads_assignment" in zero:
        lines += ["", "## RADS error direction (RadLite Table 6 style)", "",
                  "| model | correct | undercall | overcall | wrong system | no answer |", "|---|---|---|---|---|---|"]
        for name, metrics in (("zero-shot", zero), ("fine-tuned", tuned)):
            if "rads_assignment" in metrics:
                d = metrics["rads_assignment"]["directions"]
                lines.append(f"| {name} | {d.get('correct', 0)} | {d.get('undercall', 0)} | {d.get('overcall', 0)} | "
                             f"{d.get('wrong system', 0)} | {d.get('no answer', 0)} |")
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
    ax.bar(x - 0.2, [zero[t]["metric"] for t in tasks], 0.4, label="zero-shot")
    if tuned:
        ax.bar(x + 0.2, [tuned.get(t, {}).get("metric", 0) for t in tasks], 0.4, label="fine-tuned")
    ax.scatter(x, [zero[t]["baseline"] for t in tasks], marker="_", s=400, color="black", label="trivial baseline")
    ax.set_xticks(x, [t.replace("_", "\n") for t in tasks], fontsize=7)
    ax.set_ylim(0, 1)
    ax.set_ylabel("the task's metric")
    ax.legend()
    ax.set_title("Per task: zero-shot vs fine-tuned")
    paths.append(_save(fig, out_dir / "per_task.png"))

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
