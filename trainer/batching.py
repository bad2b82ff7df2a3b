"""Length-bucketed micro-batches under a token budget, so almost no compute goes to padding.

Each epoch: the examples are shuffled (seeded by seed and epoch, so a resumed run sees
the same order), cut into windows of `window` examples, each window sorted by length and
cut greedily into batches whose rows × longest row stays within `budget` tokens; then
the batches themselves are shuffled. Neighbours in a sorted window differ by a few
tokens, so the padding of a batch is a few tokens per row; the shuffles keep each
batch's tasks and lengths mixed from epoch to epoch.

Why buckets and not packing: packing several examples into one row needs a
block-diagonal attention mask (or per-example position resets that only the
flash-attention kernels honour); buckets reach nearly the same padding-free compute
with the model's ordinary causal mask, and an example can never attend to another.

Planning is pure Python (no torch) so it can be tested and inspected on its own.
"""

from __future__ import annotations

import random
from typing import Sequence

IGNORE = -100
DEFAULT_WINDOW = 256


def plan_batches(lengths: Sequence[int], budget: int, seed: int = 0, epoch: int = 0, shuffle: bool = True,
                 window: int = DEFAULT_WINDOW) -> list[list[int]]:
    """Indices of `lengths` grouped into batches with len(batch) × max length ≤ budget.

    An example longer than the budget on its own makes a batch of one (the trainer leaves
    out examples over seq_len, and the budget is never below seq_len, so this does not
    happen in a run). Deterministic for (lengths, budget, seed, epoch, shuffle, window).
    """
    if budget < 1:
        raise ValueError("the token budget must be positive")
    order = list(range(len(lengths)))
    rng = random.Random(seed * 1_000_003 + epoch)
    if shuffle:
        rng.shuffle(order)
    batches: list[list[int]] = []
    for start in range(0, len(order), window):
        batch: list[int] = []
        for i in sorted(order[start:start + window], key=lambda i: lengths[i]):  # ascending: i is the longest so far
            if batch and lengths[i] * (len(batch) + 1) > budget:
                batches.append(batch)
                batch = []
            batch.append(i)
        if batch:
            batches.append(batch)
    if shuffle:
        rng.shuffle(batches)
    return batches


def padding_stats(lengths: Sequence[int], batches: list[list[int]]) -> dict[str, int | float]:
    """Real and padded token counts of a plan (what a padded batch of the longest row costs)."""
    real = sum(lengths[i] for b in batches for i in b)
    padded = sum(len(b) * max(lengths[i] for i in b) for b in batches)
    return {"batches": len(batches), "real_tokens": real, "padded_tokens": padded,
            "padding_fraction": (padded - real) / padded if padded else 0.0}


class BucketBatchSampler:
    """A DataLoader `batch_sampler` over `plan_batches`; `set_epoch` picks the epoch's order.

    accelerate shards it across processes (every n-th batch) and wraps it for
    `skip_first_batches` on resume; the plan of an epoch is the same every time it is asked.
    """

    batch_size = None   # variable-size batches: tells accelerate's shard not to expect a fixed size
    drop_last = False

    def __init__(self, lengths: Sequence[int], budget: int, seed: int = 0, shuffle: bool = True,
                 window: int = DEFAULT_WINDOW):
        self.lengths, self.budget, self.seed, self.shuffle, self.window = list(lengths), budget, seed, shuffle, window
        self.epoch = 0
        self._plans: dict[int, list[list[int]]] = {}

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def plan(self, epoch: int | None = None) -> list[list[int]]:
        epoch = self.epoch if epoch is None else epoch
        if epoch not in self._plans:
            self._plans = {epoch: plan_batches(self.lengths, self.budget, self.seed, epoch, self.shuffle, self.window)}
        return self._plans[epoch]

    def __iter__(self):
        return iter(self.plan())

    def __len__(self) -> int:
        return len(self.plan())


def collate(rows: list[dict], pad_id: int = 0) -> dict:
    """Right-padded tensors of one batch; padding is masked out of attention and loss."""
    import torch

    width = max(len(r["input_ids"]) for r in rows)
    ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    labels = torch.full((len(rows), width), IGNORE, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, r in enumerate(rows):
        n = len(r["input_ids"])
        ids[i, :n] = torch.tensor(r["input_ids"], dtype=torch.long)
        labels[i, :n] = torch.tensor(r["labels"], dtype=torch.long)
        mask[i, :n] = 1
    batch = {"input_ids": ids, "attention_mask": mask, "labels": labels}
    if all("weights" in r for r in rows):  # per-token loss weights (trainer/decision.py)
        weights = torch.zeros((len(rows), width), dtype=torch.float32)
        for i, r in enumerate(rows):
            weights[i, :len(r["weights"])] = torch.tensor(r["weights"], dtype=torch.float32)
        batch["weights"] = weights
    return batch
