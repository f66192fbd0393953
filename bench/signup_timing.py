"""Sign-up for a new address against one that already has an account: the same work, so about the same
time (issue 20, item 4: the time taken must not tell a stranger which addresses have an account).

Run: .venv/bin/python bench/signup_timing.py [--database-url URL] [--tries 20]
(default: a temporary SQLite file). Alternates new and existing addresses through the service the page
calls; prints the median and p90 of each path in milliseconds and their ratio. Asserts nothing about time.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OGP_ENV", "development")
parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
parser.add_argument("--tries", type=int, default=20, help="sign-ups per path")
ARGS = parser.parse_args()
os.environ["OGP_DATABASE_URL"] = (
    ARGS.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'signup.sqlite3'}"
)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import SQLModel  # noqa: E402

import ogp_app.models  # noqa: E402,F401
from ogp_app.core.db import get_engine, unscoped  # noqa: E402
from ogp_app.services import accounts  # noqa: E402

PASSWORD = "paard-batterij-nietje-correct"
RUN = time.time_ns()


def sign_up(email: str) -> float:
    """Seconds one sign-up took, as the page waits for it (an existing address raises EmailTaken)."""
    started = time.perf_counter()
    with unscoped() as db, contextlib.suppress(accounts.EmailTaken):
        accounts.sign_up_school_admin(
            db,
            email=email,
            name="Bench Beheer",
            password=PASSWORD,
            school_name="Bench School",
            language="nl",
        )
    return time.perf_counter() - started


def main() -> None:
    SQLModel.metadata.create_all(get_engine())
    existing = f"bestaand.{RUN}@bench.example"
    sign_up(existing)  # the account that the second path finds (and warms the engine)
    new: list[float] = []
    taken: list[float] = []
    for n in range(ARGS.tries):
        new.append(sign_up(f"nieuw.{RUN}.{n}@bench.example"))
        taken.append(sign_up(existing))

    def figures(times: list[float]) -> str:
        ms = sorted(t * 1000 for t in times)
        return f"median={statistics.median(ms):.1f}ms p90={ms[int(len(ms) * 0.9) - 1]:.1f}ms"

    print(f"new address:      {figures(new)}")
    print(f"existing address: {figures(taken)}")
    print(f"ratio existing/new (medians): {statistics.median(taken) / statistics.median(new):.2f}")


if __name__ == "__main__":
    main()
