"""/privacy: state.py and view.py."""
