"""The staff disclosure form names the field that is wrong, and lists accounts it could not find."""

from __future__ import annotations

import pytest

from ogp_app.pages.staff.disclosures.state import _error
from ogp_app.services.errors import InvalidInput


@pytest.mark.parametrize(
    ("raised", "nl_start"),
    [
        ("authority: give the authority's name (at most 200 characters)", "Instantie:"),
        ("scope: say what was handed over (at most 2000 characters)", "Wat is verstrekt:"),
        ("date: a disclosure cannot lie in the future", "Datum:"),
        ("subjects: name at least one person concerned", "Betrokkenen: vul"),
    ],
)
def test_each_field_gets_its_own_message(raised: str, nl_start: str) -> None:
    shown = _error(InvalidInput(raised))
    assert shown.kind == "error" and shown.nl.startswith(nl_start)


def test_unknown_accounts_are_named() -> None:
    shown = _error(InvalidInput("subjects: no account for a@example.org, b@example.org"))
    assert "a@example.org, b@example.org" in shown.en and "nothing was recorded" in shown.en


def test_anything_else_is_the_generic_message() -> None:
    assert _error(InvalidInput("something odd")).nl == _error(InvalidInput("x: y")).nl
