"""What the person's own pages (/account, /privacy/me) share: sections, each with its own notice."""

from __future__ import annotations

from contextlib import AbstractContextManager

from ogp_app.state.base import AppState


class SectionedPageState(AppState, mixin=True):
    """Signed out clears the whole page (``_clear``) and the header; any other refusal is the notice of
    the section whose handler ran."""

    def _clear(self) -> None:
        raise NotImplementedError

    def _signed_out(self) -> None:
        self._clear()
        self._show(None)

    def _section(self, notice_var: str) -> AbstractContextManager[None]:
        """Around a section's handler (``notice_var``: that section's notice)."""
        return self._handled(deny=self._signed_out, notice=notice_var, forbidden_as_notice=True)
