"""The child that ``isolated`` starts: limits on itself first (argv: bytes of address space, CPU
seconds), then the file from stdin, JSON to stdout."""

from __future__ import annotations

import dataclasses
import json
import os
import resource
import sys
import traceback

from ogp_app.services.roster_import import limits

OUT_OF_MEMORY = 3


def main(memory: int, seconds: int) -> int:
    """Limits come from the parent (``isolated``), which holds the one definition."""
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    os.nice(10)  # below the backend's events
    from ogp_app.services.roster_import.errors import RosterFileError
    from ogp_app.services.roster_import.reading import read_table

    data = sys.stdin.buffer.read(limits.MAX_BYTES + 1)
    try:
        table = read_table(data)
        answer: dict[str, object] = {
            "table": {f.name: getattr(table, f.name) for f in dataclasses.fields(table)}
        }
    except RosterFileError as error:
        answer = {"error": {"key": error.message_key, "values": error.message_values}}
    except MemoryError:
        return OUT_OF_MEMORY
    except Exception:  # noqa: BLE001  (a reader bug or a parser's surprise: an unreadable file, not a crash)
        traceback.print_exc()
        answer = {"error": {"key": "roster.error.file_unreadable", "values": {}}}
    sys.stdout.buffer.write(json.dumps(answer).encode())
    return 0


if __name__ == "__main__":
    sys.exit(main(memory=int(sys.argv[1]), seconds=int(sys.argv[2])))
