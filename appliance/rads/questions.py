"""The open questions of a calculator: categorical features the report's words did not settle.

A calculator that cannot give one category lists, per open lesion, the categorical
features whose value would change the category (`FeatureQuestion`, in the calculator's
own words), and a way to rerun its own rules with answers to them (`resolve`). Answers
come from the model's small enum-constrained questions (pipeline/processor.py), so the
rules stay the calculator's: the model is never asked the category.

A calculator takes answers as `given` (feature -> value, plain words, as in the
question) and uses a given value only where its lexicon found nothing; sizes are not
asked (a number the report gives or does not).
"""

from __future__ import annotations

from typing import Callable, Iterable, Mapping, Sequence

from ..tools.answer import FeatureQuestion

# given answers (feature -> value) -> the categories the calculator then allows for one lesion
Categorise = Callable[[Mapping[str, str]], set[str]]


def open_questions(lesion: str | None, categorise: Categorise,
                   asks: Iterable[tuple[str, Sequence[str]]]) -> tuple[list[FeatureQuestion], Callable[[Mapping[str, str]], set[str]] | None]:
    """The questions whose answer changes the lesion's categories, and the lesion's resolver.

    `asks`: (feature, the values it can take) for each categorical feature the calculator
    could not read. A feature is asked only if some value of it narrows or moves the range."""
    base = categorise({})
    questions = []
    for feature, values in asks:
        outcomes = {frozenset(categorise({feature: v})) for v in values}
        if any(o != base for o in outcomes):
            questions.append(FeatureQuestion(feature, tuple(values), lesion))
    if not questions:
        return [], None
    valid = {q.feature: set(q.values) for q in questions}

    def resolve(answers: Mapping[str, str]) -> set[str]:
        given = {f: v for f, v in answers.items() if v in valid.get(f, ())}
        return categorise(given) or base

    return questions, resolve


def overall(rank: Callable[[str], int], sets: Sequence[set[str]]) -> set[str]:
    """Every category the most severe lesion can still have, given each lesion's possible categories.

    A category c is possible when some lesion allows it and every lesion allows one no more
    severe than c: the most severe lesion governs."""
    sets = [s for s in sets if s]
    if not sets:
        return set()
    floor = max(min(rank(c) for c in s) for s in sets)
    return {c for s in sets for c in s if rank(c) >= floor}


def lesion_answers(answers: Mapping[FeatureQuestion, str], questions: Sequence[FeatureQuestion]) -> dict[str, str]:
    """One lesion's answers (feature -> value) out of the answers to a whole report's questions."""
    return {q.feature: v for q, v in answers.items() if q in questions}


def report_resolver(questions: Sequence[FeatureQuestion], resolve: Callable[[Mapping[str, str]], set[str]] | None):
    """A whole report's resolver where the report holds one open lesion (answers keyed by question)."""
    if resolve is None:
        return None
    return lambda answers: resolve(lesion_answers(answers, questions))
