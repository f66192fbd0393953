"""/login/two-factor: state.py and view.py."""
