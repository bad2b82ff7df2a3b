"""A shortened soak (bench/soak.py runs the full 1,000): every report out, resident memory flat."""

from __future__ import annotations

import sys

import pytest

from .conftest import REPO

pytestmark = pytest.mark.slow


def test_openi_soak_memory_stays_flat(tmp_path):
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from soak import soak
    finally:
        sys.path.remove(str(REPO / "bench"))
    # 120 documents keep CI inside its time (each Open-i report runs two model tasks).
    samples = soak(docs=120, every=30, root=tmp_path / "home")
    growth = samples[-1][1] - samples[1][1]
    assert growth < 25, f"RSS grew {growth:.1f} MB over 90 documents: {samples}"
