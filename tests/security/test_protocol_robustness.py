"""Garbage on the websocket: private methods, unknown names, broken frames, oversized and deep payloads."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from tests.security.conftest import OpenClient
from tests.security.handlers import handler_by_key, private_method_names
from tests.security.reflex_client import NAMESPACE, ConnectionLost, ReflexClient, ReflexProtocolError
from tests.security.support import TwoSchools, diff, found_markers, snapshot

APP_STATE = handler_by_key("ogp_app.state.base.AppState.load_session").wire_name.rpartition(".")[0]
IDENTITY_VARS = ["signed_in", "display_name", "school_name", "is_school_admin", "is_teacher", "is_parent"]


def _app_state(client_state: dict[str, object] | None) -> dict[str, object]:
    assert client_state is not None
    values = client_state[APP_STATE]
    assert isinstance(values, dict)
    return {key.removesuffix("_rx_state_"): value for key, value in values.items()}


def test_the_app_has_private_methods_to_try() -> None:
    assert any(label.endswith("._require") for _, label in private_method_names())


@pytest.mark.parametrize("caller", ["anonymous", "school_b"])
def test_private_methods_cannot_be_called(
    caller: str, schools: TwoSchools, open_client: OpenClient, server_alive: Callable[[], None]
) -> None:
    cookie = schools.b.people["admin"].cookie if caller == "school_b" else None
    client = open_client(cookie=cookie)
    before = snapshot()
    baseline = _app_state(client.call(f"{APP_STATE}.set_language", {"language": "xx"}).barrier_state)
    for name, label in private_method_names():
        for payload in [{}, {"identity": None}, {"roles": ["school_admin"], "staff": True}]:
            result = client.call(name, payload, pathname="/app")
            assert not result.deltas or all(APP_STATE not in d for d in result.deltas), (label, result.deltas)
    assert _app_state(client.call(f"{APP_STATE}.set_language", {"language": "xx"}).barrier_state) == baseline
    assert not diff(before, snapshot())
    assert not found_markers(client.transcript(), schools.a.private_markers())
    server_alive()


@pytest.mark.parametrize(
    "name",
    [
        "",
        "x" * 20_000,
        "reflex___state____state.does_not_exist",
        f"{APP_STATE}.__init__",
        f"{APP_STATE}.__class__",
        f"{APP_STATE}.dict",
        f"{APP_STATE}.reset",
        f"{APP_STATE}.get_state",
        f"{APP_STATE}.get_value",
        f"{APP_STATE}.router",
        f"{APP_STATE}.load_session.extra",
        "reflex___state____state..load_session",
        "ogp_app.state.base.AppState.load_session",
        "_redirect",
        "_call_script",
    ],
    ids=lambda name: (name.rpartition(".")[2][:40] or "<empty>") if "." in name else (name[:40] or "<empty>"),
)
def test_unknown_event_names_do_nothing(
    name: str, schools: TwoSchools, open_client: OpenClient, server_alive: Callable[[], None]
) -> None:
    client = open_client()
    before = snapshot()
    result = client.call(name, {"value": True, "path": "/app"}, pathname="/app")
    assert all(APP_STATE not in d for d in result.deltas), result.deltas
    assert not result.events, result.events  # nothing ran, nothing to tell the browser
    assert not diff(before, snapshot())
    server_alive()


BROKEN_FRAMES = [
    "not engine.io at all",
    "4",
    "42",
    f"42{NAMESPACE},",
    f"42{NAMESPACE},not json",
    f'42{NAMESPACE},"event"',
    f'42{NAMESPACE},["event"]',
    f'42{NAMESPACE},["event", 5]',
    f'42{NAMESPACE},["event", "{{\\"name\\": 1}}"]',
    f'42{NAMESPACE},["event", {{"name": 5}}]',
    f'42{NAMESPACE},["event", {{"name": "{APP_STATE}.load_session", "payload": {{}}, "router_data": 5}}]',
    f'42{NAMESPACE},["event", {{"name": "{APP_STATE}.load_session", "payload": {{}}, "router_data": []}}]',
    f'42{NAMESPACE},["event", {{"name": null, "payload": null, "router_data": null}}]',
    f'42{NAMESPACE},["event", {{"name": "{APP_STATE}.load_session", "unknown_field": 1}}]',
    f"42{NAMESPACE},[5]",
    f'42{NAMESPACE},["no_such_socket_event", {{}}]',
    f'42{NAMESPACE},["client_error", {{"message": "{"y" * 5000}"}}]',
    f'42{NAMESPACE},["client_error", 5]',
    f"43{NAMESPACE},1[]",
    f"41{NAMESPACE},",
    '451-["event",{"_placeholder":true,"num":0}]',
    '42/not_a_namespace,["event",{}]',
    "40/not_a_namespace,",
    "6",
    "5",
]


@pytest.mark.parametrize("frame", BROKEN_FRAMES, ids=[f"frame{i}" for i in range(len(BROKEN_FRAMES))])
def test_broken_frames_do_not_take_the_server_down(
    frame: str, open_client: OpenClient, server_alive: Callable[[], None]
) -> None:
    client = open_client()
    try:
        client.send_raw(frame)
        client.drain(0.2)
    except ConnectionLost:
        pass  # closing a connection that speaks nonsense is fine
    server_alive()


def test_oversized_frame_closes_only_that_connection(
    open_client: OpenClient, server_alive: Callable[[], None]
) -> None:
    client = open_client()
    limit = int(client.handshake.get("maxPayload", 1_000_000))
    with pytest.raises((ConnectionLost, ReflexProtocolError)):
        client.send_event(f"{APP_STATE}.set_language", {"language": "n" * (limit + 10)})
        client.drain(3)
        client.ping(timeout=3)
        raise AssertionError("the server accepted a frame over its own limit")
    server_alive()


def test_deeply_nested_payload(open_client: OpenClient, server_alive: Callable[[], None]) -> None:
    """JSON nested far past Python's recursion limit: the server may drop the socket, never die."""
    client = open_client()
    depth = 50_000
    payload = "[" * depth + "]" * depth
    try:
        client.send_raw(
            f'42{NAMESPACE},["event", {{"name": "{APP_STATE}.set_language", '
            f'"payload": {{"language": {payload}}}, "router_data": {{}}}}]'
        )
        client.drain(1)
    except ConnectionLost:
        pass
    server_alive()


def test_unencodable_value_only_breaks_the_senders_socket(
    open_client: OpenClient, server_alive: Callable[[], None]
) -> None:
    """Reflex's own ``set_is_hydrated`` stores a lone surrogate, which the server then cannot send back:
    the sender's socket closes (or goes quiet). Nobody else may notice."""
    bystander = open_client()
    client = open_client(timeout=3)
    with pytest.raises(ReflexProtocolError):  # ConnectionLost, or no answer at all
        client.call("reflex___state____state.set_is_hydrated", {"value": "\ud800"})
        client.call("reflex___state____state.set_is_hydrated", {"value": True})
    assert bystander.ping()
    assert bystander.call(f"{APP_STATE}.load_session", {}).completed
    server_alive()


def test_many_events_at_once(
    schools: TwoSchools, open_client: OpenClient, server_alive: Callable[[], None]
) -> None:
    """A burst of 300 events on one socket is processed in order without losing the connection."""
    client = open_client(cookie=schools.b.people["admin"].cookie)
    for i in range(300):
        client.send_event(f"{APP_STATE}.set_language", {"language": "en" if i % 2 else "nl"})
    result = client.call(f"{APP_STATE}.load_session", {}, pathname="/app")
    assert result.completed
    assert _app_state(result.barrier_state)["school_name"] == schools.b.name
    server_alive()


@pytest.mark.parametrize("handler", ["update_vars_internal", "hydrate_and_load"])
def test_client_storage_sync_cannot_set_identity_vars(
    handler: str, schools: TwoSchools, open_client: OpenClient
) -> None:
    """Reflex lets the browser write its cookie/localStorage vars back; it must not reach any other var."""
    name = (
        "reflex___state____state.reflex___state____update_vars_internal_state.update_vars_internal"
        if handler == "update_vars_internal"
        else "reflex___state____state.hydrate_and_load"
    )
    forged = {
        f"{APP_STATE}.{var}": True if var.startswith(("is_", "signed")) else "Forged" for var in IDENTITY_VARS
    }
    forged |= {f"{APP_STATE}.{var}_rx_state_": True for var in IDENTITY_VARS}
    client = open_client()
    client.call(name, {"vars": forged}, pathname="/app")
    state = _app_state(
        client.call(f"{APP_STATE}.set_language", {"language": "xx"}, pathname="/app").barrier_state
    )
    assert state["signed_in"] is False
    assert state["school_name"] == ""
    assert state["display_name"] == ""
    assert state["is_school_admin"] is False


def test_transcript_is_json_all_the_way(open_client: OpenClient) -> None:
    """Sanity check of the client itself: every frame it recorded decodes as Socket.IO JSON."""
    client = open_client()
    client.call(f"{APP_STATE}.load_session", {}, pathname="/app")
    assert client.received
    for received in client.received:
        assert received.raw.startswith("4")
        json.dumps(received.data)


def test_client_without_origin_header_still_works(open_client: OpenClient) -> None:
    """Non-browser clients send no Origin; the harness's hostile calls must not depend on sending one."""
    client = open_client(origin=None)
    assert client.ping()


def test_client_rejects_a_closed_socket(open_client: OpenClient) -> None:
    client: ReflexClient = open_client()
    client.close()
    with pytest.raises(ConnectionLost):
        client.call(f"{APP_STATE}.load_session", {})
