"""A handful of labelled cases per task, shipped with the appliance (Python data: in every install).

`appliance selftest` runs them through the model for each task whose model answers pass
the capability gate, and checks that the task's metric on them is still above the
stored baseline: a build, adapter or prompt change that broke what the evaluation
measured shows here, not in front of a clinician. They are short and unambiguous on
purpose (an answer the evaluated model got right should still be right), and written in
the label forms of `appliance eval` (evaluation.expected_by_task).

The deterministic tools' worked examples are `selftest.CASES`.
"""

from __future__ import annotations

from .tasks.abnormality_detection import CHEXPERT_LABELS


def _chexpert(**mentions: str) -> dict:
    """The 14 labels, as the project's labeler writes them: 'No Finding' is negative beside a positive finding."""
    return {key: mentions.get(key, "not_mentioned") for key in CHEXPERT_LABELS.values()} | {"no_finding": "negative"}


# task → [(document, expected output fields)]
CASES: dict[str, list[tuple[str, dict]]] = {
    "rads_assignment": [
        ("EXAM: Bilateral screening mammogram.\nFINDINGS: Scattered fibroglandular densities. No suspicious mass, "
         "calcification or architectural distortion.\nIMPRESSION: Negative. BI-RADS 1.",
         {"system": "BI-RADS", "category": "1"}),
        ("EXAM: Thyroid ultrasound.\nFINDINGS: 1.8 cm solid hypoechoic nodule in the right lobe with smooth "
         "margins.\nIMPRESSION: TI-RADS TR4 nodule; fine-needle aspiration is recommended.",
         {"system": "TI-RADS", "category": "TR4"}),
        ("EXAM: Low-dose CT chest, lung cancer screening.\nFINDINGS: 4 mm solid nodule in the right upper lobe.\n"
         "IMPRESSION: Lung-RADS 2. Continue annual screening.",
         {"system": "Lung-RADS", "category": "2"}),
    ],
    "impression_generation": [
        ("EXAM: CT abdomen and pelvis with contrast.\nFINDINGS: The appendix is dilated to 12 mm with wall "
         "thickening and surrounding fat stranding. A 6 mm appendicolith is present. No free air. No fluid "
         "collection.", {"impression": "Acute appendicitis with an appendicolith. No abscess or free air."}),
        ("EXAM: Chest radiograph PA and lateral.\nFINDINGS: The lungs are clear. The heart size is normal. No "
         "pleural effusion or pneumothorax.", {"impression": "No acute cardiopulmonary abnormality."}),
        ("EXAM: CT head without contrast.\nFINDINGS: Acute right subdural haematoma measuring 12 mm with 6 mm "
         "midline shift.", {"impression": "Acute right subdural haematoma with midline shift."}),
    ],
    "temporal_comparison": [
        ("PRIOR REPORT:\nCT chest. 18 mm solid nodule in the right lower lobe.\nCURRENT REPORT:\nCT chest today. "
         "The right lower lobe nodule now measures 26 mm.",
         {"changes": [{"finding": "nodule", "change": "worsened"}]}),
        ("PRIOR REPORT:\nChest radiograph. Small right pleural effusion.\nCURRENT REPORT:\nChest radiograph "
         "today. The right pleural effusion has resolved.",
         {"changes": [{"finding": "pleural effusion", "change": "resolved"}]}),
        ("PRIOR REPORT:\nChest radiograph. The lungs are clear.\nCURRENT REPORT:\nChest radiograph today. New "
         "consolidation in the left lower lobe.",
         {"changes": [{"finding": "consolidation", "change": "new"}]}),
    ],
    "radiology_ner": [
        ("FINDINGS: No pneumothorax.",
         {"entities": [{"text": "pneumothorax", "type": "observation", "status": "absent"}]}),
        ("FINDINGS: Cardiomegaly.",
         {"entities": [{"text": "Cardiomegaly", "type": "observation", "status": "present"}]}),
        ("FINDINGS: Possible pneumonia.",
         {"entities": [{"text": "pneumonia", "type": "observation", "status": "uncertain"}]}),
    ],
    "n_staging": [
        ("Sigmoid colon, resection: adenocarcinoma. Twelve lymph nodes, all negative for carcinoma (0/12).",
         {"n_stage": "N0"}),
        ("EXAM: CT chest.\nIMPRESSION: Right upper lobe carcinoma, T2 N2 M0.", {"n_stage": "N2"}),
        ("Left breast, mastectomy: invasive ductal carcinoma. Metastatic carcinoma in 2 of 14 axillary lymph "
         "nodes.", {"n_stage": "N1"}),
    ],
    "m_staging": [
        ("EXAM: CT chest, abdomen and pelvis.\nIMPRESSION: Right upper lobe carcinoma, T2 N2 M0. No distant "
         "metastasis.", {"m_stage": "M0"}),
        ("EXAM: CT abdomen.\nIMPRESSION: Multiple liver metastases from known colon cancer, M1.",
         {"m_stage": "M1"}),
        ("EXAM: Bone scan and CT staging.\nIMPRESSION: Prostate carcinoma with widespread bone metastases (M1).",
         {"m_stage": "M1"}),
    ],
    "radiology_nli": [
        ("PREMISE:\nThe lungs are clear. There is no pleural effusion or pneumothorax.\nHYPOTHESIS:\nThere is a "
         "right pleural effusion.", {"label": "contradiction"}),
        ("PREMISE:\nLarge left pleural effusion with adjacent atelectasis.\nHYPOTHESIS:\nThere is a pleural "
         "effusion.", {"label": "entailment"}),
        ("PREMISE:\nThe heart size is normal. The lungs are clear.\nHYPOTHESIS:\nThe patient smokes.",
         {"label": "neutral"}),
    ],
    "abnormality_detection": [
        ("EXAM: Chest radiograph PA and lateral.\nFINDINGS: Large right pleural effusion. No pneumothorax.",
         _chexpert(pleural_effusion="positive", pneumothorax="negative")),
        ("EXAM: Chest radiograph.\nFINDINGS: The heart is enlarged. There is pulmonary edema.",
         _chexpert(cardiomegaly="positive", edema="positive")),
        ("EXAM: Chest radiograph.\nFINDINGS: Right-sided pneumothorax. No pleural effusion.",
         _chexpert(pneumothorax="positive", pleural_effusion="negative")),
    ],
    "radiology_qa": [
        ("QUESTION:\nHow large is the liver lesion?\nREPORT:\nEXAM: MRI abdomen.\nFINDINGS: A 2.3 cm arterially "
         "enhancing lesion in hepatic segment 7.", {"answer": "2.3 cm"}),
        ("QUESTION:\nWhat is the size of the kidney stone?\nREPORT:\nEXAM: CT kidneys.\nFINDINGS: A 7 mm stone "
         "in the left renal pelvis.", {"answer": "7 mm"}),
        ("QUESTION:\nIs there a fracture of the femur?\nREPORT:\nEXAM: Chest radiograph.\nFINDINGS: The lungs "
         "are clear.", {"answer": "The report does not answer this question."}),
    ],
    "differential_diagnosis": [
        ("CC: abdominal pain. 19-year-old man with pain that started around the navel and moved to the right "
         "lower quadrant over 12 hours, with nausea, loss of appetite, fever 38.2 C and rebound tenderness at "
         "McBurney's point.", {"most_likely": {"diagnosis": "appendicitis"}}),
        ("CC: burning on urination. 25-year-old woman with two days of dysuria, frequency and urgency. No fever, "
         "no flank pain, not pregnant.", {"most_likely": {"diagnosis": "urinary tract infection"}}),
        ("CC: runny nose. 30-year-old man with three days of runny nose, sneezing, mild sore throat and cough. "
         "No fever. Eating and drinking normally.", {"most_likely": {"diagnosis": "common cold"}}),
    ],
    "triage": [
        ("CC: chest pain. 58-year-old man, crushing central chest pain for 40 minutes with sweating. HR 110, "
         "BP 150/95, SpO2 96%.", {"esi_level": 2, "disposition": "emergency"}),
        ("CC: runny nose. 23-year-old woman with a runny nose, mild sore throat and sneezing for two days. "
         "Eating and drinking normally. No fever.", {"esi_level": 5, "disposition": "self-care"}),
        ("CC: ankle injury. 30-year-old man twisted his right ankle playing football an hour ago; swollen and "
         "painful, able to walk with a limp. HR 80, BP 125/80, SpO2 99%.",
         {"esi_level": 4, "disposition": "urgent visit"}),
    ],
}

# (task, document, field, answer, source) for the deterministic tools: no model.
