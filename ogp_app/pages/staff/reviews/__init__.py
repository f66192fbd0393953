"""/staff/reviews: state.py and view.py."""
