"""One state, one handler that does nothing but count: Reflex's own cost of one event (receive, load the
state, run the handler, compute and send the delta), the floor an OGP event is compared with. ``grid``
sends a delta of the size and shape of a /book rush event's (a grid of 55 free times as plain dicts,
one of them changed, and a notice): Reflex's cost of the message itself."""

import secrets

import reflex as rx

GRID = 55  # free times in a /book grid of the bench school (two evenings, one teacher)


def _slot(grid: str, i: int) -> dict[str, str | bool]:
    return {
        "key": f"{grid}{i}",
        "day_nl": "dinsdag 10 februari",
        "day_en": "Tuesday 10 February",
        "time": f"{19 + i // 6:02d}:{i % 6}0-{19 + (i + 1) // 6:02d}:{(i + 1) % 6}0",
        "suggested": i < 3,
    }


_BASE = [_slot(secrets.token_urlsafe(9), i) for i in range(GRID)]


class NoopState(rx.State):
    taps: int = 0
    slots: list[dict[str, str | bool]] = []
    notice: dict[str, str] = {}

    @rx.event
    def tap(self, key: str) -> None:
        """Takes a key like a /book tap; the changed counter is the answer the client waits for."""
        self.taps += 1

    @rx.event
    def grid(self, key: str) -> None:
        """A /book pick's delta: the whole grid goes out again, one entry changed (built once: the floor
        is the message's cost, not the building of a grid)."""
        slots = list(_BASE)
        slots[self.taps % GRID] = _slot(key[:12], self.taps % GRID)
        self.slots = slots
        self.notice = {"kind": "error", "nl": "Net bezet.", "en": "Just taken."}
        self.taps += 1


def index() -> rx.Component:
    return rx.vstack(rx.text(NoopState.taps), rx.foreach(NoopState.slots, lambda s: rx.text(s["time"])))


app = rx.App()
app.add_page(index)
