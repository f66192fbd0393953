"""Who someone is and what they may do: passwords, second factors, sessions, e-mail link tokens, the
log-in flow, school sign-in (OIDC), rate limits, the account audit log and the authorization helpers."""
