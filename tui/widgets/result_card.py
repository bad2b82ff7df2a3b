"""One task's result in words a clinician reads, with its evidence markers, source and review state."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from appliance.calibration import in_words as confidence_words, is_low
from appliance.tasks import TASKS

from ..evidence import Evidence

from appliance.reviews import ACTION_WORDS


def describe(task: str, value: dict[str, Any]) -> list[str]:
    """A task result as lines a clinician reads (the task's own words); the first line is the headline."""
    if task in TASKS:
        return TASKS[task].describe(value)
    return [f"{k.replace('_', ' ')}: {v}" for k, v in value.items() if k != "evidence"] or ["(empty)"]


def working_lines(working: dict[str, Any] | None) -> list[str]:
    """How a computed result was reached: guideline, each feature with its value and quote, what is missing."""
    if not working or working.get("source") != "computed":
        return []
    lines = [f"Computed by {working.get('guideline') or 'the published rules'} from the report's own words:"]
    for f in working.get("findings") or []:
        line = f"  • {f['feature']}: {f['value']}"
        if f.get("points") is not None:
            line += f" ({f['points']} point{'s' if f['points'] != 1 else ''})"
        if f.get("rule"):
            line += f" — {f['rule']}"
        if f.get("evidence"):
            line += f' — "{f["evidence"]}"'
        lines.append(line)
    for f in working.get("model_features") or []:
        about = f"{f['feature']}" + (f" ({f['lesion']})" if f.get("lesion") and f["lesion"] != "the lesion" else "")
        if f.get("value") in (None, "not described"):
            lines.append(f"  Asked the model about the {about}: " + ("not described" if f.get("value") else "could not ask"))
        else:
            lines.append(f"  Read by the model, not checked by the rules: {about}: {f['value']} — \"{f['evidence']}\"")
    if working.get("missing"):
        lines.append("  Not in the report: " + ", ".join(working["missing"]))
    if working.get("allowed"):
        lines.append(f"  The features found allow: {working['allowed']}")
    for other in working.get("others") or []:
        output = other.get("output") or other.get("computed") or {}
        what = other.get("lesion") or other.get("name") or "Other finding"
        category = output.get("category") or other.get("category")
        lines.append(f"  Also: {what}{': ' + str(category) if category else ''}")
    if working.get("note"):
        lines.append(f"  Note: {working['note']}")
    return lines


def confidence_line(record: dict[str, Any], task: str) -> tuple[str, bool] | None:
    """A model answer's confidence in words (calibrated, low, or not calibrated), and whether it is low."""
    value = (record.get("confidence") or {}).get(task)
    calibrated_on = ((record.get("confidence_detail") or {}).get(task) or {}).get("calibrated_on")
    words = confidence_words(value, calibrated_on)
    return (words, is_low(value, calibrated_on)) if words else None


def review_line(task: str, review: dict[str, Any] | None) -> str:
    if review is None:
        return "Review: not reviewed yet"
    when = (review["created_at"] or "")[:16].replace("T", " ")
    line = f"Review: {ACTION_WORDS.get(review['action'], review['action'])} by {review['reviewer']}, {when} UTC"
    if review["reason"]:
        line += f" — reason: {review['reason']}"
    return line


def with_additions(lines: list[str], additions: list[dict] | None) -> list[str]:
    """A safety rule's can't-miss diagnoses go inside the unlikely-but-serious tier, marked as the rule's."""
    if not additions:
        return lines
    added = [f"  + {a['diagnosis']} (added by safety rule: {a['reasoning']})" for a in additions]
    at = next((i + 1 for i, line in enumerate(lines) if line.startswith("Unlikely but serious")), len(lines))
    return lines[:at] + added + lines[at:]


class ResultCard(Static, can_focus=True):
    """Focus a card (Tab) and press a, c or x to accept, correct or reject its result.

    `value` is the current value (a clinician's correction where there is one); the
    pipeline's own output is shown beside it when they differ."""

    def __init__(self, task: str, value: dict[str, Any], *, provenance: str, model: dict | None,
                 evidence: list[Evidence], management: str | None, review: dict[str, Any] | None,
                 working: dict[str, Any] | None = None, original: dict[str, Any] | None = None,
                 additions: list[dict] | None = None, confidence: tuple[str, bool] | None = None) -> None:
        self.task_name = task
        self.result = value
        text = Text()
        rejected = review is not None and review["action"] == "reject"
        lines = with_additions(describe(task, value), additions)
        head = lines[0] + (" — corrected" if original is not None and original != value else "")
        if provenance == "model" and confidence is not None and confidence[1] and (original is None or original == value):
            head += " — low confidence"
        text.append(head + ("  (rejected: not a result)" if rejected else "") + "\n", style="bold")
        for line in lines[1:]:
            text.append(line + "\n")
        if original is not None and original != value:
            text.append("Pipeline's answer (kept): " + "; ".join(describe(task, original)[:1]) + "\n", style="italic")
        for line in working_lines(working):
            text.append(line + "\n")
        for item in evidence:
            text.append("Evidence ")
            text.append(item.marker, style="bold underline")
            text.append(f"{' (' + item.field + ')' if item.field else ''}: \"{item.quote}\"")
            if item.span is None:
                text.append("  (not found in the text)", style="italic")
            text.append("\n")
        if provenance == "stated_in_document":
            text.append("From: stated in the document (no model)\n")
        elif provenance == "computed":
            text.append("From: computed by the published rules (no model)\n")
        else:
            name = (model or {}).get("name") or "model"
            text.append(f"From: model {name}\n")
            # How often such answers were right (the pipeline's answer, not a clinician's correction).
            if confidence is not None and (original is None or original == value):
                words, low = confidence
                text.append(words + "\n", style="bold yellow" if low else "")
        if management and not rejected:
            text.append(f"Next step: {management}\n")
        text.append(review_line(task, review), style="italic" if review is None else "bold")
        title = TASKS[task].title if task in TASKS else task.replace("_", " ")
        super().__init__(text, classes="result-card")
        self.border_title = title
        self.border_subtitle = "a accept · c correct · x reject"


class FlagCard(Static, can_focus=True):
    """A red flag (or a document with nothing else to review): focus it and press a to acknowledge."""

    def __init__(self, subject: str, content: Text, review: dict[str, Any] | None, title: str) -> None:
        self.subject = subject
        text = content.copy()
        text.append("\n")
        text.append(review_line(subject, review), style="italic" if review is None else "bold")
        super().__init__(text, classes="urgent flag-card")
        self.border_title = title
        self.border_subtitle = "a acknowledge"
