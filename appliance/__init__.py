"""On-device runtime of the clinic appliance (CPU only; never imports torch)."""

__version__ = "0.1.0"

# Shown on every screen and carried in every output: the appliance supports a
# clinician's review, it never makes an unreviewed diagnosis.
DECISION_SUPPORT_NOTICE = (
    "Decision support only: every result must be reviewed by a clinician "
    "before it informs care."
)
