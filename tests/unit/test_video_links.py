"""Which video links a school or teacher may enter: https to a public host, nothing that leads a parent's
browser into a private network (unless the operator allows it), no credentials in the link."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ogp_app.services.rounds.online.errors import VideoUrlInvalid
from ogp_app.services.rounds.online.links import check_video_url, jitsi_link, link_shown, new_room_name

ACCEPTED = [
    "https://meet.jit.si/",
    "https://video.school.nl/jitsi",
    "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc/0?context=%7b%22Tid%22%7d",
    "https://meet.google.com/abc-defg-hij",
    "  https://meet.school.nl:8443/  ",
]
REFUSED = [
    "http://meet.school.nl/",  # not https
    "javascript:alert(1)",
    "https://",  # no host
    "ftp://meet.school.nl/",
    "https://user:secret@meet.school.nl/",  # credentials in a link a parent sees
    "https://localhost/room",
    "https://127.0.0.1/",
    "https://10.0.0.5/",
    "https://192.168.1.20:8443/",
    "https://[::1]/",
    "https://169.254.169.254/latest/meta-data/",  # cloud metadata
    "https://jitsi/",  # a single-label intranet name
    "https://meet.school.local/",
    "https://video.corp/",
    "https://meet.school.nl/a b",  # whitespace inside
    "https://meet.school.nl:99999/",
    "https://meet.school.nl/" + "x" * 600,
]


@pytest.mark.parametrize("url", ACCEPTED)
def test_public_https_links_are_accepted_trimmed(url: str) -> None:
    assert check_video_url(url, allow_private=False) == url.strip()


@pytest.mark.parametrize("url", REFUSED)
def test_links_a_parent_must_not_be_sent_to_are_refused(url: str) -> None:
    with pytest.raises(VideoUrlInvalid) as refused:
        check_video_url(url, allow_private=False)
    assert refused.value.message_key == "online.error.url"


def test_the_operator_may_allow_a_video_service_inside_the_school_network() -> None:
    assert check_video_url("https://jitsi.school.local/", allow_private=True) == "https://jitsi.school.local/"
    assert check_video_url("https://10.0.0.5/", allow_private=True) == "https://10.0.0.5/"
    with pytest.raises(VideoUrlInvalid):  # still https only, still no credentials
        check_video_url("http://10.0.0.5/", allow_private=True)


@given(st.text(max_size=80))
def test_no_text_gives_an_accepted_link_that_is_not_https(text: str) -> None:
    try:
        url = check_video_url(text, allow_private=True)
    except VideoUrlInvalid:
        return
    assert url.startswith("https://") and "@" not in url.split("/")[2]


def test_rooms_are_unguessable_and_safe_in_a_path() -> None:
    rooms = {new_room_name() for _ in range(200)}
    assert len(rooms) == 200
    for room in rooms:
        assert re.fullmatch(r"ogp-[0-9a-f]{40}", room)  # 160 random bits
    assert jitsi_link("https://meet.school.nl/", "ogp-ab") == "https://meet.school.nl/ogp-ab"
    assert jitsi_link("https://school.nl/video", "ogp-ab") == "https://school.nl/video/ogp-ab"


def test_the_link_is_shown_from_ten_minutes_before_until_an_hour_after() -> None:
    start = datetime(2027, 2, 9, 18, 0, tzinfo=UTC)
    end = start + timedelta(minutes=10)
    assert not link_shown(start, end, start - timedelta(minutes=10, seconds=1))
    assert link_shown(start, end, start - timedelta(minutes=10))
    assert link_shown(start, end, end + timedelta(minutes=60))
    assert not link_shown(start, end, end + timedelta(minutes=60, seconds=1))
