"""school/roster_import."""
