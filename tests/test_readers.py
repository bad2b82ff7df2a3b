"""Reading every input type the drop folder accepts: what the model gets, and what the operator is told.

Real files: committed fixtures under data/inputs/ and PDFs written here byte by byte
(a minimal valid PDF with a text stream, an image-only "scan", a damaged one).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
from pathlib import Path

import pytest

from appliance.errors import InputError
from appliance.pipeline.reader import Document, read_document

INPUTS = Path(__file__).parent / "data" / "inputs"
LIMIT = 2_000_000


def read(path: Path, **limits) -> Document:
    return read_document(path, limits.pop("max_bytes", LIMIT), **limits)


def refused(path: Path, **limits) -> str:
    """The InputError message for a refused file; every one must start with the file's name."""
    with pytest.raises(InputError) as caught:
        read(path, **limits)
    message = str(caught.value)
    assert message.startswith(path.name + ":"), message
    return message


def copy_to(tmp_path: Path, fixture: str, name: str | None = None, transform=None) -> Path:
    raw = (INPUTS / fixture).read_bytes()
    target = tmp_path / (name or fixture)
    target.write_bytes(transform(raw) if transform else raw)
    return target


# --- minimal PDFs, written by hand -------------------------------------------------------------


def build_pdf(pages: list[dict]) -> bytes:
    """A valid PDF: each page is {"lines": [...]} (Helvetica text) or {"image": True} (an 8x8 grey scan)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes, extra: bytes = b"") -> bytes:
        return b"<< " + extra + b"/Length %d >>\nstream\n" % len(data) + data + b"\nendstream"

    catalog = add(b"")  # filled in once the page tree exists
    tree = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for page in pages:
        if page.get("image"):
            image = add(stream(bytes(range(0, 256, 4)), b"/Type /XObject /Subtype /Image /Width 8 /Height 8 "
                                                        b"/ColorSpace /DeviceGray /BitsPerComponent 8 "))
            content = add(stream(b"q 400 0 0 400 100 300 cm /Im1 Do Q"))
            resources = b"<< /XObject << /Im1 %d 0 R >> >>" % image
        else:
            shown = b" T* ".join(b"(" + line.encode("cp1252") + b") Tj" for line in page["lines"])
            content = add(stream(b"BT /F1 11 Tf 72 720 Td 14 TL " + shown + b" ET"))
            resources = b"<< /Font << /F1 %d 0 R >> >>" % font
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources %s /Contents %d 0 R >>"
                        % (tree, resources, content)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    objects[tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids), len(kids))

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    return bytes(out)


REPORT_PAGES = [
    {"lines": ["CT ABDOMEN AND PELVIS WITH CONTRAST", "FINDINGS: 2.1 cm arterially enhancing lesion in segment VII",
               "with washout on the portal venous phase."]},
    {"lines": ["IMPRESSION: LI-RADS 5 observation, segment VII.", "Discussed with Dr. Osei \u2013 multidisciplinary review."]},
]


@pytest.fixture
def text_pdf(tmp_path) -> Path:
    path = tmp_path / "ct_abdomen.pdf"
    path.write_bytes(build_pdf(REPORT_PAGES))
    return path


# --- plain text ---------------------------------------------------------------------------------


def test_utf8_text_is_read_as_written():
    doc = read(INPUTS / "ct_thorax_utf8.txt")
    assert doc.format == "text"
    assert doc.metadata["encoding"] == "utf-8"
    assert doc.text.startswith("CT THORAX — Befund\n")
    assert "Größenkonstanz gegenüber der Voruntersuchung." in doc.text


def test_latin1_text_decodes_accents_degree_and_micro():
    doc = read(INPUTS / "thyroid_us_latin1.txt")
    assert doc.text.splitlines()[0] == "Échographie thyroïdienne"
    assert "hypoéchogène" in doc.text
    assert "orienté à 0° par rapport" in doc.text
    assert "Calcitonine 4 µg/L." in doc.text
    assert "\ufffd" not in doc.text


def test_cp1252_text_decodes_smart_quotes_and_dashes_with_unix_line_ends():
    doc = read(INPUTS / "chest_xray_cp1252.txt")
    assert doc.metadata["encoding"] == "cp1252"
    assert doc.text.splitlines() == [
        "CHEST X-RAY \u2013 PA and lateral",
        "Clinical question: \u201crule out pneumonia\u201d.",
        "Findings: patchy right lower lobe opacity; the patient\u2019s heart size is normal.",
        "Impression: right lower lobe pneumonia \u2013 follow-up film in 6\u20138 weeks.",
    ]
    assert "\r" not in doc.text


def test_utf16_le_with_bom_is_accepted():
    doc = read(INPUTS / "mri_brain_utf16le.txt")
    assert doc.text == ("MRI BRAIN\nNo acute infarct. Small vessel change, Fazekas 1.\n"
                        "Impression: no acute intracranial abnormality.\n")


def test_utf16_without_bom_is_accepted(tmp_path):
    path = tmp_path / "note.txt"
    path.write_bytes("Follow-up in 3 months.\n".encode("utf-16-le"))
    assert read(path).text == "Follow-up in 3 months.\n"


def test_markdown_is_read_as_text():
    doc = read(INPUTS / "us_abdomen.md")
    assert doc.format == "text"
    assert "LI-RADS 3" in doc.text


def test_sha256_is_of_the_raw_bytes():
    path = INPUTS / "mri_brain_utf16le.txt"
    assert read(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


# --- PDF ----------------------------------------------------------------------------------------


def test_text_pdf_yields_the_text_of_every_page(text_pdf):
    doc = read(text_pdf)
    assert doc.format == "pdf"
    assert doc.metadata["pages"] == 2
    assert "FINDINGS: 2.1 cm arterially enhancing lesion in segment VII" in doc.text
    assert "IMPRESSION: LI-RADS 5 observation, segment VII." in doc.text
    assert "Dr. Osei \u2013 multidisciplinary review." in doc.text
    assert doc.text.index("FINDINGS") < doc.text.index("IMPRESSION")


def test_pdf_without_a_text_layer_is_refused_as_a_scan(tmp_path):
    path = tmp_path / "scanned_report.pdf"
    path.write_bytes(build_pdf([{"image": True}, {"image": True}]))
    message = refused(path)
    assert "scanned PDF without a text layer" in message
    assert "OCR" in message and "as text" in message


def test_empty_page_pdf_is_refused_as_a_scan(tmp_path):
    path = tmp_path / "blank.pdf"
    path.write_bytes(build_pdf([{"lines": []}]))
    assert "scanned" in refused(path)


def test_truncated_pdf_is_refused_as_damaged(tmp_path, text_pdf):
    path = tmp_path / "cut_off.pdf"
    path.write_bytes(text_pdf.read_bytes()[:150])
    message = refused(path)
    assert "damaged" in message


def test_file_named_pdf_that_is_not_a_pdf_is_refused(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_text("IMPRESSION: normal study.")
    assert "not a PDF" in refused(path)


def test_password_protected_pdf_is_refused(tmp_path, text_pdf):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(text_pdf))
    writer.encrypt(user_password="clinic", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    message = refused(path)
    assert "encrypted" in message and "password" in message


def test_pdf_locked_only_against_editing_is_read(tmp_path, text_pdf):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(text_pdf))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "print_only.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    assert "LI-RADS 5 observation" in read(path).text


def test_pypdf_warnings_are_not_printed(tmp_path, text_pdf, capsys, caplog):
    raw = text_pdf.read_bytes()
    # a wrong startxref offset: pypdf recovers, and would log a warning about it
    broken = raw[: raw.rindex(b"startxref")] + b"startxref\n99\n%%EOF\n"
    path = tmp_path / "bad_xref.pdf"
    path.write_bytes(broken)
    with caplog.at_level(logging.DEBUG):
        doc = read(path)
    assert "LI-RADS 5 observation" in doc.text
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


# --- HL7 v2 -------------------------------------------------------------------------------------

ORU_TEXT = [
    "EXAM: Bilateral screening mammogram, compared with 2022.",
    "FINDINGS: The breasts are heterogeneously dense.",
    "There is an irregular 1.4 cm mass in the right breast at 10 o'clock, 6 cm from the nipple.",
    "No suspicious calcifications. Left breast & axillae unremarkable.",
    "IMPRESSION: Suspicious right breast mass. BI-RADS 4.",
    "Ultrasound-guided biopsy recommended",
]


def test_hl7_oru_r01_yields_obx_text_and_ids():
    doc = read(INPUTS / "oru_r01_mammogram.hl7")
    assert doc.format == "hl7v2"
    assert doc.text.splitlines() == ORU_TEXT
    assert doc.metadata == {
        "message_type": "ORU^R01",
        "message_control_id": "MSG20240312-0042",
        "hl7_version": "2.5.1",
        "patient_id": "MRN004512",
        "accession_number": "ACC20240312-017",
        "exam": "MAMMOGRAPHY SCREENING BILATERAL",
        "observation_datetime": "20240312093000",
    }


@pytest.mark.parametrize("separator", [b"\n", b"\r\n"])
@pytest.mark.parametrize("name", ["result.hl7", "result.txt", "result.msg"])
def test_hl7_with_any_line_ends_and_extension_reads_the_same(tmp_path, separator, name):
    path = copy_to(tmp_path, "oru_r01_mammogram.hl7", name, lambda raw: raw.replace(b"\r", separator))
    doc = read(path)
    assert doc.format == "hl7v2"
    assert doc.text.splitlines() == ORU_TEXT
    assert doc.metadata["accession_number"] == "ACC20240312-017"


def test_hl7_escape_sequences_are_unescaped(tmp_path):
    def with_escapes(raw: bytes) -> bytes:
        obx = rb"OBX|6|FT|18782-3^Note^LN|4|Ratio 3\S\1 \F\ left\E\right\R\spare\.br\\H\Note\N\: see prior||||||F"
        return raw + obx + b"\r"

    doc = read(copy_to(tmp_path, "oru_r01_mammogram.hl7", transform=with_escapes))
    assert doc.text.splitlines()[-2:] == ["Ratio 3^1 | left\\right~spare", "Note: see prior"]


def test_hl7_obx_repetitions_become_lines_and_retracted_results_are_left_out(tmp_path):
    def edit(raw: bytes) -> bytes:
        return raw + b"OBX|6|TX|X^Addendum^L|5|ADDENDUM:~Prior study reviewed.||||||F\rOBX|7|TX|X^Old^L|6|wrong side||||||W\r"

    doc = read(copy_to(tmp_path, "oru_r01_mammogram.hl7", transform=edit))
    assert doc.text.splitlines()[-2:] == ["ADDENDUM:", "Prior study reviewed."]
    assert "wrong side" not in doc.text


def test_hl7_adt_message_is_refused_naming_its_type():
    message = refused(INPUTS / "adt_a01_admission.hl7")
    assert "ADT^A01" in message and "ORU^R01" in message
    assert "OKAFOR" not in message


def test_hl7_oru_without_text_values_is_refused(tmp_path):
    path = tmp_path / "numbers.hl7"
    path.write_bytes(
        b"MSH|^~\\&|LAB|H|APP|C|20240101||ORU^R01|M1|P|2.5\rPID|1||P1\rOBR|1||A1|GLU^Glucose\r"
        b"OBX|1|NM|GLU^Glucose||5.4|mmol/L|||||F\r"
    )
    message = refused(path)
    assert "no report text" in message and "NM" in message


def test_hl7_file_holding_two_messages_is_refused(tmp_path):
    path = copy_to(tmp_path, "oru_r01_mammogram.hl7", "two.hl7", lambda raw: raw + raw)
    assert "2 HL7 messages" in refused(path)


def test_hl7_file_that_is_not_hl7_is_refused(tmp_path):
    path = tmp_path / "result.hl7"
    path.write_text("IMPRESSION: normal.\n")
    assert "not an HL7 v2 message" in refused(path)


def test_msg_file_that_is_not_hl7_is_refused(tmp_path):
    path = tmp_path / "email.msg"
    path.write_text("Subject: results\n\nSee attached.")
    assert "MSH|" in refused(path)


# --- FHIR ---------------------------------------------------------------------------------------

CT_REPORT = (
    "EXAM: CT chest, abdomen and pelvis with contrast.\n"
    "FINDINGS: 3.2 cm spiculated mass in the left upper lobe. Enlarged ipsilateral hilar node, 1.6 cm.\n"
    "No liver or adrenal lesions. No lytic bone lesions.\n"
    "IMPRESSION: Left upper lobe mass with ipsilateral hilar adenopathy, N1. No distant metastasis, M0."
)


def fhir_report(**changes) -> dict:
    report = json.loads((INPUTS / "diagnostic_report_ct.json").read_text())
    report.update(changes)
    return {key: value for key, value in report.items() if value is not None}


def write_json(tmp_path: Path, document, name: str = "report.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document))
    return path


def test_fhir_diagnostic_report_yields_its_text_once_and_ids():
    doc = read(INPUTS / "diagnostic_report_ct.json")
    assert doc.format == "fhir"
    # the conclusion and the narrative repeat the attached report's impression: given once
    assert doc.text == CT_REPORT
    assert doc.metadata == {
        "resource_type": "DiagnosticReport",
        "resource_id": "dr-ct-20240401-88",
        "status": "final",
        "code": "CT Chest and Abdomen and Pelvis W contrast IV",
        "subject": "Patient/pat-004512",
        "identifiers": [{"system": "urn:oid:1.2.840.113619.2.1", "value": "ACC20240401-088"}],
        "effective_datetime": "2024-04-01T13:40:00+02:00",
        "issued": "2024-04-01T15:02:11.204+02:00",
    }


def test_fhir_conclusion_attachment_and_narrative_are_joined_in_order(tmp_path):
    note = "Comparison: CT of 2023-10-02."
    report = fhir_report(
        conclusion="Findings in keeping with primary lung cancer.",
        presentedForm=[{"contentType": "text/plain", "data": base64.b64encode(CT_REPORT.encode()).decode()}],
        text={"status": "additional",
              "div": f'<div xmlns="http://www.w3.org/1999/xhtml"><p>{note}</p><p>Read by <b>Dr. Osei</b>.</p></div>'},
    )
    doc = read(write_json(tmp_path, report))
    assert doc.text == "\n\n".join(
        ["Findings in keeping with primary lung cancer.", CT_REPORT, f"{note}\nRead by Dr. Osei."])
    assert "<" not in doc.text


def test_fhir_latin1_attachment_uses_its_declared_charset(tmp_path):
    text = "Nodule thyroïdien, TI-RADS 4."
    report = fhir_report(conclusion=None, text=None, presentedForm=[
        {"contentType": "text/plain; charset=ISO-8859-1", "data": base64.b64encode(text.encode("latin-1")).decode()}])
    assert read(write_json(tmp_path, report)).text == text


def test_fhir_pdf_attachment_with_a_text_layer_is_read(tmp_path):
    report = fhir_report(conclusion=None, text=None, presentedForm=[
        {"contentType": "application/pdf", "data": base64.b64encode(build_pdf(REPORT_PAGES)).decode()}])
    doc = read(write_json(tmp_path, report))
    assert "IMPRESSION: LI-RADS 5 observation, segment VII." in doc.text


def test_fhir_bundle_with_one_report_is_read(tmp_path):
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Patient", "id": "pat-004512"}},
        {"resource": fhir_report()},
    ]}
    doc = read(write_json(tmp_path, bundle))
    assert doc.text == CT_REPORT
    assert doc.metadata["resource_id"] == "dr-ct-20240401-88"


def test_fhir_bundle_with_two_reports_is_refused(tmp_path):
    bundle = {"resourceType": "Bundle", "type": "collection",
              "entry": [{"resource": fhir_report()}, {"resource": fhir_report(id="other")}]}
    assert "2 DiagnosticReports" in refused(write_json(tmp_path, bundle))


def test_fhir_patient_resource_is_refused():
    message = refused(INPUTS / "patient.json")
    assert "'Patient'" in message and "DiagnosticReport" in message
    assert "Okafor" not in message


def test_malformed_json_is_refused(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text((INPUTS / "diagnostic_report_ct.json").read_text()[:300])
    message = refused(path)
    assert "not valid JSON" in message and "line" in message


def test_invalid_diagnostic_report_is_refused_without_quoting_it(tmp_path):
    report = fhir_report(conclusion=["Left upper lobe mass"], issued="yesterday")
    message = refused(write_json(tmp_path, report))
    assert "not a valid FHIR R4 DiagnosticReport" in message
    assert "conclusion" in message and "issued" in message
    assert "Left upper lobe" not in message and "yesterday" not in message


def test_diagnostic_report_without_text_is_refused(tmp_path):
    report = fhir_report(conclusion=None, text=None, presentedForm=[
        {"contentType": "image/jpeg", "data": base64.b64encode(b"\xff\xd8\xff").decode()}])
    message = refused(write_json(tmp_path, report))
    assert "no report text" in message and "image/jpeg" in message


def test_report_entered_in_error_is_refused(tmp_path):
    assert "entered in error" in refused(write_json(tmp_path, fhir_report(status="entered-in-error")))


# --- limits and junk ----------------------------------------------------------------------------


def test_file_over_the_file_limit_is_refused_with_sizes(text_pdf):
    size = text_pdf.stat().st_size
    message = refused(text_pdf, max_file_bytes=1_000)
    assert f"{size:,} bytes" in message and "1,000-byte limit" in message


def test_text_over_the_text_limit_is_refused_with_sizes(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("Normal chest radiograph.\n" * 100)
    message = refused(path, max_bytes=1_000)
    assert "2,500 bytes" in message and "1,000-byte limit" in message


def test_extracted_text_limit_applies_to_every_format():
    message = refused(INPUTS / "oru_r01_mammogram.hl7", max_bytes=100)
    assert "100-byte limit" in message


def test_binary_junk_is_refused(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(2000))
    assert "binary" in refused(path)


def test_binary_junk_without_nul_bytes_is_refused(tmp_path):
    junk = bytes(b for b in os.urandom(6000) if b not in (0, 9, 10, 13))
    path = tmp_path / "junk.md"
    path.write_bytes(junk)
    message = refused(path)
    assert "binary" in message or "character set could not be recognised" in message


@pytest.mark.parametrize("name", ["empty.txt", "empty.pdf", "empty.json", "empty.hl7"])
def test_empty_file_is_refused(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"")
    assert "empty" in refused(path)


def test_whitespace_only_text_is_refused(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_bytes(b"\xff\xfe" + " \n".encode("utf-16-le"))
    assert "no text" in refused(path)


def test_unknown_extension_is_refused_listing_accepted_types(tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes(b"PK\x03\x04")
    message = refused(path)
    assert "'.docx'" in message
    for suffix in (".txt", ".md", ".pdf", ".hl7", ".json"):
        assert suffix in message


def test_missing_file_is_refused(tmp_path):
    assert "cannot be read" in refused(tmp_path / "gone.txt")
