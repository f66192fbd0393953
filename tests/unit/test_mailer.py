"""The mail adapter: which mailer the settings pick, and the shape of the message it sends."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import SecretStr

from ogp_app.core.settings import Settings
from ogp_app.integrations.mailer import ConsoleMailer, SmtpMailer, build_message, mailer_from_settings

SECRET = "k" * 48


def _message(**overrides: object):
    values: dict[str, object] = {
        "mail_from": "OGP <no-reply@ogp.example>",
        "to_email": "sanne@example.org",
        "to_name": "Sanne Bakker",
        "subject": "Onderwerp",
        "text": "Hallo",
        "html": "<p>Hallo</p>",
        "message_id": "<1@ogp.example>",
        "date": datetime(2026, 12, 1, 19, 0, tzinfo=UTC),
    }
    return build_message(**{**values, **overrides})  # type: ignore[arg-type]


def test_smtp_when_a_host_is_configured_else_console() -> None:
    smtp = mailer_from_settings(
        Settings(
            secret_key=SecretStr(SECRET),
            smtp_host="mail.example",
            smtp_port=2525,
            smtp_username="ogp",
            smtp_password=SecretStr("pw"),
            smtp_starttls=True,
        )
    )
    assert isinstance(smtp, SmtpMailer)
    assert (smtp.host, smtp.port, smtp.username, smtp.password, smtp.starttls) == (
        "mail.example",
        2525,
        "ogp",
        "pw",
        True,
    )
    assert isinstance(mailer_from_settings(Settings(env="development")), ConsoleMailer)


def test_text_and_html_alternatives_without_attachments() -> None:
    message = _message()
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert str(message["To"]) == "Sanne Bakker <sanne@example.org>"
    assert message["Date"] == "Tue, 01 Dec 2026 19:00:00 +0000"


def test_header_injection_is_impossible() -> None:
    with pytest.raises(ValueError):
        _message(subject="Hoi\r\nBcc: victim@example.org")
