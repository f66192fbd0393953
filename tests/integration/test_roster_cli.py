"""`ogp import-roster` run as a subprocess, as an operator runs it: exit code and the JSON last line."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from ogp_app.core.db import school_session
from ogp_app.models import Pupil
from tests.support import hostile_files
from tests.support.factories import Factory

CORPUS = Path(__file__).parent.parent / "fixtures" / "roster"


def _run(*args: str) -> tuple[int, dict[str, Any], str]:
    done = subprocess.run(
        [sys.executable, "-m", "ogp_app.cli", "import-roster", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "{}"
    return done.returncode, json.loads(last), done.stderr


def test_import_prints_counts_and_exits_0(factory: Factory) -> None:
    school = factory.school(slug="linde")
    code, summary, _ = _run("--school", "linde", str(CORPUS / "parnassys_semicolon_bom.csv"))
    assert code == 0
    assert summary == {
        "created": {"classes": 2, "pupils": 5, "guardians": 6, "teachers": 2},
        "updated": {"classes": 0, "pupils": 0, "guardians": 0, "teachers": 0},
        "archived": {"classes": 0, "pupils": 0, "guardians": 0, "teachers": 0},
        "errors": [],
    }
    assert school.id is not None
    with school_session(school.id) as db:
        assert len(db.exec(select(Pupil)).all()) == 5


def test_dry_run_counts_what_would_happen_and_writes_nothing(factory: Factory) -> None:
    school = factory.school(slug="dry")
    code, summary, _ = _run("--school", "dry", "--dry-run", str(CORPUS / "magister_comma.csv"))
    assert code == 0
    assert summary["created"]["pupils"] == 3
    assert school.id is not None
    with school_session(school.id) as db:
        assert db.exec(select(Pupil)).all() == []


def test_file_with_errors_exits_1_with_row_field_and_message(factory: Factory) -> None:
    factory.school(slug="bad")
    code, summary, _ = _run("--school", "bad", str(CORPUS / "bad_rows.csv"))
    assert code == 1
    assert summary["created"]["pupils"] == 0
    assert {
        "row": 5,
        "field": "guardian1_email",
        "message": "'not-an-email' is not a valid e-mail address.",
    } in (summary["errors"])
    assert len(summary["errors"]) == 5


def test_usage_errors_exit_2(factory: Factory, tmp_path: Path) -> None:
    factory.school(slug="usage")
    csv = str(CORPUS / "reimport_year1.csv")
    code, summary, stderr = _run("--school", "nope", csv)
    assert code == 2 and "unknown school" in stderr
    assert summary["errors"][0]["message"] == "unknown school: nope"
    assert _run("--school", "usage", str(tmp_path / "missing.csv"))[0] == 2
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 not really a workbook")
    assert _run("--school", "usage", str(junk))[0] == 2
    bad_mapping = tmp_path / "mapping.json"
    bad_mapping.write_text('{"Roepnaam": "shoe_size"}')
    code, summary, _ = _run("--school", "usage", "--mapping", str(bad_mapping), csv)
    assert code == 2 and "shoe_size" in summary["errors"][0]["message"]


def test_mapping_file_maps_unusual_headers(factory: Factory, tmp_path: Path) -> None:
    factory.school(slug="mapped")
    data = tmp_path / "odd.csv"
    data.write_text("Kind;Familie;Lokaalgroep;Contact\nIvo;Ros;Blauw;ros@example.org\n", encoding="utf-8")
    code, summary, _ = _run("--school", "mapped", str(data))
    assert code == 1  # nothing recognisable: the required columns are missing
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps(
            {
                "Kind": "first_name",
                "Familie": "last_name",
                "Lokaalgroep": "class_name",
                "Contact": "guardian1_email",
            }
        )
    )
    code, summary, _ = _run("--school", "mapped", "--mapping", str(mapping), str(data))
    assert code == 0
    assert summary["created"] == {"classes": 1, "pupils": 1, "guardians": 1, "teachers": 0}


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("bom.xlsx", lambda: hostile_files.shared_strings_bomb(100), "larger than 64 MB"),
        (
            "leeg.xlsx",
            lambda: hostile_files.empty_rows_bomb(200_000),
            "more than 100000 rows, counting empty",
        ),
        ("breed.csv", hostile_files.wide_csv, "Row 1 has 100000 columns; the maximum is 200."),
        ("veld.csv", hostile_files.huge_field_csv, "Row 2 has a cell of more than 10000 characters"),
        ("groot.csv", hostile_files.too_large_csv, "larger than 10 MB"),
    ],
)
def test_hostile_files_exit_2_naming_the_limit(
    factory: Factory, tmp_path: Path, name: str, make: Callable[[], bytes], message: str
) -> None:
    school = factory.school(slug="hostile")
    assert school.id is not None
    path = tmp_path / name
    path.write_bytes(make())
    code, summary, stderr = _run("--school", "hostile", str(path))
    assert code == 2
    assert message in summary["errors"][0]["message"] and message in stderr
    assert "Traceback" not in stderr
    with school_session(school.id) as db:
        assert db.exec(select(Pupil)).all() == []
