"""The decision-support notice, on every screen."""

from textual.widgets import Static

from appliance import DECISION_SUPPORT_NOTICE


class DecisionSupportNotice(Static):
    def __init__(self) -> None:
        super().__init__("⚠ " + DECISION_SUPPORT_NOTICE, id="notice")
