"""The signed-in person's own pages, whatever their role: account, second factor, privacy centre."""
