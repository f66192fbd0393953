"""The OGP staff back office (and the development mailbox)."""
