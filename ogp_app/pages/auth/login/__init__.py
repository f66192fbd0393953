"""/login: state.py and view.py."""
