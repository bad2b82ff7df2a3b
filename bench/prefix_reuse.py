"""One loaded model, many tasks on one report: the document's KV cache reused vs recomputed.

    python bench/prefix_reuse.py [--rounds 5]

For each report, the tasks the planner chooses (plus the other radiology tasks, so
every report runs several) are run one after another on the same engine, twice:
  shared       the prompt prefix (system text + document) is evaluated once and its
               KV cache kept across tasks (the appliance's way);
  independent  the cache is cleared before every task, as separate calls would be.
Prints prompt tokens evaluated and seconds for both, and the ratio
independent/shared (median over rounds), for the default model.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from appliance.home import Home
from appliance.app import Appliance
from appliance.settings import Settings

REPORTS = [
    "EXAM: CT chest, abdomen and pelvis with contrast, staging.\nHISTORY: Newly diagnosed adenocarcinoma of the "
    "sigmoid colon.\nFINDINGS: Circumferential wall thickening of the sigmoid colon over 6 cm with pericolic fat "
    "stranding. Three enlarged pericolic lymph nodes, the largest 1.4 cm. No retroperitoneal lymphadenopathy. The "
    "liver contains two hypodense lesions of 1.2 and 2.0 cm consistent with metastases. Lungs are clear. No ascites."
    "\nIMPRESSION: Sigmoid colon carcinoma with regional nodal involvement and hepatic metastases.",
    "EXAM: Chest radiograph PA and lateral.\nHISTORY: Cough and fever for 5 days.\nFINDINGS: Right lower lobe "
    "airspace consolidation with air bronchograms. Small right pleural effusion. Heart size normal. No "
    "pneumothorax. Mild degenerative change of the thoracic spine.\nIMPRESSION: Right lower lobe pneumonia with "
    "small parapneumonic effusion.",
]
TASKS = ("n_staging", "m_staging", "radiology_ner", "abnormality_detection", "impression_generation")


def run(app: Appliance, document: str, share: bool) -> tuple[int, float]:
    _, engine = app.engine()
    evaluated, started = 0, time.perf_counter()
    for task in TASKS:
        if not share:
            engine.llm.reset()  # forget the KV cache: the next prompt is evaluated from scratch
        result = app.run_task(document, task)
        evaluated += result.prompt_evaluated
    return evaluated, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Home(Path(tmp)).ensure()
        app = Appliance(home, Settings.load(home))
        app.run_task(REPORTS[0], TASKS[0])  # load the model outside the clock
        ratios, tokens = [], []
        for r in range(args.rounds):
            shared_s = independent_s = 0.0
            shared_t = independent_t = 0
            for document in REPORTS:
                order = [True, False] if r % 2 == 0 else [False, True]
                for share in order:
                    app.engine()[1].llm.reset()
                    t, s = run(app, document, share)
                    if share:
                        shared_t, shared_s = shared_t + t, shared_s + s
                    else:
                        independent_t, independent_s = independent_t + t, independent_s + s
            ratios.append(independent_s / shared_s)
            tokens.append((shared_t, independent_t))
            print(f"round {r + 1}: shared {shared_t} prompt tokens in {shared_s:.2f}s, "
                  f"independent {independent_t} in {independent_s:.2f}s, ratio {independent_s / shared_s:.2f}")
    print(f"model={app.model_entry().name} tasks_per_report={len(TASKS)} "
          f"prompt_tokens_shared={tokens[0][0]} prompt_tokens_independent={tokens[0][1]} "
          f"time_ratio_independent_over_shared={statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
