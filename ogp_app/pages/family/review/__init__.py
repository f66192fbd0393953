"""/review: state.py and view.py."""
