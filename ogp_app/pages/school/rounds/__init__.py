"""/school/rounds: state.py and view.py."""
