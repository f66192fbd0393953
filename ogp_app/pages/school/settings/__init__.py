"""/school/settings: state.py and view.py."""
