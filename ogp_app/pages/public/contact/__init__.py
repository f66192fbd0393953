"""/contact: state.py and view.py."""
