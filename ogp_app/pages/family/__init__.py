"""Pages for parents: booking conversations, leaving a review."""
