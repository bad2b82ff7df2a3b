"""The GGUF export is right when llama.cpp's logit change equals PEFT's on the same base.

A random (not zero-initialised) LoRA on all seven projections makes every tensor
matter. The proof runs on an F32 copy of the deployed GGUF (no activation-rounding
floor; see trainer/verify_export.py) and must reach cosine 0.99 on every prompt; the
same adapter exported without the llama q/k row permutation must fail it, which
shows the check can fail.
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("peft")

from trainer.export_gguf import (ExportError, base_layout, llama_permute, peft_to_gguf_tensors,  # noqa: E402
                                 write_lora_gguf)


def test_llama_permutation_reorders_rows_within_each_head():
    rows = np.arange(12 * 2, dtype=np.float32).reshape(12, 2)  # 3 heads of 4 rows
    permuted = llama_permute(rows, n_head=3)
    assert not np.array_equal(permuted, rows)
    # Each head's rows stay in that head: interleaved pairs become halves.
    assert permuted[:4, 0].tolist() == [0, 4, 2, 6]
    assert sorted(permuted[:, 0].tolist()) == sorted(rows[:, 0].tolist())


def test_a_non_lora_tensor_is_refused_with_its_name():
    with pytest.raises(ExportError, match="embed_tokens"):
        peft_to_gguf_tensors({"base_model.model.model.embed_tokens.weight": np.zeros((2, 2))}, "llama", 1, 1)
    with pytest.raises(ExportError, match="not supported"):
        peft_to_gguf_tensors({}, "mamba", 1, 1)


def _random_peft(model, seed: int):
    import torch
    from peft import LoraConfig, get_peft_model

    from trainer.presets import ALL_PROJECTIONS

    torch.manual_seed(seed)
    peft_model = get_peft_model(model, LoraConfig(r=8, lora_alpha=16, target_modules=list(ALL_PROJECTIONS),
                                                  init_lora_weights=False))
    with torch.no_grad():
        for name, param in peft_model.named_parameters():
            if "lora_B" in name:
                param.mul_(0.1)
    peft_model.eval()
    return peft_model


@pytest.mark.slow
@pytest.mark.parametrize("model_name", ["smollm2-135m-instruct-q4_1", "gemma-3-270m-q4_k_m"])
def test_exported_adapter_changes_llama_cpp_logits_exactly_as_peft(model_name, tmp_path):
    import torch
    from peft import get_peft_model_state_dict

    from trainer.base import resolve_base
    from trainer.verify_export import delta_cosines, dequantized_copy

    base = resolve_base(model_name)
    layout = base_layout(base.gguf)
    peft_model = _random_peft(base.load_model(torch.float32), seed=0)
    state = {k: v.numpy() for k, v in get_peft_model_state_dict(peft_model).items()}
    f32 = dequantized_copy(base.gguf, tmp_path / "base-f32.gguf")

    tensors = peft_to_gguf_tensors(state, layout["architecture"], layout["n_head"], layout["n_head_kv"])
    adapter = write_lora_gguf(tmp_path / "adapter.gguf", architecture=layout["architecture"], alpha=16,
                              tensors=tensors)
    cosines = delta_cosines(f32, adapter, peft_model)
    print(model_name, "cosines", [round(c, 5) for c in cosines])
    assert min(cosines) >= 0.99

    if layout["architecture"] == "llama":
        # The known trap: without the q/k row permutation the adapter is measurably wrong.
        unpermuted = peft_to_gguf_tensors(state, "gemma3", layout["n_head"], layout["n_head_kv"])
        wrong = write_lora_gguf(tmp_path / "wrong.gguf", architecture="llama", alpha=16, tensors=unpermuted)
        wrong_cosines = delta_cosines(f32, wrong, peft_model)
        print(model_name, "unpermuted cosines", [round(c, 5) for c in wrong_cosines])
        assert min(wrong_cosines) < 0.99
