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

Forced runs (the grammar admits one next character) are fast-forwarded: drafted as
tokens, evaluated in one batch, each drafted token kept only where the step-by-step
choice is that token (see decode()). Like llguidance's fast-forward tokens, but exact:
llguidance appends its own tokenisation of the run, which need not be greedy's. A quote
that has been copying the document is drafted the same way with the document's next
words (_copy_draft), checked the same way.
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
FREE_TEXT_CHARS = 48  # a position admitting this many different next characters is free text, not a choice
MAX_FORCED = 64       # longest forced run drafted at once, in bytes
HABIT_KEY = 12        # characters of a forced text that key what greedy wrote there
_TOKEN_DATA = np.dtype([("id", np.int32), ("logit", np.float32), ("p", np.float32)])
_OPEN_STRING = re.compile(r'"([A-Za-z_]\w*)": "([^"]*)$')  # the value being written, if a string
_CLAUSE_END = re.compile(r'(?<=[.;:,\n"])')  # where a copied quote most often stops
_BEFORE_VALUE = re.compile(r'"([A-Za-z_]\w*)": $')  # a value comes next (its opening quote may carry text)


@dataclass
class Decoded:
    text: str
    tokens: int
    finish_reason: str      # "stop" (the grammar's object is complete) or "length"
    prompt_evaluated: int   # prompt tokens computed; the rest came from the KV cache
    prefill_s: float
    decode_s: float
    # Lowest probability of a chosen token at a decision point (a choice among values: enum,
    # category, label, number, list length), renormalised over the grammar-allowed tokens
    # among the top 64; 1.0 with no decision point; None when decoding unconstrained.
    confidence: float | None = None
    forced: int = 0     # generated tokens that came from a forced run's draft (batched, not sampled)
    copied: int = 0     # generated tokens that came from a draft copying the document (batched)
    drafted: int = 0    # tokens drafted (forced + copied + rejected)
    batches: int = 0    # llama.cpp calls made while decoding


class Vocabulary:
    """Token pieces of one model, and indexes for the quote constraint (built on first use)."""

    def __init__(self, llm):
        self.llm = llm
        self.vocab = llm._model.vocab
        self.size = llm.n_vocab()
        self._quotes: QuoteIndex | None = None
        self.batch_limit = 0  # set by exact_batch() on first use
        self.habits: dict[str, int] = {}  # forced text (its first HABIT_KEY chars) → the token greedy wrote

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

    @cached_property
    def char_tokens(self) -> tuple[np.ndarray, list[str]]:
        """One single-character token per printable ASCII character: probes for the next byte."""
        ids, chars = [], []
        for code in range(0x20, 0x7f):
            tokens = [t for t in self.by_piece.get(chr(code), ()) if not self.is_eog(t)]
            if chr(code) == '"':
                tokens = [t for t in self.closing.get("", ()) if self.pieces[t] == '"']
            if tokens:
                ids.append(tokens[0])
                chars.append(chr(code))
        return np.array(ids, dtype=np.int32), chars

    def draft(self, forced: str) -> list[int]:
        """The tokens greedy most likely writes for a forced run.

        Only a guess (decode() checks each one against the step-by-step choice): where
        this model was seen to write a forced text its own way ('ment' 'ioned' rather
        than 'mentioned', '"' ',' rather than '",'), its way; elsewhere the usual
        tokenisation.
        """
        tokens, at = [], 0
        while at < len(forced):
            token = self.habits.get(forced[at:at + HABIT_KEY])
            if token is None or not forced.startswith(self.piece(token), at):
                token = self.llm.tokenize(forced[at:].encode("utf-8"), add_bos=False, special=False)[0]
            piece = self.piece(token)
            if not piece or not forced.startswith(piece, at):
                break
            tokens.append(token)
            at += len(piece)
        return tokens

    def learn(self, forced: str, token: int) -> None:
        """Greedy wrote `token` where `forced` was the only admitted text: remember it for drafts."""
        if len(self.habits) < 65536 and forced.startswith(self.piece(token)):
            self.habits[forced[:HABIT_KEY]] = token

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

    def _allowed(self, sampler, tokens: np.ndarray) -> np.ndarray:
        data = np.zeros(len(tokens), dtype=_TOKEN_DATA)
        data["id"] = tokens
        array = llama_cpp.llama_token_data_array(
            data=data.ctypes.data_as(llama_cpp.llama_token_data_p), size=len(data), selected=-1, sorted=False)
        llama_cpp.llama_sampler_apply(sampler, ctypes.byref(array))
        return np.isfinite(data["logit"])

    def next_chars(self, vocab: Vocabulary, walk: bool = True) -> tuple[str, bool]:
        """(the forced run: bytes the grammar admits as the only continuation, is the next token a choice).

        Probes the grammar with one single-character token per printable character; a
        position admitting exactly one is forced, and a copy of the grammar walks on
        while that holds. A choice admits several characters, but fewer than free text.
        """
        ids, chars = vocab.char_tokens
        allowed = self._allowed(self.sampler, ids)
        n = int(allowed.sum())
        choice = 1 < n < FREE_TEXT_CHARS
        if n != 1 or not walk:
            return "", choice
        forced = [chars[int(np.flatnonzero(allowed)[0])]]
        copy = llama_cpp.llama_sampler_clone(self.sampler)
        try:
            while len(forced) < MAX_FORCED:
                llama_cpp.llama_sampler_accept(copy, int(ids[chars.index(forced[-1])]))
                allowed = self._allowed(copy, ids)
                if int(allowed.sum()) != 1:
                    break
                forced.append(chars[int(np.flatnonzero(allowed)[0])])
        finally:
            llama_cpp.llama_sampler_free(copy)
        return "".join(forced), choice

    def share(self, token: int, logits: np.ndarray) -> float:
        """The chosen token's probability renormalised over the allowed tokens among the top 64."""
        top = np.argpartition(logits, -TOP_K)[-TOP_K:].astype(np.int32)
        allowed = top[self._allowed(self.sampler, top)]
        if token not in allowed:
            allowed = np.append(allowed, np.int32(token))
        scores = logits[allowed].astype(np.float64)
        weights = np.exp(scores - scores.max())
        return float(weights[allowed == token][0] / weights.sum())

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
           document: str = "", quote_keys: tuple[str, ...] = (), fast_forward: bool = True) -> Decoded:
    """Greedy, grammar-constrained continuation of the prompt; stops when the JSON object is complete.

    With gbnf=None the same loop decodes unconstrained (plain argmax until end of
    generation): the baseline the benchmark compares against.

    With fast_forward, wherever the grammar admits exactly one next byte (keys,
    separators, closing quotes, enum prefixes) the whole forced run is tokenised as a
    draft and evaluated in one batch with the token just chosen. Each drafted token is
    then checked against the logits of its own position with the very same choice the
    step-by-step loop makes (`_choose`), and kept only if that choice is the drafted
    token; the first mismatch becomes the chosen token and the rest of the draft leaves
    the KV cache. So the output is the step-by-step greedy output token for token; the
    draft only decides how many positions one llama.cpp call evaluates.
    """
    limit = exact_batch(llm, vocab) if fast_forward and gbnf is not None else 1
    started = time.perf_counter()
    reused = _reuse_prefix(llm, prompt_tokens)
    llm.eval(prompt_tokens[reused:])
    prefilled = time.perf_counter()
    grammar = _Grammar(vocab, gbnf) if gbnf is not None else None
    quotes = vocab.quote_index(document) if quote_keys else None
    ctx = llm._ctx.ctx
    pieces: list[str] = []
    text, finish = "", "length"
    forced = copied = drafted = batches = 0
    copy_len = 2  # copied drafts grow while they are taken and shrink when refused
    confidence = 1.0
    choice = False  # whether the next token is a choice among values (for the confidence)

    def choose(logits: np.ndarray) -> int | None:
        nonlocal confidence
        if grammar is None:
            return int(np.argmax(logits))
        token = _choose(grammar, vocab, logits, text, quotes, quote_keys)
        if token is not None and choice:
            confidence = min(confidence, grammar.share(token, logits))
        return token

    def commit(token: int, walk: bool) -> tuple[bool, str]:
        """Append a chosen token; (is the object complete, the forced run after it)."""
        nonlocal text, choice
        pieces.append(vocab.piece(token))
        text += pieces[-1]
        if grammar is None:
            return False, ""
        grammar.accept(token)
        if "}" in pieces[-1] and _complete(text):
            return True, ""
        forced_text, choice = grammar.next_chars(vocab, walk=walk)
        return False, forced_text

    try:
        if grammar is not None:
            choice = grammar.next_chars(vocab, walk=False)[1]
        token = choose(_logits(ctx, -1, vocab.size))
        while len(pieces) < max_tokens:
            if token is None or vocab.is_eog(token):
                finish = "stop"
                break
            complete, forced_text = commit(token, walk=limit > 1)
            if complete:
                finish = "stop"
                break
            if forced_text:
                draft = vocab.draft(forced_text)
            else:  # a string that has been copying the document probably goes on copying it
                draft = _copy_draft(vocab, document, text, min(copy_len, limit - 1))
            queue = [token, *draft[: max_tokens - len(pieces)]]
            offsets = [0]  # where each drafted token starts in forced_text
            for t in queue[1:]:
                offsets.append(offsets[-1] + len(vocab.piece(t)))
            drafted += len(queue) - 1
            base, start, token = llm.n_tokens, 0, None
            # queue[0] is chosen; each later entry is kept only if the choice at its position is it.
            while token is None and not complete:
                chunk = queue[start:start + limit]
                _eval(llm, chunk, all_logits=len(queue) > 1)
                batches += 1
                for j in range(len(chunk)):
                    at = start + j + 1  # the queue entry this row's logits predict
                    chosen = choose(_logits(ctx, j if len(queue) > 1 else -1, vocab.size))
                    if forced_text and at < len(queue) and chosen is not None:
                        vocab.learn(forced_text[offsets[at - 1]:], chosen)
                    if at == len(queue) or chosen != queue[at]:
                        token = chosen
                        _truncate(llm, base + at)  # a rejected draft leaves the cache
                        if not forced_text and len(queue) > 1:
                            copy_len = copy_len * 2 if at == len(queue) else max(1, at - 1)
                        break
                    if forced_text:
                        forced += 1
                    else:
                        copied += 1
                    complete, _ = commit(chosen, walk=False)
                    if complete or len(pieces) >= max_tokens:
                        complete = True
                        break
                start += len(chunk)
            if complete:
                finish = "stop" if grammar is not None and _complete(text) else "length"
                break
    finally:
        if grammar is not None:
            grammar.close()
    ended = time.perf_counter()
    return Decoded(text, len(pieces), finish, len(prompt_tokens) - reused, prefilled - started, ended - prefilled,
                   confidence=confidence if grammar is not None else None, forced=forced, copied=copied,
                   drafted=drafted, batches=batches)


def exact_batch(llm, vocab: Vocabulary, most: int = 8) -> int:
    """The largest batch whose logits equal one-token-at-a-time evaluation bit for bit.

    llama.cpp's CPU kernels are not all batch-invariant (repacked K-quant weights switch
    from a vector to a matrix kernel at 4 rows; attention without flash attention from
    3); drafts are evaluated in chunks no larger than this, so fast-forward never
    changes a greedy choice. Measured once per model, on a fixed text.
    """
    if vocab.batch_limit:
        return vocab.batch_limit
    # Past 512 cached cells, where llama.cpp's kernels choose differently for one query.
    text = b"EXAM: CT chest. FINDINGS: 4 mm nodule, right upper lobe, stable. " * 40
    tokens = llm.tokenize(text, add_bos=True)[: min(520 + most, llm.n_ctx() - 1)]
    prefix, probe = tokens[:-most], tokens[-most:]
    ctx = llm._ctx.ctx
    llm.reset()
    llm._ctx.kv_cache_seq_rm(-1, 0, -1)
    llm.eval(prefix)

    def run(size: int) -> list[np.ndarray]:
        _truncate(llm, len(prefix))
        rows = []
        for at in range(0, most, size):
            _eval(llm, probe[at:at + size], all_logits=True)
            rows += [_logits(ctx, j, vocab.size).copy() for j in range(len(probe[at:at + size]))]
        return rows

    single = run(1)
    # Matrix kernels work in blocks of 4 rows (remainder rows take the vector kernel): a batch
    # of `most` equal to single rows means every size is; else the largest below a block.
    limit = 1
    for size in (most, 3, 2):
        if all(np.array_equal(a, b) for a, b in zip(single, run(size))):
            limit = size
            break
    llm.reset()
    llm._ctx.kv_cache_seq_rm(-1, 0, -1)
    vocab.batch_limit = limit
    return limit


def _logits(ctx, i: int, size: int) -> np.ndarray:
    return np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(ctx, i), shape=(size,))


def _eval(llm, tokens: list[int], all_logits: bool) -> None:
    """Evaluate `tokens` after the cache in one llama.cpp batch (logits of every position, or the last)."""
    n_past = llm.n_tokens
    llm._ctx.kv_cache_seq_rm(-1, n_past, -1)
    llm._batch.set_batch(batch=tokens, n_past=n_past, logits_all=all_logits)
    llm._ctx.decode(llm._batch)
    llm.input_ids[n_past:n_past + len(tokens)] = tokens
    llm.n_tokens = n_past + len(tokens)


def _truncate(llm, n: int) -> None:
    """Forget every cached position from `n` on (a draft's rejected tail)."""
    llm._ctx.kv_cache_seq_rm(-1, n, -1)
    llm.n_tokens = n


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


COPY_MATCH = 8  # characters a string must share with the document before its continuation is drafted


def _copy_draft(vocab: Vocabulary, document: str, text: str, most: int) -> list[int]:
    """Tokens for the document's continuation of the string being written, up to the clause's end.

    Prompt-lookup drafting: an evidence quote is document text by construction, and other
    strings often repeat the report's words, so where the string's last COPY_MATCH
    characters occur in the document, its next words are a good guess. Only a guess:
    decode() keeps a drafted token only where the step-by-step choice is that token.
    (Drafting from the answer's own earlier text as well was measured no faster: its
    refused drafts cost as much as its taken ones saved.)
    """
    if most <= 0 or not document or not (open_string := _OPEN_STRING.search(text)):
        return []
    tail = open_string.group(2)[-COPY_MATCH:]
    at = document.find(tail) if len(tail) == COPY_MATCH else -1
    if at < 0:
        return []
    rest = _CLAUSE_END.split(document[at + COPY_MATCH: at + COPY_MATCH + MAX_FORCED], maxsplit=1)[0]
    return vocab.draft(rest)[:most] if rest else []


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
