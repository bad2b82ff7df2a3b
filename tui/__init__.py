"""The clinician's terminal app (Textual). Imports the appliance; never the trainer."""
