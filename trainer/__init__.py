"""GPU-workstation side: training data, LoRA training, evaluation, export and bundles.

Imports the appliance (tasks, prompts, schemas) so that training and serving share
one prompt builder; the appliance never imports this package.
"""
