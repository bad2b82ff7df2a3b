"""Deterministic tools that run before the model; an exact answer from the text wins over a guess."""
