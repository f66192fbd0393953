"""/school/guardians: state.py and view.py."""
