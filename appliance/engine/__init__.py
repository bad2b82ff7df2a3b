"""Inference engine: a GGUF model under llama.cpp, decoding JSON constrained by a grammar."""

from .grammar import GrammarSpec, schema_to_grammar
from .llm import Engine, Generation, shared_engine

__all__ = ["Engine", "Generation", "GrammarSpec", "schema_to_grammar", "shared_engine"]
