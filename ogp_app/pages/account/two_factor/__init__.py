"""/account/two-factor: state.py and view.py."""
