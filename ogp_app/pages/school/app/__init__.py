"""/app: state.py and view.py."""
