"""Row ids the staff pages send back (a button's argument or a hidden field)."""

from __future__ import annotations

from ogp_app.services.errors import DomainError

ID_DIGITS_MAX = 12


def row_id(value: object, unknown: type[DomainError]) -> int:
    """The id, when ``value`` is digits (at most 12); anything else raises ``unknown`` (no such row)."""
    if not isinstance(value, str) or not value.isdigit() or len(value) > ID_DIGITS_MAX:
        raise unknown()
    return int(value)
