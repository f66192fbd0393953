"""Only for a development install: the demo school and the local mailbox that shows the outbox."""
