"""/account: state.py and view.py."""
