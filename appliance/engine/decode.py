"""Greedy decoding under a GBNF grammar, fast on large vocabularies, with verbatim quotes.

llama-cpp-python's own path applies the grammar to the whole vocabulary at every
step: cheap for SmolLM2's 49k tokens, slow for gemma's 262k. At temperature 0 only
the winner matters, so this loop asks the grammar about as few tokens as it can and
still picks exactly the token a full mask would pick:

1. the unconstrained argmax, if the grammar accepts it (the usual case);
2. else the best accepted token among the top 64 (if any is accepted, it is the best
   accepted token overall: every other token scores lower than all 64);
3. else the whole vocabulary.

Strings under a task's quote keys ("evidence", NER "text") are further limited to
substrings of the document: at each step the candidates are the tokens that continue
the quote along some occurrence of it in the document, or close it. So a quote is
verbatim by construction, not by a check afterwards.
"""

from __future__ import annotations

import ctypes
import json
import re
import time
from dataclasses import dataclass
from functools import cached_property

import llama_cpp
import numpy as np

TOP_K = 64
_TOKEN_DATA = np.dtype([("id", np.int32), ("logit", np.float32), ("p", np.float32)])
_OPEN_STRING = re.compile(r'"([A-Za-z_]\w*)": "([^"]*)$')  # the value being written, if a string
_BEFORE_VALUE = re.compile(r'"([A-Za-z_]\w*)": $')  # a value comes next (its opening quote may carry text)


@dataclass
class Decoded:
    text: str
    tokens: int
    finish_reason: str      # "stop" (the grammar's object is complete) or "length"
    prompt_evaluated: int   # prompt tokens computed; the rest came from the KV cache
    prefill_s: float
    decode_s: float


class Vocabulary:
    """Token pieces of one model, and indexes for the quote constraint (built on first use)."""

    def __init__(self, llm):
        self.llm = llm
        self.vocab = llm._model.vocab
        self.size = llm.n_vocab()
        self._quotes: QuoteIndex | None = None

    def piece(self, token: int) -> str:
        """The token's text (no special-token rendering). Under our grammars it is always ASCII."""
        buffer = ctypes.create_string_buffer(256)
        n = llama_cpp.llama_token_to_piece(self.vocab, token, buffer, 256, 0, False)
        return buffer.raw[:n].decode("utf-8", errors="replace") if n > 0 else ""

    @cached_property
    def pieces(self) -> list[str]:
        return [self.piece(t) for t in range(self.size)]

    @cached_property
    def by_piece(self) -> dict[str, list[int]]:
        index: dict[str, list[int]] = {}
        for token, piece in enumerate(self.pieces):
            if piece and '"' not in piece and "\ufffd" not in piece:
                index.setdefault(piece, []).append(token)
        return index

    @cached_property
    def closing(self) -> dict[str, list[int]]:
        """Text before the first quote mark → tokens that end a string after that text."""
        index: dict[str, list[int]] = {}
        for token, piece in enumerate(self.pieces):
            if '"' in piece and "\ufffd" not in piece:
                index.setdefault(piece.split('"', 1)[0], []).append(token)
        return index

    @cached_property
    def opening(self) -> dict[str, list[int]]:
        """Text after a leading quote mark → tokens that open a string with that text."""
        index: dict[str, list[int]] = {}
        for token, piece in enumerate(self.pieces):
            if piece.startswith('"') and '"' not in piece[1:] and "\ufffd" not in piece:
                index.setdefault(piece[1:], []).append(token)
        return index

    @cached_property
    def longest(self) -> int:
        # Long pieces are runs of spaces or dashes; a quote never needs them in one token.
        return min(32, max(map(len, self.by_piece), default=1))

    def quote_index(self, document: str) -> "QuoteIndex":
        """Built once per document and reused by every task on it."""
        if self._quotes is None or self._quotes.document != document:
            self._quotes = QuoteIndex(self, document)
        return self._quotes

    def is_eog(self, token: int) -> bool:
        return bool(llama_cpp.llama_vocab_is_eog(self.vocab, token))


class _Grammar:
    """A llama.cpp grammar sampler: which of some candidate tokens may come next."""

    def __init__(self, vocab: Vocabulary, gbnf: str):
        self.sampler = llama_cpp.llama_sampler_init_grammar(vocab.vocab, gbnf.encode(), b"root")
        if not self.sampler:
            raise ValueError("llama.cpp refused the grammar")
        self.full = np.zeros(vocab.size, dtype=_TOKEN_DATA)
        self.full["id"] = np.arange(vocab.size, dtype=np.int32)

    def best(self, tokens: np.ndarray, logits: np.ndarray) -> int | None:
        """The highest-scoring token among `tokens` that the grammar accepts, or None."""
        data = self.full if len(tokens) == len(self.full) else np.zeros(len(tokens), dtype=_TOKEN_DATA)
        data["id"] = tokens
        data["logit"] = logits[tokens]
        array = llama_cpp.llama_token_data_array(
            data=data.ctypes.data_as(llama_cpp.llama_token_data_p), size=len(data), selected=-1, sorted=False)
        llama_cpp.llama_sampler_apply(self.sampler, ctypes.byref(array))
        allowed = np.isfinite(data["logit"])
        if not allowed.any():
            return None
        return int(data["id"][np.flatnonzero(allowed)[np.argmax(data["logit"][allowed])]])

    def accept(self, token: int) -> None:
        llama_cpp.llama_sampler_accept(self.sampler, token)

    def close(self) -> None:
        llama_cpp.llama_sampler_free(self.sampler)


class QuoteIndex:
    """For one document: which tokens can continue a quote at each position, or close it there."""

    def __init__(self, vocab: Vocabulary, document: str):
        self.document = document
        self.extend: list[set[int]] = []
        self.close: list[set[int]] = []
        for end in range(len(document) + 1):
            extend, close = set(), set()
            for length in range(0, min(vocab.longest, len(document) - end) + 1):
                piece = document[end:end + length]
                if length and piece in vocab.by_piece:
                    extend.update(vocab.by_piece[piece])
                if piece in vocab.closing:
                    close.update(vocab.closing[piece])
            self.extend.append(extend)
            self.close.append(close)
        self.opening = np.fromiter(set().union(*self.extend), dtype=np.int32)
        # Tokens that open the string and already carry quote text ('"Left', '"'): that text
        # must be in the document too.
        self.openers = np.fromiter(
            {t for rest, ids in vocab.opening.items() if not rest or rest in document for t in ids}, dtype=np.int32)

    def candidates(self, quote: str) -> np.ndarray:
        """Tokens that extend `quote` along one of its occurrences in the document, or end it."""
        if not quote:
            return self.opening  # a quote cannot be empty: it starts anywhere, and cannot end yet
        found: set[int] = set()
        start = self.document.find(quote)
        while start != -1:
            end = start + len(quote)
            found |= self.extend[end] | self.close[end]
            start = self.document.find(quote, start + 1)
        return np.fromiter(found, dtype=np.int32, count=len(found))


def decode(llm, vocab: Vocabulary, prompt_tokens: list[int], gbnf: str | None, max_tokens: int,
           document: str = "", quote_keys: tuple[str, ...] = ()) -> Decoded:
    """Greedy, grammar-constrained continuation of the prompt; stops when the JSON object is complete.

    With gbnf=None the same loop decodes unconstrained (plain argmax until end of
    generation): the baseline the benchmark compares against.
    """
    started = time.perf_counter()
    reused = _reuse_prefix(llm, prompt_tokens)
    llm.eval(prompt_tokens[reused:])
    prefilled = time.perf_counter()
    grammar = _Grammar(vocab, gbnf) if gbnf is not None else None
    quotes = vocab.quote_index(document) if quote_keys else None
    pieces: list[str] = []
    text, finish = "", "length"
    try:
        for _ in range(max_tokens):
            logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(llm._ctx.ctx, -1), shape=(vocab.size,))
            if grammar is None:
                token = int(np.argmax(logits))
            else:
                token = _choose(grammar, vocab, logits, text, quotes, quote_keys)
            if token is None or vocab.is_eog(token):
                finish = "stop"
                break
            pieces.append(vocab.piece(token))
            text += pieces[-1]
            if grammar is None:
                llm.eval([token])
                continue
            grammar.accept(token)
            if "}" in pieces[-1] and _complete(text):
                finish = "stop"
                break
            llm.eval([token])
    finally:
        if grammar is not None:
            grammar.close()
    ended = time.perf_counter()
    return Decoded(text, len(pieces), finish, len(prompt_tokens) - reused, prefilled - started, ended - prefilled)


def _choose(grammar: _Grammar, vocab: Vocabulary, logits: np.ndarray, text: str,
            quotes: QuoteIndex | None, quote_keys: tuple[str, ...]) -> int | None:
    if quotes and (open_string := _OPEN_STRING.search(text)) and open_string.group(1) in quote_keys:
        candidates = quotes.candidates(open_string.group(2))
        if len(candidates) and (token := grammar.best(candidates, logits)) is not None:
            return token
    if quotes and (before := _BEFORE_VALUE.search(text)) and before.group(1) in quote_keys:
        if len(quotes.openers) and (token := grammar.best(quotes.openers, logits)) is not None:
            return token
    best = np.array([int(np.argmax(logits))], dtype=np.int32)
    if (token := grammar.best(best, logits)) is not None:
        return token
    top = np.argpartition(logits, -TOP_K)[-TOP_K:].astype(np.int32)
    if (token := grammar.best(top, logits)) is not None:
        return token
    return grammar.best(np.arange(vocab.size, dtype=np.int32), logits)


def _complete(text: str) -> bool:
    try:
        json.loads(text)
    except json.JSONDecodeError:
        return False
    return True


def _reuse_prefix(llm, tokens: list[int]) -> int:
    """Keep the KV cache of the longest shared prefix (the document), drop the rest."""
    cached = llm.input_ids[: llm.n_tokens]
    n = 0
    for a, b in zip(cached, tokens):
        if a != b:
            break
        n += 1
    n = min(n, len(tokens) - 1)  # the last prompt token is evaluated again to get fresh logits
    if n <= 0 or not llm._ctx.kv_cache_seq_rm(-1, n, -1):
        llm.reset()
        llm._ctx.kv_cache_seq_rm(-1, 0, -1)
        return 0
    llm.n_tokens = n
    return n
