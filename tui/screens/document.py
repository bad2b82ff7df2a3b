"""One document: results in readable form, linked to the highlighted evidence in its source text.

Also why it is urgent, rule hits and flags, management advice, where each result
came from (stated in the document or a model), the model and adapter identity,
and every review so far. Each result is accepted, corrected or rejected here.
"""

from __future__ import annotations

import json

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from appliance.pipeline.processor import outbox_record
from appliance.reviews import ReviewError, record_review, reviews_for
from appliance.tasks import TASKS

from ..evidence import collect
from ..operations import source_text
from ..widgets.notice import DecisionSupportNotice
from ..widgets.result_card import ACTION_WORDS, ResultCard, describe, working_lines
from ..widgets.source_view import SourceView

FLAG_WORDS = {
    "evidence_not_in_document": "Evidence not found word for word in the document",
    "rads_system_not_supported_by_text": "RADS system not supported by the report's anatomy",
    "inconsistent": "Inconsistent with the report",
    "red_flag": "Red-flag rule fired",
    "task_failed": "Task gave no result",
    "multiple_stated_rads": "Several RADS categories stated",
    "multiple_stated_n_stage": "Several N stages stated",
    "multiple_stated_m_stage": "Several M stages stated",
    "differential_missed_red_flag": "The differential missed a red flag (a safety rule added it)",
    "no_applicable_tasks": "No task applies to this document",
}


def flag_text(flag: str) -> str:
    name, _, detail = flag.partition(":")
    words = FLAG_WORDS.get(name)
    if words is None:
        return flag
    return f"{words}: {detail}" if detail else words


def _title(task: str) -> str:
    return TASKS[task].title if task in TASKS else task


class DocumentScreen(Screen):
    TITLE = "Document"
    AUTO_FOCUS = None  # the first result is focused without scrolling the title away (on_mount)
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("a", "review('accept')", "Accept", tooltip="accept the focused result as it is"),
        Binding("c", "review('correct')", "Correct", tooltip="correct the focused result (a form bound by its schema)"),
        Binding("x", "review('reject')", "Reject", tooltip="reject the focused result, with a reason"),
        Binding("t", "jump('source-heading')", "Text", tooltip="jump to the source text and its evidence"),
        Binding("v", "jump('reviews-heading')", "Reviews", tooltip="jump to the reviews so far"),
    ]

    def __init__(self, job_id: int) -> None:
        super().__init__()
        self.job_id = job_id

    # -- content -----------------------------------------------------------
    def compose(self) -> ComposeResult:
        appliance = self.app.appliance
        record = outbox_record(appliance.db, self.job_id)
        job = appliance.db["jobs"].get(self.job_id)
        text, unavailable = source_text(appliance, job)
        evidence = collect(text, record)
        reviews = reviews_for(appliance, self.job_id)
        latest = {r["task"]: r for r in reviews}

        yield Header()
        yield DecisionSupportNotice()
        with VerticalScroll(id="document"):
            status = "reviewed" if job["reviewed_at"] else {"done": "ready for review"}.get(record["status"],
                                                                                               record["status"])
            about = [p.replace("_", " ") for p in (record["document_type"], record["modality"], record["region"]) if p]
            title = Text(record["source"], style="bold")
            title.append("  " + " · ".join([*about, status]))
            yield Static(title, classes="doc-title")
            if record["urgent_reasons"]:
                yield Static(self._urgent_text(record["urgent_reasons"], evidence), classes="urgent")
            if job["status"] == "quarantined":
                yield Static(f"Quarantined: {job['error']}", classes="doc-error", markup=False)

            yield Static("Results", classes="section")
            if not record["results"]:
                yield Static("No results to review for this document.", classes="hint")
            for task, value in record["results"].items():
                yield ResultCard(
                    task, value, provenance=record["provenance"].get(task, "model"),
                    model=record["models"].get(task), evidence=[e for e in evidence if e.label.startswith(task + ".")],
                    management=record["management"].get(task), review=latest.get(task),
                    working=record.get("working", {}).get(task),
                )
            for task, reason in record.get("withheld", {}).items():
                lines = [f"{_title(task)}: {reason}"]
                lines += working_lines(record.get("working", {}).get(task))
                if task in record.get("unverified", {}):
                    raw = "; ".join(describe(task, record["unverified"][task]))
                    lines.append(f"Unverified model answer (not a result): {raw}")
                yield Static("\n".join(lines), classes="withheld", markup=False)
            for task, error in record["errors"].items():
                yield Static(f"{_title(task)} ({task}): no result — {error}", classes="doc-error", markup=False)
            for where, added in record["rule_additions"].items():
                for item in added:
                    yield Static(f"Added by a safety rule to {where}: {item['diagnosis']} — {item['reasoning']}",
                                 classes="addition", markup=False)
            if record["flags"]:
                yield Static("Flags and rule hits", classes="section")
                yield Static("\n".join(f"⚑ {flag_text(f)}" for f in record["flags"]), classes="flags",
                             markup=False)

            yield Static("Source text", classes="section", id="source-heading")
            if evidence:
                yield Static("Highlighted words are evidence; a marker such as [1] links them to the field "
                             "that quotes them.", classes="hint", markup=False)
            yield SourceView(text, unavailable, evidence)

            yield Static("Reviews", classes="section", id="reviews-heading")
            yield Static(self._reviews_text(reviews), classes="reviews", markup=False)

            yield Static("Model", classes="section")
            yield Static(self._identity(record), classes="identity", markup=False)
        yield Footer(compact=True)

    @staticmethod
    def _urgent_text(reasons: list[dict], evidence: list) -> Text:
        """Each red flag with its words, each phrase followed by the marker it has in the text."""
        text = Text()
        for i, reason in enumerate(reasons):
            items = [e for e in evidence if e.label == f"red flag: {reason['label']}"]
            text.append("\n" if i else "")
            text.append(f"‼ URGENT — {reason['label']}:", style="bold")
            for j, item in enumerate(items):
                text.append(f'{";" if j else ""} "{item.quote}" ')
                text.append(item.marker, style="bold underline")
            text.append(f"\n  Do now: {reason['action']} (can't miss: {reason['cant_miss']})")
        return text

    @staticmethod
    def _reviews_text(reviews: list[dict]) -> str:
        if not reviews:
            return "No reviews yet."
        lines = []
        for r in reviews:
            when = (r["created_at"] or "")[:16].replace("T", " ")
            line = f"{when} UTC  {r['reviewer']} {ACTION_WORDS.get(r['action'], r['action'])} {_title(r['task'])}"
            if r["reason"]:
                line += f" — reason: {r['reason']}"
            if r["corrected_output"]:
                line += " — now: " + "; ".join(describe(r["task"], json.loads(r["corrected_output"])))
            lines.append(line)
        return "\n".join(lines)

    @staticmethod
    def _identity(record: dict) -> str:
        model = record["model"] or {}
        if model.get("name"):
            lines = [f"Default model: {model['name']} (sha256 {(model.get('sha256') or '')[:12]}…)"]
        else:
            lines = ["Model: none (the document was not processed)"]
        for task, m in record["models"].items():
            lines.append(f"{_title(task)}: {m['name']} (sha256 {(m['sha256'] or '')[:12]}…)")
        for task, how in record["provenance"].items():
            if how == "stated_in_document":
                lines.append(f"{_title(task)}: stated in the document, no model used")
            elif how == "computed":
                lines.append(f"{_title(task)}: computed by the published rules, no model used")
        adapters = record.get("adapters") or {}
        if not adapters:
            lines.append("Adapter: none (base model)")
        for task, a in adapters.items():
            lines.append(f"Adapter for {_title(task)}: {a['id']} (sha256 {a['sha256'][:12]}…)")
        return "\n".join(lines)

    def on_mount(self) -> None:
        self._focus_result(None)

    def _focus_result(self, task: str | None) -> None:
        cards = [c for c in self.query(ResultCard) if task is None or c.task_name == task]
        if cards:
            cards[0].focus(scroll_visible=task is not None)
        else:
            self.query_one("#document").focus()

    # -- actions -------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "review":
            return bool(self.query(ResultCard))
        return True

    def _card(self) -> ResultCard | None:
        if isinstance(self.focused, ResultCard):
            return self.focused
        cards = list(self.query(ResultCard))
        return cards[0] if cards else None

    def action_jump(self, widget_id: str) -> None:
        self.query_one(f"#{widget_id}").scroll_visible(top=True, animate=False)

    def action_review(self, action: str) -> None:
        card = self._card()
        if card is None:
            return
        reviewer = self.app.reviewer
        if not reviewer:
            self.notify("Sign in first: every review carries your name.", severity="error")
            return
        if action == "accept":
            try:
                record_review(self.app.appliance, self.job_id, card.task_name, "accept", reviewer)
            except ReviewError as exc:
                self.notify(str(exc), severity="error")
                return
            self.notify(f"Accepted: {_title(card.task_name)}")
            self.run_worker(self._reload(card.task_name))
        elif action == "correct":
            from .correct import CorrectionScreen

            self.app.push_screen(CorrectionScreen(self.job_id, card.task_name, card.result),
                                 lambda saved, task=card.task_name: self._after(saved, task, "Corrected"))
        elif action == "reject":
            from .reason import ReasonScreen

            def reject(reason: str, task: str = card.task_name) -> None:
                record_review(self.app.appliance, self.job_id, task, "reject", reviewer, reason=reason)

            self.app.push_screen(
                ReasonScreen(f"Reject {_title(card.task_name)}",
                             "Why is this result wrong? The reason is stored with the review and in the audit log.",
                             reject),
                lambda saved, task=card.task_name: self._after(saved, task, "Rejected"))

    def _after(self, saved: bool | None, task: str, verb: str) -> None:
        if saved:
            self.notify(f"{verb}: {_title(task)}")
            self.run_worker(self._reload(task))

    async def _reload(self, task: str) -> None:
        await self.recompose()
        self._focus_result(task)

