"""Signed LoRA adapter bundles: the format (bundle.py), reading one safely from a folder
or an archive (source.py), the golden cases (golden.py), the installed store with its
active pointer (store.py) and finding bundles on removable media (usb.py).

The trainer builds bundles with this format; the appliance never imports the trainer.
"""
