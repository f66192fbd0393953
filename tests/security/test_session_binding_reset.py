"""The session binding resets what a tab's states hold before another person's event runs, also where
the state store keeps each state on its own (Redis): a fresh AppState beside an older page state."""

from __future__ import annotations

import asyncio
import contextvars
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace
from typing import Any, TypeVar, cast

import pytest
import reflex as rx
from reflex.istate.manager.memory import StateManagerMemory
from reflex.state import BaseState

from ogp_app.pages.family.book.state import BookState
from ogp_app.pages.shared.meeting_views import Both, MeetingView
from ogp_app.state.base import AppState
from ogp_app.state.session_binding import SessionBindingMiddleware, session_binding

S = TypeVar("S", bound=BaseState)
EARLIER_PERSON = "the binding of an earlier person"


def _substate(root: rx.State, cls: type[S]) -> S:
    state = root.get_substate(cls.get_full_name().split(".")[1:])
    assert isinstance(state, cls)
    return state


def _tab_with_a_filled_book_page(app_binding: str | None) -> tuple[rx.State, BookState]:
    root = rx.State(_reflex_internal_init=True)  # type: ignore[call-arg]
    book = _substate(root, BookState)
    child = MeetingView(
        "k1", "Rapportgesprekken", "Noah de Vries", "Groep 5", "Juf Jansen", "", False, Both(), "", True
    )
    book.meetings = [child]
    book._meeting_ids = {"k1": {"round": 1, "pupil": 2, "teacher": 3, "booking": 0}}
    _substate(root, AppState)._session_binding = app_binding
    return root, book


def _event_without_that_session(root: rx.State, state_manager: object) -> None:
    app = cast(Any, SimpleNamespace(state_manager=state_manager))
    work = SessionBindingMiddleware().preprocess(app, root, cast(Any, None))
    # In a thread of its own (the e2e suite's Playwright keeps an event loop running in the main thread),
    # with this context: Reflex finds its state registry in a context variable.
    with ThreadPoolExecutor(max_workers=1) as runner:
        runner.submit(contextvars.copy_context().run, asyncio.run, work).result(timeout=10)


@pytest.mark.parametrize("app_binding", [None, EARLIER_PERSON])
def test_a_store_of_separate_states_resets_the_page_for_the_next_person(app_binding: str | None) -> None:
    # With Redis the AppState may be new (expired, or never written) while the page state is not.
    root, book = _tab_with_a_filled_book_page(app_binding)
    _event_without_that_session(root, state_manager=object())
    assert book.meetings == [] and book._meeting_ids == {}
    assert _substate(root, AppState)._session_binding == session_binding(None)


def test_the_memory_store_resets_a_tab_filled_under_another_session() -> None:
    root, book = _tab_with_a_filled_book_page(EARLIER_PERSON)
    _event_without_that_session(root, state_manager=StateManagerMemory())  # type: ignore[abstract]
    assert book.meetings == [] and book._meeting_ids == {}
