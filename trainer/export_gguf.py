"""PEFT LoRA adapter → GGUF LoRA adapter that llama.cpp loads over the deployed base.

llama.cpp applies `W + scale * (alpha / rank) * B @ A` to each base tensor named in
the adapter (`blk.N.attn_q.weight` gets `blk.N.attn_q.weight.lora_a` / `.lora_b`).
GGUF shapes are numpy shapes reversed, so PEFT's lora_A (rank × in) and lora_B
(out × rank) are written as they are.

The trap: llama.cpp's converter permutes the rows of the llama architecture's q and k
projections (its rotary layout differs from Hugging Face's), and transformers' GGUF
loader permutes them back. A LoRA trained on the Hugging Face layout therefore needs
its B matrix (the output rows) of q_proj and k_proj permuted the same way, or the
adapter silently damages attention. `tests/test_trainer_export.py` proves the result
by comparing the logit change in llama.cpp with the logit change in PEFT.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np

# Hugging Face projection name → GGUF tensor name inside a block.
PROJECTIONS = {
    "q_proj": "attn_q",
    "k_proj": "attn_k",
    "v_proj": "attn_v",
    "o_proj": "attn_output",
    "gate_proj": "ffn_gate",
    "up_proj": "ffn_up",
    "down_proj": "ffn_down",
}
SUPPORTED_ARCHITECTURES = ("llama", "gemma3")
_PEFT_KEY = re.compile(r"layers\.(\d+)\.(?:self_attn|mlp)\.(\w+_proj)\.lora_([AB])\.weight$")


class ExportError(ValueError):
    pass


def llama_permute(rows: np.ndarray, n_head: int) -> np.ndarray:
    """The row order llama.cpp's converter gives q/k weights (interleaved → halves rotary)."""
    return (rows.reshape(n_head, 2, rows.shape[0] // n_head // 2, *rows.shape[1:])
            .swapaxes(1, 2)
            .reshape(rows.shape))


def peft_to_gguf_tensors(state_dict: dict[str, np.ndarray], architecture: str,
                         n_head: int, n_head_kv: int) -> dict[str, np.ndarray]:
    """Rename PEFT's tensors to llama.cpp's and fix the llama q/k row order."""
    if architecture not in SUPPORTED_ARCHITECTURES:
        raise ExportError(f"architecture {architecture!r} is not supported; supported: "
                          f"{', '.join(SUPPORTED_ARCHITECTURES)}")
    tensors: dict[str, np.ndarray] = {}
    for key, value in state_dict.items():
        match = _PEFT_KEY.search(key)
        if match is None:
            raise ExportError(f"adapter tensor {key!r} is not a LoRA weight of a supported projection "
                              f"({', '.join(PROJECTIONS)}); train with those target modules only")
        block, projection, ab = match.groups()
        if projection not in PROJECTIONS:
            raise ExportError(f"adapter tensor {key!r}: unknown projection {projection!r}")
        array = np.ascontiguousarray(value, dtype=np.float32)
        if architecture == "llama" and ab == "B" and projection in ("q_proj", "k_proj"):
            array = llama_permute(array, n_head if projection == "q_proj" else n_head_kv)
        tensors[f"blk.{block}.{PROJECTIONS[projection]}.weight.lora_{ab.lower()}"] = array
    if not tensors:
        raise ExportError("the adapter holds no LoRA tensors")
    return tensors


def write_lora_gguf(out: Path, *, architecture: str, alpha: float, tensors: dict[str, np.ndarray],
                    metadata: dict[str, str] | None = None) -> Path:
    """Write a GGUF LoRA adapter atomically (temp file, fsync, rename)."""
    import gguf

    out = Path(out)
    tmp = out.with_name(f".{out.name}.tmp")
    writer = gguf.GGUFWriter(str(tmp), arch=architecture)
    writer.add_string("general.type", "adapter")
    writer.add_string("adapter.type", "lora")
    writer.add_float32("adapter.lora.alpha", float(alpha))
    for key, value in (metadata or {}).items():
        writer.add_string(f"clinic.{key}", str(value))
    for name in sorted(tensors, key=_tensor_order):
        writer.add_tensor(name, np.ascontiguousarray(tensors[name], dtype=np.float32))
    try:
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
    finally:
        writer.close()
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, out)
    return out


def _tensor_order(name: str) -> tuple:
    parts = name.split(".")
    return (int(parts[1]), name) if len(parts) > 1 and parts[1].isdigit() else (-1, name)


def base_layout(base_gguf: Path) -> dict:
    """Architecture, head counts and projection shapes of a GGUF base, read without loading it."""
    import gguf

    reader = gguf.GGUFReader(str(base_gguf))

    def field(key: str):
        f = reader.fields.get(key)
        if f is None:
            return None
        value = f.parts[f.data[0]]
        return bytes(value).decode() if value.dtype == np.uint8 else value.tolist()[0]

    architecture = field("general.architecture")
    shapes = {t.name: tuple(int(n) for n in t.shape) for t in reader.tensors}  # GGUF order: (in, out)
    return {
        "architecture": architecture,
        "n_head": field(f"{architecture}.attention.head_count"),
        "n_head_kv": field(f"{architecture}.attention.head_count_kv"),
        "n_layer": field(f"{architecture}.block_count"),
        "shapes": shapes,
    }


def random_lora_gguf(base_gguf: Path, out: Path, rank: int = 4, seed: int = 0, std: float = 0.05,
                     projections: tuple[str, ...] = ("attn_q", "attn_v")) -> Path:
    """A small random LoRA over every block of `base_gguf` that visibly changes its outputs.

    For checking that an adapter loads and takes effect (tests, bundle tooling); it has
    learned nothing.
    """
    layout = base_layout(base_gguf)
    rng = np.random.default_rng(seed)
    tensors = {}
    for block in range(layout["n_layer"]):
        for projection in projections:
            n_in, n_out = layout["shapes"][f"blk.{block}.{projection}.weight"][:2]
            tensors[f"blk.{block}.{projection}.weight.lora_a"] = rng.normal(0, std, (rank, n_in))
            tensors[f"blk.{block}.{projection}.weight.lora_b"] = rng.normal(0, std, (n_out, rank))
    return write_lora_gguf(out, architecture=layout["architecture"], alpha=float(rank), tensors=tensors,
                           metadata={"note": "random adapter for load checks; learned nothing"})


def export_peft(peft_dir: Path, base_gguf: Path | None, out: Path, metadata: dict | None = None,
                architecture: str | None = None, n_head: int | None = None, n_head_kv: int | None = None) -> Path:
    """A saved PEFT adapter folder → GGUF LoRA at `out`; head counts come from the base GGUF."""
    import json

    from safetensors.numpy import load_file

    config = json.loads((peft_dir / "adapter_config.json").read_text())
    if config.get("use_rslora") or config.get("use_dora"):
        raise ExportError(f"{peft_dir}: rsLoRA/DoRA adapters have no GGUF LoRA equivalent; train plain LoRA")
    if base_gguf is not None:
        layout = base_layout(base_gguf)
        architecture, n_head, n_head_kv = layout["architecture"], layout["n_head"], layout["n_head_kv"]
    if architecture is None or n_head is None:
        raise ExportError("give the base GGUF (or its architecture and head counts)")
    weights = peft_dir / "adapter_model.safetensors"
    if not weights.exists():
        raise ExportError(f"{weights}: missing; save the adapter with save_pretrained()")
    tensors = peft_to_gguf_tensors(load_file(str(weights)), architecture, n_head, n_head_kv or n_head)
    return write_lora_gguf(out, architecture=architecture, alpha=float(config["lora_alpha"]), tensors=tensors,
                           metadata=metadata)
