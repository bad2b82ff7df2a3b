"""One document: its results in readable form, flags, model identity, and the source text."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from appliance.pipeline.processor import outbox_record

from ..widgets.notice import DecisionSupportNotice


def describe(task: str, value: dict) -> list[str]:
    """A task result as lines a clinician reads, not raw JSON."""
    if task == "rads_assignment":
        lines = [f"System: {value['system']}", f"Category: {value['category']}"]
    elif task in ("n_staging", "m_staging"):
        key = "n_stage" if task == "n_staging" else "m_stage"
        lines = [f"Stage: {value[key]}"]
    elif task == "differential_diagnosis":
        lines = [f"Symptoms: {', '.join(value['symptoms'])}",
                 f"Most likely: {value['most_likely']['diagnosis']} — {value['most_likely']['reasoning']}"]
        lines += [f"Possible: {d['diagnosis']} — {d['reasoning']}" for d in value["possible"]]
        ubs = value["unlikely_but_serious"]
        lines += [f"Unlikely but serious: {ubs['diagnosis']} — {ubs['reasoning']}",
                  f"Workup: {', '.join(value['recommended_workup'])}"]
    else:
        lines = [f"{k}: {v}" for k, v in value.items()]
    if "evidence" in value:
        lines.append(f'Evidence: "{value["evidence"]}"')
    return lines


class DocumentScreen(Screen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("q", "app.pop_screen", "Back")]

    def __init__(self, job_id: int) -> None:
        super().__init__()
        self.job_id = job_id

    def compose(self) -> ComposeResult:
        record = outbox_record(self.app.appliance.db, self.job_id)
        yield Header()
        yield DecisionSupportNotice()
        with VerticalScroll(id="document"):
            yield Static(f"[b]{record['source']}[/b]  {record['document_type'] or ''}  — {record['status']}",
                         classes="title", markup=True)
            for reason in record["urgent_reasons"]:
                yield Static(f"‼ URGENT — {reason['label']}: \"{'; '.join(reason['evidence'])}\"\n  {reason['action']}",
                             classes="urgent", markup=False)
            for task, value in record["results"].items():
                yield Static(f"[b]{task}[/b]\n" + "\n".join("  " + line for line in describe(task, value)),
                             classes="result", markup=True)
            for where, added in record["rule_additions"].items():
                for item in added:
                    yield Static(f"Added by safety rules ({where}): {item['diagnosis']} — {item['reasoning']}",
                                 classes="addition", markup=False)
            for task, advice in record["management"].items():
                yield Static(f"Next step per {task}: {advice}", classes="result", markup=False)
            for task, error in record["errors"].items():
                yield Static(f"[b]{task}[/b]: no result — {error}", classes="error")
            if record["flags"]:
                yield Static("Flags: " + ", ".join(record["flags"]), classes="flags")
            model = record["model"]
            yield Static(f"Model: {model['name']} ({(model['sha256'] or '')[:12]}), adapter: {record['adapter'] or 'none'}",
                         classes="identity")
        yield Footer()
