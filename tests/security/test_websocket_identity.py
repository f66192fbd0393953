"""Who the websocket thinks you are: the Origin check, the session cookie, and nothing else."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ogp_app.core.settings import get_settings
from tests.security.conftest import OpenClient
from tests.security.handlers import handler_by_key
from tests.security.reflex_client import ConnectionRefused, ReflexClient
from tests.security.support import TwoSchools, excerpt, found_markers
from tests.support.server import RunningApp

LOAD_SESSION = handler_by_key("ogp_app.state.base.AppState.load_session").wire_name
APP_STATE = LOAD_SESSION.rpartition(".")[0]


def _app_state(client_state: dict[str, object] | None) -> dict[str, object]:
    assert client_state is not None
    values = client_state.get(APP_STATE)
    assert isinstance(values, dict)
    return {key.removesuffix("_rx_state_"): value for key, value in values.items()}


@pytest.mark.parametrize(
    "origin",
    [
        "http://evil.example",
        "null",
        "http://localhost.evil.example",
        "http://127.0.0.1:1",
        "https://{netloc}",
        "http://{netloc}.evil.example",
    ],
)
def test_foreign_origin_is_refused(running_app: RunningApp, origin: str) -> None:
    netloc = running_app.base_url.removeprefix("http://")
    client = ReflexClient(running_app.base_url, origin=origin.format(netloc=netloc))
    with pytest.raises(ConnectionRefused) as refused:
        client.connect()
    assert refused.value.status in (400, 403), refused.value
    client.close()


def test_own_origin_is_accepted(open_client: OpenClient) -> None:
    assert open_client().ping()


def test_other_school_session_sees_only_its_own_school(
    schools: TwoSchools, open_client: OpenClient, server_alive: Callable[[], None]
) -> None:
    b_admin = schools.b.people["admin"]
    client = open_client(cookie=b_admin.cookie)
    result = client.call(LOAD_SESSION, {}, pathname="/app")
    seen = {k.removesuffix("_rx_state_"): v for d in result.deltas for k, v in d.get(APP_STATE, {}).items()}
    assert seen["school_name"] == schools.b.name
    assert seen["display_name"] == b_admin.display_name
    assert seen["signed_in"] is True
    assert seen["is_school_admin"] is True
    assert _app_state(result.barrier_state)["school_name"] == schools.b.name
    assert not found_markers(client.transcript(), schools.a.private_markers())
    server_alive()


def test_anonymous_load_session_shows_nobody(schools: TwoSchools, open_client: OpenClient) -> None:
    result = open_client().call(LOAD_SESSION, {}, pathname="/app")
    state = _app_state(result.barrier_state)
    assert state["signed_in"] is False
    assert state["school_name"] == ""
    assert state["display_name"] == ""


def test_unknown_or_garbled_session_cookie_is_nobody(schools: TwoSchools, open_client: OpenClient) -> None:
    name = get_settings().session_cookie_name
    a_token = schools.a.people["admin"].token
    for cookie in [
        f"{name}=not-a-real-token",
        f"{name}={a_token[:-2]}",  # almost school A's admin
        f"{name}={'A' * 5000}",
        f'{name}="{a_token}',  # broken quoting
        f"{name}=; {name}={a_token}x",
    ]:
        client = open_client(cookie=cookie)
        state = _app_state(client.call(LOAD_SESSION, {}, pathname="/app").barrier_state)
        assert state["signed_in"] is False, cookie[:80]
        assert not found_markers(client.transcript(), schools.a.private_markers())


def test_router_data_cannot_carry_a_session_cookie(schools: TwoSchools, open_client: OpenClient) -> None:
    """The cookie comes from the websocket's own handshake; headers smuggled in router_data are ignored."""
    a_admin = schools.a.people["admin"]
    client = open_client()  # anonymous connection
    smuggled = {
        "pathname": "/app",
        "asPath": "/app",
        "headers": {"cookie": a_admin.cookie, "raw_headers": {"cookie": a_admin.cookie}},
        "token": "someone-else",
        "sid": "someone-else",
    }
    result = client.call(LOAD_SESSION, {}, router_data=smuggled)
    assert _app_state(result.barrier_state)["signed_in"] is False
    text = client.transcript()
    found = found_markers(text, [a_admin.display_name, a_admin.email, schools.a.name])
    assert not found, excerpt(text, found[0])


def test_session_cookie_is_never_sent_back(schools: TwoSchools, open_client: OpenClient) -> None:
    """Reflex copies the handshake headers into router data; the HttpOnly cookie must not be among them."""
    b_admin = schools.b.people["admin"]
    client = open_client(cookie=f"{b_admin.cookie}; other=1")
    client.call(LOAD_SESSION, {}, pathname="/app")
    client.call("reflex___state____state.hydrate", {}, pathname="/app")
    assert b_admin.token not in client.transcript()


def _reuse_token(open_client: OpenClient, token: str, cookie: str | None) -> ReflexClient:
    """Connect with an existing client token once the server has let go of its previous socket."""
    for _ in range(50):
        client = open_client(cookie=cookie, token=token)
        if not any(r.event == "new_token" for r in client.drain(0.1)):
            return client
        client.close()  # still linked to the old socket: Reflex handed out a fresh token instead
    raise AssertionError("the server never released the client token")


def test_a_reflex_token_does_not_carry_someone_elses_state(
    schools: TwoSchools, open_client: OpenClient
) -> None:
    """Reflex keys state by the client token (a Math.random UUID, sent in the websocket URL, so it ends
    up in proxy logs). Whoever replays it after the owner's tab closed must not see the owner's data."""
    a_admin = schools.a.people["admin"]
    victim = open_client(cookie=a_admin.cookie)
    assert _app_state(victim.call(LOAD_SESSION, {}, pathname="/app").barrier_state)["signed_in"] is True
    victim.close()
    for cookie in [None, schools.b.people["admin"].cookie]:
        thief = _reuse_token(open_client, victim.token, cookie)
        thief.call("reflex___state____state.set_is_hydrated", {"value": True}, pathname="/app")
        result = thief.call("reflex___state____state.hydrate", {}, pathname="/app")
        assert result.barrier_state is not None
        session = result.barrier_state["reflex___state____state"]["rx_router_session_rx_state_"]
        assert session["client_token"] == victim.token  # really the victim's state instance
        text = thief.transcript()
        found = found_markers(text, schools.a.private_markers())
        assert not found, (
            f"replayed token (cookie={cookie is not None}) revealed {found}: …{excerpt(text, found[0])}…"
        )
        thief.close()
