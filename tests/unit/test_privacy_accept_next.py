"""Where /privacy/accept sends a person after accepting: only a path of this app, never elsewhere."""

from __future__ import annotations

import pytest

from ogp_app.pages.public.privacy.state import safe_next


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/book", "/book"),
        ("/school/rounds", "/school/rounds"),
        ("", "/app"),
        (None, "/app"),
        ("//evil.example/x", "/app"),
        ("https://evil.example", "/app"),
        ("/privacy/accept", "/app"),  # no loop back to the accept page
        ("/app?x=<script>", "/app"),
        (["/book"], "/app"),
    ],
)
def test_safe_next(value: object, expected: str) -> None:
    assert safe_next(value) == expected
