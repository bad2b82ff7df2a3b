"""Length-bucketed batch planning (trainer/batching.py): pure Python, no model, no torch."""

from __future__ import annotations

import random

from trainer.batching import BucketBatchSampler, padding_stats, plan_batches


def _lengths(n=600, seed=3):
    rng = random.Random(seed)
    return [rng.randint(60, 1000) for _ in range(n)]


def test_every_example_once_and_every_batch_within_the_budget():
    lengths = _lengths()
    plan = plan_batches(lengths, budget=4096, seed=1, epoch=0)
    assert sorted(i for b in plan for i in b) == list(range(len(lengths)))
    assert all(len(b) * max(lengths[i] for i in b) <= 4096 for b in plan)


def test_buckets_waste_almost_no_compute_on_padding():
    lengths = _lengths()
    bucketed = padding_stats(lengths, plan_batches(lengths, budget=4096, seed=1))
    # The same examples in random batches of 4, right-padded (a plain padding collator).
    order = list(range(len(lengths)))
    random.Random(1).shuffle(order)
    plain = padding_stats(lengths, [order[i:i + 4] for i in range(0, len(order), 4)])
    assert bucketed["padding_fraction"] < 0.05, bucketed  # 3.5 % here; 35 % for the plain batches
    assert plain["padding_fraction"] > 0.25, plain
    # Few rows are left alone in a batch: the budget is actually used.
    assert bucketed["padded_tokens"] / bucketed["batches"] > 0.7 * 4096


def test_an_example_over_the_budget_is_a_batch_of_its_own():
    plan = plan_batches([10, 5000, 20], budget=100, shuffle=False)
    assert [5000 in [[10, 5000, 20][i] for i in b] for b in plan].count(True) == 1
    assert [1] in plan


def test_the_order_depends_only_on_seed_and_epoch():
    lengths = _lengths(200)
    assert plan_batches(lengths, 2048, seed=5, epoch=2) == plan_batches(lengths, 2048, seed=5, epoch=2)
    assert plan_batches(lengths, 2048, seed=5, epoch=2) != plan_batches(lengths, 2048, seed=5, epoch=3)
    sampler = BucketBatchSampler(lengths, 2048, seed=5)
    sampler.set_epoch(2)
    assert list(sampler) == plan_batches(lengths, 2048, seed=5, epoch=2)
    assert len(sampler) == len(plan_batches(lengths, 2048, seed=5, epoch=2))
    assert plan_batches(lengths, 2048, shuffle=False) == plan_batches(lengths, 2048, seed=9, epoch=4, shuffle=False)
