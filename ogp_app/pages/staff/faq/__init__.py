"""/staff/faq: state.py and view.py."""
