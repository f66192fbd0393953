"""/signup: state.py and view.py."""
