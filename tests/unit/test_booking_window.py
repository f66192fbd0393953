"""The booking window on plain values: open from its opening up to (not including) its close; the next
opening a page counts down to is the earliest still ahead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ogp_app.services.rounds.booking_rules import booking_window_open, next_opening

NOW = datetime(2027, 2, 1, 18, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def test_the_window_is_open_from_its_opening_until_its_close_and_only_for_an_open_round() -> None:
    assert booking_window_open("open", NOW, NOW + HOUR, NOW)
    assert not booking_window_open("open", NOW + timedelta(seconds=1), NOW + HOUR, NOW)
    assert not booking_window_open("open", NOW - HOUR, NOW, NOW)
    assert not booking_window_open("draft", NOW - HOUR, NOW + HOUR, NOW)
    assert not booking_window_open("open", None, NOW + HOUR, NOW)


def test_the_next_opening_is_the_earliest_still_ahead() -> None:
    windows = [
        (NOW - HOUR, NOW + HOUR),  # open now
        (NOW + 3 * HOUR, None),
        (NOW + 2 * HOUR, NOW + 9 * HOUR),
        (None, None),  # no opening set
    ]
    assert next_opening(windows, NOW) == NOW + 2 * HOUR
    assert next_opening(windows, NOW + 2 * HOUR) == NOW + 3 * HOUR  # the one opening now counts no more
    assert next_opening(windows, NOW + 3 * HOUR) is None
    assert next_opening([], NOW) is None
