"""From a file in the drop folder to validated results, an outbox JSON and an archived original."""
