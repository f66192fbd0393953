"""/book: state.py and view.py."""
