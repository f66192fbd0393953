"""/school/teachers: state.py and view.py."""
