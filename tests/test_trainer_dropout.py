"""trainer/dropout.py: the CPU LoRA dropout is nn.Dropout's distribution, drawn cheaper."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from trainer.dropout import FastDropout, speed_up_lora_dropout  # noqa: E402


def test_keeps_each_element_with_probability_one_minus_p_and_rescales():
    torch.manual_seed(0)
    x = torch.ones(400, 1000)
    y = FastDropout(0.05)(x)
    kept = y != 0
    assert abs(kept.float().mean().item() - 0.95) < 0.002          # 400,000 draws: sd 0.0003
    assert torch.allclose(y[kept], torch.full_like(y[kept], 1 / 0.95), rtol=1e-4)
    # every 16-bit slice of a 64-bit draw is used: no lane is biased
    for lane in range(4):
        assert abs(kept.view(-1, 4)[:, lane].float().mean().item() - 0.95) < 0.003
    assert abs(y.mean().item() - 1.0) < 0.003                       # unbiased in expectation, like nn.Dropout


def test_masks_are_independent_between_calls_and_follow_the_torch_seed():
    layer = FastDropout(0.5)
    x = torch.ones(64, 64)
    torch.manual_seed(1)
    a, b = layer(x), layer(x)
    torch.manual_seed(1)
    assert torch.equal(layer(x), a) and not torch.equal(a, b)       # resumable from a saved RNG state


def test_identity_in_eval_mode_and_at_p_zero_and_gradient_is_the_mask():
    x = torch.randn(8, 16, requires_grad=True)
    assert torch.equal(FastDropout(0.3).eval()(x), x) and torch.equal(FastDropout(0.0)(x), x)
    torch.manual_seed(2)
    y = FastDropout(0.3)(x)
    y.sum().backward()
    assert torch.equal(x.grad != 0, y != 0)
    assert torch.allclose(x.grad[y != 0], torch.full_like(x.grad[y != 0], 1 / (1 - FastDropout(0.3).p)))
    with pytest.raises(ValueError):
        FastDropout(1.0)


def test_replaces_the_lora_dropouts_of_a_peft_model():
    peft = pytest.importorskip("peft")

    class Tiny(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.q_proj, self.v_proj = torch.nn.Linear(8, 8), torch.nn.Linear(8, 8)

        def forward(self, x):
            return self.v_proj(self.q_proj(x))

    model = peft.get_peft_model(Tiny(), peft.LoraConfig(r=2, lora_alpha=4, lora_dropout=0.1,
                                                        target_modules=["q_proj", "v_proj"]))
    assert speed_up_lora_dropout(model) == 2
    found = [m for m in model.modules() if isinstance(m, FastDropout)]
    assert len(found) == 2 and all(abs(m.p - 0.1) < 1e-4 for m in found)
    model(torch.randn(3, 8)).sum().backward()                       # PEFT's forward goes through them
    assert not any(isinstance(m, torch.nn.Dropout) for m in model.modules())
