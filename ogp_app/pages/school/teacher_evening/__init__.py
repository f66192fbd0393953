"""/teacher/evening: state.py and view.py."""
