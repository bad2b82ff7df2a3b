"""Load a GGUF with llama-cpp-python and generate schema-valid JSON at temperature 0."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
from pydantic import BaseModel, ValidationError

from ..errors import InputError, OutputError
from .decode import Vocabulary, decode
from .grammar import GrammarSpec, schema_to_grammar
from .templates import Prompt


@dataclass(frozen=True)
class Generation:
    """One constrained generation and what it cost."""

    value: BaseModel
    text: str
    prompt_sha256: str
    prompt_tokens: int       # tokens in the whole prompt
    prompt_evaluated: int    # of those, tokens actually computed (the rest came from the KV cache)
    completion_tokens: int
    prefill_s: float
    decode_s: float
    # Lowest renormalised probability of a chosen token where the answer chose among values
    # (see decode.Decoded.confidence); 1.0 where it made no such choice.
    confidence: float | None = None
    forced_tokens: int = 0   # of completion_tokens, those fast-forwarded through a forced run

    @property
    def tokens_per_s(self) -> float:
        return self.completion_tokens / self.decode_s if self.decode_s > 0 else 0.0


@lru_cache(maxsize=None)
def grammar_for(model_cls: type[BaseModel]) -> tuple[GrammarSpec, dict[str, Any]]:
    schema = model_cls.model_json_schema()
    return schema_to_grammar(schema), schema


class Engine:
    """A loaded model. Keep one per base model: loading costs far more than a task."""

    def __init__(self, model_path: Path, n_ctx: int, n_threads: int | None = None,
                 lora_path: Path | None = None):
        import llama_cpp
        from llama_cpp import Llama

        threads = n_threads or os.cpu_count() or 1
        with _quiet_stderr():
            self.llm = Llama(
                model_path=str(model_path),
                n_ctx=n_ctx,
                n_batch=512,
                n_threads=threads,
                n_threads_batch=threads,
                use_mmap=True,
                # Flash attention over a Q8_0 KV cache computes every query row the same way
                # whatever the batch (an F16 cache switches single-token decoding to a KV-split
                # path past 512 cells), so a batch's logits equal one-at-a-time evaluation's
                # bit for bit and decode() can fast-forward forced runs (see exact_batch).
                flash_attn=True,
                type_k=llama_cpp.GGML_TYPE_Q8_0,
                type_v=llama_cpp.GGML_TYPE_Q8_0,
                lora_path=str(lora_path) if lora_path else None,
                seed=0,
                verbose=False,
            )
        self.n_ctx = n_ctx
        self.vocabulary = Vocabulary(self.llm)
        self.lock = threading.Lock()  # one llama context: one generation at a time

    def tokenize(self, prompt: Prompt) -> list[int]:
        return tokenize_prompt(self.llm, prompt)

    def generate(self, prompt: Prompt, model_cls: type[BaseModel], max_tokens: int,
                 quote_keys: tuple[str, ...] = ()) -> Generation:
        """Decode under the schema's grammar; raise OutputError unless the result is whole and valid.

        Strings under `quote_keys` can only be substrings of the prompt's document.
        """
        spec, schema = grammar_for(model_cls)
        if spec.max_bytes > max_tokens:
            raise OutputError(
                f"{model_cls.__name__}: token budget {max_tokens} is below the grammar's "
                f"longest output ({spec.max_bytes} bytes); raise the budget or tighten the schema."
            )
        tokens = self.tokenize(prompt)
        prompt_tokens = len(tokens)
        if prompt_tokens + max_tokens > self.n_ctx:
            raise InputError(
                f"document too long for the model: prompt is {prompt_tokens} tokens, the answer needs up to "
                f"{max_tokens}, the context holds {self.n_ctx}; split the document or use a model with a longer context."
            )
        with self.lock:
            return self._generate(prompt, tokens, model_cls, max_tokens, spec, schema, quote_keys)

    def _generate(self, prompt, tokens, model_cls, max_tokens, spec, schema, quote_keys) -> Generation:
        # No stderr redirection here: decoding prints nothing (verbose=False), and the TUI
        # draws on fd 2 from another thread while the service decodes.
        out = decode(self.llm, self.vocabulary, tokens, spec.gbnf, max_tokens, prompt.document, quote_keys)
        if out.finish_reason == "length":
            raise OutputError(f"output truncated at {max_tokens} tokens (finish_reason=length): {out.text[:80]!r}…")
        value = validate_output(out.text, model_cls, schema)
        return Generation(
            value=value,
            text=out.text,
            prompt_sha256=hashlib.sha256(prompt.text.encode("utf-8")).hexdigest(),
            prompt_tokens=len(tokens),
            prompt_evaluated=out.prompt_evaluated,
            completion_tokens=out.tokens,
            prefill_s=out.prefill_s,
            decode_s=out.decode_s,
            confidence=out.confidence,
            forced_tokens=out.forced,
        )


def tokenize_prompt(llm, prompt: Prompt) -> list[int]:
    """The served token sequence of a prompt; the trainer tokenizes training data with it too.

    Template text may hold special tokens; the document never does (see tasks/prompt.py).
    `llm` may be a vocabulary-only Llama.
    """
    return (llm.tokenize(prompt.head.encode("utf-8"), add_bos=True, special=True)
            + llm.tokenize(prompt.document.encode("utf-8"), add_bos=False, special=False)
            + llm.tokenize(prompt.tail.encode("utf-8"), add_bos=False, special=True))


def validate_output(text: str, model_cls: type[BaseModel], schema: dict[str, Any]) -> BaseModel:
    """Parse and validate twice (JSON Schema, then pydantic); any failure is an OutputError."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise OutputError(f"output is not complete JSON ({exc.msg} at {exc.pos}): {text[:80]!r}") from exc
    try:
        jsonschema.validate(data, schema)
    except jsonschema.ValidationError as exc:
        raise OutputError(f"output breaks the schema at {'/'.join(map(str, exc.absolute_path)) or 'root'}: {exc.message}") from exc
    try:
        return model_cls.model_validate(data)
    except ValidationError as exc:
        raise OutputError(f"output fails validation: {exc.errors()[0]['msg']}") from exc


_ENGINES: dict[tuple, Engine] = {}
_ENGINES_LOCK = threading.Lock()


def shared_engine(model_path: Path, n_ctx: int, n_threads: int | None = None,
                  lora_path: Path | None = None) -> Engine:
    """Models stay loaded for the life of the process, shared by everything in it.

    A base with an adapter is its own engine (the adapter is part of the key); an
    installed adapter's folder never changes, so its path names its content.
    """
    key = (str(model_path), n_ctx, n_threads, str(lora_path) if lora_path else None)
    with _ENGINES_LOCK:
        if key not in _ENGINES:
            _ENGINES[key] = Engine(model_path, n_ctx=n_ctx, n_threads=n_threads, lora_path=lora_path)
        return _ENGINES[key]


@contextlib.contextmanager
def _quiet_stderr():
    """llama.cpp writes load diagnostics straight to fd 2; keep them off the console.

    Process-wide: use it only where nothing else draws on fd 2 (the TUI does; models
    are loaded before it starts).
    """
    try:
        fd = os.dup(2)
    except OSError:
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(fd, 2)
        os.close(fd)
        os.close(devnull)
