"""The CPU training loop: answer-only loss, no cross-example attention, buckets in a real run, resume.

The batch planning itself is tested without torch in test_trainer_batching.py. The loop runs on a tiny random llama (two layers, 64-token
byte vocabulary, built from a config: nothing downloaded) through the very `train()`
that `trainer train` runs, on real examples from the synthetic builders.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

# -- a tiny model through the real loop ------------------------------------------------

torch = pytest.importorskip("torch")
pytest.importorskip("peft")
pytest.importorskip("accelerate")

EXAMPLES = 24


class ByteVocab:
    """llama.cpp's tokenize signature: one token per byte (folded into 62 ids), BOS = 1."""

    def tokenize(self, text: bytes, add_bos: bool = True, special: bool = False) -> list[int]:
        return ([1] if add_bos else []) + [2 + b % 62 for b in text]


@dataclass(frozen=True)
class ToyBase:
    name: str = "toy-llama"
    architecture: str = "llama"
    chat_template: str = "chatml"
    sha256: str | None = None
    gguf: Path | None = None
    hf_dir: Path | None = None

    def vocabulary(self):
        return ByteVocab()

    def load_model(self, dtype, quantization_config=None, cache_dir=None):
        from transformers import LlamaConfig, LlamaForCausalLM

        config = LlamaConfig(vocab_size=64, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                             num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=8192,
                             pad_token_id=0, bos_token_id=1, eos_token_id=2)
        with torch.random.fork_rng():   # the same "pretrained" weights on every load
            torch.manual_seed(1234)
            return LlamaForCausalLM(config).to(dtype)


def _examples(n: int) -> list[dict]:
    from trainer.builders import rads, staging

    built = list(rads.build(n, seed=0)) + list(staging.build(n, seed=0))
    return built[:n]


@pytest.fixture
def data_dir(tmp_path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    rows = _examples(30)
    (data / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows[:EXAMPLES]))
    (data / "val.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows[EXAMPLES:]))
    return data


def _preset(**changes):
    from trainer.presets import Preset

    base = Preset("toy", rank=4, alpha=8, dropout=0.1, learning_rate=1e-2, batch_size=2, epochs=10,
                  seq_len=4096, micro_batch=1, warmup_ratio=0.0, scheduler="constant", max_steps=4,
                  batch_tokens=6000, val_examples=6)
    return base.with_overrides(**changes)


def test_encode_masks_the_prompt_and_keeps_the_answer():
    from appliance.engine.llm import tokenize_prompt
    from trainer.data import prompt_and_completion
    from trainer.train import IGNORE, encode

    example = _examples(1)[0]
    (row,), skipped = encode([example], ToyBase(), seq_len=100_000)
    prompt, completion = prompt_and_completion(example, "chatml")
    n_prompt = len(tokenize_prompt(ByteVocab(), prompt))
    answer = ByteVocab().tokenize(completion.encode(), add_bos=False)
    assert skipped == 0
    assert row["labels"][:n_prompt] == [IGNORE] * n_prompt
    assert row["labels"][n_prompt:] == answer == row["input_ids"][n_prompt:]
    assert encode([example], ToyBase(), seq_len=n_prompt)[1] == 1  # too long: left out, never cut


def _objective(dropout=0.0):
    from trainer.train import _answer_loss_class, load_peft_model

    model = load_peft_model(ToyBase(), _preset(dropout=dropout), "cpu", Path("."))
    model.eval()
    return _answer_loss_class()(model), model


def test_answer_only_projection_gives_the_models_own_answer_loss():
    from trainer.batching import collate
    from trainer.train import encode

    objective, model = _objective()
    rows, _ = encode(_examples(3), ToyBase(), seq_len=100_000)
    batch = collate(rows, pad_id=0)
    assert objective.parts is not None  # the fast path, not the full-logits fallback
    with torch.no_grad():
        loss_sum, count = objective(**batch)
        reference = model(**batch).loss   # transformers' mean over every labelled position
    assert int(count) == sum(sum(1 for t in r["labels"][1:] if t != -100) for r in rows)
    assert torch.allclose(loss_sum / count, reference, atol=1e-5)


def test_weighted_answer_loss_is_the_weighted_sum_of_token_losses():
    import torch.nn.functional as F

    from trainer.batching import collate
    from trainer.train import encode

    objective, model = _objective()
    rows, _ = encode(_examples(3), ToyBase(), seq_len=100_000)
    generator = torch.Generator().manual_seed(0)
    for r in rows:  # random weights on the answer, zero on the prompt
        r["weights"] = [0.0 if t == -100 else float(torch.rand(1, generator=generator)) * 5 for t in r["labels"]]
    batch = collate(rows, pad_id=0)
    assert batch["weights"].shape == batch["labels"].shape
    with torch.no_grad():
        loss_sum, total = objective(**batch)
        plain_sum, count = objective(**{k: v for k, v in batch.items() if k != "weights"})
        logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits[:, :-1]
    targets, weights = batch["labels"][:, 1:], batch["weights"][:, 1:]
    keep = targets != -100
    per_token = F.cross_entropy(logits[keep].float(), targets[keep], reduction="none")
    assert torch.allclose(loss_sum, (per_token * weights[keep]).sum(), rtol=1e-4)
    assert torch.allclose(total, weights[keep].sum())
    assert torch.allclose(plain_sum, per_token.sum(), rtol=1e-4) and int(count) == int(keep.sum())


def test_rows_of_a_batch_never_see_each_other_or_the_padding():
    from trainer.batching import collate
    from trainer.train import encode

    objective, _ = _objective()
    rows, _ = encode(_examples(4), ToyBase(), seq_len=100_000)
    with torch.no_grad():
        together, _ = objective(**collate(rows, pad_id=0))
        alone = sum(objective(**collate([r], pad_id=0))[0] for r in rows)
        other_pad, _ = objective(**collate(rows, pad_id=7))
    assert torch.allclose(together, alone, rtol=1e-4)
    assert torch.allclose(together, other_pad, rtol=1e-6)


def _checkpoint(out: Path) -> dict:
    return torch.load(out / "checkpoint.pt", map_location="cpu", weights_only=False)


def _four_rows_per_batch() -> int:
    """A token budget that puts about four of the training examples in a batch (six batches an epoch)."""
    from trainer.train import encode

    return 4 * max(len(r["input_ids"]) for r in encode(_examples(30)[:EXAMPLES], ToyBase(), 100_000)[0])


def test_a_run_trains_with_buckets_and_reports_its_throughput(data_dir, tmp_path):
    from trainer.train import train

    result = train(ToyBase(), _preset(max_steps=3), data_dir, tmp_path / "run", threads=1, show_progress=False)
    summary = json.loads((tmp_path / "run" / "training.json").read_text())
    assert result.steps == summary["steps"] == 3
    assert summary["batching"]["token_budget"] == 6000 and summary["batching"]["padding_fraction"] < 0.15
    assert summary["batching"]["accumulation"] >= 1 and summary["threads"] == 1
    assert result.trained_tokens > 0 and summary["tokens_per_second"] > 0
    assert summary["val_loss_before"] is not None and summary["val_loss_after"] is not None
    assert (tmp_path / "run" / "peft" / "adapter_config.json").exists()
    assert not list((tmp_path / "run").glob("*.tmp"))


def test_resume_continues_to_the_same_state_as_an_uninterrupted_run(data_dir, tmp_path):
    from trainer.train import train

    # Six batches an epoch, two per optimiser step: three steps an epoch.
    preset = _preset(max_steps=5, batch_tokens=_four_rows_per_batch(), batch_size=8)
    straight = train(ToyBase(), preset, data_dir, tmp_path / "straight", threads=1, show_progress=False,
                     checkpoint_every=100)
    summary = json.loads((tmp_path / "straight" / "training.json").read_text())
    assert summary["batching"]["accumulation"] == 2, summary["batching"]
    # Stopped after 2 steps (mid-epoch: 4 batches of this epoch done), then resumed to 5.
    train(ToyBase(), preset.with_overrides(max_steps=2), data_dir, tmp_path / "resumed", threads=1,
          show_progress=False, checkpoint_every=1)
    first = _checkpoint(tmp_path / "resumed")
    assert (first["step"], first["epoch"], first["batches_done"]) == (2, 0, 4)
    resumed = train(ToyBase(), preset, data_dir, tmp_path / "resumed", resume=True, threads=1,
                    show_progress=False, checkpoint_every=100)
    assert straight.steps == resumed.steps == 5
    a, b = _checkpoint(tmp_path / "straight"), _checkpoint(tmp_path / "resumed")
    assert a["step"] == b["step"] == 5
    assert (a["epoch"], a["batches_done"]) == (b["epoch"], b["batches_done"]) == (1, 4)  # crossed into epoch 1
    for name, tensor in a["adapter"].items():
        assert torch.allclose(tensor, b["adapter"][name], atol=1e-6), name
    assert torch.equal(a["rng"], b["rng"])  # dropout drew the same masks
    assert a["scheduler"]["last_epoch"] == b["scheduler"]["last_epoch"]


def test_resume_refuses_a_checkpoint_from_other_batching(data_dir, tmp_path):
    from trainer.train import train

    train(ToyBase(), _preset(max_steps=1), data_dir, tmp_path / "run", threads=1, show_progress=False)
    with pytest.raises(ValueError, match="other data or batching"):
        train(ToyBase(), _preset(max_steps=2, batch_tokens=3000), data_dir, tmp_path / "run", resume=True,
              threads=1, show_progress=False)


def test_bf16_keeps_the_frozen_base_in_bf16_and_trains_float32_lora(data_dir, tmp_path):
    from trainer.train import load_peft_model, train

    model = load_peft_model(ToyBase(), _preset(mixed_precision="bf16"), "cpu", tmp_path)
    dtypes = {(p.requires_grad, p.dtype) for p in model.parameters()}
    assert dtypes == {(False, torch.bfloat16), (True, torch.float32)}
    result = train(ToyBase(), _preset(max_steps=2, mixed_precision="bf16"), data_dir, tmp_path / "run", threads=1,
                   show_progress=False)
    assert result.steps == 2 and result.val_loss is not None and result.val_loss == result.val_loss  # not NaN
    assert all(t.dtype == torch.float32 for t in _checkpoint(tmp_path / "run")["adapter"].values())


def test_the_throughput_bench_measures_both_sides_step_by_step(data_dir, tmp_path):
    """bench/train_throughput.py's two sides on the tiny model (the bench itself runs the real base)."""
    import sys

    from tokenizers import Tokenizer, models
    from transformers import PreTrainedTokenizerFast

    from trainer.train import encode, read_examples

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import train_throughput as bench

    preset = _preset(max_steps=3, batch_size=2, micro_batch=2, val_examples=0)
    ours = bench.run_ours(ToyBase(), preset, data_dir, tmp_path / "ours", threads=1)
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=Tokenizer(models.WordLevel({"<pad>": 0, "<unk>": 1},
                                                                                   unk_token="<unk>")),
                                        pad_token="<pad>")
    encoded, _ = encode(read_examples(data_dir / "train.jsonl"), ToyBase(), preset.seq_len)
    baseline = bench.run_baseline(ToyBase(), preset, encoded, tmp_path / "baseline", threads=1, bf16=False,
                                  tokenizer=tokenizer)
    for side in (ours, baseline):
        assert len(side["steps"]) == 3 and all(tokens > 0 and seconds > 0 for tokens, seconds in side["steps"])
    assert baseline["examples_per_step"] == 2 and baseline["padding"] > ours["padding"]
    tokens, seconds = bench.throughput(baseline, warmup=1)
    assert tokens == sum(t for t, _ in baseline["steps"][1:]) and seconds > 0
    # The baseline's tokens are its real tokens: two examples per step, no padding counted.
    lengths = sorted(len(e["input_ids"]) for e in encoded)
    assert 2 * lengths[0] <= baseline["steps"][0][0] <= 2 * lengths[-1]


@pytest.mark.parametrize("softcap", [None, 30.0])
def test_answer_only_projection_on_the_gemma3_architecture(softcap):
    """The 270M base is gemma3 (scaled embeddings, optional final logit soft-capping)."""
    from peft import LoraConfig, get_peft_model
    from transformers import Gemma3ForCausalLM, Gemma3TextConfig

    from trainer.batching import collate
    from trainer.presets import ALL_PROJECTIONS
    from trainer.train import _answer_loss_class, encode

    config = Gemma3TextConfig(vocab_size=64, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                              num_attention_heads=4, num_key_value_heads=2, head_dim=8, pad_token_id=0,
                              final_logit_softcapping=softcap, sliding_window=16)
    torch.manual_seed(0)
    model = get_peft_model(Gemma3ForCausalLM(config), LoraConfig(r=4, lora_alpha=8, target_modules=list(ALL_PROJECTIONS),
                                                                 init_lora_weights=False))
    model.eval()
    objective = _answer_loss_class()(model)
    assert objective.parts is not None
    rows, _ = encode(_examples(2), ToyBase(), seq_len=100_000)
    batch = collate(rows, pad_id=0)
    with torch.no_grad():
        loss_sum, count = objective(**batch)
        reference = model(**batch).loss
    assert torch.allclose(loss_sum / count, reference, atol=1e-5)
