"""A page only some callers may see: it says whether the caller may, and a refused one keeps nothing."""

from __future__ import annotations

from ogp_app.state.base import AppState


class GatedPageState(AppState, mixin=True):
    """``access``: "" before loading, "granted" or "denied". ``_deny`` (the ``deny`` of ``_handled``)
    resets the page's state, so nothing it showed before stays in the browser."""

    access: str = ""

    def _deny(self) -> None:
        self.reset()
        self.access = "denied"
