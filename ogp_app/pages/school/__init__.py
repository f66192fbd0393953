"""Pages for a school's admins and teachers: overview, settings, rounds, roster, billing, evening."""
