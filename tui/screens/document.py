"""One document: results in readable form, linked to the highlighted evidence in its source text.

Also why it is urgent, rule hits and flags, management advice, where each result
came from (stated in the document or a model), the model and adapter identity,
and every review so far. Each result is accepted, corrected or rejected here.
"""

from __future__ import annotations

import json
import re

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from appliance.pipeline.processor import outbox_record
from appliance.store import jobs
from appliance.store.jobs import JobStatus
from appliance.review_state import DOCUMENT, flag_subject, next_step, review_state, subject_title
from appliance.reviews import ACTION_WORDS, ReviewError, record_review
from appliance.tasks import TASKS

from ..evidence import collect, field_words
from ..operations import source_text
from ..widgets.notice import DecisionSupportNotice
from ..widgets.result_card import FlagCard, ResultCard, confidence_line, describe, working_lines
from ..widgets.source_view import SourceView

FLAG_WORDS = {
    "evidence_not_in_document": "Evidence not found word for word in the document",
    "rads_system_not_supported_by_text": "RADS system not supported by the report's anatomy",
    "inconsistent": "Inconsistent with the report",
    "red_flag": "Safety rule",
    "task_failed": "No result for",
    "multiple_stated_rads": "Several RADS categories stated",
    "multiple_stated_n_stage": "Several N stages stated",
    "multiple_stated_m_stage": "Several M stages stated",
    "stated_differs_from_computed": "The category stated in the report differs from the one computed by the rules",
    "differential_missed_red_flag": "The differential missed a can't-miss diagnosis (a safety rule added it)",
    "added_by_safety_rule": "Can't-miss diagnosis added to the differential by safety rule",
    "red_flag_already_in_differential": "The differential already names the can't-miss diagnosis of safety rule",
    "no_applicable_tasks": "No task applies to this document",
}
_TASK_PATH = re.compile(r"\b(" + "|".join(sorted(map(re.escape, TASKS), key=len, reverse=True)) + r")((?:\.[\w\[\]]+)*)")


def in_words(detail: str) -> str:
    """Internal task names and field paths in a detail, said as the clinician's words."""
    def title(m: re.Match) -> str:
        words = field_words(m.group(2).lstrip(".")) if m.group(2) else ""
        return TASKS[m.group(1)].title + (f" ({words})" if words else "")

    return _TASK_PATH.sub(title, detail)


def flag_text(flag: str, record: dict | None = None) -> str:
    """A flag in words: 'red_flag:thunderclap_headache' → 'Safety rule: Thunderclap headache'."""
    name, _, detail = flag.partition(":")
    words = FLAG_WORDS.get(name)
    if words is None:
        return in_words(flag)
    if name in ("red_flag", "added_by_safety_rule", "red_flag_already_in_differential") and detail:
        labels = {r["rule"]: r["label"] for r in (record or {}).get("urgent_reasons", [])}
        detail = labels.get(detail) or subject_title(flag_subject(detail)).removeprefix("Safety rule: ")
    return f"{words}: {in_words(detail)}" if detail else words


def _title(task: str) -> str:
    return TASKS[task].title if task in TASKS else task


class DocumentScreen(Screen):
    TITLE = "Document"
    AUTO_FOCUS = None  # the first card is focused without scrolling the title away (on_mount)
    WIDE = 110         # from this many columns, results and source text side by side
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("a", "review('accept')", "Accept",
                tooltip="accept the highlighted result, or acknowledge the highlighted red flag"),
        Binding("c", "review('correct')", "Correct", tooltip="correct the highlighted result (a form bound by its schema)"),
        Binding("x", "review('reject')", "Reject", tooltip="reject the highlighted result, with a reason"),
        Binding("t", "jump('source-heading')", "Text", tooltip="jump to the source text and its evidence"),
        Binding("v", "jump('reviews-heading')", "Reviews", tooltip="jump to the reviews so far"),
        Binding("home", "scroll_home", "Top", show=False),
        Binding("end", "scroll_end", "Bottom", show=False),
    ]

    def __init__(self, job_id: int) -> None:
        super().__init__()
        self.job_id = job_id
        self.wide = False

    # -- content -----------------------------------------------------------
    def compose(self) -> ComposeResult:
        appliance = self.app.appliance
        self.wide = self.app.size.width >= self.WIDE
        self.set_class(self.wide, "wide")
        record = outbox_record(appliance.db, self.job_id)
        job = appliance.db["jobs"].get(self.job_id)
        state = review_state(appliance.db, self.job_id, job)
        final = state.final
        text, unavailable = source_text(appliance, job)
        # Evidence of the current values: a correction's own quote is what is highlighted.
        evidence = collect(text, {**record, "results": {t: final.get(t, v) for t, v in record["results"].items()}})
        reviews = state.reviews
        latest = state.latest

        # The file's name stays in the header while the results scroll: which document this is
        # must never scroll out of sight.
        self.title = f"{self.TITLE}: {record['source']}"
        yield Header()
        yield DecisionSupportNotice()
        with Horizontal(id="doc-body"):
            with VerticalScroll(id="document"):
                status = state.state if record["status"] == JobStatus.DONE else record["status"]
                about = [p.replace("_", " ") for p in (record["document_type"], record["modality"], record["region"])
                         if p]
                title = Text(record["source"], style="bold")
                title.append("  " + " · ".join([*about, status]))
                if state.pending and record["status"] == JobStatus.DONE and state.latest:
                    title.append(f"  ({len(state.pending)} of {len(state.subjects)} still to review)")
                yield Static(title, classes="doc-title")
                for reason in record["urgent_reasons"]:
                    subject = flag_subject(reason["rule"])
                    yield FlagCard(subject, self._urgent_text([reason], evidence), latest.get(subject),
                                   "Safety rule: urgent")
                if jobs.is_quarantined(job):
                    yield Static(f"Quarantined: {job['error']}", classes="doc-error", markup=False)

                yield Static("Results", classes="section")
                if not record["results"]:
                    yield Static("No results to review for this document.", classes="hint")
                if state.subjects == [DOCUMENT] and record["status"] == JobStatus.DONE:
                    yield FlagCard(DOCUMENT, Text("Nothing here needs a decision: press a to mark this document "
                                                  "as read, so it leaves the list to review."),
                                   latest.get(DOCUMENT), "Document")
                additions = record["rule_additions"].get("differential_diagnosis.unlikely_but_serious")
                for task, value in record["results"].items():
                    current = final.get(task, value)
                    yield ResultCard(
                        task, current, provenance=record["provenance"].get(task, "model"),
                        model=record["models"].get(task), evidence=[e for e in evidence if e.task == task],
                        management=next_step(task, current) or (record["management"].get(task)
                                                                if current == value else None),
                        review=latest.get(task), working=record.get("working", {}).get(task), original=value,
                        additions=additions if task == "differential_diagnosis" else None,
                        confidence=confidence_line(record, task),
                    )
                for task, reason in record.get("withheld", {}).items():
                    lines = [f"{_title(task)}: {reason}"]
                    lines += working_lines(record.get("working", {}).get(task))
                    if task in record.get("unverified", {}):
                        raw = "; ".join(describe(task, record["unverified"][task]))
                        lines.append(f"Unverified model answer (not a result): {raw}")
                        if said := confidence_line(record, task):
                            lines.append(said[0])
                    yield Static("\n".join(lines), classes="withheld", markup=False)
                for task, error in record["errors"].items():
                    yield Static(f"{_title(task)}: no result — {error}", classes="doc-error", markup=False)
                if additions and "differential_diagnosis" not in record["results"]:
                    for item in additions:
                        yield Static(f"Can't-miss diagnosis added by safety rule: {item['diagnosis']} — "
                                     f"{item['reasoning']}", classes="addition", markup=False)
                if record["flags"]:
                    yield Static("Checks and safety rules", classes="section")
                    yield Static("\n".join(f"⚑ {flag_text(f, record)}" for f in record["flags"]), classes="flags",
                                 markup=False)
                if not self.wide:
                    yield from self._source(text, unavailable, evidence)
                yield Static("Reviews", classes="section", id="reviews-heading")
                yield Static(self._reviews_text(reviews, record), classes="reviews", markup=False)

                yield Static("Model", classes="section")
                yield Static(self._identity(record), classes="identity", markup=False)
            if self.wide:
                with VerticalScroll(id="source-pane"):
                    yield from self._source(text, unavailable, evidence)
        yield Footer(compact=True)

    @staticmethod
    def _source(text: str | None, unavailable: str, evidence: list) -> ComposeResult:
        yield Static("Source text", classes="section", id="source-heading")
        if evidence:
            yield Static("Highlighted words are evidence; a marker such as [1] links them to the result "
                         "that quotes them.", classes="hint", markup=False)
        yield SourceView(text, unavailable, evidence)

    def on_resize(self) -> None:
        if (self.app.size.width >= self.WIDE) != self.wide:
            self.run_worker(self._reload(self._focused_subject()))

    @staticmethod
    def _urgent_text(reasons: list[dict], evidence: list) -> Text:
        """Each red flag with its words, each phrase followed by the marker it has in the text."""
        text = Text()
        for i, reason in enumerate(reasons):
            items = [e for e in evidence if e.label == f"Safety rule: {reason['label']}"]
            text.append("\n" if i else "")
            text.append(f"‼ URGENT — {reason['label']}:", style="bold")
            for j, item in enumerate(items):
                text.append(f'{";" if j else ""} "{item.quote}" ')
                text.append(item.marker, style="bold underline")
            text.append(f"\n  Do now: {reason['action']} (can't miss: {reason['cant_miss']})")
        return text

    @staticmethod
    def _reviews_text(reviews: list[dict], record: dict) -> str:
        if not reviews:
            return "No reviews yet."
        flags = {r["rule"]: r for r in record["urgent_reasons"]}
        lines = []
        for r in reviews:
            when = (r["created_at"] or "")[:16].replace("T", " ")
            line = (f"{when} UTC  {r['reviewer']} {ACTION_WORDS.get(r['action'], r['action'])} "
                    f"{subject_title(r['task'], flags)}")
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
        self._focus(None)

    def _cards(self) -> list:
        return [w for w in self.query(".result-card, .flag-card") if w.can_focus]

    def _focus(self, subject: str | None) -> None:
        """Focus the card of this subject (a task or a red flag); None: the first one."""
        cards = [c for c in self._cards() if subject is None or _subject(c) == subject]
        if cards:
            cards[0].focus(scroll_visible=subject is not None)
        else:
            self.query_one("#document").focus()

    def _focused_subject(self) -> str | None:
        return _subject(self.focused) if isinstance(self.focused, (ResultCard, FlagCard)) else None

    # -- actions -------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "review":
            return bool(self._cards())
        return True

    def action_scroll_home(self) -> None:
        self.query_one("#document", VerticalScroll).scroll_home(animate=False)
        self._focus(None)

    def action_scroll_end(self) -> None:
        self.query_one("#document", VerticalScroll).scroll_end(animate=False)

    def action_jump(self, widget_id: str) -> None:
        self.query_one(f"#{widget_id}").scroll_visible(top=True, animate=False)

    def action_review(self, action: str) -> None:
        focused = self.focused
        if not isinstance(focused, (ResultCard, FlagCard)):
            # No silent default: the clinician says which result (Tab moves between them).
            self.notify("Highlight a result or a red flag first (Tab moves between them), then press the key.",
                        severity="warning")
            return
        reviewer = self.app.reviewer
        if not reviewer:
            self.notify("Sign in first: every review carries your name.", severity="error")
            return
        if isinstance(focused, FlagCard):
            if action != "accept":
                self.notify("A red flag is acknowledged (a), not corrected or rejected.", severity="warning")
                return
            self._record(focused.subject, "acknowledge", "Acknowledged")
            return
        card = focused
        if action == "accept":
            self._record(card.task_name, "accept", "Accepted")
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

    def _record(self, subject: str, action: str, verb: str) -> None:
        try:
            record_review(self.app.appliance, self.job_id, subject, action, self.app.reviewer)
        except ReviewError as exc:
            self.notify(str(exc), severity="warning")
            return
        self.notify(f"{verb}: {subject_title(subject)}")
        self.run_worker(self._reload(subject))

    def _after(self, saved: bool | None, task: str, verb: str) -> None:
        if saved:
            self.notify(f"{verb}: {_title(task)}")
            self.run_worker(self._reload(task))

    async def _reload(self, subject: str | None) -> None:
        await self.recompose()
        self._focus(subject)


def _subject(card) -> str:
    return card.task_name if isinstance(card, ResultCard) else card.subject
