"""One state, one handler that does nothing but count: Reflex's own cost of one event (receive, load the
state, run the handler, compute and send the delta), the floor an OGP event is compared with."""

import reflex as rx


class NoopState(rx.State):
    taps: int = 0

    @rx.event
    def tap(self, key: str) -> None:
        """Takes a key like a /book tap; the changed counter is the answer the client waits for."""
        self.taps += 1


def index() -> rx.Component:
    return rx.text(NoopState.taps)


app = rx.App()
app.add_page(index)
