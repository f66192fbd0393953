"""/school/billing: state.py and view.py."""
