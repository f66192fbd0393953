"""Pages anyone may open without signing in: landing, privacy statement, contact, reviews, FAQ."""
