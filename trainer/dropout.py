"""LoRA dropout that costs two fifths of torch's on the CPU, same distribution.

PEFT drops the input of every LoRA path with `nn.Dropout` (210 masks a step on SmolLM2:
7 projections x 30 layers, each as large as the activations). On this CPU torch draws
those masks with one 32-bit random number per element in `bernoulli_`, which took 21 % of a
whole training step (torch profiler, a 1,790-token micro-batch, cpu-135m preset) - more than
attention. `FastDropout` draws one 64-bit number per four elements and keeps an element
where its 16-bit slice is at or above round(p * 65536): each element is kept with
probability 1 - p' (p' within 1/131072 of p), independently, and the kept ones are scaled by
1 / (1 - p'), as `nn.Dropout` does. 2.3 ms against 5.7 ms on a 1790 x 576 bf16 tensor.
It draws from torch's default generator, so a checkpoint's saved RNG state still makes a
resumed run draw the same masks.
"""

from __future__ import annotations

import torch

_LEVELS = 1 << 16


class FastDropout(torch.nn.Module):
    def __init__(self, p: float):
        super().__init__()
        if not 0.0 <= p < 1.0:
            raise ValueError(f"dropout probability {p} is not in [0, 1)")
        self.threshold = round(p * _LEVELS)          # drop where the uniform 16-bit draw is below this
        self.p = self.threshold / _LEVELS              # the probability actually used
        self.scale = 1.0 / (1.0 - self.p)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.threshold == 0:
            return x
        n = x.numel()
        bits = torch.empty((n + 3) // 4, dtype=torch.int64, device=x.device).random_(-(2**63), 2**63 - 1)
        keep = bits.view(torch.int16)[:n].view(x.shape) >= self.threshold - _LEVELS // 2
        return torch.where(keep, x * self.scale, 0)

    def extra_repr(self) -> str:
        return f"p={self.p:.6f}"


def speed_up_lora_dropout(model) -> int:
    """Replace every LoRA layer's `nn.Dropout` by `FastDropout` of the same p; the number replaced."""
    replaced = 0
    for module in model.modules():
        dropouts = getattr(module, "lora_dropout", None)
        if not isinstance(dropouts, torch.nn.ModuleDict):
            continue
        for name, dropout in dropouts.items():
            if isinstance(dropout, torch.nn.Dropout) and dropout.p > 0:
                dropouts[name] = FastDropout(dropout.p)
                replaced += 1
    return replaced
