"""Guideline calculators: one module per RADS system, each `assess(text) -> ToolAnswer | None`.

Each module names its guideline and version in `GUIDELINE` and reads the features the
guideline scores from the report (negation-aware, with verbatim quotes) through
`appliance.tools.lexicon`. `appliance.tasks.rads_systems.calculator_for(name)` finds them.
"""
