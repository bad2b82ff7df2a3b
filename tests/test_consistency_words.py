"""The 'reads benign' check: a finding described as benign-appearing is not the report's verdict."""

from __future__ import annotations

from appliance.safety.consistency import consistency_flags

MAMMOGRAM = (
    "FINDINGS: In the left breast at 2 o'clock there is a new 9 mm irregular mass with indistinct margins and "
    "fine pleomorphic calcifications. The right breast shows scattered benign-appearing calcifications, stable.\n"
    "IMPRESSION: New suspicious left breast mass with calcifications. BI-RADS 4C: high suspicion for malignancy."
)


def test_benign_appearing_finding_beside_a_suspicious_mass_is_not_a_contradiction():
    flags = consistency_flags({"rads_assignment": {"system": "BI-RADS", "category": "4C"}}, MAMMOGRAM)
    assert not [f for f in flags if "reads benign" in f]


def test_a_benign_report_with_a_high_category_is_still_flagged():
    text = "FINDINGS: Scattered fibroglandular density. Stable benign calcifications. IMPRESSION: Benign findings."
    flags = consistency_flags({"rads_assignment": {"system": "BI-RADS", "category": "5"}}, text)
    assert any("reads benign" in f for f in flags)


def test_a_suspicious_mass_under_a_benign_category_is_flagged():
    text = "FINDINGS: Suspicious 12 mm mass in the right breast. IMPRESSION: BI-RADS 2."
    flags = consistency_flags({"rads_assignment": {"system": "BI-RADS", "category": "2"}}, text)
    assert any("benign BI-RADS 2" in f for f in flags)
