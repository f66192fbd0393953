"""/reviews and /faq: state.py and view.py."""
