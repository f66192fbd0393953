"""Every public event handler of every state, called by a hostile websocket client.

For each handler found by introspection (``handlers.all_handlers``) and each caller:

(a) anonymous, with well-typed arguments aimed at school A;
(b) signed in at school B, with the same arguments, while school A holds data;
(c) anonymous and school B, with malformed arguments.

Asserted: no private data of another school in anything sent back (deltas, events, the full state the
client can see afterwards); no row changes (anonymous: none at all unless the allow-list says why;
school B: only its own rows and its caller's account); no internals (tracebacks, paths) in the answers;
handlers that are not allow-listed change no public var for an anonymous caller; the server survives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from tests.security.allowlist import ANONYMOUS_HANDLERS
from tests.security.conftest import OpenClient
from tests.security.handlers import HandlerInfo, all_handlers
from tests.security.payloads import malformed_payloads, plausible_payloads
from tests.security.reflex_client import CallResult, ConnectionLost, ReflexClient
from tests.security.support import (
    INTERNALS,
    Snapshot,
    TwoSchools,
    app_var_changes,
    belongs_to,
    diff,
    excerpt,
    found_markers,
    short_payload,
    snapshot,
)

HANDLERS = all_handlers()
FRAMEWORK_STATE_NAMES = {h.state.get_full_name() for h in HANDLERS if h.is_framework}
CALLERS = ["anonymous", "school_b"]


def _id(handler: HandlerInfo) -> str:
    shorts = [h.short for h in HANDLERS]
    return handler.short if shorts.count(handler.short) == 1 else handler.key


def _call_all(
    open_: Callable[[], ReflexClient], handler: HandlerInfo, payloads: Iterable[tuple[str, Any]]
) -> tuple[list[CallResult], list[ReflexClient]]:
    """Call the handler once per payload on one connection; returns the results and every client used.

    A dropped connection fails the test for the app's own handlers (they must reject input the server
    then cannot even send back, e.g. a lone surrogate). Reflex's own ``set_is_hydrated``/``setvar`` store
    any value, and a value that cannot be encoded makes the server close that socket: only the caller's
    own state is affected, so for Reflex's states the client reconnects (with a fresh token) and goes on.
    """
    clients = [open_()]
    results = []
    settle = 0.5 if handler.is_background else 0.0
    for label, payload in payloads:
        try:
            results.append(clients[-1].call(handler.wire_name, payload, pathname="/app", settle=settle))
        except ConnectionLost as exc:
            if not handler.is_framework:
                sent = f"{label} {short_payload(payload)}"
                pytest.fail(f"{handler.short}: the server dropped the connection on {sent}: {exc}")
            clients.append(open_())
    clients[-1].drain(0.2)  # anything trailing the last call still lands in the transcript
    return results, clients


def _open(open_client: OpenClient, caller: str, schools: TwoSchools) -> ReflexClient:
    if caller == "anonymous":
        return open_client()
    return open_client(cookie=schools.b.people["admin"].cookie)


def _markers(caller: str, schools: TwoSchools) -> list[str]:
    """What this caller must never see: school A's data, B's too when nobody is signed in, no secret."""
    markers = schools.a.private_markers()
    if caller == "anonymous":
        markers += schools.b.private_markers()
    else:  # a password hash, TOTP key, token or client secret never reaches a browser, its owner's neither
        markers += schools.b.secrets
    return markers


def _assert_no_leak(clients: list[ReflexClient], markers: list[str], what: str) -> None:
    text = "\n".join(c.transcript() for c in clients)
    found = found_markers(text, markers)
    assert not found, f"{what}: private data came back: {found}\n…{excerpt(text, found[0])}…"


def _assert_no_internals(clients: list[ReflexClient], what: str) -> None:
    text = "\n".join(c.transcript() for c in clients)
    found = [marker for marker in INTERNALS if marker in text]
    assert not found, f"{what}: server internals came back: {found}\n…{excerpt(text, found[0])}…"


def _effective_key(handler: HandlerInfo, payload: Any) -> str:
    """Reflex's ``setvar(var_name, value)`` runs the state's ``set_<var_name>`` handler: judge it as that."""
    if handler.attr == "setvar" and isinstance(payload, dict) and isinstance(payload.get("var_name"), str):
        return f"{handler.state.__module__}.{handler.state.__qualname__}.set_{payload['var_name']}"
    return handler.key


def _assert_refused(handler: HandlerInfo, results: list[CallResult], what: str) -> None:
    """Handlers not meant for anonymous visitors must leave every public var of the app alone."""
    if handler.is_framework:
        return
    offenders = [
        (short_payload(r.payload), changed)
        for r in results
        if _effective_key(handler, r.payload) not in ANONYMOUS_HANDLERS
        and (changed := app_var_changes(r.changed_vars(), FRAMEWORK_STATE_NAMES))
    ]
    assert not offenders, (
        f"{what}: an anonymous caller changed public vars of {handler.short}, which is not in "
        f"tests/security/allowlist.py; refuse callers without a session (self._require(...)): {offenders}"
    )


def _assert_rows(caller: str, handler: HandlerInfo, schools: TwoSchools, before: Snapshot, what: str) -> None:
    after = snapshot()
    changes = diff(before, after)
    if caller == "anonymous":
        allowed = ANONYMOUS_HANDLERS.get(handler.key)
        if allowed is not None and allowed.row_changes:
            return  # the allow-list says why this anonymous call writes
        assert not changes, f"{what}: an anonymous call changed rows: " + "; ".join(map(str, changes))
        return
    caller_id = schools.b.people["admin"].user_id
    foreign = [
        c for c in changes if not belongs_to(c, school_id=schools.b.school_id, user_id=caller_id, after=after)
    ]
    assert not foreign, f"{what}: a school B caller changed rows that are not school B's: " + "; ".join(
        map(str, foreign)
    )


def _hostile_run(
    *,
    handler: HandlerInfo,
    caller: str,
    payloads: list[tuple[str, Any]],
    schools: TwoSchools,
    open_client: OpenClient,
    server_alive: Callable[[], None],
    what: str,
) -> None:
    before = snapshot()
    results, clients = _call_all(lambda: _open(open_client, caller, schools), handler, payloads)
    assert all(r.completed for r in results)
    _assert_no_leak(clients, _markers(caller, schools), what)
    _assert_no_internals(clients, what)
    _assert_rows(caller, handler, schools, before, what)
    if caller == "anonymous":
        _assert_refused(handler, results, what)
    assert clients[-1].ping(), f"{what}: the connection no longer answers pings"
    server_alive()


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("handler", HANDLERS, ids=_id)
def test_hostile_caller(
    handler: HandlerInfo,
    caller: str,
    schools: TwoSchools,
    open_client: OpenClient,
    server_alive: Callable[[], None],
) -> None:
    """(a)/(b) plausible arguments aimed at school A, then (c) malformed ones, over one seeded world:
    seeding two schools costs more than the calls, so each caller gets one world per handler."""
    payloads = [("plausible", p) for p in plausible_payloads(handler, schools)]
    _hostile_run(
        handler=handler,
        caller=caller,
        payloads=payloads + malformed_payloads(handler, schools),
        schools=schools,
        open_client=open_client,
        server_alive=server_alive,
        what=f"{caller} {handler.short}",
    )
