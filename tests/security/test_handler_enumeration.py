"""The enumeration the hostile tests rely on finds every callable handler, and the allow-list is live."""

from __future__ import annotations

from tests.security.allowlist import ANONYMOUS_HANDLERS
from tests.security.handlers import (
    all_handlers,
    dispatch_table,
    handler_by_key,
    is_framework_state,
    registered_states,
    subclassed_states,
)

APP_STATE = "ogp_app.state.base.AppState"


def test_enumeration_finds_the_known_handlers() -> None:
    keys = {h.key for h in all_handlers()}
    assert f"{APP_STATE}.set_language" in keys
    assert f"{APP_STATE}.load_session" in keys
    assert handler_by_key(f"{APP_STATE}.set_language").wire_name == (
        "reflex___state____state.ogp_app___state___base____app_state.set_language"
    )


def test_enumeration_covers_everything_the_server_dispatches() -> None:
    """Reflex resolves an event's name in its registry; every name there is called by the tests."""
    assert {h.wire_name for h in all_handlers()} == dispatch_table()


def test_registry_and_class_hierarchy_agree() -> None:
    """No state class exists in code that Reflex's registry (and so the enumeration) does not know."""
    assert set(registered_states()) == set(subclassed_states())


def test_wire_names_are_state_path_and_attribute() -> None:
    for h in all_handlers():
        assert h.wire_name == f"{h.state.get_full_name()}.{h.attr}"


def test_the_app_has_states_of_its_own() -> None:
    own = [s for s in registered_states() if not is_framework_state(s)]
    assert own, "no app state found: the enumeration would only test Reflex itself"
    assert all(s.__module__.startswith("ogp_app.") for s in own)


def test_allow_list_names_existing_app_handlers_with_reasons() -> None:
    for key, use in ANONYMOUS_HANDLERS.items():
        info = handler_by_key(key)  # KeyError: a stale entry
        assert not info.is_framework, f"{key}: Reflex's own handlers need no allow-list entry"
        assert use.reason.strip(), f"{key}: say why anonymous visitors need it"
