"""/school/roster/invitations: state.py and view.py."""
