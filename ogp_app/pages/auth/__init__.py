"""Getting in: log-in, second factor, sign-up, the e-mailed links, password reset, choosing a school."""
