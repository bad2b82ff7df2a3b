"""Differential diagnosis from a presentation catalogue: candidates, feature scores, four tiers.

`catalogue` holds the clinical data (presenting problems, diagnoses, the features that
raise or lower each, first-line workup, sources, synonyms); `rank` reads a note with the
shared negation-aware lexicon and turns the catalogue into a schema-valid differential.
"""

from .catalogue import DIAGNOSES, PRESENTATIONS, SYNONYMS, canonical, same_diagnosis
from .rank import candidates, differential

__all__ = ["DIAGNOSES", "PRESENTATIONS", "SYNONYMS", "canonical", "candidates", "differential", "same_diagnosis"]
