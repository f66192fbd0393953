"""/staff: state.py and view.py."""
