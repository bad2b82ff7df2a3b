"""Safety net: rules that escalate regardless of the model, and consistency checks."""
