"""A countdown to an instant that ticks in the browser (no per-second server events) by the server's clock
(``server_now``: the server's time when ``target`` was sent; a phone's clock may be minutes off). At zero
it fires ``on_done`` so the page asks the server, which still decides what is open."""

from __future__ import annotations

import reflex as rx
from reflex_base.event import EventHandler, no_args_event_spec

_SOURCE = rx.asset("countdown.jsx", shared=True)


class Countdown(rx.Component):
    library = f"$/public{_SOURCE}"
    tag = "Countdown"

    target: rx.Var[str]  # ISO 8601 instant with offset
    server_now: rx.Var[str]  # the server's clock when target was sent, ISO 8601 with offset
    day_word: rx.Var[str]
    days_word: rx.Var[str]

    on_done: EventHandler[no_args_event_spec]  # type: ignore[type-arg,valid-type]  # Reflex's own idiom


countdown = Countdown.create
