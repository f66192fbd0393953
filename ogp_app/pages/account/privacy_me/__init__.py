"""/privacy/me: state.py and view.py."""
