"""The presentation catalogue: presenting problems, their diagnoses, features, workup and sources.

Data reviewed like code. Each `Diagnosis` is defined once (preferred name, synonyms,
the features that raise or lower it, first-line workup, source) and each `Presentation`
names the diagnoses to consider for it: `common` in rough order of prevalence in primary
and emergency care, `serious` the must-not-miss diagnoses.

A feature is written "[+N|-N] label: pattern" (weight +2 when not given). The pattern is a
case-insensitive regex matched negation-aware in the note, or a computed token:
  @age>=50  @age<16 ...   age in years read from the note
  @male  @female          sex read from the note
  @fever                  temperature >= 38 C, or fever words
  @tachy  @hypotension  @hypoxia  @tachypnoea   HR > 100, SBP < 90, SpO2 < 94 %, RR >= 22
A positive feature found only negated ("no fever") lowers the score by half its weight.

Sources are the standard references named per entry: NICE Clinical Knowledge Summaries
(CKS, by topic), the Oxford Handbook of Clinical Medicine 10th ed. (OHCM), Murtagh's
General Practice 8th ed. (Murtagh), Rosen's Emergency Medicine 9th ed. (Rosen), the
Oxford Handbook of General Practice 5th ed. (OHGP) and the Oxford Handbook of Paediatrics
(OHP).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OHCM = "Oxford Handbook of Clinical Medicine 10th ed."
MURTAGH = "Murtagh's General Practice 8th ed."
ROSEN = "Rosen's Emergency Medicine 9th ed."
OHGP = "Oxford Handbook of General Practice 5th ed."
OHP = "Oxford Handbook of Paediatrics 3rd ed."


def CKS(topic: str) -> str:
    return f"NICE CKS: {topic}"


@dataclass(frozen=True)
class Feature:
    label: str      # plain clinical words ("pleuritic pain")
    pattern: str    # regex, or a computed token ("@age>=50")
    weight: int     # positive raises, negative lowers


@dataclass(frozen=True)
class Diagnosis:
    name: str                     # the preferred name used in output
    synonyms: tuple[str, ...]
    features: tuple[Feature, ...]
    workup: tuple[str, ...]       # first-line workup, most useful first
    source: str


@dataclass(frozen=True)
class Presentation:
    id: str
    label: str                    # plain words ("chest pain")
    triggers: str                 # regex: lay and clinical phrasings, UK and US
    common: tuple[str, ...]       # preferred names, most prevalent first
    serious: tuple[str, ...]      # must-not-miss, most important first
    source: str
    requires: str | None = None   # a computed token the note must also satisfy ("@age<16")


def _feature(spec: str) -> Feature:
    weight = 2
    m = re.match(r"\s*([+-]\d+)\s+", spec)
    if m:
        weight = int(m.group(1))
        spec = spec[m.end():]
    label, pattern = spec.split(": ", 1)
    return Feature(label.strip(), pattern.strip(), weight)


DIAGNOSES: dict[str, Diagnosis] = {}


def D(name: str, feats: tuple[str, ...] | list[str], workup: tuple[str, ...] | list[str],
      syn: tuple[str, ...] | list[str] = (), src: str = OHCM) -> None:
    if name in DIAGNOSES:
        raise ValueError(f"diagnosis defined twice: {name}")
    DIAGNOSES[name] = Diagnosis(name, tuple(syn), tuple(_feature(f) for f in feats), tuple(workup), src)


# Shared feature patterns.
SMOKER = r"smok\w*|cigarette|pack[- ]years?"
OLD = "@age>=50"
CHILD = "@age<16"
DIABETES = r"diabet\w*|\bT[12]DM\b|\bDM\b|on insulin|metformin"
PREG = r"pregnan\w*|positive (urine |home |serum )?(pregnancy test|hcg)|missed (a |her |my )?(period|menses)|weeks? (since|after) (her |my |the )?last (menstrual )?period|\bLMP\b|amenorrh\w*|period is late|late period"
ALCOHOL = r"alcohol|drinks? heavily|heavy drink\w*|beers?|spirits|\bETOH\b|units a week|binge"
TRAVEL = r"travel\w*|returned from|trip to|visit\w* (africa|asia|india|nigeria|ghana)|endemic|mosquito"

# ---------------------------------------------------------------- cardiovascular
D("Acute coronary syndrome", [
    "+3 rest pain over 20 minutes: at rest|(lasts?|lasting|for) (more than |over )?(20|30) ?min|even at rest|woke (him|her) (up )?from sleep",
    "+3 crescendo pattern: (worse|worsening|increasing|more frequent|less exertion|unable to walk more)|progressive|crescendo|new[- ]onset",
    "+3 radiation to arm, jaw or neck: radiat\\w*[^.]{0,40}(arm|jaw|neck|shoulder)|(arm|jaw) pain",
    "+2 sweating or nausea: sweat\\w*|diaphore\\w*|clammy|nausea",
    "+1 crushing or pressure quality: crushing|pressure|heaviness|tight\\w*|squeez\\w*",
    "+1 vascular risk factors: " + SMOKER + "|hypertension|" + DIABETES + "|cholesterol|hyperlipid\\w*|peripheral vascular",
    "+1 older age: @age>=45",
    "-2 pleuritic or positional pain: pleuritic|sitting forward|leaning forward|on palpation|reproduc\\w+ (by|on) (palpation|pressure)",
    "-1 young age: @age<30",
], ["12-lead ECG", "High-sensitivity troponin", "Aspirin and emergency transfer", "Full blood count, U&E, lipids"],
   syn=["ACS", "unstable angina", "myocardial infarction", "acute myocardial infarction", "heart attack", "NSTEMI",
        "STEMI", "non-ST elevation myocardial infarction", "ST elevation myocardial infarction"], src=CKS("Chest pain"))
D("Stable angina", [
    "+3 exertional pain relieved by rest: (on|with|when|after) (exertion|walking|climbing|exercise|hurry\\w*)|(relieved|eases?|settles?|eased|improves?) (by|with|on|after|within)( a few minutes of)? rest",
    "+2 stable pattern: unchanged|stable|same pattern|for (\\d+|several|a few) (months|years)",
    "+1 vascular risk factors: " + SMOKER + "|hypertension|" + DIABETES + "|cholesterol",
    "+1 older age: @age>=45",
    "-3 rest pain: at rest|even at rest|(lasts?|lasting) (more than |over )?(20|30) ?min",
    "-2 pleuritic pain: pleuritic|deep breath|sitting forward",
], ["12-lead ECG", "Lipids, HbA1c, full blood count", "CT coronary angiography or exercise testing", "Sublingual GTN trial"],
   syn=["angina", "angina pectoris", "coronary artery disease", "chronic stable angina"], src=CKS("Angina"))
D("Pericarditis", [
    "+4 relieved sitting forward: (sitting|sit|leaning|lean\\w*) forward",
    "+3 pleuritic pain: pleuritic|deep (breath|inspiration)|on (breathing|inspiration)|worse (when |while )?(lying|supine|flat)",
    "+2 recent viral illness: flu|viral|cold|sore throat|upper respiratory",
    "+2 friction rub or trapezius radiation: rub|trapezius",
    "+1 younger age: @age<50",
    "-2 exertional pattern: on exertion|after walking|relieved by rest",
], ["12-lead ECG (saddle ST elevation)", "Troponin", "CRP and full blood count", "Echocardiogram"],
   syn=["acute pericarditis", "viral pericarditis", "myopericarditis"], src=CKS("Pericarditis"))
D("Gastro-oesophageal reflux disease", [
    "+3 burning or heartburn: heartburn|burning|acid|reflux|regurgitat\\w*|sour taste|bitter taste",
    "+2 related to meals or lying: after (meals|eating|food)|lying (down|flat)|at night|spicy|bending",
    "+1 relieved by antacids: antacid|omeprazole|gaviscon|\\bPPI\\b",
    "-2 exertional pain: on exertion|walking uphill|relieved by rest",
], ["Trial of proton pump inhibitor", "Lifestyle advice", "Endoscopy if alarm features"],
   syn=["GORD", "GERD", "gastroesophageal reflux disease", "acid reflux", "reflux oesophagitis", "heartburn"], src=CKS("Dyspepsia - proven GORD"))
D("Musculoskeletal chest wall pain", [
    "+3 tender or reproducible on palpation: tender\\w*|palpation|reproduc\\w*|press\\w* on",
    "+2 movement related: (on|with) (movement|twisting|turning|lifting)|strain\\w*|lift\\w*|injur\\w*|trauma|after (a )?fall",
    "+1 sharp localised pain: sharp|localised|localized|point",
    "-2 exertional pattern: relieved by rest|on exertion",
], ["Clinical examination", "12-lead ECG to exclude cardiac cause", "Simple analgesia"],
   syn=["costochondritis", "chest wall strain", "musculoskeletal chest pain", "Tietze syndrome"], src=CKS("Chest pain"))
D("Panic disorder", [
    "+3 panic attacks or anxiety: panic|anxi\\w*|stress\\w*|fear of dying|worr\\w*",
    "+2 tingling or overbreathing: tingl\\w*|pins and needles|hyperventilat\\w*|overbreath\\w*",
    "+1 younger age: @age<40",
    "+1 recurrent episodes: episodes|attacks|comes? and goes?",
    "-2 exertional pain: on exertion|relieved by rest",
], ["12-lead ECG and thyroid function to exclude organic cause", "GAD-7 / panic assessment", "CBT referral"],
   syn=["panic attack", "anxiety", "panic attacks"], src=CKS("Generalized anxiety disorder / panic disorder"))
D("Aortic dissection", [
    "+4 tearing pain to the back: tearing|ripping|(radiat\\w*|going) (to|through) (the |his |her )?back|between (the )?shoulder ?blades",
    "+3 sudden severe onset: sudden\\w*|abrupt|worst pain",
    "+2 hypertension or Marfan: hypertens\\w*|marfan|bicuspid|cocaine",
    "+2 pulse or BP difference: (pulse|blood pressure|BP) (deficit|difference)|unequal|differ\\w* between (the )?arms",
    "+1 older male: @male",
    "+1 older age: @age>=55",
], ["CT aortic angiography", "BP in both arms", "ECG and troponin", "Emergency transfer"],
   syn=["dissecting aortic aneurysm", "thoracic aortic dissection", "type A aortic dissection", "type B aortic dissection"], src=ROSEN)
D("Pulmonary embolism", [
    "+3 pleuritic pain or sudden breathlessness: pleuritic|sudden\\w* (onset )?(short|breath|dyspn)|worse on (deep )?(breath|inspiration)",
    "+3 DVT signs: calf (swelling|tender\\w*|pain)|(leg|calf) (is |was )?swollen|swollen (right |left )?(leg|calf)|\\bDVT\\b|deep vein",
    "+3 VTE risk factors: long[- ]haul|flight|immobil\\w*|recent (surgery|operation)|post-?op\\w*|after (a |an |his |her )?(surgery|operation|replacement)|oral contraceptive|the pill|cancer|chemotherapy|postpartum|plaster cast|bed ?ridden|bed rest",
    "+2 haemoptysis: haemoptysis|hemoptysis|cough\\w* (up )?blood|blood[- ]stained sputum",
    "+2 tachycardia: @tachy",
    "+2 low oxygen: @hypoxia",
    "+1 tachycardia words: tachycardi\\w*|palpitation\\w*|racing",
    "-2 fever and productive cough: productive|purulent|green sputum|yellow sputum",
], ["CTPA (or V/Q scan)", "Wells score and D-dimer", "12-lead ECG", "Arterial blood gas / oxygen saturation"],
   syn=["PE", "pulmonary thromboembolism", "pulmonary embolus", "venous thromboembolism", "VTE"], src=CKS("Pulmonary embolism"))
D("Cardiac tamponade", [
    "+4 Beck's triad signs: muffled|distant heart sounds|raised JVP|\\bJVD\\b|jugular venous (distension|distention)|pulsus paradoxus|distended neck veins",
    "+2 hypotension: @hypotension",
    "+2 hypotension words: hypotens\\w*|low blood pressure|dizz\\w*|faint\\w*|lightheaded",
    "+2 cancer, renal failure or trauma: cancer|malignan\\w*|dialysis|renal failure|uraemi\\w*|trauma|stab",
    "+1 tachycardia: @tachy",
], ["Bedside echocardiogram", "12-lead ECG (low voltage, alternans)", "Emergency pericardiocentesis"],
   syn=["tamponade", "pericardial tamponade"], src=ROSEN)
D("Pericardial effusion", [
    "+3 effusion signs: muffled|distant heart sounds|low voltage|enlarged (cardiac|heart) silhouette|water[- ]bottle|\\bJVD\\b|raised JVP",
    "+2 cause present: hypothyroid\\w*|renal failure|tuberculosis|\\bTB\\b|cancer|lupus|viral|pericarditis",
    "+2 breathlessness: short\\w* of breath|dyspn\\w*|breathless\\w*",
    "+1 fever and cough: @fever",
], ["Echocardiogram", "12-lead ECG", "Chest x-ray", "CRP, TSH, U&E"], syn=["pericardial effusions"], src=OHCM)
D("Boerhaave syndrome", [
    "+4 chest pain after forceful vomiting: (vomit\\w*|retch\\w*)[^.]{0,60}(chest|back) pain|after (repeated |forceful )?(vomit|retch)\\w*",
    "+2 alcohol: " + ALCOHOL,
    "+2 subcutaneous emphysema: subcutaneous emphysema|crepitus in the neck|crackling",
], ["CT chest with oral contrast", "Chest x-ray", "Emergency surgical review"],
   syn=["oesophageal rupture", "esophageal rupture", "Boerhaave oesophageal rupture"], src=ROSEN)
D("Diffuse oesophageal spasm", [
    "+4 dysphagia with chest pain: (dysphagia|difficulty swallowing)[^.]{0,80}chest pain|chest pain[^.]{0,80}(swallow|dysphagia)",
    "+2 liquids and solids intermittently: (both )?(solids and liquids|liquids and solids)|intermittent\\w*|hot or cold|cold (drinks|liquids)",
    "+2 squeezing retrosternal pain: squeez\\w*|retrosternal|spasm",
    "-2 progressive weight loss: weight loss|lost weight|progressive",
], ["Barium swallow", "Oesophageal manometry", "Upper GI endoscopy", "12-lead ECG to exclude cardiac pain"],
   syn=["esophageal spasm", "oesophageal spasm", "distal esophageal spasm"], src=OHCM)
D("Atrial fibrillation", [
    "+4 irregularly irregular pulse: irregularly irregular|irregular (pulse|heartbeat|heart ?beat|rhythm)",
    "+2 older age: @age>=60",
    "+1 hypertension, heart or thyroid disease, alcohol: hypertens\\w*|heart failure|valv\\w*|thyro\\w*|" + ALCOHOL,
    "+1 fluttering: flutter\\w*",
], ["12-lead ECG", "Thyroid function, U&E, full blood count", "Echocardiogram", "CHA2DS2-VASc and ORBIT scores"],
   syn=["AF", "atrial fibrillation with rapid ventricular response", "fast AF"], src=CKS("Atrial fibrillation"))
D("Supraventricular tachycardia", [
    "+4 sudden start and stop, regular and fast: sudden(ly)? (start|onset|stop)\\w*|starts? and stops? (suddenly|abruptly)|regular (and )?fast|fast regular",
    "+2 younger age: @age<45",
    "+2 vagal manoeuvres help: valsalva|vagal|cold water|bear(ing)? down",
    "-2 irregular pulse: irregularly irregular",
], ["12-lead ECG during symptoms", "Ambulatory ECG monitoring", "Thyroid function", "Cardiology referral"],
   syn=["SVT", "AVNRT", "paroxysmal supraventricular tachycardia", "Supraventricular tachycardia (AVNRT)"], src=CKS("Palpitations"))
D("Ectopic beats", [
    "+3 skipped or missed beats: skip\\w*|missed beats?|extra beats?|thump\\w*|flip\\w*",
    "+1 caffeine or stress: caffeine|coffee|stress|tired",
    "-2 syncope or chest pain: faint\\w*|syncope|collapse\\w*",
], ["12-lead ECG", "Thyroid function and full blood count", "Reassurance if ECG normal"],
   syn=["ventricular ectopics", "premature beats", "extrasystoles", "ectopics"], src=CKS("Palpitations"))
D("Ventricular arrhythmia", [
    "+3 syncope or palpitations on exertion: (faint|collapse|syncope|black\\w* out)\\w*[^.]{0,40}(exercis|exert|running)|during exercise",
    "+3 structural heart disease: previous (heart attack|myocardial infarction|MI)|heart failure|cardiomyopath\\w*|low ejection",
    "+2 family history of sudden death: sudden (cardiac )?death|died suddenly|long QT",
    "+1 no warning: without warning|no (warning|prodrome)",
], ["12-lead ECG (QT, Brugada, pre-excitation)", "Ambulatory ECG or loop recorder", "Echocardiogram", "U&E, magnesium, calcium"],
   syn=["ventricular tachycardia", "VT", "cardiac arrhythmia", "arrhythmia", "long QT syndrome", "complete heart block"], src=ROSEN)
D("Heart failure", [
    "+3 orthopnoea or PND: orthopn\\w*|paroxysmal nocturnal|pillows|wakes? (up )?(at night )?(gasping|breathless|short of breath)|can'?t lie flat|lying flat",
    "+3 ankle or leg oedema: (ankle|leg|pedal|peripheral|lower (limb|extremit\\w*)) (swelling|o?edema)|swollen (ankles|legs|feet)|pitting",
    "+2 raised JVP or crackles: \\bJVP\\b|\\bJVD\\b|crackles|crepitations|S3|gallop",
    "+2 previous MI, hypertension or valve disease: (previous|prior|old) (heart attack|MI|myocardial)|hypertens\\w*|valv\\w*|coronary",
    "+1 older age: @age>=60",
    "+1 weight gain: weight gain|gained weight",
    "-2 young age: @age<35",
], ["NT-proBNP", "12-lead ECG", "Echocardiogram", "Chest x-ray", "U&E, full blood count, thyroid function"],
   syn=["congestive heart failure", "CHF", "acute decompensated heart failure", "left ventricular failure", "cardiac failure", "heart failure with reduced ejection fraction"],
   src=CKS("Heart failure - chronic"))
D("Cardiomyopathy", [
    "+3 cause: alcohol|" + ALCOHOL + "|postpartum|after (delivery|childbirth)|chemotherapy|viral illness|family history",
    "+2 heart failure signs: orthopn\\w*|oedema|edema|crackles|\\bJVD\\b|raised JVP|S3",
    "+1 younger or middle age: @age<60",
], ["Echocardiogram", "12-lead ECG", "NT-proBNP", "Chest x-ray"],
   syn=["dilated cardiomyopathy", "alcoholic dilated cardiomyopathy", "peripartum cardiomyopathy", "alcoholic cardiomyopathy"], src=OHCM)
D("Hypertrophic cardiomyopathy", [
    "+4 symptoms on exertion in a young person: (faint|dizz|collapse|syncope|short\\w* of breath|dyspn)\\w*[^.]{0,50}(exercis|exert|sport|running|training)",
    "+3 family history of sudden death: sudden (cardiac )?death|died suddenly|family history of (heart|cardiac)",
    "+2 systolic murmur: (systolic )?murmur",
    "+1 young age: @age<40",
], ["Echocardiogram", "12-lead ECG", "Ambulatory ECG", "Cardiology referral; avoid strenuous exercise"],
   syn=["HCM", "HOCM", "hypertrophic obstructive cardiomyopathy"], src=OHCM)
D("Aortic stenosis", [
    "+3 exertional syncope, angina or breathlessness: (exert|exercis|walking)\\w*",
    "+3 ejection systolic murmur: ejection systolic|systolic murmur|murmur",
    "+2 older age: @age>=65",
], ["Echocardiogram", "12-lead ECG", "Cardiology referral"], syn=["AS", "calcific aortic stenosis"], src=OHCM)
D("Hypertensive emergency", [
    "+4 very high blood pressure: \\b(1[89]\\d|2\\d\\d)\\s*/\\s*(1[1-9]\\d)\\b|severe(ly)? (high|raised|elevated) blood pressure",
    "+2 end-organ symptoms: confus\\w*|visual|blurred|chest pain|headache|papilloedema",
], ["Repeat BP", "Fundoscopy", "ECG, U&E, urine dip", "Same-day admission if end-organ damage"],
   syn=["hypertensive crisis", "malignant hypertension", "accelerated hypertension"], src=CKS("Hypertension"))
D("Peripheral arterial disease", [
    "+4 calf pain on walking relieved by rest: (calf|leg|buttock|thigh) (pain|cramp\\w*)[^.]{0,60}(walk|exert)|claudicat\\w*|(relieved|eases?|goes away) (by|with|on|after) (rest|stopping)",
    "+2 smoking or diabetes: " + SMOKER + "|" + DIABETES,
    "+2 weak pulses or cold pale leg: (absent|weak|diminished|reduced) (pedal |foot |distal )?pulses|cold (feet|legs?)|shiny|hair loss",
    "+1 older age: @age>=55",
], ["Ankle-brachial pressure index", "Lipids, HbA1c", "Arterial duplex ultrasound", "Vascular referral"],
   syn=["peripheral vascular disease", "PVD", "PAD", "intermittent claudication", "Peripheral arterial disease with intermittent claudication"],
   src=CKS("Peripheral arterial disease"))
D("Acute limb ischaemia", [
    "+4 cold pale pulseless limb: cold (and )?(pale|white)|pulseless|no pulses?|(absent|no) (pedal|foot|femoral) pulses?|white (leg|foot)|mottled",
    "+3 sudden onset: sudden\\w*|abrupt",
    "+2 atrial fibrillation: atrial fibrillation|\\bAF\\b|irregular pulse",
    "+2 numb or paralysed limb: numb\\w*|paralys\\w*|can'?t move",
], ["Emergency vascular referral", "Handheld Doppler", "ECG", "Heparin per vascular advice"],
   syn=["acute limb ischemia", "arterial embolism", "acute arterial occlusion"], src=ROSEN)
D("Abdominal aortic aneurysm", [
    "+4 pulsatile mass: pulsatile|pulsating|expansile",
    "+3 older male smoker: " + SMOKER,
    "+2 older age: @age>=60",
    "+2 older male: @male",
    "+2 back or flank pain with collapse: (back|flank|loin) pain|collapse\\w*|faint\\w*|@hypotension",
    "+1 hypertension or vascular disease: hypertens\\w*|peripheral vascular|coronary",
    "-3 young age: @age<45",
], ["Bedside ultrasound of the aorta", "CT angiography if stable", "Emergency vascular referral if symptomatic"],
   syn=["AAA", "leaking abdominal aortic aneurysm", "ruptured abdominal aortic aneurysm", "ruptured AAA"], src=ROSEN)
D("Vasovagal syncope", [
    "+4 trigger and prodrome: standing (for )?(a )?long|prolonged standing|hot|crowd\\w*|sight of blood|needle|pain|emotion\\w*|fear|warm|queue|church",
    "+3 prodrome: lightheaded\\w*|light[- ]headed|nause\\w*|sweat\\w*|tunnel vision|vision (went )?(grey|black|dark)|felt (hot|warm)|pale|yawn",
    "+2 quick recovery: (came|come) (round|around|to) (quickly|within)|quick(ly)? recover\\w*|(recover\\w*|back to normal) (quickly|within)",
    "+1 young age: @age<40",
    "-3 exertional syncope: during (exercise|exertion)|while running",
], ["12-lead ECG", "Lying and standing BP", "Reassurance and trigger avoidance"],
   syn=["simple faint", "vasovagal faint", "neurocardiogenic syncope", "reflex syncope"], src=CKS("Blackouts - transient loss of consciousness"))
D("Orthostatic hypotension", [
    "+4 on standing up: (on|when|after) (standing|getting) up|stand\\w* up|getting out of (bed|a chair)|postural|from (lying|sitting)",
    "+3 drugs, dehydration or blood loss: antihypertensive|diuretic|tamsulosin|amlodipine|doxazosin|nitrate|dehydrat\\w*|diarrh\\w*|vomit\\w*|not (eating|drinking)|hot weather",
    "+2 low blood pressure: hypotens\\w*|low blood pressure|@hypotension|\\b(8\\d|9\\d)\\s*/\\s*\\d{2}\\b",
    "+1 older age: @age>=65",
], ["Lying and standing blood pressure", "12-lead ECG", "U&E and glucose", "Medication review"],
   syn=["postural hypotension", "hypotension", "drug-induced orthostatic hypotension", "exercise-associated postural hypotension"],
   src=CKS("Blackouts - transient loss of consciousness"))
D("Deep vein thrombosis", [
    "+4 unilateral calf swelling: (calf|leg|lower leg)[^.]{0,30}(swell\\w*|swollen|tender\\w*|larger|bigger)|swollen (right |left )?(calf|leg)|unilateral",
    "+3 VTE risk factors: long[- ]haul|flight|immobil\\w*|recent (surgery|operation)|post-?op\\w*|oral contraceptive|the pill|cancer|chemotherapy|postpartum|pregnan\\w*|plaster|bed ?ridden|previous (DVT|clot)",
    "+2 pitting oedema or warmth: pitting|warm\\w*|dilated (superficial )?veins|homan",
    "-2 redness spreading with fever: @fever",
    "-1 bilateral: both (legs|ankles|calves)|bilateral",
], ["Wells DVT score and D-dimer", "Proximal leg vein ultrasound", "Full blood count, U&E, clotting"],
   syn=["DVT", "deep venous thrombosis", "venous thrombosis", "unprovoked deep vein thrombosis"], src=CKS("Deep vein thrombosis"))
D("Superficial thrombophlebitis", [
    "+4 tender cord along a vein: cord|along (the |a )?(course of the )?vein|varicose|palpable vein|thrombophleb\\w*",
    "+2 localised redness: (red|redness|erythema)[^.]{0,30}(line|streak|along)|linear",
    "+1 IV cannula or varicose veins: cannula|drip|varicose",
], ["Clinical examination", "Ultrasound if near saphenofemoral junction", "NSAID and compression"],
   syn=["thrombophlebitis", "superficial vein thrombosis", "superficial venous thrombosis"], src=CKS("Thrombophlebitis - superficial"))
D("Chronic venous insufficiency", [
    "+3 varicose veins or skin changes: varicose|venous eczema|haemosiderin|hemosiderin|brown (skin|discolou?ration)|lipodermato\\w*",
    "+2 bilateral, worse at end of day: both (legs|ankles)|bilateral|end of the day|evening",
], ["Ankle-brachial pressure index", "Venous duplex", "Compression after ABPI"], syn=["venous insufficiency", "venous stasis"], src=CKS("Varicose veins"))

# ---------------------------------------------------------------- respiratory and ENT
D("Asthma", [
    "+4 wheeze: wheez\\w*",
    "+3 triggers or variability: trigger\\w*|exercise|cold air|pollen|dust|cat|dog|at night|night[- ]?time|early morning|season\\w*|allerg\\w*",
    "+2 atopy: eczema|hay ?fever|atop\\w*|allergic rhinitis",
    "+1 young age: @age<40",
    "+1 chest tightness: tight\\w*",
    "-2 heavy smoker, older: @age>=60",
], ["Peak flow (variability) or spirometry with reversibility", "FeNO", "Oxygen saturation"],
   syn=["bronchial asthma", "acute asthma", "asthma exacerbation", "moderate acute asthma exacerbation"], src=CKS("Asthma"))
D("Chronic obstructive pulmonary disease", [
    "+4 long smoking history: " + SMOKER,
    "+3 chronic productive cough: (chronic|persistent|every morning|for (years|months)|most days)[^.]{0,40}(cough|sputum|phlegm)|(cough|sputum)[^.]{0,40}(for (years|months)|every (day|morning)|most days|winter)",
    "+2 older age: @age>=45",
    "+2 progressive breathlessness on exertion: (exertion|walking|stairs|climb\\w*)|progressive|gradual\\w*",
    "+1 wheeze: wheez\\w*",
    "-2 young age: @age<35",
], ["Spirometry (post-bronchodilator FEV1/FVC < 0.7)", "Chest x-ray", "Full blood count", "Oxygen saturation"],
   syn=["COPD", "chronic bronchitis", "emphysema", "infective exacerbation of COPD", "COPD exacerbation", "chronic obstructive airways disease"],
   src=CKS("Chronic obstructive pulmonary disease"))
D("Community-acquired pneumonia", [
    "+3 fever: @fever",
    "+3 productive cough: productive|sputum|phlegm|rusty|green|yellow|purulent",
    "+2 pleuritic pain or focal signs: pleuritic|crackles|crepitations|bronchial breathing|dull\\w* (to|on) percussion|consolidation",
    "+2 fast breathing or low oxygen: @tachypnoea|@hypoxia",
    "+1 chills: chills|rigors|shiver\\w*",
], ["Chest x-ray", "CRB-65 / CURB-65 score", "Full blood count, CRP, U&E", "Sputum and blood cultures if severe"],
   syn=["pneumonia", "CAP", "typical pneumonia", "lobar pneumonia", "bacterial pneumonia", "chest infection", "lower respiratory tract infection", "aspiration pneumonia"],
   src=CKS("Chest infections - adult"))
D("Acute bronchitis", [
    "+3 cough after a cold: (cough)[^.]{0,60}(after|following|preceded by) (a )?(cold|flu|sore throat|runny nose|nasal congestion|headache)|preceded by|(cold|sore throat|nasal congestion)[^.]{0,40}(then|followed)",
    "+2 cough under 3 weeks: (\\d|1\\d|two|three|ten|few) (days|day)|a week|1 week|2 weeks",
    "+1 becoming productive: productive|sputum|phlegm",
    "-3 high fever or focal chest signs: crackles|crepitations|bronchial breathing|consolidation|@hypoxia",
    "-1 fever: @fever",
], ["Clinical diagnosis; CRP if pneumonia suspected", "Chest x-ray if focal signs", "Safety-net advice"],
   syn=["bronchitis", "acute cough", "chest cold"], src=CKS("Chest infections - adult"))
D("Viral upper respiratory tract infection", [
    "+3 coryzal symptoms: runny nose|rhinorrh\\w*|nasal (congestion|discharge)|blocked nose|sneez\\w*|coryza\\w*|stuffy",
    "+2 sore throat: sore ?throat|scratchy throat",
    "+1 short illness: (\\d|two|three|few) days",
    "+1 contacts unwell: (sick|unwell|ill) (contacts?|people)|others? (at home|in the family) (unwell|ill|sick)|sibling|nursery|school",
    "-2 breathing difficulty: @hypoxia|@tachypnoea",
], ["Clinical diagnosis", "Safety-net advice", "No antibiotics"],
   syn=["common cold", "URTI", "upper respiratory tract infection", "viral URTI", "coryza", "viral upper respiratory infection", "cold"], src=CKS("Common cold"))
D("COVID-19", [
    "+5 loss of smell or taste: (loss|lost) (of )?(smell|taste)|anosmia|ageusia|can'?t (smell|taste)",
    "+2 fever, dry cough and muscle aches: dry cough|muscle ache\\w*|myalgia|body ache\\w*|fatigue\\w*",
    "+2 contact or outbreak: covid|coronavirus|contact with (a )?(covid|positive)",
    "-3 negative covid test: covid[^.]{0,20}(test|pcr)[^.]{0,10}negative|negative covid",
], ["SARS-CoV-2 PCR or antigen test", "Oxygen saturation", "Chest x-ray if hypoxic"],
   syn=["COVID 19", "covid", "SARS-CoV-2 infection", "coronavirus disease 2019"], src=CKS("COVID-19"))
D("Influenza", [
    "+3 sudden fever with aches: sudden\\w*[^.]{0,30}(fever|high temperature)|muscle ache\\w*|myalgia|body ache\\w*|aching all over",
    "+2 flu season or contacts: flu|influenza|season|epidemic",
    "+1 fever: @fever",
], ["Clinical diagnosis; influenza PCR if admitted", "Oxygen saturation", "Antivirals if at high risk"],
   syn=["flu", "seasonal influenza"], src=CKS("Influenza - seasonal"))
D("Pulmonary tuberculosis", [
    "+4 cough over 3 weeks with night sweats or weight loss: night sweats?|weight loss|lost weight|loss of weight",
    "+3 long cough: (cough)[^.]{0,40}(\\d+|three|four|six|several) (weeks|months)|(weeks|months) of cough",
    "+3 TB exposure or risk: \\bTB\\b|tubercul\\w*|HIV|prison|miner|contact|homeless|born in|from (india|pakistan|africa|somalia)",
    "+2 haemoptysis: haemoptysis|hemoptysis|blood",
    "+1 fever: @fever",
], ["Chest x-ray", "Sputum smear, GeneXpert and culture x3", "HIV test"],
   syn=["tuberculosis", "TB", "pulmonary TB", "recurrent pulmonary tuberculosis"], src=CKS("Tuberculosis"))
D("Lung cancer", [
    "+3 heavy smoker: " + SMOKER,
    "+3 weight loss or haemoptysis: weight loss|lost weight|haemoptysis|hemoptysis|blood[- ]stained|streak\\w* of blood",
    "+2 persistent or changed cough: persistent|change\\w* (in )?(his |her )?cough|(\\d+|three|six) (weeks|months)",
    "+2 older age: @age>=50",
    "+1 hoarse voice or finger clubbing: hoars\\w*|clubb\\w*",
], ["Urgent chest x-ray", "CT chest (2-week-wait referral)", "Full blood count, calcium"],
   syn=["lung carcinoma", "bronchogenic carcinoma", "bronchial carcinoma", "non-small cell lung cancer", "small cell lung cancer"], src=CKS("Lung and pleural cancers - recognition and referral"))
D("Bronchiectasis", [
    "+4 large daily sputum volumes: (large|copious|cupfuls?|lots of) (amounts? of )?(sputum|phlegm)|every morning|daily (sputum|phlegm)",
    "+2 recurrent chest infections: recurrent (chest )?infection\\w*|repeated (chest )?infection\\w*|(previous|past|childhood) (TB|tuberculosis|pneumonia|whooping)",
    "+1 clubbing or coarse crackles: clubb\\w*|coarse crackles",
], ["High-resolution CT chest", "Sputum culture", "Spirometry"], syn=["post-tuberculous bronchiectasis"], src=CKS("Bronchiectasis"))
D("Pneumothorax", [
    "+4 sudden pleuritic pain and breathlessness: sudden\\w*|abrupt",
    "+3 tall thin young smoker or lung disease: tall|thin|" + SMOKER + "|COPD|emphysema|asthma|cystic fibrosis|marfan",
    "+3 reduced breath sounds, hyperresonance: (reduced|decreased|absent|diminished) (breath|air entry)|hyper-?resonan\\w*",
    "+1 young male: @male",
], ["Chest x-ray", "Oxygen saturation", "Aspiration or chest drain per BTS guideline"],
   syn=["spontaneous pneumothorax", "primary spontaneous pneumothorax", "secondary spontaneous pneumothorax", "collapsed lung"], src=CKS("Pneumothorax"))
D("Tension pneumothorax", [
    "+4 shock with tracheal deviation: trache\\w* (deviat\\w*|shift\\w*)|deviated trachea|@hypotension",
    "+3 trauma or ventilation: trauma|stab|rib fracture|ventilat\\w*",
    "+2 absent breath sounds: absent breath sounds|hyper-?resonan\\w*",
], ["Immediate needle decompression", "Chest drain", "Chest x-ray after decompression"], syn=["tension pneumothoraces"], src=ROSEN)
D("Interstitial lung disease", [
    "+4 fine bibasal crackles: fine (bibasal |basal |velcro )?crackles|velcro|bibasal crackles",
    "+3 dry cough and progressive breathlessness over months: (months|progressive)[^.]{0,40}(breath|dyspn)|dry cough",
    "+2 exposure: asbestos|bird|pigeon|silica|coal|amiodarone|methotrexate|rheumatoid|systemic sclerosis|scleroderma",
    "+1 clubbing: clubb\\w*",
], ["High-resolution CT chest", "Spirometry with gas transfer", "Autoimmune screen"],
   syn=["pulmonary fibrosis", "idiopathic pulmonary fibrosis", "ILD"], src=OHCM)
D("Pleural effusion", [
    "+4 stony dull percussion: stony dull|dull\\w* (to|on) percussion|reduced breath sounds at the base",
    "+2 cause: heart failure|cancer|tubercul\\w*|pneumonia",
], ["Chest x-ray", "Pleural ultrasound and aspiration", "Pleural fluid protein, LDH, cytology, culture"], syn=["tuberculous pleural effusion"], src=OHCM)
D("Anaphylaxis", [
    "+4 allergen exposure: (after|following) (eating|a sting|being stung|taking|an? injection)|peanut|nut\\w*|shellfish|bee|wasp|sting|penicillin|new (drug|medication)",
    "+3 hives or swelling: urticaria|hives|angio-?o?edema|(lip|tongue|face|throat) swell\\w*|swollen (lips?|tongue|face|throat)",
    "+3 wheeze, stridor or collapse: wheez\\w*|stridor|@hypotension|collapse\\w*",
], ["IM adrenaline 0.5 mg now", "Airway, oxygen, IV fluids", "Mast cell tryptase"], syn=["anaphylactic shock", "anaphylactic reaction"], src=ROSEN)
D("Allergic rhinitis", [
    "+4 sneezing, itchy eyes, clear discharge: sneez\\w*|itch\\w* (eyes|nose)|watery eyes|clear (nasal )?discharge",
    "+3 seasonal or allergen triggers: season\\w*|spring|summer|pollen|dust|cat|dog|animal|hay ?fever|allerg\\w*",
    "-3 fever: @fever",
], ["Clinical diagnosis", "Trial of intranasal steroid and antihistamine", "Allergy testing if unclear"],
   syn=["hay fever", "seasonal allergic rhinitis", "perennial rhinitis"], src=CKS("Allergic rhinitis"))
D("Acute sinusitis", [
    "+4 facial pain and purulent discharge: (facial|cheek|maxillary|frontal|sinus) (pain|pressure|tenderness)|pain over (the )?(cheek|sinus|forehead)|purulent|green (nasal )?discharge",
    "+2 worse bending forward or after a cold: bend\\w* (forward|down)|after a cold|double sickening|(\\d{2}|ten) days",
], ["Clinical diagnosis", "Nasal saline and analgesia", "Antibiotic only if severe or prolonged"],
   syn=["sinusitis", "acute rhinosinusitis", "acute bacterial rhinosinusitis", "rhinosinusitis"], src=CKS("Sinusitis"))
D("Croup", [
    "+5 barking cough: bark\\w*|seal[- ]like|croup\\w*",
    "+3 young child: @age<6",
    "+2 stridor or hoarseness, worse at night: stridor|hoars\\w*|at night",
], ["Clinical diagnosis", "Westley score", "Oral dexamethasone"], syn=["viral croup", "laryngotracheobronchitis"], src=CKS("Croup"))
D("Bronchiolitis", [
    "+4 infant: @age<2",
    "+3 wheeze or crackles after coryza: wheez\\w*|crackles|coryza\\w*|runny nose",
    "+2 poor feeding or fast breathing: feed\\w*|@tachypnoea|fast breathing|recession|nasal flaring|grunting",
], ["Oxygen saturation", "Feeding assessment", "Clinical diagnosis (NICE NG9)"], syn=["acute bronchiolitis", "RSV bronchiolitis"], src=CKS("Bronchiolitis in children"))
D("Pertussis", [
    "+5 whoop or coughing bouts with vomiting: whoop\\w*|paroxysm\\w*|(cough\\w*)[^.]{0,30}(vomit|turn\\w* (red|blue))|bouts",
    "+2 unvaccinated or contact: unvaccinated|not vaccinated|whooping",
], ["Per-nasal swab PCR or serology", "Notify public health", "Macrolide antibiotic"], syn=["whooping cough"], src=CKS("Whooping cough"))
D("Acute epiglottitis", [
    "+4 drooling, muffled voice, tripod position: drool\\w*|muffled|hot potato|tripod|can'?t swallow (saliva|spit)|stridor",
    "+2 high fever and toxic: @fever|toxic",
    "+1 unvaccinated: unvaccinated|not vaccinated",
], ["Do not examine the throat; senior airway help now", "Emergency transfer", "IV antibiotics"], syn=["epiglottitis", "supraglottitis"], src=ROSEN)
D("Peritonsillar abscess", [
    "+4 trismus, uvula deviation or muffled voice: trismus|can'?t open (his|her|the) mouth|uvula (deviat\\w*|pushed)|hot potato|muffled|one[- ]sided (throat )?swelling",
    "+2 worsening unilateral throat pain: one[- ]sided|unilateral|worse on (the )?(left|right)",
], ["Same-day ENT referral", "Needle aspiration or incision", "IV antibiotics"], syn=["quinsy"], src=CKS("Sore throat - acute"))
D("Acute tonsillopharyngitis", [
    "+3 sore throat with cough or coryza: cough|runny nose|rhinorrh\\w*|nasal congestion|hoars\\w*|coryza",
    "+1 fever: @fever",
    "+1 red throat: (red|inflamed|erythematous) (throat|pharynx|tonsils)",
], ["FeverPAIN or Centor score", "Analgesia and safety-net advice"],
   syn=["tonsillopharyngitis", "pharyngitis", "viral pharyngitis", "tonsillitis", "acute pharyngitis", "sore throat"], src=CKS("Sore throat - acute"))
D("Streptococcal tonsillitis", [
    "+3 tonsillar exudate: exudat\\w*|pus on (the )?tonsils?|white (patches|spots)",
    "+3 tender anterior neck nodes: tender (anterior )?(cervical |neck )?(lymph )?(nodes|glands)|swollen (neck )?glands|lymphadenopathy",
    "+2 fever: @fever",
    "-3 cough or coryza: cough|runny nose|rhinorrh\\w*|nasal congestion",
], ["FeverPAIN or Centor score", "Throat swab or rapid strep test", "Phenoxymethylpenicillin if score high"],
   syn=["strep throat", "streptococcal pharyngitis", "bacterial tonsillitis", "bacterial tonsilitis", "group A streptococcal pharyngitis"], src=CKS("Sore throat - acute"))
D("Infectious mononucleosis", [
    "+4 teenager or young adult: @age<30",
    "+3 marked fatigue and lymph nodes: fatigue|tired\\w*|exhaust\\w*|malaise|lymphadenopathy|swollen (neck )?glands|(posterior|cervical) (lymph )?nodes",
    "+2 exudate, petechiae or splenomegaly: exudat\\w*|palatal petechiae|splen\\w*|hepatospleno\\w*",
    "+2 rash after amoxicillin: amoxicillin|ampicillin",
], ["Monospot or EBV serology", "Full blood count with film", "Avoid contact sport (spleen)"],
   syn=["glandular fever", "mono", "EBV infection", "infectious mononucleosis (glandular fever)"], src=CKS("Glandular fever"))
D("Agranulocytosis", [
    "+5 carbimazole, clozapine or chemotherapy: carbimazole|propylthiouracil|clozapine|chemotherapy|methotrexate|sulfasalazine",
    "+2 fever with mouth ulcers: ulcer\\w*|@fever",
], ["Urgent full blood count (neutrophils)", "Stop the drug", "Admit if febrile and neutropenic"],
   syn=["drug-induced neutropenia", "carbimazole-induced agranulocytosis", "neutropenic sepsis"], src=OHCM)
D("Acute otitis media", [
    "+3 child: @age<10",
    "+3 bulging or red eardrum: bulg\\w*|(red|inflamed) (ear ?drum|tympanic membrane|TM)|ear ?drum",
    "+2 fever or ear pulling: @fever|pull\\w* (at )?(his |her )?ear|tug\\w*|irritab\\w*",
    "+1 recent cold: cold|runny nose|coryza",
    "-2 pain on moving the ear: tragus|pulling the (pinna|ear) hurts",
], ["Otoscopy", "Analgesia; antibiotics if criteria met"], syn=["otitis media", "AOM", "middle ear infection", "ear infection"], src=CKS("Otitis media - acute"))
D("Otitis media with perforation", [
    "+5 discharge after ear pain eased: (discharge|otorrh\\w*|pus|fluid)[^.]{0,60}(pain (eased|improved|relieved|settled|better))|pain[^.]{0,40}(relieved|eased|improved)[^.]{0,40}discharge|perforat\\w*|otorrh\\w*",
    "+2 reduced hearing: hearing|deaf\\w*",
], ["Otoscopy", "Keep ear dry; review in 6 weeks", "Antibiotics if systemically unwell"],
   syn=["otitis media with tympanic membrane perforation", "perforated eardrum", "tympanic membrane perforation"], src=CKS("Otitis media - acute"))
D("Otitis externa", [
    "+4 pain on moving the ear or itchy canal: tragus|(pulling|moving|touching) (the )?(ear|pinna)|itch\\w*|canal (swollen|red|inflamed)|swimm\\w*",
    "+2 discharge: discharge|otorrh\\w*",
], ["Otoscopy", "Topical antibiotic-steroid drops", "Aural toilet"], syn=["swimmer's ear", "acute otitis externa"], src=CKS("Otitis externa"))
D("Necrotising otitis externa", [
    "+4 diabetic or immunosuppressed with severe ear pain: " + DIABETES + "|immunosupp\\w*",
    "+3 severe night pain, granulation or cranial nerve palsy: granulation|night|facial (weakness|palsy)|severe pain",
    "+1 older age: @age>=60",
], ["Same-day ENT referral", "CT or MRI of skull base", "IV antipseudomonal antibiotics"], syn=["malignant otitis externa"], src=CKS("Otitis externa"))
D("Acute mastoiditis", [
    "+5 swelling behind the ear: (behind|over) the ear|mastoid|ear (pushed|sticking) (out|forward)|protrud\\w* ear",
    "+2 child with fever: @age<10",
], ["Emergency ENT referral", "CT temporal bone", "IV antibiotics"], syn=["mastoiditis"], src=OHP)
D("Earwax impaction", [
    "+4 gradual muffled hearing, blocked ear: wax|cerumen|blocked (ear|feeling)|muffled|fullness",
    "+2 cotton buds or hearing aid: cotton bud|q-?tip|hearing aid",
    "-2 pain or fever: @fever",
], ["Otoscopy", "Olive oil drops then irrigation if needed"], syn=["earwax blockage", "impacted cerumen", "cerumen impaction", "ear wax"], src=CKS("Earwax"))
D("Sudden sensorineural hearing loss", [
    "+5 sudden hearing loss over hours: sudden\\w*[^.]{0,30}(hearing|deaf)|woke (up )?(deaf|unable to hear)|(hearing|deaf)\\w*[^.]{0,30}(sudden|overnight)",
    "+1 tinnitus: tinnitus|ringing",
], ["Same-day ENT referral (within 24 h)", "Tuning fork tests (Weber, Rinne)", "Audiogram"], syn=["sudden deafness", "SSNHL"], src=CKS("Hearing loss in adults"))
D("Presbycusis", [
    "+4 older with gradual bilateral hearing loss: @age>=60",
    "+2 gradual and both ears: gradual\\w*|both ears|bilateral|noisy (places|rooms)|television",
], ["Otoscopy", "Audiology referral", "Hearing aids"], syn=["age-related hearing loss"], src=CKS("Hearing loss in adults"))


def S(name: str, feats: str, workup: str, syn: str = "", src: str = OHCM) -> None:
    """A diagnosis in one line each: features, workup and synonyms separated by ' ;; '."""
    D(name, [f for f in feats.split(" ;; ") if f], [w for w in workup.split(" ;; ") if w],
      [s for s in syn.split(" ;; ") if s], src)


# ---------------------------------------------------------------- gastrointestinal and hepatobiliary
S("Biliary colic", r"+4 RUQ or epigastric pain after fatty meals: (after|following) (a )?(fatty|heavy|large|rich)? ?(meals?|food|eating)|fatty (food|meal)s? ;; +2 right upper quadrant: right upper (quadrant|abdom\w*)|\bRUQ\b|under the (right )?ribs|upper right ;; +2 female, middle-aged: @female ;; +1 obesity: obes\w*|overweight|BMI ;; +1 episodic, settles in hours: episod\w*|attacks|hours|settl\w* ;; -3 fever: @fever ;; -2 jaundice: jaundic\w*|yellow",
  "Abdominal ultrasound ;; LFTs, FBC, amylase/lipase ;; Analgesia; surgical referral",
  "cholelithiasis ;; gallstones ;; gallstone disease ;; symptomatic gallstones", CKS("Gallstones"))
S("Acute cholecystitis", r"+3 fever: @fever ;; +3 RUQ tenderness, Murphy's sign: murphy\w*|right upper (quadrant|abdom\w*)[^.]{0,30}tender\w*|\bRUQ\b ;; +2 constant pain over 6 hours: constant|persistent|(more than|over) (6|six) hours|day\w* ;; -2 jaundice: jaundic\w*|yellow",
  "Abdominal ultrasound ;; FBC, CRP, LFTs, amylase ;; Surgical admission, IV antibiotics", "cholecystitis ;; calculous cholecystitis", CKS("Gallstones"))
S("Acute cholangitis", r"+4 jaundice: jaundic\w*|yellow (skin|eyes|sclera)|icter\w* ;; +3 fever or rigors: @fever|rigors|chills ;; +2 RUQ pain: right upper (quadrant|abdom\w*)|\bRUQ\b|upper right ;; +2 dark urine or pale stool: dark urine|pale (stool|stools)|clay ;; +1 gallstones: gallstone\w*|cholelith\w*",
  "Blood cultures and IV antibiotics ;; LFTs, FBC, CRP ;; Ultrasound of biliary tree ;; Urgent ERCP", "ascending cholangitis ;; cholangitis", ROSEN)
S("Acute pancreatitis", r"+4 epigastric pain to the back: (radiat\w*|going|bores?|boring) (through )?(to|into) (the |his |her )?back|band-like ;; +3 alcohol or gallstones: " + ALCOHOL + r"|gallstone\w* ;; +2 vomiting: vomit\w*|nause\w* ;; +2 relieved leaning forward: lean\w* forward|sitting forward ;; +1 severe epigastric pain: severe|epigastri\w*",
  "Serum lipase or amylase ;; FBC, U&E, LFTs, calcium, glucose ;; Abdominal ultrasound ;; Glasgow-Imrie severity", "pancreatitis ;; acute alcoholic pancreatitis ;; gallstone pancreatitis", ROSEN)
S("Chronic pancreatitis", r"+4 chronic alcohol use: " + ALCOHOL + r" ;; +3 recurrent or chronic epigastric pain: recurrent|chronic|(months|years)|episodes ;; +3 steatorrhoea, weight loss or diabetes: steatorr\w*|greasy|pale (and )?(bulky|oily|floating)|oily|foul[- ]smelling|weight loss|" + DIABETES,
  "Faecal elastase ;; CT pancreas ;; HbA1c ;; Amylase/lipase may be normal", "", OHCM)
S("Peptic ulcer disease", r"+4 epigastric pain related to meals: (gnaw\w*|burning)|(worse|better|relieved|eases?|wakes?)[^.]{0,20}(food|eating|meals|night)|hunger ;; +3 NSAIDs or H. pylori: NSAID\w*|ibuprofen|naproxen|diclofenac|aspirin|pylori ;; +2 epigastric: epigastri\w*|upper (abdom\w*|stomach)|pit of (the )?stomach ;; +1 smoking or alcohol: " + SMOKER,
  "H. pylori stool antigen or breath test ;; FBC (anaemia) ;; Endoscopy if over 55 or alarm features ;; Stop NSAIDs; PPI",
  "peptic ulcer ;; gastric ulcer ;; duodenal ulcer ;; PUD ;; bleeding peptic ulcer", CKS("Dyspepsia - proven peptic ulcer"))
S("Functional dyspepsia", r"+3 fullness, bloating, early satiety: full\w*|bloat\w*|early satiety|pressure|discomfort ;; +2 long history without alarm features: (months|years)|recurrent|chronic ;; +1 anxiety or stress: stress|anxi\w* ;; -3 weight loss or bleeding: weight loss|melaena|melena|black stool|vomit\w* blood",
  "H. pylori test ;; FBC ;; Trial of PPI ;; Endoscopy only with alarm features", "non-ulcer dyspepsia ;; dyspepsia ;; indigestion", CKS("Dyspepsia - unidentified cause"))
S("Gastritis", r"+3 alcohol or NSAIDs: " + ALCOHOL + r"|NSAID\w*|ibuprofen|aspirin ;; +2 epigastric burning with nausea: burning|nause\w*",
  "H. pylori test ;; FBC ;; PPI trial", "acute gastritis ;; erosive gastritis", CKS("Dyspepsia - unidentified cause"))
S("Perforated peptic ulcer", r"+5 sudden severe pain with rigid abdomen: rigid|board[- ]like|guarding|peritonism|peritonitis ;; +3 sudden onset: sudden\w* ;; +2 ulcer or NSAID history: ulcer|NSAID\w*|ibuprofen|steroid",
  "Erect chest x-ray (free air) ;; CT abdomen ;; Emergency surgical review", "perforated ulcer ;; perforated viscus ;; perforation", ROSEN)
S("Gastric cancer", r"+4 weight loss or early satiety: weight loss|lost weight|early satiety|loss of appetite ;; +3 older age: @age>=55 ;; +2 anaemia or vomiting: anaemi\w*|anemi\w*|vomit\w*|black stool|melaena ;; +1 dysphagia: dysphagia",
  "Urgent upper GI endoscopy (2-week-wait) ;; FBC ;; CT staging if confirmed", "stomach cancer ;; gastric carcinoma ;; gastric adenocarcinoma", CKS("Gastrointestinal tract (upper) cancers"))
S("Acute appendicitis", r"+5 pain moved to the right iliac fossa: (started|began)[^.]{0,40}(umbilic\w*|belly button|navel|middle)[^.]{0,60}(right|RIF|RLQ)|migrat\w*|mcburney ;; +3 right lower quadrant: right (lower|iliac)|\bRIF\b|\bRLQ\b ;; +2 anorexia, nausea or low fever: anorexia|off (his|her) food|loss of appetite|nause\w*|vomit\w*|@fever ;; +2 worse on movement, rebound: rebound|guarding|cough\w*|walking|bump|rovsing ;; +1 young age: @age<35",
  "FBC and CRP ;; Pregnancy test in women ;; Ultrasound or CT abdomen ;; Surgical review", "appendicitis", ROSEN)
S("Mesenteric adenitis", r"+4 child with recent sore throat or viral illness: sore throat|viral|cold|URTI|tonsil\w* ;; +3 child: @age<16 ;; +1 fever: @fever",
  "FBC, CRP ;; Ultrasound abdomen ;; Surgical review if not settling", "mesenteric lymphadenitis", OHP)
S("Ovarian cyst", r"+4 sudden one-sided pelvic pain mid-cycle or after sex: mid-?cycle|ovulat\w*|(after|during) (sex|intercourse|exercise)|cyst ;; +2 female of reproductive age: @female ;; +1 young age: @age<45",
  "Pregnancy test ;; Pelvic ultrasound ;; FBC", "ruptured ovarian cyst ;; haemorrhagic ovarian cyst ;; ovarian cyst rupture ;; corpus luteum cyst", CKS("Ovarian cysts"))
S("Ovarian torsion", r"+5 sudden severe one-sided pain with vomiting: sudden\w*[^.]{0,60}(vomit|nause)|sudden(ly)? (severe|onset)|colicky ;; +3 known cyst or mass: cyst|mass|enlarged ovary|IVF|ovarian stimulation ;; +2 female: @female",
  "Pelvic ultrasound with Doppler ;; Pregnancy test ;; Emergency gynaecology review", "adnexal torsion ;; torsion of the ovary", ROSEN)
S("Crohn disease", r"+4 chronic diarrhoea, weight loss and pain in a young adult: weight loss|lost weight|(months|weeks) of (diarrh\w*|abdominal pain) ;; +3 mouth ulcers or perianal disease: mouth ulcers|aphthous|perianal|fistula|fissure ;; +2 young age: @age<40 ;; +1 smoker or family history: " + SMOKER + r"|family history",
  "Faecal calprotectin ;; FBC, CRP, albumin, ferritin ;; Colonoscopy with ileoscopy", "crohn's disease ;; crohns disease ;; regional enteritis ;; inflammatory bowel disease", CKS("Crohn's disease"))
S("Ulcerative colitis", r"+5 bloody diarrhoea with mucus: (bloody|blood)[^.]{0,20}(diarrh\w*|stools?)|mucus|urgency|tenesmus ;; +2 weeks to months: (weeks|months) ;; +1 young adult: @age<45 ;; +1 non-smoker: ex-?smoker|stopped smoking",
  "Faecal calprotectin and stool culture ;; FBC, CRP, albumin ;; Flexible sigmoidoscopy or colonoscopy", "UC ;; colitis ;; inflammatory bowel disease", CKS("Ulcerative colitis"))
S("Diverticulitis", r"+4 left lower abdominal pain: left (lower|iliac)|\bLIF\b|\bLLQ\b|lower left ;; +2 older age: @age>=50 ;; +2 fever: @fever ;; +1 change in bowel habit or constipation: constipat\w*|bowel habit|diverticul\w*",
  "FBC, CRP ;; CT abdomen if complicated ;; Oral antibiotics if systemically unwell", "acute diverticulitis ;; sigmoid diverticulitis", CKS("Diverticular disease"))
S("Diverticulosis", r"+4 painless fresh rectal bleeding in an older person: painless|bright red|fresh blood|maroon ;; +3 older age: @age>=60 ;; +1 constipation: constipat\w*",
  "FBC ;; Colonoscopy ;; Haemodynamic assessment", "diverticular disease ;; diverticular bleeding", CKS("Diverticular disease"))
S("Irritable bowel syndrome", r"+4 recurrent pain relieved by defecation with bloating: (relieved|better|eases?) (by|after|with|on) (opening (the|his|her) bowels|defecat\w*|passing stool|going to the toilet)|bloat\w* ;; +2 alternating bowel habit: alternat\w*|constipation and diarrh\w*|mucus ;; +2 young woman: @age<45 ;; +1 stress: stress|anxi\w* ;; -3 weight loss or bleeding: weight loss|rectal bleeding|blood in (the )?stool|nocturnal|anaemi\w*",
  "FBC, CRP, coeliac serology ;; Faecal calprotectin ;; Positive diagnosis if no red flags", "IBS ;; spastic colon", CKS("Irritable bowel syndrome"))
S("Constipation", r"+4 infrequent hard stools: constipat\w*|hard (stools?|poo)|not opened (his|her) bowels|straining|infrequent ;; +2 opioids, iron or immobility: codeine|morphine|opioid|iron|immobil\w*|low fibre|dehydrat\w* ;; +1 faecal loading: loaded|impact\w*",
  "Abdominal and rectal examination ;; Calcium, TFT if persistent ;; Laxatives and fluids", "functional constipation ;; faecal impaction ;; constipation with faecal loading", CKS("Constipation"))
S("Viral gastroenteritis", r"+4 acute diarrhoea and vomiting: (diarrh\w*|loose stools?)[^.]{0,40}vomit\w*|vomit\w*[^.]{0,40}(diarrh\w*|loose)|watery ;; +2 contacts or food: (others|family|contacts?|household|brother|sister)[^.]{0,40}(same|similar|unwell|ill)|outbreak|nursery|cruise ;; +1 short illness: (\d|one|two|three) days? ;; -3 bloody stool: blood\w*|bloody",
  "Clinical diagnosis ;; Assess dehydration ;; U&E if severe", "gastroenteritis ;; acute infective gastroenteritis ;; stomach bug ;; viral gastroenteritis (norovirus)", CKS("Gastroenteritis"))
S("Bacterial gastroenteritis", r"+3 bloody diarrhoea or high fever: bloody|blood in (the )?stool|@fever ;; +3 food or water source: (chicken|eggs?|takeaway|restaurant|barbecue|undercooked|meat|seafood|picnic|wedding|party|buffet|water)|food poisoning|travel\w* ;; +2 abdominal cramps: cramp\w*",
  "Stool culture ;; U&E if dehydrated ;; Oral rehydration", "acute bacterial gastroenteritis ;; food poisoning ;; bacterial dysentery ;; campylobacter ;; salmonella ;; shigella ;; infectious diarrhea", CKS("Gastroenteritis"))
S("Lactose intolerance", r"+5 symptoms after milk or dairy: milk|dairy|cheese|ice cream|lactose ;; +2 bloating and wind: bloat\w*|gas|wind|flatulen\w*|cramp\w* ;; -3 weight loss or blood: weight loss|blood",
  "Dietary exclusion trial ;; Coeliac serology ;; Hydrogen breath test", "lactase deficiency", MURTAGH)
S("Coeliac disease", r"+4 chronic diarrhoea, bloating, anaemia or weight loss: (chronic|weeks|months)[^.]{0,30}diarrh\w*|bloat\w*|anaemi\w*|anemi\w*|weight loss ;; +2 after gluten or family history: gluten|bread|pasta|wheat|family history|type 1 diabetes|dermatitis herpetiformis",
  "Tissue transglutaminase IgA with total IgA ;; FBC, ferritin, folate ;; Duodenal biopsy", "celiac disease ;; gluten-sensitive enteropathy", CKS("Coeliac disease"))
S("Clostridioides difficile infection", r"+5 recent antibiotics or hospital stay: (recent|course of|after|finished) (a course of )?antibiotic\w*|clindamycin|co-?amoxiclav|ciprofloxacin|cephalosporin|hospital ;; +2 watery diarrhoea: watery|diarrh\w*",
  "Stool C. difficile toxin ;; FBC, U&E ;; Isolate", "C diff ;; C. difficile colitis ;; pseudomembranous colitis ;; Clostridium difficile", CKS("Diarrhoea - antibiotic associated"))
S("Hyperemesis gravidarum", r"+5 pregnant: " + PREG + r" ;; +3 many vomits, unable to keep fluids: (unable|can'?t|cannot) (to )?keep (anything|fluids|food)|many times|persistent vomit\w*|ketones|weight loss|dehydrat\w* ;; +1 first trimester: ([4-9]|1[0-4]) weeks",
  "Urine ketones ;; U&E, LFTs, TFT ;; Pelvic ultrasound (twins, molar) ;; PUQE score", "severe nausea and vomiting of pregnancy", CKS("Nausea/vomiting in pregnancy"))
S("Small bowel obstruction", r"+4 colicky pain, vomiting, distension and no flatus: distend\w*|distension|bloat\w*|not (passed|passing) (wind|flatus|stool)|absolute constipation|no (flatus|bowel movement) ;; +3 previous surgery or hernia: (previous|prior|past) (abdominal )?(surgery|operation|laparotomy|appendicectomy|caesarean)|hernia|adhesion\w* ;; +2 vomiting: vomit\w*|bilious|faeculent ;; +1 colicky pain: colick\w*|cramp\w*",
  "Erect chest and abdominal x-ray or CT abdomen ;; U&E, FBC, lactate ;; NG tube, IV fluids, surgical review", "bowel obstruction ;; intestinal obstruction ;; adhesional small bowel obstruction ;; large bowel obstruction ;; SBO", ROSEN)
S("Acute mesenteric ischaemia", r"+5 pain out of proportion to examination: out of proportion|soft abdomen|severe pain[^.]{0,40}(soft|minimal tenderness) ;; +3 atrial fibrillation or vascular disease: atrial fibrillation|\bAF\b|irregular pulse|peripheral vascular|vascular disease ;; +2 older age: @age>=60 ;; +1 bloody diarrhoea or raised lactate: lactate|bloody",
  "Serum lactate ;; CT mesenteric angiography ;; Emergency surgical review", "mesenteric ischaemia ;; mesenteric ischemia ;; ischaemic bowel ;; bowel ischaemia ;; ischaemic colitis", ROSEN)
S("Intussusception", r"+5 infant with episodic inconsolable crying and drawing up legs: (draw\w*|pull\w*) (up )?(his|her|their)? ?(legs|knees)|inconsolable|episod\w*|redcurrant|red currant|jelly ;; +3 infant or toddler: @age<3 ;; +2 vomiting or lethargy: vomit\w*|letharg\w*|pale",
  "Abdominal ultrasound (target sign) ;; Emergency paediatric surgical referral", "", OHP)
S("Infantile pyloric stenosis", r"+5 projectile vomiting in a young infant: projectile|forceful vomit\w*|vomit\w* after every feed ;; +2 hungry after vomiting, first-born boy: hungry|first[- ]born|@male ;; +2 infant: @age<1",
  "Test feed (olive) ;; Abdominal ultrasound ;; Blood gas and electrolytes", "pyloric stenosis ;; infantile hypertrophic pyloric stenosis ;; hypertrophic pyloric stenosis", OHP)
S("Viral hepatitis", r"+4 jaundice after a flu-like illness: (flu|fever|malaise|nause\w*|off food|anorexia|fatigue)[^.]{0,60}(jaundic\w*|yellow)|jaundic\w*|yellow (eyes|skin|sclera) ;; +3 exposure: travel\w*|shellfish|contaminated water|outbreak|needle|injecting|unprotected sex|tattoo|contact ;; +2 dark urine and RUQ ache: dark urine|right upper|RUQ|liver (tender|enlarged)|hepatomegaly ;; +1 young adult: @age<45",
  "LFTs and INR ;; Hepatitis A IgM, HBsAg, HCV antibody, HEV ;; FBC", "hepatitis ;; acute viral hepatitis ;; hepatitis A ;; hepatitis B ;; hepatitis E ;; acute viral hepatitis A or E", CKS("Hepatitis A"))
S("Alcohol-related liver disease", r"+5 heavy alcohol use: " + ALCOHOL + r" ;; +3 signs of chronic liver disease: spider|palmar erythema|ascites|caput|gynaecomastia|distended abdomen ;; +1 jaundice: jaundic\w*",
  "LFTs, INR, albumin ;; FBC (MCV, platelets) ;; Liver ultrasound", "alcoholic hepatitis ;; alcoholic liver disease ;; cirrhosis ;; alcohol-related cirrhosis", CKS("Alcohol - problem drinking"))
S("Choledocholithiasis", r"+4 jaundice with colicky RUQ pain: jaundic\w*[^.]{0,60}(pain|colic)|(pain|colic)[^.]{0,60}jaundic\w* ;; +2 gallstones: gallstone\w* ;; -2 fever: @fever",
  "LFTs ;; Abdominal ultrasound ;; MRCP ;; ERCP", "common bile duct stones ;; CBD stones", OHCM)
S("Pancreatic cancer", r"+5 painless jaundice with weight loss: painless|weight loss|lost weight ;; +3 older age: @age>=60 ;; +2 pale stools, itch, new diabetes: itch\w*|pale (stools|stool)|new (onset )?diabetes|back pain ;; +1 smoker: " + SMOKER,
  "LFTs ;; CT pancreas (urgent 2-week-wait) ;; CA 19-9", "pancreatic head cancer ;; carcinoma of the pancreas ;; pancreatic adenocarcinoma", CKS("Pancreatic cancer"))
S("Gilbert syndrome", r"+4 mild jaundice when fasting or ill: fast\w*|during (an )?illness|when (unwell|ill|stressed)|intermittent ;; +2 young and otherwise well: @age<30",
  "Split bilirubin (unconjugated) ;; LFTs otherwise normal ;; FBC and reticulocytes", "Gilbert's syndrome", OHCM)
S("Acute liver failure", r"+4 jaundice with confusion or bleeding: confus\w*|drows\w*|encephalopath\w*|bleed\w*|bruis\w* ;; +3 paracetamol or toxins: paracetamol|acetaminophen|overdose|mushroom",
  "INR, LFTs, glucose ;; Paracetamol level ;; Emergency liver unit discussion", "fulminant hepatic failure", ROSEN)
S("Haemorrhoids", r"+4 bright red blood on the paper: (bright red|fresh)[^.]{0,30}(blood|bleed\w*)|on (the )?(toilet )?paper|in the pan|dripping ;; +2 lump, itch or straining: lump|itch\w*|strain\w*|constipat\w* ;; -3 weight loss or change in bowel habit: weight loss|change in bowel habit",
  "Abdominal and rectal examination ;; Proctoscopy ;; FBC if heavy bleeding", "piles ;; hemorrhoids", CKS("Haemorrhoids"))
S("Anal fissure", r"+5 pain on opening bowels with fresh blood: (sharp|tearing|severe|knife)[^.]{0,20}pain[^.]{0,40}(stool|bowel|defecat\w*|opening|passing)|pain (on|when|during) (opening|passing|defecat\w*) ;; +2 constipation: constipat\w*|hard stool",
  "Examination (posterior midline tear) ;; Softeners and topical GTN/diltiazem", "fissure in ano", CKS("Anal fissure"))
S("Colonic polyps", r"+3 intermittent painless rectal bleeding in an older person: painless|intermittent|occult ;; +2 older age: @age>=50 ;; +2 family history: family history",
  "FIT test ;; FBC ;; Colonoscopy", "colorectal polyps ;; colon polyps ;; adenomatous polyps", CKS("Gastrointestinal tract (lower) cancers"))
S("Colorectal cancer", r"+4 change in bowel habit or weight loss: change (in|of) (his |her )?bowel habit|weight loss|lost weight|loss of appetite ;; +3 iron-deficiency anaemia or fatigue: anaemi\w*|anemi\w*|pale|fatigue|tired ;; +3 older age: @age>=55 ;; +2 rectal bleeding or tenesmus: rectal bleeding|blood (in|mixed)|dark blood|tenesmus|incomplete emptying ;; +1 family history: family history",
  "FIT test ;; FBC and ferritin ;; Colonoscopy (2-week-wait) ;; CT colonography if unfit", "colon cancer ;; bowel cancer ;; rectal cancer ;; colorectal carcinoma ;; colon carcinoma", CKS("Gastrointestinal tract (lower) cancers"))
S("Upper gastrointestinal haemorrhage", r"+5 haematemesis or melaena: haematemesis|hematemesis|vomit\w* (up )?blood|coffee[- ]ground\w*|melaena|melena|black (tarry )?stools? ;; +2 shock: @hypotension|@tachy|dizz\w*|faint\w* ;; +2 NSAIDs, anticoagulant or alcohol: NSAID\w*|aspirin|warfarin|anticoag\w*|" + ALCOHOL,
  "FBC, U&E (urea), clotting, crossmatch ;; Glasgow-Blatchford score ;; Urgent endoscopy", "upper GI bleed ;; GI bleed ;; gastrointestinal bleeding ;; oesophageal variceal haemorrhage ;; variceal bleed ;; occult gastrointestinal haemorrhage", ROSEN)
S("Oesophageal cancer", r"+5 progressive dysphagia to solids then liquids: progressive|solids? (then|and later|followed by|now) (liquids?|fluids?)|food sticking|food gets stuck ;; +3 weight loss: weight loss|lost weight ;; +2 older age: @age>=55 ;; +2 smoking, alcohol or reflux: " + SMOKER + r"|" + ALCOHOL + r"|reflux|barrett",
  "Urgent upper GI endoscopy (2-week-wait) ;; FBC ;; CT staging", "esophageal cancer ;; oesophageal carcinoma ;; esophageal carcinoma", CKS("Gastrointestinal tract (upper) cancers"))
S("Achalasia", r"+5 dysphagia to solids and liquids from the start with regurgitation: (both )?(solids and liquids|liquids and solids)|regurgitat\w* (of )?(undigested )?food ;; +2 younger age: @age<50 ;; +1 long history: (months|years)",
  "Barium swallow ;; Oesophageal manometry ;; Endoscopy to exclude cancer", "oesophageal achalasia ;; esophageal achalasia", OHCM)
S("Oesophagitis", r"+4 painful swallowing: odynophag\w*|pain(ful)? (on|when|with) swallow\w* ;; +3 tablets, reflux, candida or immunosuppression: doxycycline|bisphosphonate|alendronate|tablet|pill|NSAID|reflux|heartburn|candid\w*|thrush|HIV|steroid inhaler",
  "Upper GI endoscopy ;; Stop offending drug; PPI", "esophagitis ;; reflux esophagitis ;; pill esophagitis ;; candida esophagitis", OHCM)
S("Eosinophilic oesophagitis", r"+5 food bolus or atopic young man: food bolus|stuck|impact\w* ;; +2 atopy: asthma|eczema|allerg\w*|atop\w* ;; +1 young age: @age<40",
  "Upper GI endoscopy with biopsies ;; Referral to gastroenterology", "eosinophilic esophagitis ;; EoE", OHCM)
S("Oesophageal stricture", r"+4 slowly progressive solid dysphagia with long reflux history: reflux|heartburn ;; +2 no weight loss: (no|without) weight loss",
  "Upper GI endoscopy ;; Dilatation", "peptic stricture ;; esophageal stricture", OHCM)
S("Pharyngeal pouch", r"+5 regurgitation of old food, gurgling or halitosis: gurgl\w*|halitosis|bad breath|regurgitat\w* (of )?(undigested|old) food|neck swelling when (eating|drinking) ;; +2 older age: @age>=65",
  "Barium swallow ;; ENT referral", "Zenker diverticulum ;; Zenker's diverticulum", OHCM)

# ---------------------------------------------------------------- neurology
S("Tension-type headache", r"+4 band-like, pressing, both sides: band|tight\w*|pressing|pressure|both sides|bilateral|whole head ;; +2 stress or poor sleep: stress\w*|poor sleep|screen|neck (ache|tension) ;; -2 vomiting or photophobia: vomit\w*|photophob\w*",
  "Clinical diagnosis ;; BP and fundoscopy ;; Headache diary", "tension headache ;; TTH", CKS("Headache - tension-type"))
S("Migraine", r"+4 one-sided throbbing with nausea or light sensitivity: throbb\w*|puls\w*|one[- ]sided|unilateral|photophob\w*|(sensitiv\w*|bothered) (to|by) light|phonophob\w*|nause\w* ;; +3 aura or previous attacks: aura|zig-?zag|flashing lights|scotoma|(similar|previous|usual) (attacks|headaches|migraines?)|recurrent ;; +1 young woman: @female ;; +1 family history: family history",
  "Clinical diagnosis ;; BP and neurological examination ;; Headache diary", "migraine with aura ;; migraine without aura ;; migraine headache", CKS("Migraine"))
S("Cluster headache", r"+5 severe orbital pain with red watery eye: (around|behind) (the|his|her|one) eye|orbital|(watery|red|tearing) eye|lacrimation|ptosis|nasal (congestion|blockage) on the same side ;; +2 attacks at the same time daily: same time|every (night|day)|clusters?|bouts ;; +1 male: @male",
  "Clinical diagnosis ;; High-flow oxygen trial ;; Neurology referral", "", CKS("Headache - cluster"))
S("Medication overuse headache", r"+5 daily analgesics: (daily|every day|most days)[^.]{0,30}(painkillers|analgesic\w*|paracetamol|codeine|triptan|ibuprofen)|(painkillers|analgesic\w*|codeine|triptan)[^.]{0,30}(daily|every day|most days|15 days)",
  "Medication history ;; Withdraw analgesics", "analgesic overuse headache ;; rebound headache", CKS("Headache - medication overuse"))
S("Subarachnoid haemorrhage", r"+6 thunderclap, worst ever headache: thunderclap|worst headache|sudden\w*[^.]{0,30}(severe|explosive|worst)|(like|as if) (being )?(hit|struck)|peak\w* (with)?in (seconds|a minute)|maximal at onset ;; +2 neck stiffness, vomiting or collapse: neck stiff\w*|stiff neck|vomit\w*|collapse\w*|loss of consciousness ;; +1 exertion or sex: exertion|sex|lifting|straining",
  "CT head now (LP at 12 h if CT negative) ;; Emergency neurosurgical referral", "SAH ;; subarachnoid hemorrhage ;; aneurysmal subarachnoid haemorrhage", ROSEN)
S("Bacterial meningitis", r"+5 neck stiffness or photophobia with fever: neck stiff\w*|stiff neck|meningism|kernig|brudzinski|photophob\w* ;; +3 fever: @fever ;; +3 confusion or non-blanching rash: confus\w*|drows\w*|non-?blanching|purpur\w*|petechia\w* ;; +1 vomiting: vomit\w*",
  "Blood cultures then IV ceftriaxone now ;; Lumbar puncture if safe ;; Emergency transfer", "meningitis ;; meningococcal meningitis ;; pneumococcal meningitis ;; viral meningitis", ROSEN)
S("Meningococcal sepsis", r"+6 non-blanching rash: non-?blanching|purpur\w*|petechia\w*|glass test ;; +3 fever: @fever ;; +2 unwell child or young adult: cold (hands|feet|peripheries)|letharg\w*|drows\w*|leg pain",
  "IM/IV benzylpenicillin or ceftriaxone now ;; Blood cultures and meningococcal PCR ;; Emergency transfer", "meningococcal septicaemia ;; meningococcal disease ;; meningococcemia ;; meningococcal sepsis / bacterial meningitis", CKS("Meningitis - bacterial meningitis and meningococcal disease"))
S("Giant cell arteritis", r"+5 older with new temporal headache: temporal|scalp tender\w*|tender scalp|brushing (my|her|his) hair|jaw (claudication|pain (on|when) chewing)|chewing ;; +3 age over 50: @age>=55 ;; +3 visual symptoms or PMR: visual|vision|double vision|diplopia|shoulder (and hip )?(stiffness|aching)|polymyalgia ;; -3 young: @age<50",
  "Same-day ESR and CRP ;; Start prednisolone now if suspected ;; Temporal artery ultrasound or biopsy", "temporal arteritis ;; GCA", CKS("Giant cell arteritis"))
S("Brain tumour", r"+4 progressive headache worse in the morning or on straining, with vomiting: (worse|on) (in the )?(morning|waking|coughing|straining|bending|lying)|morning (headache|vomiting)|early morning|progressive|weeks ;; +3 new neurological signs or seizure: seizure\w*|fits?|weakness|ataxi\w*|unsteady|personality|behaviour|papilloedema|visual|double vision ;; +2 older age: @age>=50",
  "Neurological and fundal examination ;; Urgent MRI or CT brain ;; Neurology referral", "brain tumor ;; intracranial tumour ;; brain neoplasm ;; primary brain tumour ;; glioma ;; brain metastases ;; space-occupying lesion", CKS("Brain and central nervous system cancers"))
S("Brain abscess", r"+4 headache, fever and focal signs: @fever ;; +3 source of infection: sinus\w*|ear infection|otitis|dental|tooth|endocarditis|heart (defect|disease)|congenital heart|immunosupp\w*|HIV ;; +2 focal signs or seizure: weakness|seizure|confus\w*|vomit\w*",
  "Urgent CT or MRI brain with contrast ;; Blood cultures ;; Neurosurgical referral", "cerebral abscess ;; intracranial abscess", OHCM)
S("Idiopathic intracranial hypertension", r"+4 obese woman with headache and visual symptoms: obes\w*|BMI|overweight ;; +3 papilloedema or visual obscurations: papilloedema|papilledema|visual obscuration|blurred|pulsatile tinnitus ;; +1 female: @female",
  "Fundoscopy ;; MRI brain with venography ;; LP opening pressure", "IIH ;; pseudotumor cerebri ;; benign intracranial hypertension", OHCM)
S("Cerebral venous sinus thrombosis", r"+4 headache with pill, pregnancy or postpartum: pill|contracepti\w*|postpartum|pregnan\w*|dehydrat\w* ;; +2 seizure or focal signs: seizure|weakness|papilloedema",
  "MR or CT venography ;; Neurology referral", "CVST ;; venous sinus thrombosis", OHCM)
S("Carbon monoxide poisoning", r"+5 household members unwell or heater: (family|household|others|everyone|children)[^.]{0,40}(headache|unwell|same)|heater|stove|brazier|charcoal|gas fire|boiler|generator ;; +2 better away from home: better (when|after) (out|away|leaving)",
  "Carboxyhaemoglobin on blood gas ;; High-flow oxygen ;; Check the home appliance", "CO poisoning", ROSEN)
S("Ischaemic stroke", r"+5 sudden focal weakness, speech or face: facial droop|face (is )?droop\w*|arm (weakness|drift)|slurred speech|dysarthri\w*|aphasi\w*|hemipar\w*|one[- ]sided weakness|weakness (of|in) (the )?(left|right)|(left|right)[- ]sided weakness ;; +3 sudden onset: sudden\w*|woke (up )?with ;; +2 vascular risk: atrial fibrillation|\bAF\b|hypertens\w*|" + DIABETES + r"|" + SMOKER + r" ;; +1 older age: @age>=55",
  "FAST, glucose, time of onset ;; Emergency CT head and CT angiography ;; Stroke unit now", "stroke ;; acute stroke ;; acute ischaemic stroke ;; acute ischemic stroke ;; cerebrovascular accident ;; CVA ;; cerebral infarction ;; posterior circulation stroke ;; cerebellar stroke", CKS("Stroke and TIA"))
S("Transient ischaemic attack", r"+5 symptoms resolved within hours: (resolved|recovered|settled|gone|back to normal)[^.]{0,40}(minutes|hours|within)|lasted (\d+|a few|about) (minutes|min)|transient|amaurosis ;; +3 focal weakness or speech: weakness|slurred|speech|droop|numb\w*|vision ;; +2 vascular risk: atrial fibrillation|hypertens\w*|" + DIABETES + r"|" + SMOKER,
  "Aspirin 300 mg now ;; Specialist TIA clinic within 24 hours ;; ECG, glucose, lipids ;; Carotid imaging", "TIA ;; mini-stroke", CKS("Stroke and TIA"))
S("Intracranial haemorrhage", r"+4 anticoagulant, head injury or sudden headache with deficit: warfarin|anticoag\w*|apixaban|rivaroxaban|head (injury|trauma)|fall ;; +3 reduced consciousness or vomiting: drows\w*|GCS|vomit\w*|confus\w* ;; +2 older age: @age>=65",
  "Emergency CT head ;; Reverse anticoagulation ;; Neurosurgical referral", "intracerebral haemorrhage ;; haemorrhagic stroke ;; hemorrhagic stroke ;; subdural haematoma ;; chronic subdural haematoma ;; extradural haematoma ;; traumatic intracranial haemorrhage", ROSEN)
S("Bell palsy", r"+5 whole one side of the face including forehead: (can'?t|unable to|cannot) (close|shut) (the |his |her )?eye|forehead|whole (side of the )?face|drooping (of )?(the )?(mouth|face)|facial (weakness|palsy|paralysis) ;; +2 ear pain or taste change: ear|taste|hyperacusis ;; -3 limb weakness or speech: arm|leg|speech|slurred",
  "Examine forehead sparing ;; Prednisolone within 72 h ;; Eye protection", "Bell's palsy ;; idiopathic facial nerve palsy ;; facial nerve palsy", CKS("Bell's palsy"))
S("Carpal tunnel syndrome", r"+5 tingling in thumb, index and middle fingers at night: thumb|index|middle finger|first three fingers|median ;; +3 worse at night, shaking helps: (at|during the) night|wakes?|shak\w* (the |her |his )?hand|flick ;; +1 pregnancy, hypothyroidism, repetitive work: pregnan\w*|hypothyroid\w*|typing|keyboard|sewing|seamstress|repetitive|" + DIABETES,
  "Clinical diagnosis (Phalen, Tinel) ;; Nerve conduction studies if surgery considered ;; Wrist splint", "CTS ;; median nerve entrapment", CKS("Carpal tunnel syndrome"))
S("Peripheral neuropathy", r"+4 glove and stocking numbness: glove|stocking|both feet|feet and hands|burning feet ;; +3 diabetes, alcohol or B12: " + DIABETES + r"|" + ALCOHOL + r"|B12|chemotherapy",
  "HbA1c, B12, folate, TFT, U&E, LFTs ;; Monofilament testing", "diabetic neuropathy ;; polyneuropathy ;; diabetic peripheral neuropathy", CKS("Neuropathic pain"))
S("Guillain-Barre syndrome", r"+5 ascending weakness after an infection: ascend\w*|rising|(feet|legs)[^.]{0,40}(then|now|spread\w*)[^.]{0,20}(arms|hands)|both legs ;; +3 preceding infection: diarrh\w*|infection|cold|flu|vaccin\w* ;; +2 reduced reflexes: (absent|reduced) reflexes|areflexi\w*",
  "Spirometry (FVC) now ;; Nerve conduction studies ;; Lumbar puncture ;; Emergency neurology referral", "GBS ;; Guillain-Barre ;; Guillain Barre syndrome ;; acute inflammatory demyelinating polyneuropathy", ROSEN)
S("Multiple sclerosis", r"+4 episodes in young adult: (previous|prior|earlier) episode|relaps\w*|came and went|optic neuritis|painful (loss of )?vision|double vision|diplopia ;; +3 young adult: @age<45 ;; +2 sensory symptoms or Lhermitte: numb\w*|tingl\w*|lhermitte|electric|heat|ataxi\w*|unsteady|bladder ;; +1 female: @female",
  "MRI brain and spine ;; Neurology referral ;; Exclude B12 deficiency", "MS ;; demyelination", CKS("Multiple sclerosis"))
S("Spinal cord compression", r"+5 back pain with leg weakness or sensory level: (legs?|lower limbs?) (weak\w*|numb\w*|heavy)|sensory level|can'?t walk|unable to walk|unsteady ;; +3 cancer: cancer|malignan\w*|metasta\w*|myeloma|prostate ;; +2 bladder or bowel change: bladder|urinary (retention|incontinence)|bowel",
  "Emergency whole-spine MRI ;; Dexamethasone if malignant ;; Spinal / oncology referral", "cord compression ;; malignant spinal cord compression ;; metastatic spinal cord compression ;; MSCC ;; cervical spondylotic myelopathy", ROSEN)
S("Hypoglycaemia", r"+5 diabetic on insulin or sulfonylurea: insulin|gliclazide|glibenclamide|sulfonylurea|sulphonylurea ;; +3 sweating, shaking, confusion: sweat\w*|shak\w*|tremor|confus\w*|odd behaviour|missed (a )?meal|skipped ;; +2 low glucose: glucose[^.]{0,15}\b([0-3](\.\d)?|[1-5]\d)\b|low (sugar|glucose)|\bBM\b",
  "Capillary glucose now ;; Oral or IV glucose ;; Review diabetic medication", "hypoglycemia ;; low blood sugar ;; sulfonylurea-induced hypoglycaemia ;; insulin-induced hypoglycaemia", ROSEN)
S("Epilepsy", r"+4 previous seizures or known epilepsy: epilep\w*|previous (seizures|fits)|known (seizure|fits)|anticonvulsant|levetiracetam|valproate|lamotrigine|carbamazepine|phenytoin ;; +3 tongue bitten, incontinence, post-ictal confusion: (bit|bitten|biting) (his |her )?tongue|tongue[- ]bit\w*|incontinen\w*|wet (himself|herself)|post-?ictal|drowsy afterwards|confused afterwards ;; +2 missed doses or trigger: missed (doses|tablets)|sleep deprivation|flashing lights",
  "Capillary glucose ;; 12-lead ECG ;; Neurology first-seizure clinic ;; EEG and MRI", "seizure disorder ;; epileptic seizure ;; generalised tonic-clonic seizure", CKS("Epilepsy"))
S("Provoked seizure", r"+5 alcohol withdrawal, sleep loss, or drug: (alcohol )?withdraw\w*|stopped drinking|sleep depriv\w*|no sleep|(cocaine|amphetamine|tramadol|bupropion)|hyponatr\w* ;; +2 first seizure: first (seizure|fit)|never before",
  "Capillary glucose, U&E, calcium ;; ECG ;; First-seizure clinic", "alcohol withdrawal seizure ;; provoked seizure from sleep deprivation ;; acute symptomatic seizure", OHCM)
S("Febrile seizure", r"+6 febrile child aged 6 months to 5 years: @age<6 ;; +3 fever: @fever ;; +1 brief generalised: brief|(\d|one|two|three) minutes|generalised|generalized",
  "Find the fever source ;; Assess for meningitis ;; Parent advice", "febrile convulsion ;; febrile fit", CKS("Febrile seizure"))
S("Status epilepticus", r"+6 prolonged or repeated seizures without recovery: (more than|over|longer than) 5 min\w*|not stopp\w*|continu\w* (to )?(fit|seiz)\w*|back[- ]to[- ]back|without (regaining|recovering) consciousness|ongoing seizure",
  "Buccal midazolam or IV lorazepam now ;; Airway, oxygen, glucose ;; Emergency transfer", "status epilepticus ;; convulsive status", ROSEN)
S("Eclampsia", r"+6 pregnant or postpartum with a seizure: pregnan\w*|postpartum|post-?partum|after (delivery|giving birth)|(days|weeks) (after|since) (delivery|birth)|antenatal ;; +3 high BP or proteinuria: protein\w*|\b(1[4-9]\d)\s*/\s*(9\d|1\d\d)\b|hypertens\w*|headache|visual",
  "Magnesium sulfate now ;; BP control ;; Emergency obstetric transfer", "postpartum eclampsia ;; pre-eclampsia ;; preeclampsia ;; severe pre-eclampsia", ROSEN)
S("Neurocysticercosis", r"+5 seizure in someone from a pig-rearing or endemic area: pig|pork|endemic|latin america|village|rural ;; +2 young adult: @age<40",
  "CT or MRI brain (cysts) ;; Cysticercosis serology ;; Neurology referral", "cysticercosis", OHCM)
S("Encephalitis", r"+5 fever with confusion, odd behaviour or seizure: (confus\w*|odd behaviour|behaviour change|personality|hallucinat\w*|seizure)[^.]{0,40}|@fever ;; +2 cold sores or travel: cold sore|herpes|travel\w*",
  "IV aciclovir now ;; MRI brain and LP ;; EEG", "viral encephalitis ;; herpes simplex encephalitis ;; meningoencephalitis", ROSEN)
S("Delirium", r"+5 acute confusion fluctuating in an older person: (acute|sudden|new)\w*[^.]{0,20}confus\w*|fluctuat\w*|confused for (\d|a few|two|three) days|agitat\w*|pulling at|hallucinat\w* ;; +3 older age: @age>=70 ;; +3 infection, drug or retention cause: urine|urinary|dysuria|smell\w* urine|chest infection|cough|new (medication|tablets)|constipat\w*|retention ;; +1 fever: @fever",
  "4AT score ;; Urine dip, FBC, CRP, U&E, glucose, calcium ;; Chest x-ray ;; Medication review", "acute confusional state ;; delirium due to urinary tract infection ;; delirium due to infection", CKS("Delirium"))
S("Dementia", r"+5 gradual memory loss over months: memory|forget\w*|forgetful\w*|(months|years)|gradual\w* ;; +3 older age: @age>=65 ;; +1 lost or repetitive: lost|repeat\w*|getting lost",
  "Cognitive screen (6CIT, MoCA) ;; FBC, U&E, LFTs, TFT, B12, folate, calcium, glucose ;; Memory clinic referral", "Alzheimer's disease ;; alzheimer disease ;; vascular dementia ;; cognitive impairment", CKS("Dementia"))
S("Wernicke encephalopathy", r"+5 alcohol with confusion, ataxia or eye signs: " + ALCOHOL + r" ;; +3 ataxia or nystagmus: ataxi\w*|unsteady|nystagmus|ophthalmopleg\w*|double vision",
  "IV thiamine (Pabrinex) now, before glucose ;; Glucose ;; Admit", "Wernicke's encephalopathy ;; Wernicke-Korsakoff syndrome", OHCM)
S("Hyponatraemia", r"+5 thiazide, SSRI or low sodium: thiazide|bendroflumethiazide|indapamide|hydrochlorothiazide|SSRI|sertraline|citalopram|sodium[^.]{0,10}\b1[0-2]\d\b|hyponatr\w* ;; +2 older age: @age>=70",
  "U&E (sodium), serum and urine osmolality ;; Medication review", "hyponatremia ;; low sodium ;; thiazide-induced hyponatraemia ;; SIADH", OHCM)
S("Benign paroxysmal positional vertigo", r"+6 brief vertigo on turning or lying down: (roll\w*|turn\w*|lying|lie|looking up|tilt\w*|bending)[^.]{0,40}(bed|over|head|down|up)|position\w*|(seconds|less than a minute|under a minute|brief) ;; +2 older age: @age>=50 ;; -3 hearing loss: hearing loss|tinnitus|deaf",
  "Dix-Hallpike test ;; Epley manoeuvre ;; HINTS if atypical", "BPPV ;; positional vertigo", CKS("Benign paroxysmal positional vertigo"))
S("Vestibular neuritis", r"+5 continuous vertigo for days after a cold: (constant|continuous|persistent)[^.]{0,20}(vertigo|spinning|dizz\w*)|(days)|after (a )?(cold|viral|flu|URTI) ;; +2 nausea and vomiting: nause\w*|vomit\w* ;; -2 hearing loss: hearing loss|tinnitus|deaf",
  "HINTS examination ;; Neurological examination ;; Prochlorperazine short course", "vestibular neuronitis ;; acute vestibular syndrome", CKS("Vertigo"))
S("Labyrinthitis", r"+5 vertigo with hearing loss or tinnitus after infection: (hearing (loss|reduced|decreased)|muffled hearing|tinnitus)|after (a )?(cold|viral|flu|URTI|ear infection) ;; +2 continuous for days: (days|constant|continuous|persistent) ;; +1 ataxia: ataxi\w*|unsteady|imbalance",
  "Otoscopy and HINTS ;; Audiology ;; Neurological examination", "viral labyrinthitis ;; acute labyrinthitis", CKS("Vertigo"))
S("Meniere disease", r"+6 episodes of vertigo with hearing loss, tinnitus and ear fullness: fullness|pressure in (the|his|her) ear|(episod\w*|attacks?|recurrent)[^.]{0,60}(hearing|tinnitus)|tinnitus ;; +3 attacks lasting hours: (\d+|few|several|two|three) hours|20 minutes|lasts? (for )?hours ;; +2 fluctuating hearing loss: fluctuat\w*|hearing loss|low[- ]frequency",
  "Audiogram ;; ENT referral ;; MRI internal auditory meatus if asymmetric", "Meniere's disease ;; Menieres disease ;; endolymphatic hydrops", CKS("Meniere's disease"))
S("Posterior circulation stroke", r"+5 vertigo with focal signs: double vision|diplopia|dysarthri\w*|slurred|dysphagia|ataxi\w*|can'?t (walk|stand)|unable to (walk|stand)|numb\w*|weakness ;; +3 vascular risk and sudden onset: sudden\w*|atrial fibrillation|hypertens\w*|" + SMOKER + r" ;; +2 older age: @age>=60",
  "HINTS examination ;; Emergency MRI brain (CT angiography) ;; Stroke team", "vertebrobasilar stroke ;; brainstem stroke ;; cerebellar infarct", ROSEN)
S("Acoustic neuroma", r"+5 one-sided hearing loss and tinnitus: (one|left|right)[- ]sided (hearing|tinnitus|deaf)|unilateral (hearing|tinnitus|deaf)|(hearing|tinnitus)[^.]{0,20}(one|left|right) ear ;; +2 gradual: gradual\w*|progressive",
  "Audiogram ;; MRI internal auditory meatus ;; ENT referral", "vestibular schwannoma", OHCM)
S("Cerebellar ataxia from alcohol", r"+5 long heavy alcohol use with broad-based gait: " + ALCOHOL + r" ;; +2 wide-based gait: wide|broad[- ]based|staggering",
  "LFTs, FBC (MCV), B12 ;; MRI brain ;; Thiamine", "alcoholic cerebellar degeneration", OHCM)
S("Concussion", r"+5 head injury with brief confusion or amnesia: (hit|bang\w*|knock\w*|struck) (his|her|their)? ?head|head (injury|trauma)|concuss\w* ;; +2 headache, dizziness, amnesia: amnesi\w*|can'?t remember|dazed|headache|dizz\w*",
  "Head injury assessment (NICE criteria for CT) ;; Neurological observations ;; Head injury advice", "mild traumatic brain injury ;; minor head injury", CKS("Head injury"))

# ---------------------------------------------------------------- genitourinary, renal, obstetric and gynaecological
S("Lower urinary tract infection", r"+4 dysuria and frequency: dysuria|burn\w* (on|when) (passing urine|urinat\w*|peeing)|stinging|frequen\w*|urgency|cloudy|smelly urine ;; +2 female: @female ;; -2 fever or loin pain: @fever|loin|flank",
  "Urine dipstick ;; Urine culture if male, pregnant or recurrent ;; Pregnancy test if relevant", "cystitis ;; UTI ;; urinary tract infection ;; acute uncomplicated cystitis ;; recurrent uncomplicated cystitis ;; bladder infection", CKS("Urinary tract infection (lower) - women"))
S("Acute pyelonephritis", r"+4 fever with loin pain: (loin|flank|costovertebral|renal angle)[^.]{0,30}(pain|tender\w*)|\bCVA tenderness ;; +3 fever or rigors: @fever|rigors|chills ;; +2 urinary symptoms: dysuria|frequen\w*|urgency|burning ;; +1 vomiting: vomit\w*",
  "Urine dipstick and culture ;; FBC, U&E, CRP, blood cultures ;; Renal ultrasound if not improving", "pyelonephritis ;; upper urinary tract infection ;; kidney infection ;; urosepsis", CKS("Pyelonephritis - acute"))
S("Acute prostatitis", r"+5 male with fever, dysuria and perineal pain: perine\w*|(tender|boggy|swollen) prostate|prostat\w* ;; +3 male: @male ;; +2 fever: @fever",
  "Urine culture ;; FBC, U&E ;; Gentle DRE ;; Ciprofloxacin or per guideline", "acute bacterial prostatitis ;; prostatitis", CKS("Prostatitis - acute"))
S("Urethritis", r"+5 urethral discharge after new partner: (urethral|penile) discharge|discharge from the (penis|urethra)|new (sexual )?partner|unprotected sex ;; +1 young: @age<35",
  "NAAT for chlamydia and gonorrhoea ;; Sexual health referral ;; Partner notification", "gonococcal urethritis ;; chlamydia ;; gonorrhoea ;; gonorrhea ;; non-gonococcal urethritis", CKS("Urethritis - male"))
S("Atrophic vaginitis", r"+5 postmenopausal with dryness or dysuria: post-?menopaus\w*|menopause|periods (stopped|ceased)|dryness|dyspareunia ;; +3 older woman: @age>=50",
  "Examination ;; Urine culture ;; Vaginal oestrogen trial", "atrophic urethritis ;; genitourinary syndrome of menopause ;; vaginal atrophy", CKS("Menopause"))
S("Renal colic", r"+5 loin to groin colicky pain: loin to groin|(loin|flank)[^.]{0,40}(groin|testicle|labia)|colick\w*|writh\w*|can'?t (keep|stay|get) still|restless ;; +2 haematuria: haematuria|hematuria|blood in (the )?urine ;; +1 previous stones: (kidney )?stones?",
  "Urine dip (blood) ;; CT KUB ;; U&E, calcium ;; Analgesia (NSAID)", "nephrolithiasis ;; kidney stone ;; kidney stones ;; ureteric colic ;; urolithiasis ;; ureteric stone", CKS("Renal or ureteric colic - acute"))
S("Bladder cancer", r"+5 painless visible haematuria in an older smoker: painless ;; +3 smoker or dye exposure: " + SMOKER + r"|dye|rubber|aniline|schistosom\w* ;; +3 older age: @age>=50",
  "Urine dip and culture ;; Urgent cystoscopy (2-week-wait) ;; CT urogram ;; U&E", "bladder carcinoma ;; urothelial carcinoma ;; transitional cell carcinoma", CKS("Urological cancers - recognition and referral"))
S("Renal cell carcinoma", r"+4 haematuria with loin mass or weight loss: mass|weight loss|loin pain ;; +2 older smoker: " + SMOKER,
  "Renal ultrasound or CT ;; FBC, U&E, calcium", "kidney cancer ;; renal cancer", OHCM)
S("Benign prostatic hyperplasia", r"+5 weak stream, hesitancy, nocturia in an older man: weak (urinary )?stream|poor (urinary )?stream|hesitan\w*|dribbl\w*|incomplete emptying|nocturia|getting up (at night|\d+ times)|straining to (pass urine|urinate) ;; +3 older male: @age>=50 ;; +1 male: @male ;; -3 weight loss or bone pain: weight loss|bone pain",
  "IPSS score ;; Urine dip, U&E ;; PSA after counselling ;; DRE", "BPH ;; benign prostatic enlargement ;; prostatic hypertrophy ;; enlarged prostate", CKS("LUTS in men"))
S("Prostate cancer", r"+4 older man with urinary symptoms and weight loss or bone pain: weight loss|bone pain|back pain|hard (nodular )?prostate|craggy ;; +3 older male: @age>=55 ;; +2 family history or black ethnicity: family history|black|african",
  "PSA after counselling ;; DRE ;; Urgent urology referral (2-week-wait) ;; MRI prostate", "prostatic carcinoma ;; prostate carcinoma ;; prostatic adenocarcinoma", CKS("Prostate cancer"))
S("Acute urinary retention", r"+6 unable to pass urine with painful bladder: (can'?t|cannot|unable to) (pass|pee|urinate|void)|not passed urine|retention|palpable bladder ;; +2 older male: @male ;; +1 anticholinergic or decongestant: decongestant|anticholinergic|opioid|constipat\w*",
  "Bladder scan and catheter ;; U&E ;; Urine culture ;; Check for cauda equina", "urinary retention ;; acute urinary retention from BPH", CKS("LUTS in men"))
S("Overflow urinary incontinence", r"+5 constant dribbling with incomplete emptying: dribbl\w*|constant (leak|wet)|incomplete emptying|weak stream|overflow|palpable bladder|(large|high) (residual|post-void) ;; +2 diabetes, prostate or anticholinergic: " + DIABETES + r"|prostat\w*|anticholinergic|amitriptyline ;; +1 older: @age>=60",
  "Bladder scan (post-void residual) ;; U&E ;; Urine culture ;; Neurological examination", "overflow incontinence", CKS("Incontinence - urinary, in women"))
S("Stress urinary incontinence", r"+6 leaking on coughing, sneezing or exercise: (cough\w*|sneez\w*|laugh\w*|exercis\w*|lifting|jump\w*|running)[^.]{0,40}(leak\w*|wet|lose|loss|incontinen\w*)|(leak\w*|lose urine)[^.]{0,40}(cough|sneez|laugh|exercis|lift) ;; +2 childbirth or female: vaginal deliver\w*|childbirth|children|@female",
  "Urine dip ;; Bladder diary ;; Pelvic floor muscle training", "stress incontinence ;; SUI", CKS("Incontinence - urinary, in women"))
S("Urge urinary incontinence", r"+6 sudden urgency with leaking before reaching the toilet: urgen\w*|(before|can'?t) (reach|get to|make it to) the (toilet|bathroom)|overactive bladder|sudden (strong )?(need|urge) ;; +1 frequency and nocturia: frequen\w*|nocturia",
  "Urine dip and culture ;; Bladder diary ;; Bladder training", "urge incontinence ;; overactive bladder ;; detrusor overactivity", CKS("Incontinence - urinary, in women"))
S("Urogenital fistula", r"+6 continuous leakage after childbirth or pelvic surgery: (after|following|since) (a )?(prolonged|obstructed|difficult)? ?(labou?r|delivery|childbirth|hysterectomy|pelvic surgery|caesarean|radiotherapy)|continuous(ly)? (leak\w*|wet|dribbl\w*)|constant(ly)? (leak\w*|wet) ;; +2 foul watery discharge: watery|foul|smell\w*",
  "Speculum examination and dye test ;; Urine culture ;; Gynaecology/urology referral", "vesicovaginal fistula ;; obstetric fistula ;; genitourinary fistula", OHCM)
S("Glomerulonephritis", r"+5 cola-coloured urine, swelling and high BP after a throat or skin infection: cola|coke|tea[- ]coloured|smoky urine|dark urine|(after|following|weeks after) (a )?(sore throat|throat infection|skin infection|impetigo) ;; +2 swelling or high BP: puff\w*|swell\w*|o?edema|hypertens\w*",
  "Urine dip (blood, protein) and microscopy ;; U&E ;; ASO titre, complement ;; Renal referral", "post-streptococcal glomerulonephritis ;; nephritic syndrome ;; acute glomerulonephritis ;; IgA nephropathy ;; rapidly progressive glomerulonephritis", OHCM)
S("Nephrotic syndrome", r"+5 generalised swelling with frothy urine: (froth\w*|foam\w*|bubbly) urine|puffy (eyes|face)|periorbital|face puffiness|generali[sz]ed (body )?(swelling|o?edema)|anasarca ;; +2 swelling legs: (leg|ankle|pedal) (swelling|o?edema)|swollen (legs|ankles) ;; -2 diabetes: " + DIABETES,
  "Urine dip (protein) and urine protein:creatinine ratio ;; Serum albumin, lipids, U&E ;; Renal referral", "nephrosis ;; minimal change disease ;; membranous nephropathy", OHCM)
S("Diabetic nephropathy", r"+6 long-standing diabetes with proteinuria or swelling: " + DIABETES + r" ;; +3 frothy urine or swelling: (froth\w*|foam\w*) urine|protein\w*|swell\w*|o?edema ;; +2 hypertension or retinopathy: hypertens\w*|retinopath\w*",
  "Urine albumin:creatinine ratio ;; U&E and eGFR ;; HbA1c ;; BP", "diabetic kidney disease ;; diabetic nephropathy", CKS("Chronic kidney disease"))
S("Chronic kidney disease", r"+5 known kidney disease, diabetes or hypertension with fatigue and swelling: (kidney|renal) (disease|failure|impairment)|\bCKD\b|creatinine|eGFR|dialysis ;; +3 itch, nausea or reduced urine: itch\w*|pruritus|nause\w*|reduced urine|little urine|metallic taste ;; +2 diabetes or hypertension: " + DIABETES + r"|hypertens\w*",
  "U&E and eGFR ;; Urine albumin:creatinine ratio ;; FBC ;; Renal ultrasound", "CKD ;; chronic renal failure ;; uraemia ;; progressive chronic kidney disease with uraemia ;; end-stage renal disease", CKS("Chronic kidney disease"))
S("Acute kidney injury", r"+5 reduced urine with dehydration or nephrotoxins: (reduced|little|no) urine|not passing (much )?urine|dehydrat\w*|vomit\w* and diarrh\w*|NSAID\w*|ibuprofen|ACE inhibitor|ramipril|lisinopril ;; +2 older: @age>=65",
  "U&E (creatinine, potassium) ;; Urine dip ;; Fluid assessment; stop nephrotoxins ;; Renal ultrasound", "AKI ;; acute renal failure ;; prerenal acute kidney injury", CKS("Acute kidney injury"))
S("Acute interstitial nephritis", r"+6 new drug then rash, fever and kidney impairment: (started|new|course of|after|taking)[^.]{0,40}(antibiotic\w*|penicillin|amoxicillin|NSAID\w*|ibuprofen|omeprazole|PPI|allopurinol|diuretic)|(antibiotic\w*|penicillin|NSAID\w*|omeprazole|allopurinol)[^.]{0,40}(ago|started|recently) ;; +2 rash with fever: rash|erythema|@fever ;; +1 fatigue or reduced urine: fatigue|tired|reduced urine|flank",
  "U&E and urine dip ;; Urine eosinophils / microscopy ;; Stop the drug ;; Renal referral", "interstitial nephritis ;; drug-induced interstitial nephritis ;; AIN ;; tubulointerstitial nephritis", OHCM)
S("Urinary schistosomiasis", r"+6 blood at the end of urination after fresh-water exposure: (end of|terminal) (the )?(urin\w*|stream)|terminal haematuria|fresh ?water|lake|river|swim\w* in|schistosom\w*|bilharzia",
  "Urine microscopy for ova (midday sample) ;; Praziquantel ;; Cystoscopy if persistent", "schistosomiasis ;; bilharzia", OHCM)
S("Paroxysmal nocturnal haemoglobinuria", r"+6 dark urine in the morning: (dark|red|brown|cola)[^.]{0,20}(urine)[^.]{0,40}(morning|waking|first)|morning[^.]{0,30}(dark|red) urine|first (urine|void) of the day ;; +2 haemolysis, fatigue or clots: anaemi\w*|anemi\w*|fatigue|jaundic\w*|thrombos\w*|clot",
  "FBC, reticulocytes, LDH, bilirubin ;; Flow cytometry (CD55/CD59) ;; Haematology referral", "PNH ;; paroxysmal nocturnal hemoglobinuria", OHCM)
S("G6PD deficiency", r"+6 haemolysis after fava beans, primaquine or infection: fava|broad beans|primaquine|dapsone|nitrofurantoin|sulfonamide|mothball|naphthalene|quinine ;; +3 dark urine, jaundice or pallor: dark urine|cola|red urine|jaundic\w*|yellow|pale ;; +1 male: @male",
  "FBC, film (bite cells), reticulocytes ;; G6PD assay (after recovery) ;; Stop the trigger", "G6PD deficiency haemolysis ;; glucose-6-phosphate dehydrogenase deficiency ;; G6pd Deficiency", OHCM)
S("Epididymo-orchitis", r"+4 gradual scrotal pain with dysuria or discharge: gradual\w*|(over|for) (\d|two|three|several) days|dysuria|discharge|burning ;; +2 fever or swollen epididymis: @fever|epididym\w*|swollen|tender ;; +1 pain eased on elevation: (relieved|eased|better) (on|with|by) (elevat\w*|lifting)|prehn",
  "Urine dip and culture ;; NAAT for chlamydia/gonorrhoea ;; Ultrasound if uncertain", "epididymitis ;; orchitis ;; acute epididymo-orchitis", CKS("Scrotal pain and swelling"))
S("Testicular torsion", r"+6 sudden severe testicular pain: sudden\w*[^.]{0,40}(testic\w*|scrot\w*|groin)|(testic\w*|scrot\w*)[^.]{0,40}sudden\w*|woke (him )?(up )?(from sleep )?with ;; +3 high-riding testis or vomiting: high[- ]riding|horizontal lie|vomit\w*|nause\w*|absent cremaster\w* ;; +2 adolescent: @age<25 ;; -3 dysuria or discharge: dysuria|discharge",
  "Emergency urology referral (do not wait for imaging) ;; Analgesia ;; Surgical exploration", "torsion ;; torsion of the testis ;; spermatic cord torsion ;; testicular / ovarian torsion", CKS("Scrotal pain and swelling"))
S("Torsion of testicular appendage", r"+5 child with localised upper pole pain or blue dot: blue dot|upper pole|@age<14",
  "Urology assessment (exclude torsion) ;; Ultrasound", "torsion of the appendix testis ;; torsion of hydatid of Morgagni", OHP)
S("Hydrocele", r"+5 painless scrotal swelling that transilluminates: transillumin\w*|painless|fluid",
  "Scrotal ultrasound ;; Urology referral if large", "", CKS("Scrotal pain and swelling"))
S("Testicular cancer", r"+5 painless firm testicular lump in a young man: (hard|firm|painless)[^.]{0,30}(lump|swelling|mass)|lump (in|on) (the|his) (testi\w*|scrotum) ;; +3 young male: @age<45",
  "Urgent scrotal ultrasound (2-week-wait) ;; AFP, beta-hCG, LDH", "testicular tumour ;; testicular germ cell tumour ;; seminoma", CKS("Scrotal pain and swelling"))
S("Fournier gangrene", r"+6 rapidly spreading perineal pain with diabetes: (perine\w*|scrot\w*|genital)[^.]{0,40}(black|necrot\w*|crepitus|spreading|dusky)|crepitus ;; +3 diabetes: " + DIABETES + r" ;; +2 severe pain and systemic illness: @fever|@tachy|@hypotension",
  "Emergency surgical debridement ;; IV broad-spectrum antibiotics ;; Blood cultures, lactate", "Fournier's gangrene ;; necrotising fasciitis of the perineum", ROSEN)
S("Inguinal hernia", r"+5 groin lump that goes away on lying: (groin|inguinal) (lump|swelling|bulge)|lump[^.]{0,30}(goes away|disappears|reduc\w*)|cough impulse|hernia",
  "Clinical examination (cough impulse) ;; Ultrasound if unclear ;; Surgical referral", "hernia ;; strangulated hernia ;; incarcerated hernia ;; strangulated femoral hernia", CKS("Hernia - inguinal"))
S("Threatened miscarriage", r"+4 early pregnancy with light bleeding and closed os: (light|slight|small amount|spotting)|closed (cervical )?os|os (is )?closed ;; +3 pregnant under 24 weeks: " + PREG + r" ;; -2 heavy bleeding or clots: heavy|clots|passed tissue|soaking",
  "Pregnancy test and transvaginal ultrasound ;; Early pregnancy unit ;; Rhesus status", "threatened abortion", CKS("Miscarriage"))
S("Miscarriage", r"+5 early pregnancy with heavy bleeding, clots or passed tissue: heavy|clots|passed (tissue|products|something)|soaking|open (cervical )?os|os (is )?open|cramp\w* ;; +3 pregnant: " + PREG,
  "Transvaginal ultrasound ;; FBC, group and save, rhesus ;; Early pregnancy unit", "spontaneous abortion ;; inevitable miscarriage ;; incomplete miscarriage ;; spontaneous miscarriage ;; pregnancy loss", CKS("Miscarriage"))
S("Ectopic pregnancy", r"+5 missed period or positive test with pain or bleeding: " + PREG + r" ;; +3 one-sided pelvic pain or shoulder-tip pain: (left|right|one[- ]sided|unilateral) (lower |iliac |pelvic )?(abdominal |fossa )?pain|shoulder[- ]tip|adnexal (tender\w*|mass) ;; +2 bleeding or spotting: bleed\w*|spotting|brown discharge ;; +2 risk factors: (previous|prior) (ectopic|PID|pelvic infection|tubal)|IUD|coil|IVF|chlamydia ;; +2 collapse or shock: @hypotension|@tachy|faint\w*|dizz\w*|collapse\w*",
  "Urine or serum hCG ;; Transvaginal ultrasound ;; FBC, group and save ;; Emergency gynaecology review", "ectopic ;; tubal pregnancy ;; ruptured ectopic pregnancy ;; ectopic pregnancy rupture", CKS("Ectopic pregnancy"))
S("Placental abruption", r"+6 pregnant later with painful bleeding and a hard uterus: (hard|tense|woody|tender) (uterus|abdomen|womb)|constant (abdominal )?pain|abruption ;; +3 third trimester: ([2-4]\d) weeks|third trimester ;; +2 pre-eclampsia, trauma or cocaine: pre-?eclampsia|hypertens\w*|trauma|fall|cocaine|" + SMOKER,
  "Emergency obstetric review ;; CTG and fetal heart ;; FBC, clotting, group and crossmatch", "abruptio placentae ;; abruption", ROSEN)
S("Placenta praevia", r"+6 painless bright red bleeding in later pregnancy: painless ;; +3 later pregnancy: ([2-4]\d) weeks|low[- ]lying placenta",
  "No digital vaginal examination ;; Emergency obstetric ultrasound ;; Group and crossmatch", "placenta previa ;; low-lying placenta", ROSEN)
S("Molar pregnancy", r"+5 bleeding with severe vomiting and large-for-dates uterus: large for dates|severe vomit\w*|hyperemesis|grape|very high hCG|molar",
  "Quantitative hCG ;; Pelvic ultrasound ;; Gynaecology referral", "hydatidiform mole ;; gestational trophoblastic disease", OHCM)
S("Pre-eclampsia", r"+5 pregnant over 20 weeks with high BP or protein: protein\w*|\b(1[4-9]\d)\s*/\s*(9\d|1\d\d)\b|raised blood pressure|hypertens\w* ;; +3 headache, visual disturbance, epigastric pain, swelling: headache|visual|flashing|blurred|epigastri\w*|right upper|swelling of (the )?(face|hands) ;; +2 later pregnancy: ([2-4]\d) weeks",
  "BP and urine protein:creatinine ratio ;; FBC, LFTs, U&E ;; Same-day obstetric assessment", "preeclampsia ;; toxaemia of pregnancy ;; HELLP syndrome", CKS("Hypertension in pregnancy"))
S("Pelvic inflammatory disease", r"+4 lower abdominal pain with discharge, fever or painful sex: (vaginal )?discharge|dyspareunia|pain(ful)? (during|with) (sex|intercourse)|cervical (motion|excitation) tender\w*|@fever ;; +3 sexual risk: new (sexual )?partner|multiple partners|unprotected|chlamydia|gonorrh\w*|STI|IUD|coil ;; +2 bilateral lower pain: both sides|bilateral|lower abdom\w* ;; +1 young: @age<30",
  "Pregnancy test ;; Endocervical swabs for chlamydia and gonorrhoea ;; FBC, CRP ;; Pelvic ultrasound if mass", "PID ;; salpingitis ;; pelvic infection", CKS("Pelvic inflammatory disease"))
S("Endometriosis", r"+5 cyclical pain with painful periods and painful sex: cyclical|(before|during) (her |my )?periods?|dysmenorrh\w*|painful periods|dyspareunia|deep pain (during|with) (sex|intercourse)|subfertil\w*|infertil\w*|trying to conceive ;; +2 reproductive age: @age<45",
  "Pelvic examination ;; Transvaginal ultrasound ;; Gynaecology referral (laparoscopy)", "endometriotic cyst ;; endometrioma", CKS("Endometriosis"))
S("Primary dysmenorrhoea", r"+5 cramping pain with periods in a young woman: (cramp\w*|pain)[^.]{0,40}(period|menstruat\w*|menses)|period pain|dysmenorrh\w*|(start\w*|begin\w*) (with|before|on the first day of) (her |my )?(period|bleeding) ;; +3 young: @age<25 ;; +1 since menarche: menarche|since (her )?periods (started|began)",
  "Clinical diagnosis ;; Pregnancy test if relevant ;; NSAIDs or combined pill", "dysmenorrhea ;; dysmenorrhoea ;; primary dysmenorrhea ;; period pain", CKS("Dysmenorrhoea"))
S("Adenomyosis", r"+5 heavy painful periods in an older parous woman with a bulky uterus: heavy (menstrual )?(periods|bleeding)|menorrhag\w*|bulky|enlarged (tender )?uterus|boggy ;; +3 age 35-50: @age>=35 ;; +2 parous: children|deliver\w*|para|caesarean|G\dP\d",
  "Pelvic ultrasound or MRI ;; FBC ;; Gynaecology referral", "", OHCM)
S("Uterine fibroids", r"+5 heavy periods with a pelvic mass: heavy (menstrual )?(periods|bleeding)|menorrhag\w*|enlarged uterus|pelvic mass|fibroid\w* ;; +2 age 30-50: @age>=30",
  "Pelvic ultrasound ;; FBC ;; Gynaecology referral", "fibroids ;; leiomyoma ;; uterine leiomyoma", CKS("Fibroids"))
S("Ovarian cancer", r"+5 persistent bloating or early satiety in an older woman: bloat\w*|distension|swollen abdomen|early satiety|(feeling )?full quickly|loss of appetite|increased abdominal (girth|size) ;; +3 older woman: @age>=50 ;; +2 urinary frequency, weight loss or change in bowel habit: urinary (frequency|urgency)|weight loss|change in bowel habit|ascites|mass ;; +1 family history: family history|BRCA",
  "CA125 ;; Pelvic and abdominal ultrasound ;; Urgent gynaecology referral (2-week-wait)", "ovarian carcinoma ;; ovarian tumour", CKS("Ovarian cancer"))
S("Endometrial cancer", r"+6 postmenopausal bleeding: post-?menopaus\w* (bleed\w*|spotting)|bleed\w* after (the )?menopause|periods (stopped|ceased)[^.]{0,60}bleed\w* ;; +2 obesity or diabetes: obes\w*|" + DIABETES + r"|tamoxifen",
  "Transvaginal ultrasound (endometrial thickness) ;; Urgent gynaecology referral ;; Endometrial biopsy", "uterine cancer ;; endometrial carcinoma", CKS("Gynaecological cancers"))
S("Cervical cancer", r"+5 postcoital or intermenstrual bleeding: post-?coital|after (sex|intercourse)|intermenstrual|between periods ;; +2 missed screening or HPV: smear|screening|HPV",
  "Speculum examination ;; Urgent colposcopy referral", "cervical carcinoma", CKS("Gynaecological cancers"))
S("Menopause", r"+6 irregular or stopped periods with hot flushes in a woman over 45: hot (flush\w*|flash\w*)|night sweats|irregular (periods|menstruation|cycles)|periods (have )?(become )?(irregular|stopped|less frequent)|vaginal dryness ;; +3 age 45-55: @age>=45 ;; -3 young: @age<40",
  "Clinical diagnosis over 45 ;; FSH only if under 45 ;; Discuss HRT", "perimenopause ;; menopausal transition ;; climacteric", CKS("Menopause"))
S("Premature ovarian insufficiency", r"+5 periods stopped before 40 with menopausal symptoms: (amenorrh\w*|periods (have )?stopped|no periods)|hot (flush\w*|flash\w*)|night sweats ;; +3 under 40: @age<40 ;; -3 pregnant: positive pregnancy",
  "Pregnancy test ;; FSH twice 4-6 weeks apart ;; TFT, prolactin ;; Gynaecology referral", "primary ovarian failure ;; premature ovarian failure ;; POI ;; premature menopause", CKS("Menopause"))
S("Polycystic ovary syndrome", r"+5 irregular periods with acne, hirsutism or weight gain: hirsut\w*|excess (facial |body )?hair|acne|irregular (periods|cycles)|oligomenorrh\w*|weight gain|obes\w* ;; +2 young woman: @age<35",
  "Pregnancy test ;; Testosterone, SHBG, LH/FSH, prolactin, TFT ;; Pelvic ultrasound ;; HbA1c and lipids", "PCOS ;; polycystic ovaries", CKS("Polycystic ovary syndrome"))
S("Sheehan syndrome", r"+6 postpartum haemorrhage followed by failure to breastfeed or amenorrhoea: (postpartum|post-?partum|after (delivery|childbirth|birth))[^.]{0,60}(haemorrhage|hemorrhage|bleed\w*|transfusion)|(unable|failure|failed|could not|couldn'?t) (to )?(breastfeed|lactate|produce milk)|no (breast )?milk ;; +2 tiredness, cold, low mood or amenorrhoea: tired|fatigue|cold|depress\w*|low mood|amenorrh\w*|periods (have not|haven'?t) (returned|come back)|hot (flush|flash)\w*",
  "Morning cortisol, TFT (free T4), prolactin, FSH/LH ;; MRI pituitary ;; Endocrinology referral", "Sheehan's syndrome ;; postpartum hypopituitarism ;; hypopituitarism", OHCM)
S("Bacterial vaginosis", r"+6 thin grey fishy-smelling discharge: fish\w*|thin (white|grey|gray)|grey|gray|malodo\w*|(bad|foul|offensive) (smell\w*|odou?r) ;; -2 itch: itch\w*",
  "Vaginal pH (> 4.5) ;; High vaginal swab if unclear ;; Metronidazole", "BV ;; gardnerella", CKS("Bacterial vaginosis"))
S("Vaginal candidiasis", r"+6 itchy thick white discharge: itch\w*|thick white|cottage cheese|curd\w*|thrush|sore vulva ;; +1 antibiotics, diabetes or pregnancy: antibiotic\w*|" + DIABETES + r"|pregnan\w*",
  "Clinical diagnosis ;; Vaginal pH (normal) ;; Clotrimazole or fluconazole", "thrush ;; vulvovaginal candidiasis ;; candida vaginitis ;; yeast infection", CKS("Candida - female genital"))
S("Trichomoniasis", r"+6 frothy yellow-green discharge: froth\w*|yellow[- ]green|green discharge ;; +2 new partner: new (sexual )?partner|unprotected",
  "NAAT for Trichomonas ;; Sexual health referral ;; Metronidazole", "trichomonas vaginalis ;; trich", CKS("Trichomoniasis"))
S("Chlamydia infection", r"+5 young sexually active with discharge or bleeding after sex: new (sexual )?partner|unprotected|post-?coital bleed\w*|intermenstrual ;; +2 young: @age<25",
  "NAAT for chlamydia and gonorrhoea ;; Doxycycline ;; Partner notification", "chlamydia ;; chlamydial cervicitis ;; cervicitis", CKS("Chlamydia - uncomplicated genital"))

# ---------------------------------------------------------------- musculoskeletal, skin, eye, breast
S("Mechanical back pain", r"+4 after lifting or strain, worse on movement: lift\w*|strain\w*|bend\w*|twist\w*|worse (on|with) movement|eased by rest ;; -3 red flags: weight loss|@fever|cancer|night pain",
  "Clinical assessment (STarT Back) ;; No imaging without red flags ;; Analgesia and keep active", "low back strain ;; mechanical low back pain ;; lumbar strain ;; non-specific low back pain ;; mechanical low back strain", CKS("Back pain - low (without radiculopathy)"))
S("Sciatica", r"+6 pain radiating below the knee: (radiat\w*|shoot\w*|going|spread\w*) (down|into) (the |his |her )?(left |right )?(leg|buttock|thigh|calf|foot)|below the knee|sciatic\w*|straight leg rais\w*|\bSLR\b ;; +2 numbness or tingling in the leg: numb\w*|tingl\w*|pins and needles",
  "Neurological examination of the legs ;; MRI if not settling or deficit ;; Analgesia", "lumbar radiculopathy ;; lumbar disc herniation ;; prolapsed intervertebral disc ;; slipped disc ;; herniated disc", CKS("Sciatica (lumbar radiculopathy)"))
S("Degenerative disc disease", r"+5 chronic back pain in middle age worse with sitting or bending: (chronic|years|months|long-standing|recurrent)|sitting|bend\w* ;; +2 age 35-65: @age>=35",
  "Clinical assessment ;; Imaging only if red flags or surgery considered", "lumbar spondylosis ;; spondylosis ;; mechanical back pain with lumbar spondylosis ;; osteoarthritis of the spine", CKS("Back pain - low (without radiculopathy)"))
S("Osteoporotic vertebral fracture", r"+6 sudden back pain after minor trauma in an older person: (minor|trivial|low[- ]energy)? ?(fall|lift\w*|cough\w*|bend\w*)|sudden\w* ;; +3 osteoporosis risk: osteopor\w*|steroid|prednisolone|postmenopaus\w*|@age>=65 ;; +2 height loss or point tenderness: height|kyphos\w*|point tender\w*|spinous",
  "Spine x-ray ;; Bone profile, FBC, myeloma screen ;; DEXA", "vertebral fracture ;; vertebral compression fracture ;; osteoporotic fracture", CKS("Osteoporosis - prevention of fragility fractures"))
S("Axial spondyloarthritis", r"+6 inflammatory back pain in a young adult: morning stiffness|stiff\w* in the morning|better with exercise|improves? with (activity|exercise)|wakes? (him|her) in the (second half of the )?night|alternating buttock ;; +3 under 40: @age<40",
  "HLA-B27, CRP ;; MRI sacroiliac joints ;; Rheumatology referral", "ankylosing spondylitis ;; spondyloarthritis", CKS("Ankylosing spondylitis"))
S("Cauda equina syndrome", r"+7 saddle numbness or bladder change with back pain: saddle|perine\w* numb\w*|numb\w* (around|in) the (bottom|buttocks|genitals|back passage)|(urinary|urine) (retention|incontinence)|(can'?t|cannot|unable to) (pass urine|feel (when )?(passing|to pass) urine)|bowel incontinence|faecal incontinence|bilateral sciatica|both legs",
  "Emergency MRI lumbar spine ;; Bladder scan ;; Emergency spinal surgery referral", "cauda equina ;; cauda equina / cord compression", ROSEN)
S("Spinal metastases", r"+5 cancer history with back pain at night or weight loss: cancer|malignan\w*|metasta\w*|(breast|prostate|lung|kidney|thyroid) (cancer|carcinoma) ;; +2 night pain or weight loss: night|weight loss|thoracic",
  "Whole-spine MRI ;; FBC, calcium, PSA, myeloma screen ;; Oncology referral", "spinal bone metastasis ;; bone metastases ;; metastatic bone disease", OHCM)
S("Multiple myeloma", r"+5 bone pain with anaemia, fatigue, or kidney impairment in an older person: (bone|back|rib) pain|anaemi\w*|anemi\w*|fatigue|tired|calcium|creatinine|frothy urine|fracture ;; +3 older age: @age>=55 ;; +2 infections or thirst: (recurrent )?infection\w*|thirst\w*|constipat\w*",
  "FBC, ESR, calcium, U&E ;; Serum protein electrophoresis, free light chains ;; Urine Bence Jones protein ;; Skeletal survey", "myeloma", CKS("Myeloma"))
S("Spinal epidural abscess", r"+5 back pain with fever and risk: @fever ;; +3 injecting drugs, diabetes or recent procedure: inject\w*|IVDU|" + DIABETES + r"|epidural|procedure|immunosupp\w*",
  "Emergency MRI spine ;; Blood cultures, CRP ;; Neurosurgical referral", "epidural abscess ;; spinal abscess ;; spinal tuberculosis ;; discitis", ROSEN)
S("Osteoarthritis", r"+5 older with use-related pain and brief stiffness: (worse|pain) (with|on|after) (use|activity|walking|stairs)|end of the day|brief (morning )?stiffness|stiffness (for )?(less than|under) (30|thirty) min|crepitus|bony (swelling|enlargement)|heberden ;; +3 age over 45: @age>=50 ;; -2 hot swollen joint with fever: @fever",
  "Clinical diagnosis over 45 ;; X-ray only if atypical ;; Exercise, weight loss, analgesia", "OA ;; degenerative joint disease ;; osteoarthritis of the knee", CKS("Osteoarthritis"))
S("Gout", r"+6 sudden hot swollen big toe: big toe|first (MTP|metatarsophalangeal)|podagra|hallux ;; +3 sudden overnight onset: woke|overnight|sudden\w*|(hot|red|swollen|exquisitely tender)|can'?t bear (the )?(bed ?sheets?|anything touching) ;; +2 diuretics, alcohol, meat or kidney disease: diuretic|thiazide|furosemide|" + ALCOHOL + r"|red meat|seafood|kidney ;; +1 male: @male",
  "Serum urate (after 2 weeks) ;; Joint aspiration if septic arthritis possible ;; NSAID or colchicine", "acute gout ;; gouty arthritis ;; podagra", CKS("Gout"))
S("Pseudogout", r"+5 older person with hot swollen knee or wrist: knee|wrist ;; +3 older age: @age>=60 ;; +2 acute onset: sudden\w*|acute|(red|hot|swollen) ;; -2 big toe: big toe",
  "Joint aspiration (rhomboid crystals, culture) ;; X-ray (chondrocalcinosis) ;; Calcium, magnesium, ferritin", "CPPD ;; calcium pyrophosphate deposition disease ;; acute CPP crystal arthritis", OHCM)
S("Septic arthritis", r"+6 hot swollen joint with fever: @fever|rigors ;; +3 unable to move or bear weight: (can'?t|cannot|unable to|won'?t) (move|bear weight|walk|weight[- ]bear)|hot (swollen )?(joint|knee|hip) ;; +2 joint replacement, diabetes or injecting: prosthe\w*|replacement|" + DIABETES + r"|inject\w*|immunosupp\w*",
  "Joint aspiration before antibiotics ;; Blood cultures, FBC, CRP ;; Emergency orthopaedic referral", "infective arthritis ;; septic arthritis of the hip ;; bacterial arthritis", ROSEN)
S("Rheumatoid arthritis", r"+6 symmetrical small joint swelling with morning stiffness over 30 minutes: (symmetr\w*|both hands|both wrists|knuckles|MCP|PIP|small joints)|morning stiffness (for |lasting )?(more than|over) (30|thirty|an hour|1 hour)|stiff\w* for (an hour|hours) ;; +2 weeks or months: (weeks|months) ;; +1 woman: @female",
  "Rheumatoid factor and anti-CCP ;; ESR, CRP, FBC ;; X-ray hands and feet ;; Urgent rheumatology referral", "RA ;; inflammatory arthritis", CKS("Rheumatoid arthritis"))
S("Reactive arthritis", r"+6 arthritis weeks after diarrhoea or STI: (after|following|weeks after) (a bout of |an episode of )?(diarrh\w*|gastroenteritis|food poisoning|urethritis|chlamydia|STI)|conjunctivitis|urethritis",
  "ESR, CRP ;; Chlamydia NAAT ;; Joint aspiration ;; Rheumatology referral", "Reiter syndrome ;; Reiter's syndrome", CKS("Reactive arthritis"))
S("Rheumatic fever", r"+6 migratory arthritis weeks after sore throat: (after|following|weeks after|recent) (a )?(sore throat|throat infection|tonsillitis|strep\w*)|migrat\w*|moves? from (one )?joint|flitting ;; +3 child or young adult with fever: @age<25 ;; +2 carditis, rash or nodules: murmur|carditis|erythema marginatum|nodules|chorea|short\w* of breath",
  "ASO titre and throat swab ;; ESR, CRP ;; ECG (PR) and echocardiogram ;; Jones criteria", "acute rheumatic fever ;; rheumatic heart disease", OHCM)
S("Systemic lupus erythematosus", r"+6 young woman with joint pain, rash and fatigue: malar|butterfly|photosensitiv\w*|mouth ulcers|hair loss|raynaud ;; +2 young woman: @female",
  "ANA, anti-dsDNA, complement ;; FBC, U&E, urine dip ;; Rheumatology referral", "SLE ;; lupus ;; lupus nephritis", CKS("Lupus - systemic"))
S("Systemic sclerosis", r"+6 Raynaud with thick tight skin: raynaud|(fingers?|hands?)[^.]{0,40}(white|blue|pale|colou?r change)|colou?r change|tight (skin|fingers)|thicken\w* skin|sclerodactyl\w*|puffy fingers|swollen fingers ;; +3 heartburn or dysphagia: heartburn|reflux|dysphag\w*|difficulty swallowing ;; +1 woman: @female",
  "ANA with anti-centromere and anti-Scl-70 ;; Nailfold capillaroscopy ;; Rheumatology referral", "scleroderma ;; CREST syndrome ;; limited cutaneous systemic sclerosis", OHCM)
S("Polymyalgia rheumatica", r"+6 older with shoulder and hip girdle stiffness: (shoulder|hip|girdle)[^.]{0,30}(stiff\w*|ach\w*|pain)|(stiff\w*|ach\w*)[^.]{0,30}(shoulders|hips) ;; +3 over 50: @age>=60",
  "ESR and CRP ;; FBC, bone profile, TFT, CK ;; Prednisolone trial", "PMR", CKS("Polymyalgia rheumatica"))
S("Fibromyalgia", r"+5 widespread pain with fatigue and poor sleep: widespread|all over|many places|poor sleep|unrefreshing ;; -2 raised ESR or weight loss: weight loss|raised ESR",
  "FBC, ESR, CRP, TFT, CK to exclude other causes ;; Education and graded exercise", "fibromyalgia syndrome ;; chronic widespread pain", CKS("Fibromyalgia"))
S("Carpal bone fracture", r"+5 fall on outstretched hand with snuffbox tenderness: (fall|fell) on (an |his |her )?(outstretched )?hand|FOOSH|snuff ?box",
  "Scaphoid x-ray views ;; Splint and repeat imaging or MRI", "scaphoid fracture ;; occult scaphoid fracture", CKS("Fractures"))
S("Fracture", r"+5 injury with deformity or unable to bear weight: deform\w*|(can'?t|cannot|unable to) (bear weight|weight[- ]bear|walk|move (it|the arm|the leg))|bony tenderness|crepitus|fall|fell|injur\w* ;; +2 older or osteoporosis: osteopor\w*|@age>=65",
  "X-ray of the injured area (two views) ;; Neurovascular examination ;; Analgesia and immobilisation", "shoulder fracture ;; proximal humerus fracture ;; wrist fracture ;; distal radius fracture ;; ankle fracture ;; fractured neck of femur ;; neck of femur fracture ;; occult neck of femur fracture ;; hip fracture ;; fractured wrist", CKS("Fractures"))
S("Sprain", r"+5 twisting injury, able to bear weight: twist\w*|roll\w* (his |her )?ankle|went over on|sprain\w* ;; +2 able to walk: (able to|can) (walk|bear weight)",
  "Ottawa ankle/knee rules ;; X-ray only if rules positive ;; Rest, ice, compression", "ankle sprain ;; ligament sprain ;; wrist sprain ;; soft tissue injury", CKS("Sprains and strains"))
S("Dislocation", r"+6 visible deformity after injury with loss of movement: dislocat\w*|popped out|deform\w*|squared (off )?shoulder",
  "X-ray before and after reduction ;; Neurovascular examination ;; Reduction under analgesia", "shoulder dislocation ;; joint dislocation", ROSEN)
S("Compartment syndrome", r"+6 pain out of proportion after injury or cast: out of proportion|pain on passive (stretch|movement)|tense (calf|compartment|swelling)|tight cast|plaster ;; +2 crush or fracture: crush\w*|kick\w*|fracture|tibia",
  "Emergency orthopaedic review ;; Remove cast/dressings ;; Compartment pressure; fasciotomy", "acute compartment syndrome", ROSEN)
S("Rotator cuff tendinopathy", r"+5 shoulder pain on lifting the arm overhead: (painful arc|overhead|reaching|lifting (the |his |her )?arm|abduct\w*)|lying on (that|the affected) (side|shoulder) ;; +2 age over 35: @age>=35",
  "Clinical examination (painful arc, resisted tests) ;; Physiotherapy ;; Ultrasound if tear suspected", "rotator cuff tear ;; subacromial impingement ;; shoulder impingement ;; supraspinatus tendinopathy", CKS("Shoulder pain"))
S("Frozen shoulder", r"+5 loss of external rotation with stiffness: external rotation|stiff\w* (shoulder)|frozen|can'?t (reach|do up) (behind|her bra) ;; +2 diabetes: " + DIABETES,
  "Clinical diagnosis ;; X-ray to exclude arthritis ;; Physiotherapy", "adhesive capsulitis", CKS("Shoulder pain"))
S("De Quervain tenosynovitis", r"+7 pain at the base of the thumb, Finkelstein positive: (base of the|radial side of the wrist|thumb side)|finkelstein|thumb (movement|use) ;; +2 new mother or repetitive use: (new )?(mother|baby|lifting (the|her) baby)|repetitive|texting",
  "Clinical diagnosis (Finkelstein test) ;; Splint ;; Steroid injection", "De Quervain's tenosynovitis ;; de Quervain's", CKS("De Quervain's tenosynovitis"))
S("Herpetic whitlow", r"+7 painful vesicles on a finger: (vesicle\w*|blister\w*)[^.]{0,30}finger|finger[^.]{0,40}(vesicle\w*|blister\w*) ;; +2 cold sores or healthcare worker: cold sore|herpes|dental|nurse|health ?care",
  "Clinical diagnosis (viral swab PCR) ;; Do not incise ;; Aciclovir if early", "herpes simplex whitlow", MURTAGH)
S("Paronychia", r"+6 red swollen nail fold: nail ?fold|around the (finger)?nail|paronych\w*|hangnail ;; +1 manicure or nail biting: manicur\w*|nail bit\w*|thorn|pricked",
  "Clinical diagnosis ;; Drain if pus ;; Oral antibiotic if cellulitis", "acute paronychia", CKS("Paronychia - acute"))
S("Flexor tenosynovitis", r"+7 finger held flexed, fusiform swelling, pain on extension: kanavel|fusiform|(held|kept) (in )?flex\w*|pain on (passive )?(extension|straightening)|sausage",
  "Emergency hand surgery referral ;; IV antibiotics", "infective flexor tenosynovitis", ROSEN)
S("Cellulitis", r"+5 spreading red hot tender skin: (spreading|red|hot|warm|tender)[^.]{0,20}(skin|area|leg|rash|redness)|erythema|cellulit\w* ;; +2 fever: @fever ;; +2 break in the skin: cut|wound|bite|scratch|athlete|ulcer|insect ;; -2 both legs: both legs|bilateral",
  "Clinical diagnosis; mark the margin ;; FBC, CRP if systemically unwell ;; Flucloxacillin", "erysipelas ;; skin and soft tissue infection", CKS("Cellulitis - acute"))
S("Necrotising fasciitis", r"+7 pain out of proportion with rapidly spreading dusky skin: out of proportion|dusky|purple|black|bullae|blisters|crepitus|rapidly spreading|spreading (rapidly|quickly) ;; +2 diabetes or injecting: " + DIABETES + r"|inject\w* ;; +2 shock: @hypotension|@tachy",
  "Emergency surgical debridement ;; IV broad-spectrum antibiotics ;; Blood cultures, lactate, CK", "necrotizing fasciitis ;; flesh-eating infection", ROSEN)
S("Impetigo", r"+7 honey-coloured crusts: honey|golden (crust\w*|yellow)|crust\w* ;; +2 child: @age<12",
  "Clinical diagnosis ;; Hydrogen peroxide cream or topical antibiotic ;; Swab if recurrent", "impetigo contagiosa ;; school sores", CKS("Impetigo"))
S("Herpes zoster", r"+7 painful band-like vesicular rash on one side: dermatom\w*|band|one side|unilateral|(vesicle\w*|blister\w*)|shingles|burning pain before (the )?rash|tingl\w* before ;; +2 older or immunosuppressed: @age>=50",
  "Clinical diagnosis ;; Antiviral within 72 h ;; Check the eye if forehead involved", "shingles ;; zoster ;; herpes zoster of the ophthalmic division ;; herpes zoster ophthalmicus", CKS("Shingles"))
S("Scabies", r"+7 itch worse at night with burrows: burrow\w*|web spaces|between (the )?fingers|itch\w* (worse )?(at night|in bed)|(family|household|others) (members )?(also )?(itch\w*|scratch\w*) ;; +2 intense itch: itch\w*|pruritus|scratch\w*",
  "Clinical diagnosis (burrows) ;; Permethrin for the whole household", "sarcoptes scabiei infestation", CKS("Scabies"))
S("Contact dermatitis", r"+6 itchy rash where something touched the skin: (new|after using|after wearing|after touching)[^.]{0,30}(soap|detergent|cream|jewellery|watch|glove\w*|nickel|cosmetic|plant|perfume|hair dye)|nickel|latex ;; +2 itch: itch\w*",
  "Clinical diagnosis ;; Avoid the trigger ;; Emollient and topical steroid ;; Patch testing if recurrent", "allergic contact dermatitis ;; irritant contact dermatitis ;; eczema ;; atopic eczema ;; dermatitis", CKS("Dermatitis - contact"))
S("Urticaria", r"+7 itchy raised wheals that come and go within a day: wheal\w*|hives|urticari\w*|welts|come and go|raised (itchy )?(red )?(blotches|patches|lumps)",
  "Clinical diagnosis ;; Non-sedating antihistamine ;; Look for triggers", "hives ;; nettle rash", CKS("Urticaria"))
S("Viral exanthem", r"+5 child with fever and widespread blanching rash: blanch\w* ;; +3 child: @age<12 ;; +2 fever: @fever",
  "Clinical diagnosis ;; Glass test (blanching) ;; Safety-net advice", "viral rash ;; roseola ;; slapped cheek ;; hand foot and mouth disease", CKS("Feverish children"))
S("Chickenpox", r"+7 itchy vesicles in crops: (crops|vesic\w*|blister\w*|spots)[^.]{0,40}(itch\w*|crust\w*)|chicken ?pox|varicella ;; +2 contact: contact|nephew|niece|nursery|school",
  "Clinical diagnosis ;; Aciclovir for adults or high risk ;; Exclude from school until crusted", "varicella ;; varicella pneumonia", CKS("Chickenpox"))
S("Measles", r"+7 fever, cough, conjunctivitis, then rash from behind the ears: koplik|measles|(rash)[^.]{0,40}(face|behind the ears|hairline)[^.]{0,40}(spread|down)|conjunctiv\w* ;; +2 unvaccinated or outbreak: unvaccinated|not vaccinated|outbreak|measles cases",
  "Clinical diagnosis; notify public health ;; Saliva swab for measles ;; Vitamin A", "rubeola", CKS("Measles"))
S("Diaper dermatitis", r"+8 rash in the nappy area: nappy|diaper ;; +2 infant: @age<3",
  "Clinical diagnosis ;; Barrier cream, frequent changes ;; Topical antifungal if satellite lesions", "nappy rash ;; diaper rash ;; napkin dermatitis", CKS("Nappy rash"))
S("Lyme disease", r"+7 expanding target rash after a tick bite: tick|bull'?s[- ]?eye|target|expanding (red )?(ring|rash|circle)|erythema migrans|hiking|camping|woods|forest ;; +2 flu-like illness: @fever|fatigue|aches",
  "Clinical diagnosis if erythema migrans ;; Lyme serology if no rash ;; Doxycycline", "borreliosis ;; Lyme borreliosis ;; erythema migrans", CKS("Lyme disease"))
S("Psoriasis", r"+7 silvery scaly plaques on elbows, knees or scalp: silver\w*|scal\w* (plaques|patches)|plaques|elbows|knees|scalp|nail pitting",
  "Clinical diagnosis ;; Topical steroid and vitamin D analogue", "plaque psoriasis", CKS("Psoriasis"))
S("Drug eruption", r"+6 widespread rash days after starting a drug: (started|new|course of|after taking)[^.]{0,30}(antibiotic\w*|medication|tablets|drug|amoxicillin|penicillin|allopurinol|carbamazepine|lamotrigine)",
  "Stop the drug ;; FBC, LFTs, U&E ;; Check for mucosal involvement", "drug rash ;; morbilliform drug eruption ;; drug reaction", CKS("Drug allergy"))
S("Stevens-Johnson syndrome", r"+7 blistering rash with mouth, eye or genital sores: (mouth|lip|oral|mucosal|genital|eye) (sores|ulcers|blisters|erosions)|skin (peeling|sloughing|shedding)|nikolsky|target lesions ;; +2 new drug: (started|new)[^.]{0,30}(drug|medication|tablets|antibiotic|allopurinol|carbamazepine|lamotrigine)",
  "Stop the drug ;; Emergency dermatology / burns referral", "SJS ;; toxic epidermal necrolysis ;; TEN", ROSEN)
S("Kawasaki disease", r"+7 child with fever 5 days, red eyes, red lips, rash, swollen hands: strawberry tongue|cracked (red )?lips|(red|peeling) (hands|feet|fingers)|conjunctival (injection|redness)|(fever|temperature)[^.]{0,30}(5|five|6|six|7|seven) days ;; +3 young child: @age<6",
  "FBC, CRP, ESR, LFTs, albumin, urine ;; Echocardiogram ;; Paediatric admission (IVIG)", "Kawasaki syndrome ;; mucocutaneous lymph node syndrome", OHP)
S("Viral conjunctivitis", r"+6 red watery eye after a cold: watery|gritty|(after|with) (a )?(cold|runny nose|sore throat|URTI)|preauricular|spread\w* to the other eye|both eyes ;; -3 pain or reduced vision: (severe )?eye pain|reduced vision|blurred vision|photophob\w*",
  "Clinical diagnosis ;; Visual acuity ;; Hygiene advice", "conjunctivitis ;; adenoviral conjunctivitis ;; pink eye", CKS("Conjunctivitis - infective"))
S("Bacterial conjunctivitis", r"+6 red eye with sticky discharge, lids stuck in the morning: sticky|purulent|pus|(eyelids|lids) (stuck|glued)|yellow discharge|green discharge",
  "Clinical diagnosis ;; Visual acuity ;; Chloramphenicol if not settling", "", CKS("Conjunctivitis - infective"))
S("Allergic conjunctivitis", r"+6 itchy red eyes with hay fever: itch\w* (eyes|eye)|hay ?fever|pollen|season\w*|allerg\w*",
  "Clinical diagnosis ;; Antihistamine drops", "", CKS("Conjunctivitis - allergic"))
S("Subconjunctival haemorrhage", r"+7 painless bright red patch on the eye: (bright red|blood)[^.]{0,20}(patch|spot|white of the eye)|subconjunctival|painless red ;; +1 straining, coughing or warfarin: cough\w*|strain\w*|warfarin|anticoag\w*",
  "Visual acuity ;; BP ;; INR if on warfarin", "subconjunctival hemorrhage", CKS("Subconjunctival haemorrhage"))
S("Acute angle-closure glaucoma", r"+7 painful red eye with haloes, blurred vision and vomiting: halo\w*|rainbow|(fixed|mid-?dilated) (oval )?pupil|hazy cornea|cloudy cornea|stony hard eye|rock hard ;; +3 blurred vision with headache or vomiting: (blurred|reduced|decreased|loss of) vision|headache|vomit\w*|nause\w* ;; +2 older, long-sighted, dim light: @age>=50",
  "Measure intraocular pressure ;; Emergency ophthalmology referral now ;; Acetazolamide per ophthalmology", "acute angle closure glaucoma ;; angle-closure glaucoma ;; acute glaucoma ;; closed-angle glaucoma", CKS("Glaucoma"))
S("Anterior uveitis", r"+6 painful red eye with photophobia and small pupil: photophob\w*|small (irregular )?pupil|ciliary flush|circumcorneal ;; +2 ankylosing spondylitis or IBD: ankylosing|spondyl\w*|crohn|colitis|HLA",
  "Same-day ophthalmology referral ;; Visual acuity", "iritis ;; uveitis", CKS("Uveitis"))
S("Keratitis", r"+6 painful red eye with contact lenses or foreign body: contact lens\w*|foreign body|corneal (ulcer|abrasion)|something in (the|my|her|his) eye|welding|grinding",
  "Fluorescein staining ;; Same-day ophthalmology if lens wearer", "corneal ulcer ;; corneal abrasion", CKS("Corneal superficial injury"))
S("Chalazion", r"+7 painless firm eyelid lump: (painless|firm|hard|non-?tender)[^.]{0,30}(lump|swelling|nodule)|eyelid (lump|swelling|nodule)|lump (in|on) the (upper |lower )?(eye)?lid ;; -2 very painful or red: very painful",
  "Clinical diagnosis ;; Warm compresses and lid massage", "meibomian cyst", CKS("Blepharitis"))
S("Stye", r"+6 painful red swelling at the lid margin: (painful|tender|red)[^.]{0,20}(lump|swelling|spot)[^.]{0,20}(lid|eyelash)|stye|hordeolum",
  "Clinical diagnosis ;; Warm compresses", "hordeolum ;; sty", CKS("Styes"))
S("Orbital cellulitis", r"+7 swollen eyelid with painful eye movements, reduced vision or proptosis: pain(ful)? (on|with) eye movement|proptosis|bulging eye|(reduced|double) vision|can'?t open (the|his|her) eye ;; +2 sinusitis and fever: sinus\w*|@fever",
  "Emergency ophthalmology and ENT referral ;; CT orbits ;; IV antibiotics", "", ROSEN)
S("Cataract", r"+7 gradual painless blurred vision with glare: gradual\w*|glare|haloes around (lights|headlights)|night driving|cloudy|misty|foggy ;; +3 older age: @age>=60 ;; +1 diabetes or steroids: " + DIABETES + r"|steroid",
  "Visual acuity ;; Fundoscopy/red reflex ;; Ophthalmology referral", "cataracts ;; senile cataract", CKS("Cataracts"))
S("Age-related macular degeneration", r"+7 distorted central vision in an older person: distort\w*|wavy|straight lines|central (vision|blur\w*|blind spot)|difficulty reading|faces ;; +3 older age: @age>=60 ;; +1 smoker: " + SMOKER,
  "Amsler grid ;; Visual acuity ;; Urgent ophthalmology (wet AMD within 1 week)", "macular degeneration ;; AMD ;; ARMD ;; wet macular degeneration", CKS("Macular degeneration - age-related"))
S("Retinal detachment", r"+7 flashes, floaters or a curtain over vision: flash\w*|floaters|curtain|shadow|veil",
  "Same-day ophthalmology referral ;; Dilated fundoscopy", "detached retina", CKS("Retinal detachment"))
S("Diabetic retinopathy", r"+6 diabetic with blurred vision: " + DIABETES,
  "Dilated fundoscopy / retinal screening ;; HbA1c, BP ;; Ophthalmology referral", "", OHCM)
S("Fibroadenoma", r"+7 young woman with a mobile smooth rubbery lump: mobile|mov\w* (freely|around|easily)|rubbery|smooth|well[- ]defined|breast mouse ;; +3 young age: @age<35 ;; -3 older: @age>=45",
  "Breast examination ;; Breast ultrasound (triple assessment) ;; Breast clinic referral", "breast fibroadenoma", CKS("Breast cancer - recognition and referral"))
S("Breast cyst", r"+6 smooth fluctuant lump in a woman aged 35-55: fluctuant|smooth|cyst\w*|(came|appeared) (suddenly|quickly)|tender ;; +2 age 35-55: @age>=35",
  "Breast ultrasound ;; Aspiration", "breast cysts", CKS("Breast pain - cyclical"))
S("Fibrocystic breast change", r"+6 cyclical lumpiness and tenderness: cyclical|before (her )?periods|both breasts|lumpy|nodular",
  "Clinical examination after period ;; Ultrasound if discrete lump", "fibrocystic breast disease ;; cyclical mastalgia", CKS("Breast pain - cyclical"))
S("Galactocele", r"+7 breastfeeding with a painless cystic lump: (breast ?feeding|lactat\w*|weaning|stopped breastfeeding|nursing)[^.]{0,80}(lump|mass|swelling)|(lump|mass|swelling)[^.]{0,80}(breast ?feeding|lactat\w*|weaning|nursing) ;; -3 fever or redness: @fever|red\w*",
  "Breast ultrasound ;; Aspiration (milky fluid)", "milk retention cyst", OHCM)
S("Lactational mastitis", r"+7 breastfeeding with a red painful wedge of breast: (breast ?feeding|lactat\w*|nursing|postpartum|after (delivery|giving birth)) ;; +3 red, hot, tender area: red\w*|hot|warm|tender|wedge|erythema ;; +2 fever: @fever",
  "Clinical diagnosis ;; Continue breastfeeding ;; Flucloxacillin if not settling ;; Milk culture", "mastitis ;; puerperal mastitis", CKS("Mastitis and breast abscess"))
S("Breast abscess", r"+7 fluctuant tender breast swelling with fever: fluctuan\w*|pus|abscess|(not improving|worse) (on|despite|after) antibiotics ;; +2 breastfeeding or smoker: breast ?feeding|lactat\w*|nursing|" + SMOKER + r" ;; +2 fever: @fever",
  "Breast ultrasound ;; Needle aspiration or drainage ;; Antibiotics; breast surgery referral", "mammary abscess", CKS("Mastitis and breast abscess"))
S("Breast cancer", r"+6 hard irregular fixed lump in a woman over 30: hard|irregular|fixed|tethered|craggy|painless lump|skin (dimpl\w*|puckering|tethering)|peau d'orange|nipple (retraction|inversion|discharge|bloody)|axillary (lump|node) ;; +3 age over 40: @age>=40 ;; +2 family history: family history|mother|sister|BRCA",
  "Urgent breast clinic (2-week-wait) ;; Triple assessment: examination, imaging, biopsy", "breast carcinoma ;; inflammatory breast cancer", CKS("Breast cancer - recognition and referral"))

# ---------------------------------------------------------------- general medicine, infection, haematology, endocrine, mental health, paediatrics
S("Sepsis", r"+5 fever or low temperature with shock, confusion or fast breathing: @hypotension|@tachypnoea|confus\w*|drows\w*|mottled|lactate|rigors ;; +2 fever: @fever ;; +2 tachycardia: @tachy",
  "NEWS2 / qSOFA now ;; Blood cultures, lactate, FBC, U&E ;; IV antibiotics within 1 hour ;; Find the source", "septicaemia ;; septic shock ;; neutropenic sepsis ;; puerperal sepsis ;; urosepsis", CKS("Sepsis"))
S("Malaria", r"+6 fever after travel to or living in a malarial area: " + TRAVEL + r"|malaria|africa|nigeria|ghana|kenya|india|sudan|yemen ;; +3 cyclical fever with chills and sweats: cyclic\w*|(every|each) (other|second|third) day|chills|rigors|shaking|sweat\w* ;; +1 headache or muscle pain: headache|muscle|ache\w*",
  "Thick and thin blood films or rapid diagnostic test now ;; FBC, U&E, glucose ;; Admit if falciparum or severe", "falciparum malaria ;; vivax malaria ;; plasmodium infection ;; severe malaria ;; cerebral malaria", CKS("Malaria"))
S("Brucellosis", r"+7 fever with unpasteurised milk or livestock contact: (raw|unpasteuri[sz]ed|fresh) (milk|cheese|dairy)|goat|sheep|camel|cattle|livestock|farm\w*|herd\w*|abattoir|butcher ;; +2 undulant fever, sweats, joint pain: undulat\w*|sweat\w*|joint pain|back pain|weeks",
  "Blood cultures (prolonged) ;; Brucella serology ;; FBC, LFTs", "brucella infection ;; Malta fever ;; undulant fever", OHCM)
S("Typhoid fever", r"+6 stepwise fever with abdominal pain after travel: step\w*|rising (each|every) day|rose spots|relative bradycardia|contaminated (water|food)|" + TRAVEL + r" ;; +2 abdominal pain or constipation: abdominal pain|constipat\w*|diarrh\w*",
  "Blood cultures ;; FBC, LFTs ;; Notify public health", "enteric fever ;; typhoid", OHCM)
S("Dengue", r"+6 fever with severe aches and rash in an outbreak area: dengue|breakbone|(severe )?(bone|joint|muscle|retro-?orbital|behind the eyes) pain|outbreak ;; +2 rash or bleeding gums: rash|petechia\w*|gum|nose ?bleed",
  "FBC (platelets, haematocrit) ;; Dengue NS1 / serology ;; Warning signs review", "dengue fever ;; dengue with warning signs ;; dengue shock syndrome", OHCM)
S("Infective endocarditis", r"+6 fever with a murmur and valve disease or injecting: murmur|valv\w*|prosthetic|rheumatic|inject\w*|IVDU|dental (procedure|work|extraction) ;; +2 fever for weeks: @fever|weeks ;; +2 embolic signs: splinter|janeway|osler|roth|haematuria",
  "Three sets of blood cultures ;; Echocardiogram ;; FBC, CRP, urine dip", "endocarditis ;; bacterial endocarditis", OHCM)
S("Acute leukaemia", r"+6 fatigue, bruising, infections and pallor: bruis\w*|bleeding gums|petechia\w*|recurrent infection\w*|pale|pallor|bone pain ;; +2 fever or weight loss: @fever|weight loss|night sweats ;; +1 lymph nodes or spleen: lymph\w*|spleen|splenomegaly",
  "Urgent FBC and blood film ;; Haematology same-day if abnormal", "leukemia ;; leukaemia ;; acute myeloid leukaemia ;; acute lymphoblastic leukaemia ;; chronic myeloid leukaemia ;; chronic lymphocytic leukaemia", CKS("Haematological cancers - recognition and referral"))
S("Lymphoma", r"+6 painless lymph nodes with fever, night sweats or weight loss: painless[^.]{0,30}(lump|node|gland|swelling|mass)|(lymph ?nodes?|lymphadenopathy|glands)|night sweats|drenching|weight loss|itch\w* ;; +2 alcohol-induced pain or young adult: (pain|ache)[^.]{0,30}(alcohol|drinking)|@age<35",
  "Urgent FBC, LDH, ESR ;; Lymph node biopsy ;; CT staging ;; Haematology referral", "Hodgkin lymphoma ;; Hodgkin's lymphoma ;; non-Hodgkin lymphoma ;; NHL ;; lymphoma with malignant effusion", CKS("Haematological cancers - recognition and referral"))
S("Reactive lymphadenopathy", r"+5 tender nodes after an infection: tender|(recent|after|following) (a )?(sore throat|cold|infection|tonsillitis|cut|bite)|@fever ;; +1 young: @age<30",
  "Clinical review at 2-6 weeks ;; FBC if persisting", "lymphadenitis ;; reactive lymph nodes ;; suppurative cervical lymphadenitis", CKS("Neck lump"))
S("Tuberculous lymphadenitis", r"+6 matted painless neck nodes with sweats: matted|discharg\w*|sinus|night sweats|weight loss|\bTB\b|tubercul\w* ;; +2 HIV or TB contact: HIV|contact",
  "Fine-needle aspiration (AFB, GeneXpert) ;; Chest x-ray ;; HIV test", "scrofula ;; TB lymphadenitis", OHCM)
S("Thyroid nodule", r"+6 lump that moves on swallowing: moves? (up )?(on|with) swallow\w*|thyroid|goit\w*|front of (the )?neck",
  "TFT ;; Thyroid ultrasound ;; FNA per U-classification", "goitre ;; goiter ;; multinodular goitre ;; thyroid cyst", CKS("Goitre"))
S("Head and neck cancer", r"+6 hard neck lump in an older smoker or drinker with hoarseness: hoars\w*|dysphag\w*|ear pain|mouth ulcer|" + SMOKER + r" ;; +2 older: @age>=45",
  "Urgent ENT referral (2-week-wait) ;; Nasendoscopy ;; Ultrasound-guided FNA", "laryngeal cancer ;; oropharyngeal cancer ;; squamous cell carcinoma of the head and neck ;; nasopharyngeal carcinoma", CKS("Head and neck cancers"))
S("Lipoma", r"+6 soft, slow-growing, mobile painless lump: soft|doughy|slow[- ]?grow\w*|mobile|for (years|many months)",
  "Clinical diagnosis ;; Ultrasound if over 5 cm or deep", "", CKS("Lipoma"))
S("Iron deficiency anaemia", r"+5 tired and pale with heavy periods, poor diet or GI loss: heavy (periods|menstrual)|menorrhag\w*|vegetarian|poor diet|pica|craving ice|NSAID|aspirin|black stool|pale|pallor|koilonych\w* ;; +2 breathless on exertion: (breathless|short of breath)[^.]{0,30}(exertion|walking|stairs)",
  "FBC, ferritin ;; Coeliac serology ;; Upper and lower GI investigation if over 60 or man", "anaemia ;; anemia ;; iron deficiency anemia ;; microcytic anaemia ;; iron deficiency anaemia from NSAID-related GI loss", CKS("Anaemia - iron deficiency"))
S("Vitamin B12 deficiency", r"+6 tiredness with sore tongue, tingling or vegan diet: sore (red )?tongue|glossitis|tingl\w*|pins and needles|numb\w*|vegan|metformin|gastrectomy|autoimmune|vitiligo|memory ;; +2 pale or slightly yellow: pale|lemon|yellow",
  "FBC (MCV), B12, folate ;; Intrinsic factor antibodies ;; IM hydroxocobalamin", "pernicious anaemia ;; pernicious anemia ;; B12 deficiency ;; megaloblastic anaemia ;; subacute combined degeneration of the cord", CKS("Anaemia - B12 and folate deficiency"))
S("Thalassaemia trait", r"+6 microcytic anaemia with normal ferritin or Mediterranean, Middle Eastern or Asian family: thalass\w*|mediterranean|middle east\w*|greek|italian|cypr\w*|arab|asian|family history of (anaemia|anemia|blood) ;; +2 lifelong mild anaemia: (since childhood|lifelong|always been|long-standing) (anaemi\w*|anemi\w*|pale|tired)|not responded to iron|iron (tablets )?(didn'?t|did not) help",
  "FBC (low MCV, high RBC) and ferritin ;; Haemoglobin electrophoresis ;; Genetic counselling", "thalassemia ;; thalassaemia ;; beta thalassaemia ;; alpha thalassaemia ;; thalassemia minor", OHCM)
S("Hypothyroidism", r"+6 tired, cold intolerant, weight gain and constipation: (cold intoleran\w*|feels? (the )?cold|always cold)|weight gain|gained weight|constipat\w*|dry skin|hair (loss|thinning)|hoarse|slow|puffy face|menorrhag\w* ;; +2 woman: @female ;; +1 thyroid history or treatment: thyroid|radioiodine|amiodarone|lithium",
  "TSH and free T4 ;; Thyroid peroxidase antibodies ;; Levothyroxine", "underactive thyroid ;; primary hypothyroidism ;; myxoedema ;; Hashimoto thyroiditis", CKS("Hypothyroidism"))
S("Hyperthyroidism", r"+6 weight loss with good appetite, tremor, heat intolerance, palpitations: weight loss[^.]{0,30}(appetite|eating)|(heat intoleran\w*|feels? (hot|warm))|tremor|sweat\w*|palpitation\w*|goit\w*|eye (bulg\w*|protru\w*)|exophthalm\w* ;; +2 anxiety or diarrhoea: anxi\w*|restless|irritab\w*|diarrh\w*|loose stools",
  "TSH, free T4, free T3 ;; TSH receptor antibodies ;; Beta-blocker; endocrinology referral", "Graves disease ;; Graves' disease ;; thyrotoxicosis ;; overactive thyroid ;; toxic multinodular goitre", CKS("Hyperthyroidism"))
S("Thyroid storm", r"+7 hyperthyroid with fever, agitation and fast AF: (thyro\w*|graves)[^.]{0,80}(fever|confus\w*|agitat\w*|delir\w*)|@tachy",
  "Emergency admission ;; TFT, U&E, ECG ;; Beta-blocker, antithyroid drug, steroid", "thyrotoxic crisis", ROSEN)
S("Diabetes mellitus", r"+6 thirst, polyuria and weight loss: thirst\w*|polydips\w*|polyuri\w*|passing (a lot of |lots of )?urine|urinating (a lot|often|frequently)|nocturia|getting up at night to pass urine ;; +2 tiredness, weight loss, blurred vision, thrush: tired|fatigue|weight loss|blurred vision|thrush|slow(ly)? healing|infection\w* ;; +2 family history or obesity: family history|obes\w*|overweight|BMI",
  "Capillary glucose and HbA1c ;; Urine ketones ;; U&E, lipids", "diabetes ;; type 2 diabetes mellitus ;; type 1 diabetes mellitus ;; new-onset type 1 diabetes ;; T2DM ;; T1DM ;; type 2 diabetes", CKS("Diabetes - type 2"))
S("Diabetic ketoacidosis", r"+7 diabetic or new thirst with vomiting, abdominal pain or deep breathing: (" + DIABETES + r"|thirst\w*|polyuri\w*)[^.]{0,100}(vomit\w*|abdominal pain|ketone\w*|kussmaul|deep (sighing )?breath\w*|pear drops|fruity)|ketone\w*|kussmaul|pear drops|fruity breath ;; +3 missed insulin or high glucose: (ran out|missed|stopped)[^.]{0,20}insulin|glucose[^.]{0,15}\b([2-9]\d)\b|high sugar ;; +2 drowsy or dehydrated: drows\w*|dehydrat\w*|@tachy",
  "Capillary glucose and ketones now ;; Venous blood gas (pH, bicarbonate), U&E ;; IV fluids and insulin per DKA protocol", "DKA ;; ketoacidosis ;; diabetic ketoacidosis (DKA)", ROSEN)
S("Hyperosmolar hyperglycaemic state", r"+6 older type 2 diabetic, very high glucose, drowsy and dehydrated: (very high|glucose[^.]{0,10}\b([3-9]\d)\b)|drows\w*|confus\w*|dehydrat\w* ;; +2 older age: @age>=60",
  "Glucose, osmolality, U&E, ketones ;; IV fluids ;; Admit", "HHS ;; hyperosmolar hyperglycemic state ;; HONK", ROSEN)
S("Adrenal insufficiency", r"+6 fatigue, weight loss, dizziness on standing and pigmentation: pigment\w*|darker skin|salt craving|dizz\w* (on|when) stand\w*|postural|low sodium|hyperkal\w*|steroid (stopped|withdrawal) ;; +2 nausea or abdominal pain: nause\w*|abdominal pain",
  "9am cortisol and ACTH ;; U&E (sodium, potassium) ;; Endocrinology referral; hydrocortisone if unwell", "Addison disease ;; Addison's disease ;; primary adrenal insufficiency ;; adrenal crisis", CKS("Addison's disease"))
S("Pituitary adenoma", r"+6 headache with visual field loss or hormonal change: (visual field|peripheral vision|bumping into|tunnel vision|bitemporal)|galactorrh\w*|milky (nipple )?discharge|(amenorrh\w*|periods stopped)|enlarg\w* (hands|feet|jaw)|ring size|shoe size|libido|erectile ;; +1 headache: headache",
  "Visual fields ;; Prolactin, IGF-1, TFT, cortisol, LH/FSH ;; MRI pituitary", "pituitary tumour ;; pituitary tumor ;; prolactinoma ;; acromegaly", OHCM)
S("Phaeochromocytoma", r"+7 episodes of headache, sweating and palpitations with high BP: (episod\w*|attacks|spells)[^.]{0,80}(sweat\w*|palpitation\w*|headache)|paroxysm\w* ;; +2 high BP: hypertens\w*|\b(1[6-9]\d|2\d\d)\s*/",
  "Plasma or urine metanephrines ;; Endocrinology referral", "pheochromocytoma", OHCM)
S("HIV infection", r"+5 risk and weight loss, thrush or recurrent infections: HIV|unprotected|injecting|sex worker|men who have sex with men|MSM|oral thrush|recurrent (infections|shingles)|weight loss ;; +2 night sweats or diarrhoea: night sweats|chronic diarrh\w*",
  "HIV test (4th generation) ;; CD4 and viral load if positive ;; Sexual health / HIV clinic", "HIV ;; acute HIV infection ;; AIDS", CKS("HIV infection and AIDS"))
S("Depression", r"+6 low mood, loss of interest and poor sleep for weeks: low mood|(feeling )?(down|sad|hopeless|worthless)|depress\w*|anhedoni\w*|lost interest|no (longer )?(enjoy|interest)|tearful|crying ;; +2 sleep, appetite or energy change: (poor|early morning|broken) (sleep|waking)|insomnia|appetite|no energy|tired|concentrat\w* ;; +1 weeks: (weeks|months)",
  "PHQ-9 ;; Suicide risk assessment ;; TFT, FBC if indicated ;; Talking therapy or antidepressant", "major depressive disorder ;; depressive episode ;; clinical depression ;; postnatal depression", CKS("Depression"))
S("Suicide risk", r"+8 thoughts of suicide or self-harm: suicid\w*|self[- ]harm|end (it all|(my|his|her|their) life)|better off dead|want(s|ed)? to die|overdose|plan to",
  "Do not leave alone ;; Same-day mental health assessment ;; Remove means", "suicidal ideation ;; self-harm", CKS("Depression"))
S("Bipolar disorder", r"+7 periods of high energy, little sleep and overspending: (high|elevated|excessive) (energy|mood)|little (need for )?sleep|no need (for|to) sleep|overspend\w*|spending spree|racing thoughts|grandios\w*|manic|mania|hypomani\w*",
  "Mood history and collateral ;; Urgent psychiatry if manic ;; TFT, drug screen", "bipolar affective disorder ;; manic depression ;; mania ;; hypomania", CKS("Bipolar disorder"))
S("Adjustment disorder", r"+6 low mood or anxiety after a recent stressful event: (since|after|following) (the |his |her |a )?(divorce|separation|break-?up|job loss|losing (her|his) job|redundan\w*|bereavement|death|move|accident|diagnosis)|bereave\w*|grief",
  "Supportive assessment ;; PHQ-9/GAD-7 ;; Review in 2-4 weeks", "grief reaction ;; bereavement", CKS("Depression"))
S("Generalised anxiety disorder", r"+6 excessive worry most days for months: worr\w*|anxi\w*|nervous|on edge|can'?t relax|restless ;; +2 months: (months|6 months|six months) ;; +1 sleep or muscle tension: (poor|difficulty|trouble) (sleep\w*|getting to sleep)|tension",
  "GAD-7 ;; TFT, and ECG if palpitations ;; CBT or SSRI", "GAD ;; generalized anxiety disorder ;; anxiety disorder ;; anxiety", CKS("Generalized anxiety disorder"))
S("Alcohol withdrawal", r"+7 heavy drinker stopped drinking, tremor, sweating: " + ALCOHOL + r" ;; +3 stopped or cut down, shakes: (stopped|cut down|no) drink\w*|tremor|shak\w*|sweat\w*|hallucinat\w*|agitat\w*",
  "CIWA-Ar score ;; Glucose, U&E, LFTs ;; Chlordiazepoxide and thiamine", "delirium tremens ;; alcohol withdrawal syndrome", CKS("Alcohol - problem drinking"))
S("Insomnia", r"+6 difficulty falling or staying asleep: (difficulty|trouble|can'?t|cannot|unable to) (getting to |falling |get to |fall |stay\w* )?(asleep|sleep\w*)|insomnia|wak\w* (up )?(during the night|early|at \d)|lie awake ;; +1 stress, caffeine, screens: stress|caffeine|coffee|screen|shift",
  "Sleep diary ;; Screen for depression, anxiety, sleep apnoea ;; Sleep hygiene and CBT-I", "primary insomnia ;; chronic insomnia ;; sleep disorder", CKS("Insomnia"))
S("Obstructive sleep apnoea", r"+7 loud snoring with witnessed apnoeas and daytime sleepiness: snor\w*|stop(s|ped)? breathing (at night|while asleep|in (his|her) sleep)|apnoea\w*|apnea\w*|gasp\w*|(daytime )?sleepiness|falls asleep|dozing ;; +2 obesity or thick neck: obes\w*|BMI|overweight|neck",
  "STOP-BANG and Epworth score ;; Sleep study ;; Driving advice", "OSA ;; sleep apnoea ;; sleep apnea ;; obesity hypoventilation syndrome", CKS("Obstructive sleep apnoea syndrome"))
S("Restless legs syndrome", r"+7 urge to move the legs in the evening relieved by moving: urge to move|restless legs|crawling|creepy|legs? (jump|jerk)",
  "Ferritin, FBC, U&E ;; Sleep hygiene", "Willis-Ekbom disease ;; RLS", CKS("Restless legs syndrome"))
S("Infantile colic", r"+6 well infant crying in the evening: (crying|cries|screams?)[^.]{0,40}(evening|hours|every day|same time)|colic\w* ;; +3 young infant: @age<1 ;; -3 fever, vomiting or poor feeding: @fever|vomit\w*|poor feed\w*|not feeding|letharg\w*",
  "Full examination including hernial orifices and weight ;; Reassurance and support ;; Review if features change", "colic ;; infant colic", CKS("Colic - infantile"))
S("Gastro-oesophageal reflux in infants", r"+6 infant posseting or crying after feeds: (after|during) feeds|posset\w*|spit\w* up|regurgitat\w*|arching ;; +2 infant: @age<1",
  "Feeding history and weight ;; Thickened feeds trial", "infant reflux ;; GOR", CKS("Gastro-oesophageal reflux in children"))
S("Non-accidental injury", r"+6 injury inconsistent with history or development: (inconsisten\w*|doesn'?t fit|does not fit|changing) (with the )?(story|history|explanation)|not (yet )?(mobile|crawling|walking)|bruis\w* (on|to) (the )?(face|ears|neck|torso|back|buttocks)|delay\w* (in )?(presenting|seeking)|torn frenulum|burns?|fingertip",
  "Full examination and documentation ;; Safeguarding referral same day ;; Skeletal survey per protocol", "child abuse ;; physical abuse ;; NAI ;; safeguarding concern", CKS("Child maltreatment - recognition and management"))
S("Urinary tract infection in a child", r"+6 child with fever and smelly urine or vomiting without another source: smelly urine|offensive urine|dysuria|crying (when|on) passing urine|wetting|no (obvious )?(other )?source|vomit\w* ;; +2 infant: @age<3",
  "Clean-catch urine dip and culture ;; Ultrasound if under 6 months or atypical ;; Antibiotics per NICE", "paediatric UTI ;; childhood urinary tract infection", CKS("Urinary tract infection - children"))

# ---------------------------------------------------------------- presentations
PRESENTATIONS: tuple[Presentation, ...] = tuple(Presentation(*p[:6], **(p[6] if len(p) > 6 else {})) for p in (
    ("chest_pain", "chest pain",
     r"chest (pain|tightness|pressure|discomfort|heaviness|ache|hurts|is sore)|(my|his|her) chest (has )?hurt\w*|pain in (the|my|his|her) chest|retrosternal|central chest|angina|sternum|breastbone",
     ("Stable angina", "Gastro-oesophageal reflux disease", "Musculoskeletal chest wall pain", "Pericarditis", "Community-acquired pneumonia", "Panic disorder", "Pneumothorax", "Diffuse oesophageal spasm", "Herpes zoster"),
     ("Acute coronary syndrome", "Pulmonary embolism", "Aortic dissection", "Tension pneumothorax", "Cardiac tamponade", "Boerhaave syndrome"), CKS("Chest pain")),
    ("breathlessness", "breathlessness",
     r"short(ness)? of breath|breathless\w*|dyspn\w*|difficulty (in )?breathing|can'?t (catch|get) (my|his|her) breath|\bSOB\b|out of breath|fast breathing|wheez\w*",
     ("Asthma", "Chronic obstructive pulmonary disease", "Heart failure", "Community-acquired pneumonia", "Iron deficiency anaemia", "Panic disorder", "Interstitial lung disease", "Cardiomyopathy", "Pleural effusion", "Bronchiolitis", "Hypertrophic cardiomyopathy", "Pneumothorax", "Pericardial effusion"),
     ("Pulmonary embolism", "Acute coronary syndrome", "Tension pneumothorax", "Anaphylaxis", "Cardiac tamponade", "Sepsis"), CKS("Breathlessness")),
    ("cough", "cough",
     r"cough\w*|sputum|phlegm",
     ("Viral upper respiratory tract infection", "Acute bronchitis", "Community-acquired pneumonia", "Asthma", "Chronic obstructive pulmonary disease", "COVID-19", "Gastro-oesophageal reflux disease", "Allergic rhinitis", "Bronchiectasis", "Croup", "Bronchiolitis", "Pertussis", "Influenza", "Heart failure", "Pericardial effusion"),
     ("Pulmonary tuberculosis", "Lung cancer", "Pulmonary embolism", "Heart failure"), CKS("Cough - acute with chest signs")),
    ("fever", "fever",
     r"(?<!hay )(?<!glandular )(?<!scarlet )fever\w*|febrile|pyrexi\w*|high temperature|rigors|chills|hot to (the )?touch",
     ("Viral upper respiratory tract infection", "Influenza", "COVID-19", "Community-acquired pneumonia", "Lower urinary tract infection", "Acute pyelonephritis", "Malaria", "Infectious mononucleosis", "Streptococcal tonsillitis", "Brucellosis", "Typhoid fever", "Dengue", "Cellulitis", "Acute otitis media", "Pericardial effusion", "Rheumatic fever"),
     ("Sepsis", "Bacterial meningitis", "Meningococcal sepsis", "Infective endocarditis", "Pulmonary tuberculosis", "Acute leukaemia", "Lymphoma", "Brain abscess", "HIV infection"), CKS("Fever in adults")),
    ("headache", "headache",
     r"headache\w*|head ?ache|migraine|cephalgia|pain in (the|my|his|her) head",
     ("Tension-type headache", "Migraine", "Acute sinusitis", "Medication overuse headache", "Cluster headache", "Viral upper respiratory tract infection", "Pituitary adenoma", "Idiopathic intracranial hypertension", "Concussion"),
     ("Subarachnoid haemorrhage", "Bacterial meningitis", "Giant cell arteritis", "Brain tumour", "Brain abscess", "Carbon monoxide poisoning", "Cerebral venous sinus thrombosis", "Acute angle-closure glaucoma", "Pre-eclampsia", "Intracranial haemorrhage"), CKS("Headache - assessment")),
    ("abdominal_pain", "abdominal pain",
     r"abdominal (pain|cramp\w*|discomfort)|(stomach|tummy|belly) (pain|ache|cramp\w*)|pain in (the|my|his|her) (abdomen|belly|stomach|tummy)|abdomen (hurts|is painful)|stomach ?ache|bellyache",
     ("Viral gastroenteritis", "Constipation", "Irritable bowel syndrome", "Acute appendicitis", "Biliary colic", "Peptic ulcer disease", "Lower urinary tract infection", "Renal colic", "Diverticulitis", "Acute pancreatitis", "Small bowel obstruction", "Crohn disease", "Pelvic inflammatory disease", "Functional dyspepsia", "Ovarian cancer"),
     ("Ectopic pregnancy", "Abdominal aortic aneurysm", "Acute mesenteric ischaemia", "Perforated peptic ulcer", "Diabetic ketoacidosis", "Acute cholangitis", "Small bowel obstruction"), OHCM),
    ("ruq_pain", "right upper abdominal pain",
     r"right upper (quadrant|abdom\w*|belly)|\bRUQ\b|upper right (side of the )?(abdomen|belly|stomach)|under the right ribs|right hypochondri\w*|right subcostal",
     ("Biliary colic", "Acute cholecystitis", "Viral hepatitis", "Choledocholithiasis", "Peptic ulcer disease", "Acute pyelonephritis"),
     ("Acute cholangitis", "Acute pancreatitis", "Acute coronary syndrome", "Pancreatic cancer"), CKS("Gallstones")),
    ("epigastric_pain", "epigastric pain",
     r"epigastri\w*|upper (abdominal|abdomen|stomach|belly|middle)|pit of (the|my|his|her) stomach|(pain|pressure) in the stomach|indigestion|dyspeps\w*",
     ("Peptic ulcer disease", "Functional dyspepsia", "Gastro-oesophageal reflux disease", "Gastritis", "Acute pancreatitis", "Chronic pancreatitis", "Biliary colic"),
     ("Acute coronary syndrome", "Perforated peptic ulcer", "Abdominal aortic aneurysm", "Gastric cancer", "Upper gastrointestinal haemorrhage"), CKS("Dyspepsia - unidentified cause")),
    ("rif_pain", "right lower abdominal pain",
     r"right (lower|iliac)|\bRIF\b|\bRLQ\b|lower right (side|abdomen|belly)|mcburney",
     ("Acute appendicitis", "Mesenteric adenitis", "Ovarian cyst", "Crohn disease", "Renal colic", "Pelvic inflammatory disease", "Constipation"),
     ("Ectopic pregnancy", "Ovarian torsion", "Testicular torsion", "Abdominal aortic aneurysm"), ROSEN),
    ("lif_pain", "left lower abdominal pain",
     r"left (lower|iliac)|\bLIF\b|\bLLQ\b|lower left (side|abdomen|belly)",
     ("Diverticulitis", "Constipation", "Irritable bowel syndrome", "Ovarian cyst", "Renal colic", "Ulcerative colitis"),
     ("Colorectal cancer", "Ectopic pregnancy", "Abdominal aortic aneurysm", "Ovarian torsion", "Acute mesenteric ischaemia"), CKS("Diverticular disease")),
    ("suprapubic_pain", "lower abdominal or suprapubic pain",
     r"suprapubic|lower (abdominal|abdomen|belly|tummy)|pelvic pain|pain (in|at) the (bottom of the )?(pelvis|bladder)",
     ("Lower urinary tract infection", "Primary dysmenorrhoea", "Pelvic inflammatory disease", "Acute urinary retention", "Endometriosis", "Ovarian cyst", "Irritable bowel syndrome", "Adenomyosis"),
     ("Ectopic pregnancy", "Ovarian torsion", "Acute appendicitis", "Ovarian cancer"), CKS("Pelvic pain")),
    ("diffuse_abdominal_pain", "generalised abdominal pain or distension",
     r"(generali[sz]ed|diffuse|all over (the|my|his|her) (abdomen|tummy|belly)|whole) (abdominal )?(pain|tummy)|distended abdomen|abdominal (distension|swelling)|bloat\w*|swollen (abdomen|belly|tummy)",
     ("Viral gastroenteritis", "Constipation", "Irritable bowel syndrome", "Small bowel obstruction", "Ovarian cancer", "Coeliac disease", "Lactose intolerance"),
     ("Acute mesenteric ischaemia", "Abdominal aortic aneurysm", "Perforated peptic ulcer", "Diabetic ketoacidosis", "Small bowel obstruction"), OHCM),
    ("syncope", "collapse or faint",
     r"faint\w*|syncop\w*|collaps\w*|passed out|pass out|black(ed)? ?out|lost consciousness|loss of consciousness|\bLOC\b|near[- ]?faint\w*",
     ("Vasovagal syncope", "Orthostatic hypotension", "Epilepsy", "Hypoglycaemia", "Atrial fibrillation"),
     ("Ventricular arrhythmia", "Aortic stenosis", "Hypertrophic cardiomyopathy", "Pulmonary embolism", "Upper gastrointestinal haemorrhage", "Ectopic pregnancy", "Subarachnoid haemorrhage"), CKS("Blackouts - transient loss of consciousness")),
    ("weakness_numbness", "weakness or numbness",
     r"weak(ness)? (of|in) (the |his |her |my )?(arm|leg|face|hand|side|limb)\w*|(arm|leg|face|hand|one[- ]sided|unilateral|left[- ]sided|right[- ]sided) (weakness|numbness)|numb\w*|tingl\w*|pins and needles|facial droop|face (is )?droop\w*|slurred speech|can'?t (move|lift) (his|her|my) (arm|leg)|paralys\w*|hemipar\w*|generali[sz]ed weakness",
     ("Ischaemic stroke", "Transient ischaemic attack", "Bell palsy", "Carpal tunnel syndrome", "Peripheral neuropathy", "Migraine", "Vitamin B12 deficiency", "Multiple sclerosis", "Hypoglycaemia", "Sciatica"),
     ("Ischaemic stroke", "Spinal cord compression", "Guillain-Barre syndrome", "Intracranial haemorrhage", "Brain tumour", "Cauda equina syndrome"), CKS("Stroke and TIA")),
    ("back_pain", "back pain",
     r"back ?(pain|ache)|backache|lumbago|(pain|ache) in (the|my|his|her) (lower |upper )?back|lumbar|low back|sciatica|sore back|flank pain|loin pain",
     ("Mechanical back pain", "Sciatica", "Degenerative disc disease", "Osteoporotic vertebral fracture", "Axial spondyloarthritis", "Renal colic", "Acute pyelonephritis"),
     ("Cauda equina syndrome", "Abdominal aortic aneurysm", "Spinal metastases", "Multiple myeloma", "Spinal epidural abscess", "Aortic dissection", "Spinal cord compression"), CKS("Back pain - low (without radiculopathy)")),
    ("rash", "rash",
     r"rash\w*|spots|blister\w*|vesicle\w*|itch\w*|prurit\w*|erythema|skin (redness|lesion|eruption|erythema)|red (skin|patch\w*)|hives|wheal\w*|crust\w*|plaques|scal(y|ing) skin|pustul\w*",
     ("Contact dermatitis", "Urticaria", "Viral exanthem", "Herpes zoster", "Scabies", "Impetigo", "Cellulitis", "Psoriasis", "Diaper dermatitis", "Lyme disease", "Drug eruption", "Chickenpox", "Measles", "Acute interstitial nephritis", "Superficial thrombophlebitis"),
     ("Meningococcal sepsis", "Necrotising fasciitis", "Stevens-Johnson syndrome", "Kawasaki disease", "Anaphylaxis"), CKS("Rashes")),
    ("sore_throat", "sore throat",
     r"sore ?throat|throat (pain|infection)|pharyng\w*|tonsil\w*|painful swallow\w*|odynophag\w*|hurts to swallow",
     ("Acute tonsillopharyngitis", "Streptococcal tonsillitis", "Infectious mononucleosis", "Viral upper respiratory tract infection", "Oesophagitis"),
     ("Peritonsillar abscess", "Acute epiglottitis", "Agranulocytosis", "HIV infection"), CKS("Sore throat - acute")),
    ("dysuria", "pain passing urine",
     r"dysuria|burn\w* (on|when|while) (passing urine|urinat\w*|peeing|passing water)|pain(ful)? (on|when) (passing urine|urinat\w*|peeing)|stinging (when|on) (passing urine|peeing)|urinary (frequency|urgency)|frequen\w* (of )?urinat\w*|urinary symptoms",
     ("Lower urinary tract infection", "Urethritis", "Acute pyelonephritis", "Acute prostatitis", "Vaginal candidiasis", "Atrophic vaginitis", "Chlamydia infection", "Urogenital fistula"),
     ("Acute pyelonephritis", "Sepsis", "Bladder cancer", "Ectopic pregnancy"), CKS("Urinary tract infection (lower) - women")),
    ("bleeding_in_pregnancy", "vaginal bleeding in pregnancy",
     r"(pregnan\w*|weeks? since (her |my |the )?last (menstrual )?period|positive (urine |home )?(pregnancy )?test|missed (a |her )?period|\bLMP\b)[^\n]{0,200}(bleed\w*|spotting|blood)|(bleed\w*|spotting)[^\n]{0,120}(pregnan\w*|weeks? since)|vaginal bleeding, not from menstruation",
     ("Threatened miscarriage", "Miscarriage", "Chlamydia infection"),
     ("Ectopic pregnancy", "Placental abruption", "Placenta praevia", "Molar pregnancy"), CKS("Miscarriage")),
    ("early_pregnancy_pain", "pain in pregnancy or with a missed period",
     r"(pregnan\w*|weeks? since (her |my |the )?last (menstrual )?period|positive (urine |home )?(pregnancy )?test|missed (a |her )?period|period is late|\bLMP\b|amenorrh\w*)",
     ("Threatened miscarriage", "Miscarriage", "Hyperemesis gravidarum", "Lower urinary tract infection", "Ovarian cyst"),
     ("Ectopic pregnancy", "Pre-eclampsia", "Placental abruption", "Ovarian torsion"), CKS("Ectopic pregnancy")),
    ("confusion", "confusion",
     r"confus\w*|disorient\w*|delirium|not (making sense|himself|herself)|acting strangely|odd behaviour|memory (loss|problems)|forget\w*|altered (mental|mentation)|drows\w*",
     ("Delirium", "Dementia", "Hypoglycaemia", "Hyponatraemia", "Wernicke encephalopathy", "Alcohol withdrawal"),
     ("Sepsis", "Bacterial meningitis", "Encephalitis", "Ischaemic stroke", "Intracranial haemorrhage", "Hypoglycaemia"), CKS("Delirium")),
    ("palpitations", "palpitations",
     r"palpitation\w*|heart (racing|pounding|fluttering|skipping)|racing heart|pounding heart|flutter\w*|irregular (heart ?beat|pulse)|skipped beats?|fast heart ?(beat|rate)|tachycardi\w*",
     ("Atrial fibrillation", "Ectopic beats", "Supraventricular tachycardia", "Panic disorder", "Hyperthyroidism", "Iron deficiency anaemia", "Generalised anxiety disorder"),
     ("Ventricular arrhythmia", "Hypertrophic cardiomyopathy", "Thyroid storm", "Phaeochromocytoma", "Pulmonary embolism"), CKS("Palpitations")),
    ("joint_pain", "joint pain or swelling",
     r"joint (pain|swelling|ache)|arthralgi\w*|arthritis|(knee|hip|ankle|wrist|elbow|shoulder|toe|finger|knuckle)s? (pain|swelling|swollen|hurts|ache)|(painful|swollen|hot) (left |right )?(knee|hip|ankle|wrist|elbow|joint|toe|knuckles?)s?|swollen big toe|pain in (the|my|his|her) (knee|hip|ankle|wrist|shoulder|joints?)",
     ("Osteoarthritis", "Gout", "Pseudogout", "Rheumatoid arthritis", "Reactive arthritis", "Rheumatic fever", "Systemic lupus erythematosus", "Polymyalgia rheumatica", "Rotator cuff tendinopathy", "Fracture", "Lyme disease", "Systemic sclerosis"),
     ("Septic arthritis", "Rheumatic fever", "Fracture"), CKS("Knee pain - assessment")),
    ("diarrhoea", "diarrhoea",
     r"diarrh\w*|loose (stools?|motions|bowels?)|watery stools?|runs|bloody stools?|opening (his|her|my) bowels \d+ times",
     ("Viral gastroenteritis", "Bacterial gastroenteritis", "Irritable bowel syndrome", "Lactose intolerance", "Coeliac disease", "Ulcerative colitis", "Crohn disease", "Clostridioides difficile infection", "Hyperthyroidism", "Chronic pancreatitis"),
     ("Colorectal cancer", "Acute mesenteric ischaemia", "Sepsis", "Intussusception"), CKS("Diarrhoea - adult's assessment")),
    ("vomiting", "nausea and vomiting",
     r"vomit\w*|nause\w*|being sick|throwing up|threw up|emesis",
     ("Viral gastroenteritis", "Bacterial gastroenteritis", "Hyperemesis gravidarum", "Migraine", "Gastritis", "Acute pancreatitis", "Infantile pyloric stenosis", "Vestibular neuritis", "Biliary colic"),
     ("Small bowel obstruction", "Diabetic ketoacidosis", "Acute appendicitis", "Bacterial meningitis", "Intussusception", "Brain tumour"), CKS("Nausea and vomiting")),
    ("dizziness", "dizziness or vertigo",
     r"dizz\w*|vertigo|room (is )?spin\w*|spinning|light[- ]?headed\w*|giddy|off balance|unsteady|imbalance|ataxi\w*",
     ("Benign paroxysmal positional vertigo", "Vestibular neuritis", "Labyrinthitis", "Meniere disease", "Orthostatic hypotension", "Iron deficiency anaemia", "Cerebellar ataxia from alcohol", "Multiple sclerosis", "Hypertrophic cardiomyopathy"),
     ("Posterior circulation stroke", "Ventricular arrhythmia", "Brain tumour", "Acoustic neuroma", "Cardiac tamponade"), CKS("Vertigo")),
    ("haematuria", "blood in the urine",
     r"ha?ematuria|blood in (the|my|his|her) urine|(red|pink|dark|cola|bloody)[- ]colou?red urine|(red|bloody|dark) urine|passing blood",
     ("Lower urinary tract infection", "Renal colic", "Benign prostatic hyperplasia", "Glomerulonephritis", "Urinary schistosomiasis", "G6PD deficiency", "Paroxysmal nocturnal haemoglobinuria"),
     ("Bladder cancer", "Renal cell carcinoma", "Prostate cancer"), CKS("Haematuria")),
    ("scrotal_pain", "testicular or scrotal pain or swelling",
     r"testic\w*|scrot\w*|testis|testes|testicle\w*|groin (pain|lump|swelling)|balls",
     ("Epididymo-orchitis", "Torsion of testicular appendage", "Inguinal hernia", "Hydrocele"),
     ("Testicular torsion", "Fournier gangrene", "Testicular cancer"), CKS("Scrotal pain and swelling")),
    ("leg_swelling", "leg pain or swelling",
     r"(leg|calf|calves|ankle|ankles|foot|feet|lower limb|lower extremit\w*)s? (swelling|swollen|pain|oedema|edema)|swollen (legs?|calf|ankles?|feet)|(pedal|peripheral) o?edema|leg pain|calf pain|o?edema",
     ("Deep vein thrombosis", "Cellulitis", "Heart failure", "Chronic venous insufficiency", "Superficial thrombophlebitis", "Peripheral arterial disease", "Nephrotic syndrome", "Chronic kidney disease", "Diabetic nephropathy", "Sciatica"),
     ("Deep vein thrombosis", "Necrotising fasciitis", "Compartment syndrome", "Acute limb ischaemia"), CKS("Deep vein thrombosis")),
    ("generalised_swelling", "generalised swelling or puffiness",
     r"(face|facial|eyelid|periorbital) (puffiness|swelling)|puffy (face|eyes)|generali[sz]ed (body )?(swelling|o?edema)|body swelling|anasarca|(froth|foam)\w* urine",
     ("Nephrotic syndrome", "Diabetic nephropathy", "Heart failure", "Chronic kidney disease", "Glomerulonephritis", "Hypothyroidism", "Alcohol-related liver disease"),
     ("Glomerulonephritis", "Acute kidney injury", "Pre-eclampsia"), OHCM),
    ("red_eye", "red or painful eye",
     r"red (eye|eyes)|eye (pain|redness|discharge|irritation)|pain(ful)? (in )?(the |my |his |her )?eye|sore eyes?|(eyelid|lid) (swelling|lump|bump)|swollen (eye)?lid|pink eye|sticky eyes?|itchy eyes?|conjunctiv\w*",
     ("Viral conjunctivitis", "Bacterial conjunctivitis", "Allergic conjunctivitis", "Subconjunctival haemorrhage", "Chalazion", "Stye"),
     ("Acute angle-closure glaucoma", "Anterior uveitis", "Keratitis", "Orbital cellulitis"), CKS("Red eye")),
    ("visual_loss", "blurred or lost vision",
     r"(blurred|blurry|blurring|reduced|decreased|loss of|losing|cloudy|misty|distorted|double) (of )?vision|vision (loss|problems|is blurred)|can'?t see|visual (loss|disturbance)|floaters|diplopia",
     ("Cataract", "Age-related macular degeneration", "Diabetic retinopathy", "Migraine"),
     ("Retinal detachment", "Giant cell arteritis", "Acute angle-closure glaucoma", "Ischaemic stroke", "Idiopathic intracranial hypertension"), CKS("Red eye")),
    ("ear_pain", "ear pain or discharge",
     r"ear ?(ache|pain)|otalgi\w*|pain in (the|his|her|my) ear|(pulling|tugging) (at )?(his|her|the) ear|ear discharge|otorrh\w*|discharge from (the|his|her|my) ear",
     ("Acute otitis media", "Otitis externa", "Otitis media with perforation", "Earwax impaction"),
     ("Acute mastoiditis", "Necrotising otitis externa"), CKS("Otitis media - acute")),
    ("hearing_loss", "hearing loss",
     r"hearing (loss|difficult\w*|problem\w*)|difficulty hearing|deaf\w*|can'?t hear|hard of hearing|tinnitus|ringing in (the|his|her|my) ears?",
     ("Earwax impaction", "Presbycusis", "Meniere disease", "Otitis media with perforation", "Labyrinthitis"),
     ("Sudden sensorineural hearing loss", "Acoustic neuroma"), CKS("Hearing loss in adults")),
    ("fatigue", "tiredness",
     r"tired\w*|fatigue\w*|exhaust\w*|lethargy|letharg\w*|no energy|lack of energy|malaise|weakness|worn out|run down",
     ("Iron deficiency anaemia", "Hypothyroidism", "Depression", "Diabetes mellitus", "Obstructive sleep apnoea", "Vitamin B12 deficiency", "Thalassaemia trait", "Chronic kidney disease", "Infectious mononucleosis", "Coeliac disease", "Fibromyalgia"),
     ("Acute leukaemia", "Lymphoma", "Adrenal insufficiency", "HIV infection", "Colorectal cancer", "Multiple myeloma"), CKS("Tiredness/fatigue in adults")),
    ("weight_loss", "weight loss",
     r"weight loss|lost (\d+ ?(kg|kilos|pounds|lbs|stone) (in )?)?weight|losing weight|loss of weight|clothes (are )?(loose|looser)",
     ("Hyperthyroidism", "Diabetes mellitus", "Depression", "Pulmonary tuberculosis", "Coeliac disease", "Crohn disease", "HIV infection"),
     ("Lung cancer", "Colorectal cancer", "Acute leukaemia", "Lymphoma", "Pancreatic cancer", "Gastric cancer", "Oesophageal cancer"), CKS("Weight loss - unintentional")),
    ("jaundice", "jaundice",
     r"jaundic\w*|yellow (skin|eyes|sclera\w*)|(skin|eyes) (turned |going |are )?yellow|icter\w*|yellowish",
     ("Viral hepatitis", "Choledocholithiasis", "Alcohol-related liver disease", "Gilbert syndrome", "G6PD deficiency"),
     ("Acute cholangitis", "Pancreatic cancer", "Acute liver failure"), CKS("Jaundice in adults")),
    ("haemoptysis", "coughing up blood",
     r"ha?emoptysis|cough\w* (up )?blood|blood[- ]stained (sputum|phlegm)|blood in (the |his |her |my )?(sputum|phlegm)|streaks? of blood",
     ("Acute bronchitis", "Community-acquired pneumonia", "Bronchiectasis", "Pulmonary tuberculosis"),
     ("Lung cancer", "Pulmonary embolism", "Pulmonary tuberculosis"), CKS("Haemoptysis")),
    ("dysphagia", "difficulty swallowing",
     r"dysphag\w*|difficulty (in )?swallowing|trouble swallowing|food (sticking|sticks|gets stuck)|can'?t swallow|odynophag\w*|pain(ful)? (on|with) swallow\w*",
     ("Gastro-oesophageal reflux disease", "Oesophagitis", "Oesophageal stricture", "Achalasia", "Diffuse oesophageal spasm", "Eosinophilic oesophagitis", "Pharyngeal pouch"),
     ("Oesophageal cancer", "Ischaemic stroke", "Head and neck cancer"), CKS("Dysphagia")),
    ("limb_injury", "limb injury or pain",
     r"(fell|fall|fallen|slipped|tripped|twisted|injur\w*|hurt|trauma|kicked|hit)[^.\n]{0,60}(arm|leg|wrist|ankle|knee|hip|shoulder|hand|foot|elbow|shin)|(arm|leg|wrist|ankle|knee|hip|shoulder|hand|thumb|finger|foot|elbow|shin) (pain|injury)|(painful|swollen) (arm|wrist|ankle|shoulder|hand|thumb|finger)",
     ("Sprain", "Fracture", "Rotator cuff tendinopathy", "Carpal bone fracture", "Dislocation", "De Quervain tenosynovitis", "Frozen shoulder", "Carpal tunnel syndrome", "Osteoarthritis", "Herpetic whitlow", "Paronychia"),
     ("Compartment syndrome", "Septic arthritis", "Flexor tenosynovitis", "Acute limb ischaemia", "Acute coronary syndrome"), CKS("Sprains and strains")),
    ("seizure", "fit or seizure",
     r"seizure\w*|fit\b|fits\b|fitting|convuls\w*|shaking (episode|attack|all over)|jerking",
     ("Epilepsy", "Provoked seizure", "Febrile seizure", "Vasovagal syncope", "Hypoglycaemia"),
     ("Status epilepticus", "Bacterial meningitis", "Brain tumour", "Eclampsia", "Intracranial haemorrhage", "Encephalitis", "Neurocysticercosis"), CKS("Epilepsy")),
    ("low_mood", "low mood",
     r"low mood|depress\w*|feeling (down|low|sad|hopeless)|sad\b|tearful|hopeless|no interest|lost interest|hot (flush\w*|flash\w*)",
     ("Depression", "Adjustment disorder", "Hypothyroidism", "Bipolar disorder", "Generalised anxiety disorder", "Menopause", "Sheehan syndrome"),
     ("Suicide risk", "Bipolar disorder", "Hypothyroidism"), CKS("Depression")),
    ("anxiety", "anxiety",
     r"anxi\w*|panic|worr\w*|nervous\w*|on edge|stress\w*",
     ("Generalised anxiety disorder", "Panic disorder", "Hyperthyroidism", "Depression", "Alcohol withdrawal"),
     ("Phaeochromocytoma", "Thyroid storm", "Pulmonary embolism", "Suicide risk"), CKS("Generalized anxiety disorder")),
    ("insomnia", "sleep problems",
     r"insomnia|can'?t sleep|(difficulty|trouble|problems?) (sleeping|getting to sleep|falling asleep|staying asleep)|poor sleep|not sleeping|snor\w*|daytime sleepiness",
     ("Insomnia", "Depression", "Generalised anxiety disorder", "Obstructive sleep apnoea", "Restless legs syndrome"),
     ("Bipolar disorder", "Suicide risk"), CKS("Insomnia")),
    ("menstrual", "period problems",
     r"(irregular|heavy|painful|absent|missed|no) (periods|menstruation|menses|bleeding)|dysmenorrh\w*|menorrhag\w*|amenn?orr?h\w*|periods (have )?(stopped|become irregular)|irregular,? menstruation|post-?menopausal bleed\w*|intermenstrual|post-?coital bleed\w*",
     ("Primary dysmenorrhoea", "Menopause", "Polycystic ovary syndrome", "Uterine fibroids", "Adenomyosis", "Endometriosis", "Premature ovarian insufficiency", "Hypothyroidism", "Sheehan syndrome", "Atrophic vaginitis"),
     ("Ectopic pregnancy", "Endometrial cancer", "Cervical cancer", "Pituitary adenoma"), CKS("Menorrhagia")),
    ("vaginal_discharge", "vaginal discharge",
     r"(vaginal|PV) discharge|discharge from (the|her) vagina|vaginal (itch\w*|odou?r|smell)|fishy (smell|odou?r)",
     ("Bacterial vaginosis", "Vaginal candidiasis", "Trichomoniasis", "Chlamydia infection", "Urogenital fistula", "Atrophic vaginitis"),
     ("Pelvic inflammatory disease", "Cervical cancer"), CKS("Vaginal discharge")),
    ("neck_lump", "neck lump or swollen glands",
     r"(neck|cervical) (lump|mass|swelling|nodes?)|lump (in|on) (the|his|her|my) neck|swollen (neck )?glands|lymph ?adenopathy|lymphadenopath\w*|enlarged (lymph )?nodes|lymph nodes",
     ("Reactive lymphadenopathy", "Infectious mononucleosis", "Thyroid nodule", "Tuberculous lymphadenitis", "Lipoma"),
     ("Lymphoma", "Head and neck cancer", "Acute leukaemia", "HIV infection"), CKS("Neck lump")),
    ("breast_problem", "breast lump or pain",
     r"breast (lump|mass|swelling|pain|redness|erythema|tenderness|abscess)|lump (in|on) (the|her|my) (left |right )?breast|(red|painful|swollen) breast|mastalgia|nipple (discharge|retraction)",
     ("Fibroadenoma", "Breast cyst", "Fibrocystic breast change", "Galactocele", "Lactational mastitis", "Breast abscess", "Lipoma"),
     ("Breast cancer",), CKS("Breast cancer - recognition and referral")),
    ("urinary_frequency", "passing urine often",
     r"(urinary )?frequency|polyuri\w*|passing (a lot of |lots of )?urine|urinat\w* (a lot|often|frequently)|nocturia|(getting|gets|get) up (at night )?(\d+|several|many|two|three) times|thirst\w*|polydips\w*",
     ("Diabetes mellitus", "Lower urinary tract infection", "Benign prostatic hyperplasia", "Urge urinary incontinence", "Prostate cancer", "Heart failure"),
     ("Diabetic ketoacidosis", "Prostate cancer", "Hyperosmolar hyperglycaemic state"), CKS("LUTS in men")),
    ("incontinence", "leaking urine",
     r"incontinen\w*|leak\w* (of )?urine|urine leak\w*|wet(ting)? (himself|herself|myself)|involuntary (loss|passage) of urine|dribbl\w*",
     ("Stress urinary incontinence", "Urge urinary incontinence", "Overflow urinary incontinence", "Lower urinary tract infection", "Urogenital fistula", "Benign prostatic hyperplasia"),
     ("Cauda equina syndrome", "Spinal cord compression"), CKS("Incontinence - urinary, in women")),
    ("rectal_bleeding", "bleeding from the back passage",
     r"rectal bleed\w*|(blood|bleed\w*) (from|per) (the )?(rectum|back passage|bottom|anus)|blood (in|on) (the |his |her )?(stool|stools|poo|toilet paper)|bloody (stool|stools|diarrh\w*)|\bPR bleed\w*|melaena|melena|black (tarry )?stools?",
     ("Haemorrhoids", "Anal fissure", "Diverticulosis", "Colonic polyps", "Ulcerative colitis", "Bacterial gastroenteritis", "Crohn disease"),
     ("Colorectal cancer", "Upper gastrointestinal haemorrhage", "Acute mesenteric ischaemia"), CKS("Gastrointestinal tract (lower) cancers")),
    ("constipation", "constipation",
     r"constipat\w*|not opened (his|her|my) bowels|hard stools?|difficulty (opening|passing) (bowels|stool)",
     ("Constipation", "Irritable bowel syndrome", "Hypothyroidism"),
     ("Colorectal cancer", "Small bowel obstruction", "Multiple myeloma"), CKS("Constipation")),
    ("nasal", "blocked or runny nose",
     r"runny nose|rhinorrh\w*|nasal (congestion|discharge|blockage|obstruction)|blocked nose|stuffy nose|sneez\w*|congested",
     ("Viral upper respiratory tract infection", "Allergic rhinitis", "Acute sinusitis", "Influenza", "COVID-19"),
     ("Orbital cellulitis", "Head and neck cancer"), CKS("Common cold")),
    ("heartburn", "heartburn",
     r"heartburn|acid reflux|reflux|regurgitation|sour taste",
     ("Gastro-oesophageal reflux disease", "Functional dyspepsia", "Peptic ulcer disease", "Oesophagitis", "Systemic sclerosis"),
     ("Acute coronary syndrome", "Oesophageal cancer", "Gastric cancer"), CKS("Dyspepsia - proven GORD")),
    ("hand_problem", "hand or finger problem",
     r"(hand|finger|thumb|wrist)s? (pain|numbness|tingling|swelling|vesicles|blisters|colou?r change)|pain at the base of the thumb|swelling in (the )?fingers|fingers? (turn|change) (white|blue|colou?r)",
     ("Carpal tunnel syndrome", "De Quervain tenosynovitis", "Osteoarthritis", "Rheumatoid arthritis", "Systemic sclerosis", "Herpetic whitlow", "Paronychia", "Gout"),
     ("Flexor tenosynovitis", "Septic arthritis", "Carpal bone fracture"), MURTAGH),
    ("child_fever", "fever in a child",
     r"(?<!hay )fever\w*|febrile|high temperature|hot to (the )?touch|pyrexi\w*|temperature",
     ("Viral upper respiratory tract infection", "Acute otitis media", "Urinary tract infection in a child", "Acute tonsillopharyngitis", "Bronchiolitis", "Viral gastroenteritis", "Viral exanthem", "Febrile seizure"),
     ("Bacterial meningitis", "Meningococcal sepsis", "Sepsis", "Kawasaki disease", "Community-acquired pneumonia", "Septic arthritis"), CKS("Feverish children - management"), {"requires": "@age<16"}),
    ("infant_crying", "crying or irritable baby",
     r"crying|cries|screaming|irritab\w*|inconsolable|fussy|unsettled",
     ("Infantile colic", "Gastro-oesophageal reflux in infants", "Acute otitis media", "Constipation", "Urinary tract infection in a child"),
     ("Intussusception", "Bacterial meningitis", "Non-accidental injury", "Inguinal hernia", "Sepsis"), CKS("Colic - infantile"), {"requires": "@age<2"}),
))


# ---------------------------------------------------------------- names and synonyms
def _norm(name: str) -> str:
    """Lower case, British/US spelling and punctuation folded: the key synonyms are matched on."""
    s = name.lower().replace("'s ", " ").replace("'s", "").replace("’s", "")
    s = re.sub(r"[^a-z0-9]+", " ", s)
    for a, b in (("haem", "hem"), ("oe", "e"), ("ae", "e"), ("tonsilitis", "tonsillitis"), ("tumour", "tumor"),
                 ("sulph", "sulf"), ("paed", "ped"), ("isation", "ization"), ("yse", "yze"), ("aemia", "emia")):
        s = s.replace(a, b)
    s = re.sub(r"\b(acute|the|a|an|of|disease|syndrome|disorder)\b", " ", s)
    return " ".join(s.split())


SYNONYMS: dict[str, tuple[str, ...]] = {name: d.synonyms for name, d in DIAGNOSES.items()}
_CANONICAL: dict[str, str] = {}
for _name, _syns in SYNONYMS.items():
    for _s in (_name, *_syns):
        _CANONICAL.setdefault(_norm(_s), _name)


def canonical(name: str) -> str | None:
    """The catalogue's preferred name for a diagnosis name or synonym, or None when it has none."""
    return _CANONICAL.get(_norm(name))


def same_diagnosis(a: str, b: str) -> bool:
    """Synonym-aware match: the same preferred name, or the same normalised words."""
    na, nb = _norm(a), _norm(b)
    if na == nb:
        return True
    ca, cb = canonical(a), canonical(b)
    return ca is not None and ca == cb


def check_catalogue() -> list[str]:
    """Problems in the catalogue (names used but not defined, bad patterns): empty when sound."""
    problems = []
    for p in PRESENTATIONS:
        re.compile(p.triggers)
        for name in (*p.common, *p.serious):
            if name not in DIAGNOSES:
                problems.append(f"{p.id}: {name} is not a defined diagnosis")
    for d in DIAGNOSES.values():
        if len(d.name) > 60 or not d.workup or not d.source:
            problems.append(f"{d.name}: name too long, or no workup or source")
        for w in d.workup:
            if len(w) > 60 or not w.isascii():
                problems.append(f"{d.name}: workup label {w!r} too long or not ASCII")
        for f in d.features:
            if not f.pattern.startswith("@"):
                try:
                    re.compile(f.pattern)
                except re.error as e:
                    problems.append(f"{d.name}: {f.label}: {e}")
    return problems
