"""/staff/policies: state.py and view.py."""
