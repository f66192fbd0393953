"""/school/dashboard."""
