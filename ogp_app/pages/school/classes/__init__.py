"""/school/classes: state.py and view.py."""
