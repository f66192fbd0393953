"""/staff/disclosures: state.py and view.py."""
