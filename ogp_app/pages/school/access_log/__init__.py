"""/school/access-log: state.py and view.py."""
