"""The invite form of /school/settings and the onboarding wizard, read the same way for both pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ogp_app.services.accounts import account_settings
from ogp_app.services.handler_calls import Call
from ogp_app.state.form_input import required_text

TEXT_MAX = 254  # names and e-mail addresses
ROLE_MAX = 20

Invite = Callable[..., object]  # account_settings.invite_colleague, or onboarding.invite_to_school


def invite_from_form(
    call: Call, form: Any, language: str, invite: Invite = account_settings.invite_colleague
) -> str:
    """Invite whom a page's invite form names (``invite_name``, ``invite_email``, ``invite_role``) with
    ``invite`` (a teacher or fellow admin) to the caller's school; the e-mail address as typed.
    Blocking: the work of a ``_call`` whose access names the school admin."""
    typed = {
        field: required_text(form, f"invite_{field}", limit)
        for field, limit in (("name", TEXT_MAX), ("email", TEXT_MAX), ("role", ROLE_MAX))
    }
    school_id, inviter = call.school_id, call.identity.user_id
    invite(call.db, school_id=school_id, inviter_user_id=inviter, language=language, **typed)
    return typed["email"]
