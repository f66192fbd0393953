"""The demo school, with its roster, open round and bookings, exports whole: every value fits JSON."""

from __future__ import annotations

import io
import json
import zipfile

from sqlmodel import Session

from ogp_app.services.development.demo import seed_demo
from ogp_app.services.privacy import export


def test_the_demo_school_exports_with_its_round_days_and_bookings(raw_session: Session) -> None:
    school_id = seed_demo(raw_session).school_id
    archive = zipfile.ZipFile(
        io.BytesIO(export.build_zip(export.collect_school(raw_session, school_id=school_id)))
    )
    tables = json.loads(archive.read("data.json"))["tables"]
    assert {"round_day", "slot", "booking", "pupil"} <= tables.keys()
    starts = [row["starts_at"] for row in tables["round_day"]["rows"]]
    assert starts and all(len(value) == 8 and value[2] == ":" for value in starts)  # clock times, "19:00:00"
