"""What an invitation mail says beyond the school and role: a parent's children, the rounds to book with
their deadlines (Europe/Amsterdam, in the recipient's language), and until when the link works."""

from __future__ import annotations

from datetime import datetime

from babel.lists import format_list

from ogp_app.i18n import normalise_language
from ogp_app.services.rounds.clock import format_when
from ogp_app.services.rounds.family_rounds import FamilyRounds


def invitation_context(
    family: FamilyRounds | None, *, expires_at: datetime, language: str, now: datetime
) -> dict[str, object]:
    """Template values: ``children`` ("Noah (Groep 5) en Emma (Groep 7)", or ""), ``rounds`` (name,
    ``opens`` only when still to come, ``closes``), ``valid_until``."""
    language = normalise_language(language)
    rounds = [
        {
            "name": r.name,
            "opens": format_when(r.opens_at, language) if r.opens_at > now else "",
            "closes": format_when(r.closes_at, language),
        }
        for r in (family.rounds if family else [])
    ]
    children = format_list(family.children, locale=language) if family and family.children else ""
    return {"children": children, "rounds": rounds, "valid_until": format_when(expires_at, language)}
