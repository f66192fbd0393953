"""/forgot-password and /reset-password: state.py and view.py."""
