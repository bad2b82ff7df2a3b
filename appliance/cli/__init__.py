"""The `appliance` command line (contract in the design; extend, don't rename)."""
