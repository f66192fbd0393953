"""The privacy centre: the registry of personal data, export, erasure and retention."""
