"""school/round."""
