"""Building blocks for the documents the app writes: PDF layout, spreadsheet-safe CSV cells, and the
shapes of Dutch registration numbers."""
