"""/verify, /sign-in, /confirm-email and /invitation: state.py and view.py."""
