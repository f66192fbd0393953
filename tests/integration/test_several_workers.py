"""Two backend workers behind one Redis and one PostgreSQL database (issue 23, item 1): the supported
production run. Each worker here is an app server of its own (``GRANIAN_WORKERS=1``), so a test decides
which worker answers each step, as a proxy or a reconnect after a worker's death may do:
- a parent's /book page keeps its state when its events alternate between the workers;
- a roster upload answered by one worker is previewed and imported by the other;
- the background jobs of both workers send each mail once;
- parents racing for the same times through both workers book no time twice.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import time as clock
from typing import Any

import httpx
import pytest
import redis
from reflex.utils.token_manager import RedisTokenManager
from sqlalchemy import text

from ogp_app.background import MAIL_EVERY_SECONDS
from ogp_app.core.db import session
from ogp_app.core.settings import get_settings
from ogp_app.models import Role
from ogp_app.pages.family.book.state import BookState
from ogp_app.pages.school.roster_import.state import RosterImportState
from ogp_app.services.mail.outbox import enqueue
from tests.conftest import TEST_SECRET_KEY, WEBSOCKET_LIMITS_OFF
from tests.security.reflex_client import ReflexClient, _router_data
from tests.support.factories import Factory
from tests.support.rounds import _actor, booking_counts, open_round
from tests.support.server import RunningApp, start_app
from tests.support.smtp import SmtpServer
from tests.support.two_factor import enrol_two_factor

REDIS_URL = "redis://127.0.0.1:6379/14"  # this module's own Redis database, emptied before and after
TOKEN_LINK_PREFIX = RedisTokenManager._token_socket_record_prefix  # a page token's live connection
BOOK = BookState.get_full_name()
IMPORT = RosterImportState.get_full_name()


@dataclass
class Workers:
    a: RunningApp
    b: RunningApp

    def __iter__(self) -> Iterator[RunningApp]:
        return iter((self.a, self.b))


@pytest.fixture(scope="module")
def workers(migrated_database: str, app_smtp: SmtpServer) -> Iterator[Workers]:
    if not migrated_database.startswith("postgresql"):
        pytest.skip("several workers share PostgreSQL (production's database); the SQLite pass runs one")
    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()
    env = {
        "OGP_REDIS_URL": REDIS_URL,
        "GRANIAN_WORKERS": "1",
        "OGP_SMTP_HOST": app_smtp.host,
        "OGP_SMTP_PORT": str(app_smtp.port),
        "OGP_SMTP_STARTTLS": "false",
        **WEBSOCKET_LIMITS_OFF,
    }
    started: list[RunningApp] = []
    try:
        for _ in range(2):
            started.append(
                start_app(database_url=migrated_database, secret_key=TEST_SECRET_KEY, extra_env=env)
            )
        yield Workers(*started)
    finally:
        for app in started:
            app.stop()
        store.flushdb()


def _client(app: RunningApp, cookie: str, token: str | None = None) -> ReflexClient:
    """The page's websocket to ``app``; with ``token`` it is the same browser tab reconnecting, once its
    old connection is gone. (While a token is still linked to a live connection, Reflex takes a new
    connection with it for a second tab and hands that one a new token and a fresh state.)"""
    if token is not None:
        linked = redis.Redis.from_url(REDIS_URL)
        deadline = time.monotonic() + 30
        while linked.exists(f"{TOKEN_LINK_PREFIX}{token}") and time.monotonic() < deadline:
            time.sleep(0.05)  # polling for the old worker to let go of the connection
    return ReflexClient(app.base_url, cookie=cookie, origin=app.base_url, token=token).connect()


def _cookie(token: str) -> str:
    return f"{get_settings().session_cookie_name}={token}"


def _vars(state: str, delta: dict[str, Any] | None) -> dict[str, Any]:
    values = (delta or {}).get(state) or {}
    return {k.removesuffix("_rx_state_"): v for k, v in values.items()}


def _open_round(factory: Factory, *, parents: int, minutes: int = 60) -> tuple[int, list[str]]:
    """A school whose one teacher has ``minutes`` of 10-minute slots, and ``parents`` families with one
    child each in that class; the round is open. Returns the round and each parent's session cookie."""
    school = factory.school()
    admin = _actor(factory.member(school, Role.SCHOOL_ADMIN), school, Role.SCHOOL_ADMIN)
    klass = factory.school_class(school, "Groep 6")
    factory.teacher(school, klass, room="Lokaal 6")
    cookies = []
    for n in range(parents):
        user = factory.member(school, Role.PARENT)
        guardian = factory.guardian(school, user=user)
        factory.pupil(school, klass, guardian, first_name=f"Kind{n}", family_key=n + 1)
        cookies.append(_cookie(factory.session_token(user, school)))
    assert klass.id is not None
    round_id = open_round(admin, [klass.id], ends=clock(19 + minutes // 60, minutes % 60))
    factory.session.commit()
    return round_id, cookies


def test_a_parents_page_keeps_its_state_when_its_events_alternate_between_workers(
    workers: Workers, factory: Factory
) -> None:
    round_id, (cookie,) = _open_round(factory, parents=1)
    first = _client(workers.a, cookie)
    page = _vars(BOOK, first.call(f"{BOOK}.load_page", pathname="/book").barrier_state)
    assert page["access"] == "granted"
    (meeting,) = page["meetings"]
    assert redis.Redis.from_url(REDIS_URL).exists(f"{TOKEN_LINK_PREFIX}{first.token}")  # what _client awaits
    first.close()

    on_b = _client(workers.b, cookie, token=first.token)  # the meeting keys live only in the page's state
    shown = _vars(BOOK, on_b.call(f"{BOOK}.pick", {"key": meeting["key"]}, pathname="/book").barrier_state)
    on_b.close()
    assert len(shown["slots"]) == 6

    on_a = _client(workers.a, cookie, token=first.token)
    slot = shown["slots"][2]
    answer = _vars(
        BOOK, on_a.call(f"{BOOK}.choose", {"slot_key": slot["key"]}, pathname="/book").barrier_state
    )
    on_a.close()
    assert answer["notice"]["kind"] == "ok", answer["notice"]
    assert booking_counts(round_id) == (1, 0)

    again = _client(workers.b, cookie, token=first.token)
    page = _vars(BOOK, again.call(f"{BOOK}.load_page", pathname="/book").barrier_state)
    again.close()
    assert [m["booked"] for m in page["meetings"]] == [True]


ROSTER = (
    "Leerlingnummer;Roepnaam;Achternaam;Groep;E-mail ouder/verzorger 1\n"
    + "\n".join(f"{n};Kind{n};de Boer{n};Groep {n % 3 + 1};ouder{n}@example.org" for n in range(30))
).encode()


def test_a_roster_uploaded_to_one_worker_is_previewed_and_imported_by_the_other(
    workers: Workers, factory: Factory
) -> None:
    school = factory.school()
    admin = factory.member(school, Role.SCHOOL_ADMIN)
    factory.session.commit()
    assert admin.id is not None
    enrol_two_factor(admin.id)  # a school admin without a second factor may not upload
    cookie = _cookie(factory.session_token(admin, school))
    factory.session.commit()
    page = _client(workers.a, cookie)
    page.call(f"{IMPORT}.load_page", pathname="/school/roster/import")
    page.close()

    uploaded = httpx.post(
        f"{workers.b.base_url}/_upload",
        headers={
            "reflex-client-token": page.token,
            "reflex-event-handler": f"{IMPORT}.handle_upload",
            "Cookie": cookie,
        },
        files={"files": ("leerlingen.csv", ROSTER, "text/csv")},
        timeout=60,
    )
    assert uploaded.status_code == 200, uploaded.text

    on_a = _client(workers.a, cookie, token=page.token)
    shown = _vars(IMPORT, on_a.call(f"{IMPORT}.show_preview", pathname="/school/roster/import").barrier_state)
    on_a.close()
    assert shown["step"] == "preview", shown.get("notice")
    assert shown["valid_rows"] == 30

    on_b = _client(workers.b, cookie, token=page.token)
    on_b.send_event(f"{IMPORT}.start_import", {}, router_data=_router_data("/school/roster/import"))
    deadline = time.monotonic() + 60
    state: dict[str, Any] = {}
    while state.get("step") != "done" and time.monotonic() < deadline:
        # a handler that changes nothing here; its answer carries the page's state
        poll = on_b.call(f"{IMPORT}.set_archive_missing", {"value": False}, pathname="/school/roster/import")
        state = _vars(IMPORT, poll.barrier_state)
        time.sleep(0.2)  # polling for the import's end, not waiting out a time
    on_b.close()
    assert state.get("step") == "done", {k: state.get(k) for k in ("access", "step", "notice", "counts")}
    assert school.id is not None
    with session() as db:
        imported = db.execute(text("SELECT count(*) FROM pupil WHERE school_id = :s"), {"s": school.id})
        assert imported.scalar_one() == 30


def _unsent(batch: str) -> int:
    with session() as db:
        left = db.execute(
            text("SELECT count(*) FROM outbox_message WHERE to_email LIKE :b AND status <> 'sent'"),
            {"b": f"%.{batch}@%"},
        )
        return int(left.scalar_one())


def test_the_background_jobs_of_both_workers_send_each_mail_once(
    workers: Workers, factory: Factory, app_smtp: SmtpServer
) -> None:
    batch = uuid.uuid4().hex[:8]
    addresses = [f"ouder{n}.{batch}@example.org" for n in range(40)]
    with session() as db:
        for address in addresses:
            enqueue(
                db,
                to=address,
                template="sign_in_link",
                language="nl",
                context={"name": "Ouder", "link": "https://ogp.example/auth/sign-in?token=t"},
            )
        db.commit()

    def received() -> list[str]:
        return [r for m in app_smtp.mailbox.received for r in m.rcpt_tos if batch in r]

    deadline = time.monotonic() + 90
    while _unsent(batch) and time.monotonic() < deadline:
        time.sleep(0.2)  # polling for delivery, not waiting out a time
    assert not _unsent(batch)
    time.sleep(MAIL_EVERY_SECONDS + 1)  # a worker that claimed a mail twice would send it within a round
    assert sorted(received()) == sorted(addresses)


def test_a_rush_through_both_workers_books_no_time_twice(workers: Workers, factory: Factory) -> None:
    round_id, cookies = _open_round(factory, parents=16, minutes=60)  # 16 families, 6 times
    outcomes: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(len(cookies))

    def parent(index: int, cookie: str) -> None:
        app = (workers.a, workers.b)[index % 2]
        with ReflexClient(app.base_url, cookie=cookie, origin=app.base_url) as page:
            (meeting,) = _vars(BOOK, page.call(f"{BOOK}.load_page", pathname="/book").barrier_state)[
                "meetings"
            ]
            start.wait()
            slots = _vars(
                BOOK, page.call(f"{BOOK}.pick", {"key": meeting["key"]}, pathname="/book").barrier_state
            )
            slots_left = slots.get("slots") or []
            outcome = "none left"
            while slots_left:
                choice = slots_left[0]
                answer = _vars(
                    BOOK,
                    page.call(f"{BOOK}.choose", {"slot_key": choice["key"]}, pathname="/book").barrier_state,
                )
                if answer["notice"]["kind"] == "ok":
                    outcome = "booked"
                    break
                slots_left = [s for s in answer.get("slots") or [] if s["key"] != choice["key"]]
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=parent, args=(n, c)) for n, c in enumerate(cookies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["booked"] * 6 + ["none left"] * 10
    assert booking_counts(round_id) == (6, 0)
