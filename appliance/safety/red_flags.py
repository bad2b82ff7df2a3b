"""Red-flag rules: findings and presentations that escalate a document whatever the model says.

Each rule is a set of groups; it fires when every group has at least one
non-negated match in the document. A fired rule marks the document urgent, says
why (its label, the exact words that fired it, and what to do), and names the
can't-miss diagnosis that the differential's unlikely-but-serious tier must carry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .negation import first_positive


@dataclass(frozen=True)
class Rule:
    id: str
    label: str          # what the clinician reads
    groups: tuple[str, ...]  # regexes; every group must match (not negated)
    cant_miss: str      # the diagnosis this rule guards against missing
    action: str         # what to do now
    finding: bool = False  # an imaging finding: read in the report's findings, not its history


@dataclass(frozen=True)
class Hit:
    rule: Rule
    evidence: tuple[str, ...]  # the exact words that fired each group

    def as_dict(self) -> dict:
        return {"rule": self.rule.id, "label": self.rule.label, "evidence": list(self.evidence),
                "cant_miss": self.rule.cant_miss, "action": self.rule.action}


_CHEST_PAIN = r"chest (pain|tightness|pressure|discomfort)|crushing (central )?pain"
_DYSPNOEA = r"short(ness)? of breath|breathless\w*|dyspn\w*|pleuritic"
_PE_SIGN = (r"calf (swelling|tenderness|swollen|tender)|(leg|calf) (is |was )?swollen|swollen (right |left )?(leg|calf)|"
            r"deep vein thrombosis|\bDVT\b|long[- ]haul|\d+[- ]hour flight|recent (surgery|flight|immobili[sz]ation)|"
            r"immobili[sz]\w+|haemoptysis|hemoptysis|oral contraceptive|calf[^.;\n]{0,20}swollen|"
            r"(after|following) (a |an |right |left |[\w-]+ ){0,3}(replacement|arthroplasty|surgery|operation)|post-?op\w*")

RULES: tuple[Rule, ...] = (
    # --- critical radiology findings (ACR critical results) ---
    Rule("tension_pneumothorax", "Tension pneumothorax",
         (r"tension pneumothorax|pneumothorax[^.;\n]{0,80}(mediastinal shift|shift of the mediastinum)",),
         "Tension pneumothorax", "Immediate needle decompression; call the treating doctor now.", finding=True),
    Rule("pneumothorax", "Pneumothorax (new or enlarging)", (r"(?<!tension )pneumothora(x|ces)",),
         "Pneumothorax", "Tell the treating doctor today; assess for chest drain.", finding=True),
    Rule("free_air", "Free intraperitoneal air (perforation)",
         (r"free (intraperitoneal |intra-abdominal |sub-?diaphragmatic )?(air|gas)|pneumoperitoneum",),
         "Perforated viscus", "Urgent surgical review: suspected perforation.", finding=True),
    Rule("aortic_dissection", "Aortic dissection",
         (r"aortic dissection|dissection of the (thoracic |abdominal )?aorta|intimal flap|"
          r"tearing (chest |back )?pain[^.;\n]{0,60}(back|between the shoulder)",),
         "Aortic dissection", "Emergency transfer; vascular/cardiothoracic surgery now.", finding=True),
    Rule("ruptured_aneurysm", "Ruptured or leaking aortic aneurysm",
         (r"(ruptured|leaking) (abdominal )?aortic aneurysm|aneurysm(al)? (rupture|leak)|"
          r"retroperitoneal (haematoma|hematoma|hemorrhage|haemorrhage)",),
         "Ruptured abdominal aortic aneurysm", "Emergency vascular surgery now.", finding=True),
    Rule("large_vessel_occlusion", "Large vessel occlusion / acute stroke",
         (r"large vessel occlusion|\bLVO\b|(M1|M2|ICA|basilar|carotid terminus)( segment)? (occlusion|occluded|cut-?off)|"
          r"occlusion of the (left |right )?(middle cerebral|internal carotid|basilar)|hyperdense (MCA|middle cerebral)|"
          r"acute (ischaemic |ischemic )?(infarct|stroke)",),
         "Acute ischaemic stroke", "Stroke pathway now: thrombolysis/thrombectomy window.", finding=True),
    Rule("intracranial_haemorrhage", "Intracranial haemorrhage",
         (r"(intracranial|subarachnoid|subdural|extradural|epidural|intraparenchymal|intraventricular) "
          r"(haemorrhage|hemorrhage|haematoma|hematoma|bleed)",),
         "Intracranial haemorrhage", "Emergency neurosurgical/stroke review now.", finding=True),
    Rule("brain_herniation", "Mass effect with herniation", (r"midline shift|(uncal|subfalcine|tonsillar) herniation",),
         "Brain herniation", "Emergency neurosurgical review now.", finding=True),
    Rule("pulmonary_embolism_imaging", "Pulmonary embolism on imaging",
         (r"pulmonary (embolism|embolus|emboli)|saddle embol\w+|filling defects? (in|within) the[^.;\n]{0,30}pulmonary arter",),
         "Pulmonary embolism", "Start anticoagulation assessment now; check haemodynamics.", finding=True),
    Rule("bowel_obstruction", "Bowel obstruction or ischaemia",
         (r"(small |large )?bowel obstruction|mesenteric isch(a)?emia|pneumatosis intestinalis|closed[- ]loop obstruction|volvulus",),
         "Bowel obstruction / ischaemia", "Urgent surgical review.", finding=True),
    Rule("cord_compression", "Spinal cord compression / cauda equina",
         (r"(spinal )?cord compression|cauda equina|saddle (an)?aesthesia",),
         "Cauda equina / cord compression", "Emergency MRI and spinal surgery review.", finding=True),
    Rule("torsion", "Testicular or ovarian torsion",
         (r"(testicular|ovarian|adnexal) torsion|torsion of the (left |right )?(testis|ovary)",),
         "Testicular / ovarian torsion", "Emergency surgical review: time-critical.", finding=True),
    Rule("ectopic_imaging", "Ectopic pregnancy on imaging", (r"ectopic pregnancy|tubal pregnancy",),
         "Ectopic pregnancy", "Emergency gynaecology review now.", finding=True),
    # --- presentations in clinic and triage notes ---
    Rule("thunderclap_headache", "Thunderclap headache",
         (r"thunderclap|worst headache of (my|her|his|their) life|sudden(-| )onset (severe |explosive )?headache|"
          r"headache[^.;\n]{0,40}(maximal|peak\w*) (intensity )?(with)?in (seconds|a minute|one minute)",),
         "Subarachnoid haemorrhage", "Same-day CT head (LP if CT negative); refer as emergency."),
    Rule("chest_pain_diaphoresis", "Chest pain with sweating",
         (_CHEST_PAIN, r"diaphore\w+|sweat\w*|clammy"),
         "Acute coronary syndrome", "ECG within 10 minutes, aspirin unless contraindicated, emergency transfer."),
    Rule("meningism_purpura", "Meningism with purpura",
         (r"neck stiffness|stiff neck|meningism|photophobia|kernig|brudzinski",
          r"purpur\w*|petechia\w*|non-?blanching (rash|spots)"),
         "Meningococcal sepsis / bacterial meningitis", "Give parenteral antibiotics now; emergency transfer."),
    Rule("pregnancy_pain_bleeding", "Pregnancy with abdominal pain and bleeding",
         (r"pregnan\w+|positive (urine |serum )?(pregnancy test|hcg|β-?hcg|beta-?hcg)|missed (period|menses)|amenorrh\w+|"
          r"weeks(')? gestation|\bLMP\b",
          r"(abdominal|pelvic|lower abdominal|iliac fossa|shoulder[- ]tip) pain|cramp\w*",
          r"(vaginal )?bleed\w*|spotting|haemorrhage|hemorrhage"),
         "Ectopic pregnancy", "Emergency gynaecology review; check haemodynamics."),
    Rule("pe_signs", "Signs of pulmonary embolism", (_DYSPNOEA, _PE_SIGN),
         "Pulmonary embolism", "Same-day assessment for PE (Wells score, D-dimer or CTPA)."),
    Rule("stroke_signs", "Signs of stroke",
         (r"facial droop|face (is )?drooping|arm weakness|slurred speech|dysarthria|aphasi\w+|hemipares\w+|"
          r"one-sided weakness|unilateral weakness",),
         "Acute stroke", "Stroke pathway now (FAST positive); note time of onset."),
    Rule("sepsis_signs", "Possible sepsis", (r"fever|febrile|rigors|\b(T|temp|temperature)( of)?\s*:?\s*(3[89]|4[01])(\.\d)?\s*°?\s*C?\b",
                                            r"hypotension|BP (7\d|8\d)/|confus\w+|mottled|lactate"),
         "Sepsis", "Sepsis bundle now: cultures, antibiotics within 1 hour, fluids."),
    Rule("anaphylaxis", "Possible anaphylaxis",
         (r"stridor|throat (swelling|tightness)|tongue swelling|wheez\w+|difficulty breathing",
          r"urticaria|hives|after (eating|a sting|being stung)|peanut|bee sting|allerg\w+"),
         "Anaphylaxis", "IM adrenaline now; call for emergency help."),
    Rule("gi_bleed", "Upper GI bleeding", (r"haematemesis|hematemesis|melaena|melena|coffee[- ]ground vomit\w*",),
         "Upper gastrointestinal haemorrhage", "Urgent assessment: haemodynamics, Glasgow-Blatchford score."),
    Rule("suicidal_ideation", "Suicidal thoughts", (r"suicid\w+|wants? to (die|end (his|her|their|my) life)|self-harm",),
         "Suicide risk", "Do not leave the patient alone; same-day mental health assessment."),
    Rule("testicular_pain", "Sudden testicular pain", (r"sudden(-| )onset[^.;\n]{0,40}(testicular|scrotal) pain|"
                                                      r"(testicular|scrotal) pain[^.;\n]{0,40}sudden",),
         "Testicular torsion", "Emergency urology review: time-critical."),
)


_COMPILED = {rule.id: tuple(re.compile(g, re.IGNORECASE) for g in rule.groups) for rule in RULES}


# Lines that give the reason for a study or its history: "r/o pneumothorax" there is a question, not a finding.
_HISTORY_LINE = re.compile(r"^\s*(history|indication|clinical[\w ]*|reason[\w ]*|comparison|request)\s*:.*$",
                           re.IGNORECASE | re.MULTILINE)


def red_flags(text: str) -> list[Hit]:
    """Every rule that fires on the document, most specific first (tension before plain pneumothorax)."""
    findings_text = _HISTORY_LINE.sub("", text)
    hits = []
    for rule in RULES:
        evidence = []
        for pattern in _COMPILED[rule.id]:
            found = first_positive(pattern, findings_text if rule.finding else text)
            if found is None:
                break
            evidence.append(found)
        else:
            hits.append(Hit(rule, tuple(evidence)))
    if any(h.rule.id == "tension_pneumothorax" for h in hits):
        hits = [h for h in hits if h.rule.id != "pneumothorax"]
    return hits
