"""The base model a run trains on: a catalogue name, the appliance's own GGUF, or a Hugging Face folder.

Training on the deployed GGUF (dequantised by transformers' `gguf_file` loader) makes the
adapter fit exactly the weights the appliance serves; its sha256 goes into the manifest.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from appliance.catalogue import find_entry, load_catalogue, verified_path
from appliance.durable import file_sha256
from appliance.home import Home


class BaseError(ValueError):
    pass


@dataclass(frozen=True)
class Base:
    name: str
    architecture: str
    chat_template: str
    sha256: str | None        # of the GGUF the appliance serves; None for a Hugging Face folder
    gguf: Path | None
    hf_dir: Path | None

    def load_model(self, dtype, quantization_config=None, cache_dir: Path | None = None):
        """Dequantised GGUF (or HF weights) as a transformers model; 4-bit via a saved HF copy."""
        from transformers import AutoModelForCausalLM

        if self.hf_dir is not None:
            return AutoModelForCausalLM.from_pretrained(self.hf_dir, dtype=dtype,
                                                        quantization_config=quantization_config)
        if quantization_config is None:
            model = AutoModelForCausalLM.from_pretrained(self.gguf.parent, gguf_file=self.gguf.name, dtype=dtype)
            # transformers marks a GGUF-loaded model as quantized although its weights are now
            # plain float tensors; drop the marker so it is treated as what it is (the Trainer
            # refuses to fine-tune a "GGUF-quantized" model).
            if getattr(model, "hf_quantizer", None) is not None:
                model.hf_quantizer.remove_quantization_config(model)
            return model
        # bitsandbytes quantises while loading safetensors: write the dequantised base once.
        folder = (cache_dir or self.gguf.parent) / f"{self.gguf.stem}-hf"
        if not (folder / "config.json").exists():
            model = AutoModelForCausalLM.from_pretrained(self.gguf.parent, gguf_file=self.gguf.name, dtype=dtype)
            model.save_pretrained(folder)
        return AutoModelForCausalLM.from_pretrained(folder, dtype=dtype, quantization_config=quantization_config)

    def vocabulary(self):
        """A tokenizer with llama.cpp's `tokenize(bytes, add_bos, special)`: the served tokens."""
        if self.gguf is not None:
            from llama_cpp import Llama

            return Llama(model_path=str(self.gguf), vocab_only=True, verbose=False)
        return _HFVocabulary(self.hf_dir)


class _HFVocabulary:
    """llama.cpp's tokenize signature over a Hugging Face tokenizer (for folder bases)."""

    def __init__(self, folder: Path):
        from transformers import AutoTokenizer

        self.tok = AutoTokenizer.from_pretrained(folder)

    def tokenize(self, text: bytes, add_bos: bool = True, special: bool = False) -> list[int]:
        ids = self.tok(text.decode("utf-8"), add_special_tokens=False, split_special_tokens=not special).input_ids
        if add_bos and self.tok.bos_token_id is not None:
            ids = [self.tok.bos_token_id] + ids
        return ids

    def detokenize(self, ids: list[int]) -> bytes:
        return self.tok.decode(ids).encode("utf-8")


def resolve_base(spec: str, chat_template: str | None = None, home: Home | None = None) -> Base:
    """`spec` is a catalogue model name, a .gguf file, or a Hugging Face model folder."""
    path = Path(spec)
    if path.is_dir():
        if not (path / "config.json").exists():
            raise BaseError(f"{path}: no config.json; give a Hugging Face model folder, a .gguf file or a catalogue name")
        import json

        arch = json.loads((path / "config.json").read_text()).get("model_type", "unknown")
        return Base(path.name, arch, chat_template or "chatml", None, None, path)
    home = home or Home.locate().ensure()
    entries = load_catalogue(home)
    if path.suffix == ".gguf":
        if not path.is_file():
            raise BaseError(f"{path}: no such file")
        digest = file_sha256(path)
        known = next((e for e in entries if e.sha256 == digest), None)
        if known is None and chat_template is None:
            raise BaseError(f"{path} is not in the appliance's model catalogue; pass --template")
        return Base(known.name if known else path.stem, known.architecture if known else _gguf_arch(path),
                    chat_template or known.chat_template, digest, path.resolve(), None)
    try:
        entry = find_entry(entries, spec)
    except Exception as exc:
        raise BaseError(f"{spec!r} is neither a file, a folder nor a catalogue model ({exc})") from None
    gguf = verified_path(entry, home)
    return Base(entry.name, entry.architecture, chat_template or entry.chat_template, entry.sha256, gguf, None)


def _gguf_arch(path: Path) -> str:
    from .export_gguf import base_layout

    return base_layout(path)["architecture"]
