"""Every limit on a roster file, in one place: what the page, the CLI, the upload guard and the reader
child enforce, and what the refusals name.

A real roster (20,000 pupils, a few dozen columns) stays far below each; hostile files (a ZIP bomb, twenty
million empty rows, 100,000 columns, one huge cell) hit one before they cost memory or minutes.
"""

from __future__ import annotations

from typing import Final

MAX_BYTES: Final = 10 * 1024 * 1024  # the file as uploaded
MAX_ROWS: Final = 20_000  # rows with content
MAX_LINES: Final = 100_000  # rows counted with the empty ones
MAX_COLUMNS: Final = 200  # columns with content in any row
MAX_CELL: Final = 500  # characters kept of a cell (longer names are checked per field later)
MAX_FIELD: Final = 10_000  # characters in one cell: above this the file is refused

# XLSX, checked from the ZIP's directory and by bounded streaming before the parser reads anything.
MAX_PARTS: Final = 256  # files inside the workbook
MAX_PART_UNPACKED: Final = 64 * 1024 * 1024  # one part, unpacked
MAX_UNPACKED: Final = 128 * 1024 * 1024  # all parts together, unpacked
MAX_RATIO: Final = 100  # unpacked / packed, for parts larger than RATIO_FROM
RATIO_FROM: Final = 1024 * 1024
MAX_SHARED_STRINGS: Final = 400_000  # distinct texts in the workbook

# The reader child: killed when it runs longer or asks for more address space.
READ_SECONDS: Final = 60  # a real 20,000-row workbook: 3 s of CPU
READ_MEMORY: Final = 1024 * 1024 * 1024

# The upload endpoint: the file plus its multipart envelope.
MAX_UPLOAD_BODY: Final = MAX_BYTES + 64 * 1024


def megabytes(size: int) -> int:
    return size // 2**20
