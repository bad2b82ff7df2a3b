"""Prove an exported adapter: llama.cpp's logit change must match PEFT's on the same base.

For each prompt, delta_llama = logits(GGUF base + GGUF LoRA) - logits(GGUF base) and
delta_peft = logits(dequantised base + PEFT LoRA) - logits(dequantised base), over the
whole vocabulary at every position. Their cosine is ~1 when the export is right; a
wrong name, shape, scale or q/k row order drives it towards 0.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

DEFAULT_PROMPTS = (
    "FINDINGS: The heart is enlarged. Small left pleural effusion. No pneumothorax.",
    "68-year-old woman with 1 day of worsening breathlessness, RR 32, SpO2 86% on room air.",
    "CT chest: 3 cm right upper lobe mass with an enlarged subcarinal lymph node.",
    "Thyroid ultrasound: 1.8 cm solid hypoechoic nodule with irregular margins.",
)


def llama_cpp_logits(gguf: Path, prompts, lora: Path | None = None) -> list[np.ndarray]:
    from llama_cpp import Llama

    llm = Llama(model_path=str(gguf), n_ctx=512, logits_all=True, lora_path=str(lora) if lora else None,
                n_threads=None, verbose=False)
    out = []
    for text in prompts:
        tokens = llm.tokenize(text.encode("utf-8"), add_bos=True, special=False)
        llm.reset()
        llm.eval(tokens)
        out.append((tokens, np.array(llm.scores[: len(tokens)], dtype=np.float64)))
    del llm
    return out


def torch_logits(model, token_lists) -> list[np.ndarray]:
    import torch

    out = []
    with torch.no_grad():
        for tokens in token_lists:
            logits = model(input_ids=torch.tensor([tokens])).logits[0]
            out.append(logits.double().cpu().numpy())
    return out


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a.ravel(), b.ravel()
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-30))


def delta_cosines(gguf: Path, adapter_gguf: Path, peft_model, prompts=DEFAULT_PROMPTS) -> list[float]:
    """One cosine per prompt between llama.cpp's and PEFT's logit change."""
    base = llama_cpp_logits(gguf, prompts)
    tuned = llama_cpp_logits(gguf, prompts, lora=adapter_gguf)
    tokens = [t for t, _ in base]
    with peft_model.disable_adapter():
        hf_base = torch_logits(peft_model, tokens)
    hf_tuned = torch_logits(peft_model, tokens)
    return [cosine(t - b, ht - hb) for (_, b), (_, t), hb, ht in zip(base, tuned, hf_base, hf_tuned)]


def dequantized_copy(gguf_in: Path, out: Path) -> Path:
    """The same GGUF with every tensor dequantised to F32 (what transformers' loader sees).

    llama.cpp multiplies quantised weights with 8-bit-quantised activations, so on the
    deployed base any change to the activations, however small, moves the logits by the
    rounding noise (about 250 in L2 over a prompt for the 135M model). On this F32 copy
    there is no such floor, and the adapter's own effect can be compared exactly.
    """
    import gguf

    reader = gguf.GGUFReader(str(gguf_in))
    arch = reader.fields["general.architecture"].contents()
    writer = gguf.GGUFWriter(str(out), arch=arch)
    for name, field in reader.fields.items():
        if name.startswith("GGUF.") or name == "general.architecture":
            continue
        vtype = field.types[0]
        sub = field.types[1] if vtype == gguf.GGUFValueType.ARRAY else None
        writer.add_key_value(name, field.contents(), vtype, sub)
    for tensor in reader.tensors:
        data = gguf.quants.dequantize(tensor.data, tensor.tensor_type).astype(np.float32)
        writer.add_tensor(tensor.name, data.reshape([int(n) for n in reversed(tensor.shape)]))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return out


def verify_export(base, peft_dir: Path, adapter_gguf: Path, workdir: Path, prompts=DEFAULT_PROMPTS) -> dict:
    """Cosines of the logit change on the F32 copy of the base (the proof) and on the deployed base."""
    import torch
    from peft import PeftModel

    model = PeftModel.from_pretrained(base.load_model(torch.float32), str(peft_dir))
    model.eval()
    f32 = dequantized_copy(base.gguf, workdir / f"{base.gguf.stem}-f32.gguf")
    try:
        exact = delta_cosines(f32, adapter_gguf, model, prompts)
    finally:
        f32.unlink(missing_ok=True)
    deployed = delta_cosines(base.gguf, adapter_gguf, model, prompts)
    return {"prompts": len(prompts), "cosine_f32_min": min(exact), "cosine_f32": exact,
            "cosine_deployed_min": min(deployed), "cosine_deployed": deployed}
