"""What can be wrong with a roster file: the whole file (an error) or one row's field (an issue)."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from ogp_app.i18n import translate
from ogp_app.services.errors import DomainError


class RosterFileError(DomainError):
    """The file as a whole cannot be read (empty, too big, not CSV/XLSX, no header row)."""

    message_key = "roster.error.file_unreadable"

    def __init__(self, detail: str = "", *, message_key: str | None = None, **values: Any) -> None:
        super().__init__(detail, message_key=message_key)
        self.message_values = values


class MappingError(DomainError):
    """The column mapping is unusable: an unknown field, a field twice, or a required field missing."""

    message_key = "roster.error.mapping_incomplete"

    def __init__(self, detail: str = "", *, message_key: str | None = None, **values: Any) -> None:
        super().__init__(detail, message_key=message_key)
        self.message_values = values


@dataclass(frozen=True)
class Issue:
    """One problem in one row: ``row`` as the spreadsheet numbers it, ``field`` a roster field name."""

    row: int
    field: str
    key: str
    values: dict[str, Any] = dc_field(default_factory=dict)

    def message(self, language: str) -> str:
        return translate(self.key, language, **self.values)
