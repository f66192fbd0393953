"""Online conversations on the school's own video service (issue #27): how links are made (links),
the school's and teachers' settings (setup), and who joins how and sees which link (joining)."""
