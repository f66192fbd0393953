"""One module per domain declares its tables in the privacy registry (imported by registry.load())."""
