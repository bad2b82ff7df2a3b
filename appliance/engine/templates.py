"""Chat templates by name, as the catalogue refers to them, and the prompt the engine runs.

Each template splits into the part before the user's message and the part after
it, so the prompt is `head + system/document/task + tail` and the document forms
a prefix shared by every task run on it (its KV cache is reused).

`Prompt` lives here, beside the templates, because the engine consumes it: the
engine knows how a prompt is laid out (trusted head and tail, untrusted document)
but nothing about tasks. The task layer builds prompts (`appliance.tasks.prompt`)
and imports the engine, never the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Prompt:
    head: str      # template and system text, up to the document (trusted)
    document: str  # the input, never parsed for special tokens (untrusted)
    tail: str      # task tag, instruction and the opening of the answer (trusted)

    @property
    def text(self) -> str:
        return self.head + self.document + self.tail


@dataclass(frozen=True)
class ChatTemplate:
    system_open: str
    system_close: str
    user_open: str
    user_close: str  # ends with the opening of the assistant's turn


TEMPLATES: dict[str, ChatTemplate] = {
    "chatml": ChatTemplate(
        system_open="<|im_start|>system\n",
        system_close="<|im_end|>\n",
        user_open="<|im_start|>user\n",
        user_close="<|im_end|>\n<|im_start|>assistant\n",
    ),
    # Gemma has no system role: the system text opens the user's turn.
    "gemma": ChatTemplate(
        system_open="<start_of_turn>user\n",
        system_close="\n\n",
        user_open="",
        user_close="<end_of_turn>\n<start_of_turn>model\n",
    ),
}
