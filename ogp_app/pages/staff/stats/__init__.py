"""/staff/stats: state.py and view.py."""
