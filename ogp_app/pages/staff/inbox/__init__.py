"""/staff/inbox: state.py and view.py."""
