"""E-mail: the outbox (written in the caller's transaction, sent later), rendering the templates, and the
language each person's mail goes in."""
