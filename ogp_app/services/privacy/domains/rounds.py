"""Conference rounds (bookings and their slots are declared by the bookings module)."""

from __future__ import annotations

from ogp_app.services.privacy.registry import no_personal_data

no_personal_data("conference_round", reason="A round's name, dates and settings; about no person.")
