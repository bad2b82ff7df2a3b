"""Red-flag rules: findings and presentations that escalate a document whatever the model says.

Each rule is a set of groups; it fires when every group has at least one
non-negated match in the document (and, for a rule with `optional` groups such as
qSOFA, when at least `min_optional` of those match too). A fired rule marks the document urgent, says
why (its label, the exact words that fired it, and what to do), and names the
can't-miss diagnosis that the differential's unlikely-but-serious tier must carry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .negation import _PRE, is_negated


@dataclass(frozen=True)
class Rule:
    id: str
    label: str          # what the clinician reads
    groups: tuple[str, ...]  # regexes; every group must match (not negated)
    cant_miss: str      # the diagnosis this rule guards against missing
    action: str         # what to do now
    finding: bool = False  # an imaging finding: read in the report's findings, not its history
    optional: tuple[str, ...] = ()  # further regexes, of which at least `min_optional` must match
    min_optional: int = 0


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

_FEVER = (r"fever\w*|febrile|pyrexi\w*|high temperature|rigors|hot to (the )?touch|"
          r"\b(T|temp|temperature)( of)?\s*:?\s*(3[89]|4[0-2])(\.\d)?\s*°?\s*C?\b|\b(10[1-6])(\.\d)?\s*°?\s*F\b")
_PURPURA = (r"purpur\w*|petechia\w*|non-?blanch\w*|(purple|red|dark) (spots|blotches|marks)|(rash|spots)[^.;\n]{0,40}(doesn'?t|does not|didn'?t|did not|won'?t|don'?t|do not|not) "
            r"(fade|blanch|disappear)|(doesn'?t|does not|didn'?t|did not) fade[^.;\n]{0,30}(glass|press)")
_PREGNANT = (r"pregnan\w*|positive (urine |home |serum )?(pregnancy test|hcg|β-?hcg|beta-?hcg)|missed (a |her |my |their )?(period|menses)|"
             r"amenorrh\w*|weeks(')? gestation|\bLMP\b|\d+ weeks? (since|after) (her |my |the )?last (menstrual )?period|"
             r"period[^.;\n]{0,30}\b(late|overdue)|late period|hasn'?t had a period|no period (for|since)")
# Early pregnancy: not a later-pregnancy or antenatal-clinic note (those have their own rules).
_EARLY_PREGNANT = (r"positive (urine |home |serum )?(pregnancy test|hcg|β-?hcg|beta-?hcg)|missed (a |her |my |their )?(period|menses)|"
                   r"amenorrh\w*|\b([5-9]|1[0-4]|five|six|seven|eight|nine|ten) weeks? (since|after) (her |my |the )?(last (menstrual )?period|LMP)|period[^.;\n]{0,30}\b(late|overdue)|"
                   r"late period|hasn'?t had a period|no period (for|since)|\b([4-9]|1[0-2]) weeks'? pregnan\w*|early pregnancy|\bLMP\b[^.;\n]{0,12}\b([5-9]|1[0-4]) (weeks|/52)")
_PELVIC_PAIN = (r"(abdominal|pelvic|lower abdominal|iliac fossa|shoulder[- ]tip|tummy|belly|groin|one[- ]sided|lower) ?(pain|ache|cramp\w*)|"
                r"pain[^.;\\n]{0,40}(abdomen|belly|tummy|pelvis|lower (left|right) side|low down)|cramp\w*|(RIF|LIF|RLQ|LLQ) (pain|tender\w*)")
_ALTERED = r"confus\w*|disorient\w*|drows\w*|altered (mental|mentation|consciousness)|GCS (1[0-4]|[3-9])\b|not making sense|agitat\w*|delirious"
_RR_HIGH = r"\b(RR|resp\w*( rate)?|breathing rate)\s*(of|:|=|is|was)?\s*(2[2-9]|[3-6]\d)\b|\b(2[2-9]|[3-6]\d) breaths"
_SBP_LOW = r"\b(BP|blood pressure)\s*(of|:|=|is|was)?\s*([4-9]\d|100)\s*/\s*\d{2,3}|\bSBP\s*(of|:|=)?\s*([4-9]\d|100)\b|hypotens\w*|systolic( BP| blood pressure)?\s*(of|:|=|is|was)?\s*([4-9]\d|100)\b"
_INFECTION = (_FEVER + r"|infection|infected|sepsis|septic|pneumonia|cellulitis|UTI|urinary tract infection|pyelonephritis|"
              r"cough\w* (up )?(green|yellow)|productive cough|wound (is )?(red|hot|oozing)|hypotherm\w*|\b(T|temp)\s*:?\s*3[0-5](\.\d)?\b")

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
         (r"thunderclap|worst headache of (my|her|his|their) life|worst headache (I'?ve|she'?s|he'?s|they'?ve|I have|she has|he has) ever had|worst headache ever|"
          r"like (being )?(hit|struck|kicked) (on|in|with|over) (the|a) |sudden(-| )onset (severe |explosive )?headache|"
          r"headache[^.;\n]{0,40}(maximal|peak\w*) (intensity )?(with)?in (seconds|a minute|one minute)",),
         "Subarachnoid haemorrhage", "Same-day CT head (LP if CT negative); refer as emergency."),
    Rule("chest_pain_diaphoresis", "Chest pain with sweating",
         (_CHEST_PAIN, r"diaphore\w+|(?<!night )sweat\w*|clammy"),
         "Acute coronary syndrome", "ECG within 10 minutes, aspirin unless contraindicated, emergency transfer."),
    Rule("meningism_purpura", "Meningism or fever with a non-blanching rash",
         (r"neck stiffness|stiff neck|meningism|photophobia|kernig|brudzinski|" + _FEVER,
          _PURPURA),
         "Meningococcal sepsis / bacterial meningitis", "Give parenteral antibiotics now; emergency transfer."),
    Rule("meningitis_signs", "Fever with neck stiffness",
         (_FEVER, r"neck stiffness|stiff neck|meningism|kernig|brudzinski|(can'?t|cannot|unable to) (bend|touch|put) (his |her |their |my )?(chin|neck)|pain (on|when) (bending|flexing) (the |his |her )?neck"),
         "Bacterial meningitis", "Blood cultures and parenteral antibiotics now; emergency transfer."),
    Rule("pregnancy_pain_bleeding", "Pregnancy with abdominal pain and bleeding",
         (_PREGNANT, _PELVIC_PAIN, r"(vaginal |PV )?bleed\w*|spotting|haemorrhage|hemorrhage"),
         "Ectopic pregnancy", "Emergency gynaecology review; check haemodynamics."),
    Rule("early_pregnancy_pain", "Possible ectopic pregnancy: pain or bleeding with a missed period",
         (_EARLY_PREGNANT, _PELVIC_PAIN + r"|(vaginal |PV )?bleed\w*|spotting|faint\w*|collapse\w*|dizz\w*"),
         "Ectopic pregnancy", "Pregnancy test and same-day early pregnancy or gynaecology assessment."),
    Rule("pe_signs", "Signs of pulmonary embolism", (_DYSPNOEA, _PE_SIGN),
         "Pulmonary embolism", "Same-day assessment for PE (Wells score, D-dimer or CTPA)."),
    Rule("stroke_signs", "Signs of stroke",
         (r"facial droop|face (is |was )?droop\w*|droop\w* (of )?(the |his |her )?(face|mouth)|(mouth|face) (has )?(dropped|drooping)|"
          r"arm (weakness|drift)|(weak|heavy|numb) (left|right) (arm|leg|side)|(left|right)[- ]sided (weakness|numbness)|"
          r"slurred speech|speech (is |was )?slurred|slurring|dysarthri\w*|aphasi\w*|(can'?t|cannot|unable to) (speak|find (his|her|the) words|get (his|her) words out)|"
          r"hemipar\w*|one-sided weakness|unilateral weakness|can'?t (lift|raise|move) (his|her|their|my) (left |right )?(arm|leg)|"
          r"FAST (positive|\+ve)|positive FAST|sudden (loss of vision|visual loss)",),
         "Acute stroke", "Stroke pathway now (FAST positive); note time of onset."),
    Rule("sepsis_signs", "Possible sepsis", (_FEVER + r"|rigors",
                                            r"hypotension|BP (7\d|8\d)/|confus\w+|mottled|lactate"),
         "Sepsis", "Sepsis bundle now: cultures, antibiotics within 1 hour, fluids."),
    Rule("sepsis_qsofa", "Possible sepsis (qSOFA 2 or more)", (_INFECTION,),
         "Sepsis", "Sepsis bundle now: cultures, antibiotics within 1 hour, fluids.",
         optional=(_RR_HIGH, _SBP_LOW, _ALTERED), min_optional=2),
    Rule("anaphylaxis", "Possible anaphylaxis",
         (r"stridor|throat (swelling|tightness|closing)|(tongue|lips?|face|throat) (swelling|swollen|swelled)|swollen (tongue|lips?|face|throat)|"
          r"wheez\w+|difficulty (breathing|swallowing)|(can'?t|cannot|struggling to) breathe|collaps\w*|hypotens\w*|angio-?o?edema",
          r"urticaria|hives|wheals?|after (eating|a sting|being stung|taking|an? (injection|antibiotic|dose))|peanut|nuts?\b|shellfish|prawns?|"
          r"\bbee\b|wasp|sting|allergic reaction|anaphyla\w*|(first|new) dose|(penicillin|amoxicillin|co-amoxiclav|antibiotic)[^.;\n]{0,30}(ago|minutes|injection|dose|given)"),
         "Anaphylaxis", "IM adrenaline now; call for emergency help."),
    Rule("gi_bleed", "Upper GI bleeding", (r"haematemesis|hematemesis|melaena|melena|coffee[- ]ground vomit\w*|vomit\w* (up )?(fresh |bright red )?blood|"
                                          r"black,? (tarry|sticky) (stools?|poo)|(tarry|sticky) black (stools?|poo)",),
         "Upper gastrointestinal haemorrhage", "Urgent assessment: haemodynamics, Glasgow-Blatchford score."),
    Rule("gi_bleed_shock", "GI bleeding with shock",
         (r"bleed\w*|blood|haematemesis|hematemesis|melaena|melena|black (tarry )?stools?",
          r"\b(BP|blood pressure)\s*:?\s*([4-8]\d|9\d)\s*/|hypotens\w*|shock\w*|(HR|pulse|heart rate)\s*:?\s*(1[1-9]\d)\b|collaps\w*|faint\w*|clammy|pale and (sweaty|clammy)"),
         "Upper gastrointestinal haemorrhage", "Resuscitate now: two large-bore cannulae, crossmatch, emergency transfer."),
    Rule("suicidal_ideation", "Suicidal thoughts", (r"suicid\w+|wants? to (die|end (his|her|their|my) life)|self-harm|end it all|end(ing)? (my|his|her|their) life|"
                                                    r"(kill|killing) (my|him|her|them)sel(f|ves)|don'?t want to (live|be here)|"
                                                    r"better off dead|(took|taken) an overdose|overdosed",),
         "Suicide risk", "Do not leave the patient alone; same-day mental health assessment."),
    Rule("testicular_pain", "Sudden testicular pain", (r"sudden(-| )onset[^.;\n]{0,40}(testic\w*|scrot\w*) (pain|swelling)|"
                                                      r"(testic\w*|scrot\w*|testis|testicle|ball) (pain|swelling|ache)[^.;\n]{0,60}(sudden\w*|woke|vomit\w*|high[- ]riding)|"
                                                      r"sudden\w*[^.;\n]{0,40}(pain|swelling) (in|of) (his|the|my) (left |right )?(testi\w*|scrotum|ball)|"
                                                      r"woke[^.;\n]{0,60}(testic\w*|scrot\w*|testis|testicle)|high[- ]riding (testis|testicle)|"
                                                      r"(testic\w*|scrot\w*)[^.;\n]{0,80}(high[- ]riding|horizontal lie|absent cremaster\w*)",),
         "Testicular torsion", "Emergency urology review: time-critical."),
    Rule("cauda_equina_signs", "Possible cauda equina syndrome",
         (r"back ?(pain|ache)|backache|sciatica|lumbar|disc (prolapse|herniation)",
          r"saddle (an)?aesthesia|saddle (numbness|area)|numb\w*[^.;\n]{0,40}(bottom|buttocks|genitals|back passage|perine\w*|saddle|between (the|her|his) legs)|"
          r"(urinary|urine) (retention|incontinence)|(can'?t|cannot|unable to|difficulty) (pass\w*|start\w*) (urine|water|a stream)|"
          r"(can'?t|cannot|unable to) (feel|tell) (when )?(he|she|I|they)?\s*(is |are |am )?(passing urine|peeing|needs? to (pee|pass urine))|"
          r"(wet|wetting) (himself|herself|myself)|incontinen\w*|lost control of (his|her|my) (bladder|bowels?)|"
          r"bilateral sciatica|(sciatica|pain|numbness) (down|in|into) both legs|both legs (are )?(numb|weak)"),
         "Cauda equina / cord compression", "Emergency MRI and spinal surgery review."),
    Rule("dka_signs", "Possible diabetic ketoacidosis",
         (r"diabet\w*|\bT[12]DM\b|\bDM\b|on insulin|insulin pump|(ran out of|missed|stopped) (his |her |my )?insulin",
          r"ketone\w*|ketosis|ketoacidosis|\bDKA\b|kussmaul|deep (sighing )?breath\w*|breathing deeply|pear drops|fruity (breath|smell)|"
          r"(glucose|sugar|BM|CBG)\s*(reading\s*)?(of|:|=|is|was|reads?)?\s*(2\d|[3-9]\d)(\.\d)?\b|(glucose|sugar|meter)[^.;\n]{0,20}\bHI\b|"
          r"(ran out of|missed|stopped) (his |her |my |their )?insulin"),
         "Diabetic ketoacidosis", "Capillary ketones and venous gas now; DKA protocol, emergency transfer."),
    Rule("dka_type1_vomiting", "Vomiting in insulin-treated diabetes",
         (r"type 1 diabet\w*|\bT1DM\b|insulin[- ]dependent|on insulin|insulin pump|(diabet\w*)[^.;\n]{0,40}insulin",
          r"vomit\w*|throwing up|being sick"),
         "Diabetic ketoacidosis", "Check capillary ketones and glucose now; sick-day rules; same-day review."),
    Rule("stroke_window", "Stroke symptoms within the treatment window",
         (r"facial droop|face (is |was )?droop\w*|arm (weakness|drift)|slurred speech|speech (is |was )?slurred|dysarthri\w*|aphasi\w*|hemipar\w*|"
          r"(left|right)[- ]sided (weakness|numbness)|(weak|heavy|numb) (left|right) (arm|leg|side)|(can'?t|cannot|unable to) (speak|find (his|her|the) words)",
          r"(\d{1,2}|one|two|three|four) (hours?|hrs?|minutes?|mins?) ago|since (\d{1,2}[:.]\d{2}|this morning|\d{1,2} ?(am|pm))|(started|began|came on)[^.;\n]{0,30}(ago|at \d)|"
          r"last (seen|known) well|time of onset|onset (at )?\d{1,2}[:.]\d{2}|woke (up )?with"),
         "Acute stroke", "Stroke pathway now: thrombolysis/thrombectomy window; record time last known well."),
    Rule("limb_ischaemia", "Acute limb ischaemia",
         (r"(cold|white|pale|mottled|blue|dusky) (and )?(pale |painful |numb )?(leg|foot|arm|hand|limb|toes)|(leg|foot|arm|hand|limb) (is |was |has gone |went |turned )?(cold|white|pale|mottled|blue|dusky)|pulseless",
          r"(absent|no|weak|cannot feel|can'?t feel|impalpable)\s*(pedal |foot |femoral |popliteal |radial |distal |dorsalis pedis )?pulses?|pulseless|"
          r"sudden\w*|numb\w*|paralys\w*|(can'?t|cannot|unable to) move"),
         "Acute limb ischaemia", "Emergency vascular referral now; heparin per vascular advice."),
    Rule("epiglottitis", "Possible epiglottitis or airway obstruction",
         (r"drool\w*|stridor|muffled (voice)?|hot potato|tripod|(can'?t|cannot|unable to) swallow (his |her |their )?(saliva|spit)|sitting forward to breathe",
          _FEVER + r"|sore throat|throat pain|toxic|difficulty breathing|noisy breathing"),
         "Acute epiglottitis", "Do not examine the throat; keep the patient upright; airway help and emergency transfer."),
    Rule("necrotising_fasciitis", "Possible necrotising fasciitis",
         (r"pain (is )?(out of (all )?proportion|severe[^.;\n]{0,20}(compared|despite))|(dusky|purple|black|grey|gray)[^.;\n]{0,20}(skin|patch\w*|discolou?r\w*)|"
          r"crepitus|bullae|haemorrhagic blisters|rapidly (spreading|advancing)|spreading (rapidly|quickly|fast|by the hour)",
          r"cellulit\w*|wound|red\w*|swell\w*|swollen|infect\w*|" + _FEVER),
         "Necrotising fasciitis", "Emergency surgical review now; IV antibiotics."),
    Rule("angle_closure", "Possible acute angle-closure glaucoma",
         (r"(painful|red|sore) eye|eye (pain|ache)|eye[^.;\n]{0,30}(painful|red|aching)|pain (in|around|behind) (the |his |her |my )?(left |right )?eye",
          r"halo\w*|rainbow|(blurred|blurry|misty|reduced|decreased|cloudy|hazy|loss of) (vision|sight)|(fixed|mid-?dilated|dilated) pupil|"
          r"hazy cornea|cloudy cornea|vomit\w*"),
         "Acute angle-closure glaucoma", "Same-day emergency ophthalmology; measure intraocular pressure."),
    Rule("status_epilepticus", "Prolonged or repeated seizures",
         (r"(seiz\w*|fit\w*|fitting|convuls\w*)[^.;\n]{0,60}((more than|over|longer than|for) (5|five|ten|10|\d\d) min\w*|not stopp\w*|won'?t stop|still (fitting|seizing|going)|"
          r"without (regaining|recovering|waking)|back[- ]to[- ]back|one after (another|the other)|(two|three|2|3|several|repeated) (seizures|fits))|"
          r"status epilepticus|continuous (seizure|fitting)|(seizures|fits) in a row",),
         "Status epilepticus", "Give buccal midazolam or IV lorazepam now; emergency transfer."),
    Rule("severe_asthma", "Acute severe or life-threatening asthma",
         (r"asthma\w*|wheez\w*",
          r"(can'?t|cannot|unable to) (complete|finish|say) (a )?(full )?sentences?|(one|single|few|two) words? (at a time|only)|silent chest|"
          r"(peak flow|PEF|PEFR)[^.;\n]{0,20}(\b[1-9]\d\b|1[0-9]\d)\b|(peak flow|PEF|PEFR)[^.;\n]{0,15}(3\d|[12]\d) ?%|"
          r"(SpO2|sats?|saturation\w*)\s*(of|:|=|is|was)?\s*(8\d|9[0-2])\s*%|cyanos\w*|blue lips|exhaust\w*|too breathless to (speak|talk|feed)|"
          r"\b(RR|resp\w* rate)\s*:?\s*(2[5-9]|[3-6]\d)\b|(HR|pulse)\s*:?\s*(1[1-9]\d)\b"),
         "Acute severe asthma", "Oxygen, nebulised salbutamol and ipratropium, steroids now; emergency transfer."),
    Rule("aortic_dissection_presentation", "Tearing pain to the back",
         (r"(tearing|ripping)[^.;\n]{0,40}(chest|back|pain)|(chest|back) pain[^.;\n]{0,40}(tearing|ripping)|"
          r"(chest|sudden\w*) pain[^.;\n]{0,60}(through|to) (the |his |her )?back[^.;\n]{0,40}(between the shoulder|tearing|ripping)",),
         "Aortic dissection", "Emergency transfer; CT aortogram; BP in both arms."),
    Rule("chest_pain_cardiac", "Chest pain at rest with cardiac features",
         (_CHEST_PAIN + r"|pain in (the|his|her|my) chest|(crushing|heavy|tight|squeez\w*|pressure)[^.;\n]{0,40}chest|(central|retrosternal) (chest )?(pain|pressure|tightness|heaviness)",
          r"radiat\w*[^.;\n]{0,40}(arm|jaw|neck)|(goes|going|spread\w*|moves?|moving|travel\w*) (in)?(to|down) (the |his |her |my )?(left |right |both )?(arm|jaw|neck)|(arm|jaw) (pain|ache|heaviness)|"
          r"crushing|elephant|nause\w*|(?<!night )sweat\w*|clammy|diaphore\w*",
          r"at rest|even at rest|woke (him|her|me)|(for|lasting|over|more than|last) (the last )?(\d\d|twenty|thirty|forty|an|one|two|\d) ?(min\w*|hours?)"),
         "Acute coronary syndrome", "ECG within 10 minutes, aspirin unless contraindicated, emergency transfer."),
    Rule("ruptured_aaa_presentation", "Possible leaking aortic aneurysm",
         (r"pulsatile (abdominal )?mass|(abdominal|back|flank|loin) pain[^.;\n]{0,80}(aneurysm|\bAAA\b)|(aneurysm|\bAAA\b)[^.;\n]{0,80}(pain|collaps\w*|faint\w*)",),
         "Ruptured abdominal aortic aneurysm", "Emergency vascular surgery now."),
    Rule("neonate_fever", "Fever in a baby under 3 months",
         (r"\b([1-9]|1[0-2])[- ](weeks?|wk)[- ]old|\b([0-2]|two)[- ]months?[- ]old|newborn|neonat\w*|\b\d{1,2}[- ]days?[- ]old",
          _FEVER),
         "Serious bacterial infection", "Same-day paediatric assessment: any fever under 3 months is high risk (NICE)."),
)


# "Neck stiffness: none", "rash - nil": a finding answered no in a checklist.
_POST_NEG = re.compile(r"^.{0,40}?\b(is|are|was|were|has been|have been)?\s*(not (seen|identified|present|demonstrated|"
                       r"visuali[sz]ed|detected)|absent|excluded|ruled out|resolved)\b", re.IGNORECASE)
_CHECKLIST_NO = re.compile(r"^\s*(\?\s*)?[:=-]\s*(none|nil|no|neg(ative)?|absent|not present)\b", re.IGNORECASE)


def _negated(text: str, start: int, end: int) -> bool:
    """The shared NegEx check, with two repairs for clinic notes: a checklist "X: none" negates X, and a
    negation cue far back in a long run-on sentence ("not anticoagulated, sudden pain in the right leg,
    foot cold and white, no pulses") does not reach a finding two or more clauses later."""
    if _CHECKLIST_NO.match(text[end:end + 20]):
        return True
    if not is_negated(text, start, end):
        return False
    line_start = max(text.rfind(c, 0, start) for c in ".;\n!?") + 1
    before = text[line_start:start]
    cues = list(_PRE.finditer(before))
    if not cues:
        # Negated only by a cue after it: that cue must be in the finding's own clause
        # ("testicular pain that woke him, nausea, absent cremasteric reflex" reports the pain).
        clause = re.split(r"[,.;\n]", text[end:], maxsplit=1)[0]
        return bool(_POST_NEG.match(clause))
    between = before[cues[-1].end():]
    if between.count(",") >= 2 and len(between.split()) >= 8:
        return False
    return True


def first_positive(pattern: re.Pattern, text: str) -> str | None:
    """The words of the first match of `pattern` that is not negated, or None."""
    for m in pattern.finditer(text):
        if m.end() > m.start() and not _negated(text, m.start(), m.end()):
            return m.group(0)
    return None


_COMPILED = {rule.id: tuple(re.compile(g, re.IGNORECASE) for g in rule.groups) for rule in RULES}
_OPTIONAL = {rule.id: tuple(re.compile(g, re.IGNORECASE) for g in rule.optional) for rule in RULES}


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
            if rule.min_optional:
                extra = [w for w in (first_positive(p, findings_text if rule.finding else text) for p in _OPTIONAL[rule.id]) if w]
                if len(extra) < rule.min_optional:
                    continue
                evidence.extend(extra)
            hits.append(Hit(rule, tuple(evidence)))
    if any(h.rule.id == "tension_pneumothorax" for h in hits):
        hits = [h for h in hits if h.rule.id != "pneumothorax"]
    return hits
