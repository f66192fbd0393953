"""/dev/mailbox: in development without SMTP it shows the outbox with clickable links to a person signed in
with a demo account (the demo log-in); to anyone else, and elsewhere, nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from ogp_app.core.db import session as db_session
from ogp_app.core.settings import get_settings
from ogp_app.pages.staff.dev_mailbox.state import DevMailboxState
from ogp_app.services.development.demo import DEMO_ACCOUNTS
from ogp_app.services.development.dev_mailbox import BodyPart, split_links
from ogp_app.services.mail.outbox import enqueue
from tests.support.factories import Factory
from tests.support.states import state_with_cookie

LINK = "https://ogp.example/auth/verify?token=abc"


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    get_settings.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()


def _load_mailbox(session_token: str | None = None) -> DevMailboxState:
    """Call the on_load handler on a real state instance, as a websocket client may at any time,
    with the session cookie its connection carried (None: anonymous)."""
    state = state_with_cookie(DevMailboxState, f"ogp_session={session_token}" if session_token else None)
    asyncio.run(DevMailboxState.event_handlers["load_mailbox"].fn(state))
    return state


def _enqueue(count: int = 1) -> None:
    with db_session() as db:
        for n in range(count):
            enqueue(
                db,
                to=f"parent{n}@example.org",
                to_name=f"Ouder {n}",
                template="verify_email",
                language="nl",
                context={"name": f"Ouder {n}", "link": f"{LINK}{n}", "valid_for": "24 uur"},
            )
        db.commit()


@pytest.mark.parametrize(
    ("env", "smtp_host"), [("test", None), ("production", None), ("development", "smtp.example")]
)
def test_shows_nothing_outside_development_without_smtp(
    clean_db: None, settings_env: pytest.MonkeyPatch, env: str, smtp_host: str | None
) -> None:
    settings_env.setenv("OGP_ENV", env)
    if smtp_host:
        settings_env.setenv("OGP_SMTP_HOST", smtp_host)
    _enqueue()
    state = _load_mailbox()
    assert state.available is False
    assert state.messages == []


@pytest.fixture
def development(settings_env: pytest.MonkeyPatch) -> None:
    settings_env.setenv("OGP_ENV", "development")
    settings_env.delenv("OGP_SMTP_HOST", raising=False)


def test_development_refuses_anonymous_and_non_demo_callers(development: None, factory: Factory) -> None:
    _enqueue()
    stranger = factory.session_token(factory.user("someone@school.example"))
    for token in (None, stranger, "not-a-session"):
        state = _load_mailbox(token)
        assert state.available is True and state.needs_demo_login is True
        assert state.messages == []


def test_development_shows_the_latest_fifty_with_clickable_links(development: None, factory: Factory) -> None:
    demo_parent = factory.user(DEMO_ACCOUNTS["parent"])
    _enqueue(55)
    state = _load_mailbox(factory.session_token(demo_parent))
    assert state.needs_demo_login is False
    assert state.available is True
    assert len(state.messages) == 50
    newest = state.messages[0]
    assert newest.recipient == "Ouder 54 <parent54@example.org>"
    assert newest.subject == "Bevestig uw e-mailadres"
    assert newest.status == "pending"
    assert [p.href for p in newest.body if p.href] == [f"{LINK}54"]
    assert "".join(p.text for p in newest.body).startswith("Beste Ouder 54,")


def test_split_links_keeps_the_text_around_links() -> None:
    assert split_links("Klik: https://a.example/x?y=1\nof http://b.example.") == [
        BodyPart("Klik: "),
        BodyPart("https://a.example/x?y=1", href="https://a.example/x?y=1"),
        BodyPart("\nof "),
        BodyPart("http://b.example", href="http://b.example"),
        BodyPart("."),
    ]
    assert split_links("javascript:alert(1)") == [BodyPart("javascript:alert(1)")]
