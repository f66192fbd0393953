"""What the roster pages accept from a submitted form before anything reaches a service or a var."""

from __future__ import annotations

import pytest

from ogp_app.pages.school.roster_common import form_id, search_input
from ogp_app.services.errors import InvalidInput


@pytest.mark.parametrize(("value", "expected"), [("", None), ("7", 7), ("0012", 12)])
def test_ids_from_selects(value: str, expected: int | None) -> None:
    assert form_id({"class_id": value}, "class_id") == expected


@pytest.mark.parametrize("value", ["²", "٣", "-1", "1.5", "x", "12345678901", 7, ["1"]])
def test_anything_but_ascii_digits_is_refused(value: object) -> None:
    with pytest.raises(InvalidInput):
        form_id({"class_id": value}, "class_id")


def test_search_words_must_be_printable() -> None:
    assert search_input({"q": "de Vries", "archived": "on"}) == ("de Vries", True)
    assert search_input({"q": ""}) == ("", False)
    for bad in ("\ud800", "nl\x00", "x" * 101):
        with pytest.raises(InvalidInput):
            search_input({"q": bad})
    with pytest.raises(InvalidInput):
        search_input(["q"])
