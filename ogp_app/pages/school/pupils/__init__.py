"""/school/pupils: state.py and view.py."""
