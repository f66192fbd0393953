"""/dev/mailbox: state.py and view.py."""
