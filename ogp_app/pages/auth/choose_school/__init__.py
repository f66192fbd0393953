"""/choose-school: state.py and view.py."""
