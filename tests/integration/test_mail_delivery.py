"""Delivery from the outbox to a real SMTP server: what arrives, retries with back-off, no double sends."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.message import EmailMessage

import pytest
from click.testing import CliRunner
from sqlmodel import col, select, update

from ogp_app.cli import main as ogp
from ogp_app.core.db import session as db_session
from ogp_app.core.settings import get_settings
from ogp_app.integrations.mailer import ConsoleMailer, SmtpMailer
from ogp_app.models import OutboxMessage
from ogp_app.models.base import utcnow
from ogp_app.services.mail.outbox import (
    BACKOFF,
    LEASE,
    MAX_ATTEMPTS,
    Attachment,
    DeliveryReport,
    deliver_due,
    enqueue,
)
from tests.support.smtp import SmtpServer, running_smtp

LINK = "https://ogp.example/auth/invite?token=t0k3n&lang=en"
ICS = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//OGP//NL\r\nBEGIN:VEVENT\r\nUID:1@ogp.example\r\n"
    b"DTSTART:20261201T190000Z\r\nSUMMARY:Oudergesprek\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def _enqueue(to: str = "sanne@example.org", language: str = "nl", **kwargs: object) -> int:
    with db_session() as db:
        message = enqueue(
            db,
            to=to,
            template=str(kwargs.pop("template", "sign_in_link")),
            language=language,
            context=kwargs.pop("context", None) or {"name": "Sanne", "link": LINK},  # type: ignore[arg-type]
            **kwargs,  # type: ignore[arg-type]
        )
        db.commit()
        assert message.id is not None
        return message.id


def _row(message_id: int) -> OutboxMessage:
    with db_session() as db:
        row = db.get(OutboxMessage, message_id)
    assert row is not None
    return row


def _mailer(port: int) -> SmtpMailer:
    return SmtpMailer(host="127.0.0.1", port=port, starttls=False, timeout=5)


def test_delivered_mail_is_what_the_recipient_sees(clean_db: None, smtp_server: SmtpServer) -> None:
    message_id = _enqueue(
        to_name="Sanne <script>Bakker",
        language="en",
        template="invitation",
        context={
            "name": "<script>alert(1)</script>",
            "school_name": "De Regenboog",
            "role": "app.role.parent",
            "link": LINK,
            "valid_for": "7 days",
        },
        attachments=[Attachment("oudergesprek.ics", "text/calendar", ICS)],
    )
    report = deliver_due(db_session, _mailer(smtp_server.port))
    assert report == DeliveryReport(sent=1)

    [received] = smtp_server.mailbox.received
    mail = received.message
    assert received.rcpt_tos == ["sanne@example.org"]
    assert mail["To"].addresses[0].display_name == "Sanne <script>Bakker"
    assert mail["To"].addresses[0].addr_spec == "sanne@example.org"
    assert mail["From"] == get_settings().mail_from
    assert mail["Subject"] == "Invitation from De Regenboog"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["Message-ID"].startswith(f"<outbox.{message_id}.") and mail["Date"]
    assert mail.get_content_type() == "multipart/mixed"

    text = mail.get_body(preferencelist=("plain",))
    html = mail.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    assert "Dear <script>alert(1)</script>," in text.get_content()
    assert LINK in text.get_content() and "valid for 7 days" in text.get_content()
    html_body = html.get_content()
    assert 'href="https://ogp.example/auth/invite?token=t0k3n&amp;lang=en"' in html_body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_body and "<script>" not in html_body

    [attachment] = list(mail.iter_attachments())
    assert attachment.get_filename() == "oudergesprek.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_payload(decode=True) == ICS

    row = _row(message_id)
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, None)
    assert row.sent_at is not None
    assert deliver_due(db_session, _mailer(smtp_server.port)) == DeliveryReport()
    assert len(smtp_server.messages) == 1


def test_dutch_recipient_gets_dutch_mail(clean_db: None, smtp_server: SmtpServer) -> None:
    _enqueue(language="nl", template="verify_email", context={"name": "Sanne", "link": LINK})
    deliver_due(db_session, _mailer(smtp_server.port))
    [mail] = smtp_server.messages
    assert mail["Subject"] == "Bevestig uw e-mailadres"
    assert mail["Content-Language"] == "nl"
    body = mail.get_body(preferencelist=("plain",))
    assert body is not None and body.get_content().startswith("Beste Sanne,")


def test_smtp_down_retries_after_backoff_then_delivers(clean_db: None, smtp_port: int) -> None:
    message_id = _enqueue()
    t0 = utcnow()
    assert deliver_due(db_session, _mailer(smtp_port), now=t0) == DeliveryReport(retrying=1)
    row = _row(message_id)
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.next_attempt_at == t0 + timedelta(minutes=1)
    assert row.last_error is not None and "Connection refused" in row.last_error

    with running_smtp(smtp_port) as server:
        assert deliver_due(db_session, _mailer(smtp_port), now=t0 + timedelta(seconds=59)) == DeliveryReport()
        assert server.messages == []
        assert deliver_due(db_session, _mailer(smtp_port), now=t0 + timedelta(minutes=1)) == DeliveryReport(
            sent=1
        )
        [mail] = server.messages
    assert mail["To"].addresses[0].addr_spec == "sanne@example.org"
    row = _row(message_id)
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, None)


def test_after_the_last_retry_the_message_fails(clean_db: None, smtp_port: int) -> None:
    message_id = _enqueue()
    at = utcnow()
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        deliver_due(db_session, _mailer(smtp_port), now=at)
        row = _row(message_id)
        assert row.attempts == attempt
        waits.append(row.next_attempt_at - at)
        at = row.next_attempt_at
    assert waits[:-1] == list(BACKOFF)
    assert row.status == "failed" and row.last_error
    with running_smtp(smtp_port) as server:
        assert deliver_due(db_session, _mailer(smtp_port), now=at + timedelta(days=30)) == DeliveryReport()
        assert server.messages == []


def test_two_workers_send_each_message_exactly_once(clean_db: None, smtp_server: SmtpServer) -> None:
    count = 30
    for n in range(count):
        _enqueue(to=f"parent{n}@example.org")
    start = threading.Barrier(2)
    reports: list[DeliveryReport] = []
    smtp = _mailer(smtp_server.port)

    class SlowMailer:  # slow enough that both workers are busy with the same batch at once
        def send(self, message: EmailMessage) -> None:
            time.sleep(0.01)
            smtp.send(message)

    def worker() -> None:
        start.wait()
        reports.append(deliver_due(db_session, SlowMailer()))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads)
    assert len(reports) == 2
    # On a loaded machine a send can fail (SMTP timeout) and wait for its retry: fine. A second copy is not.
    later = utcnow()
    for _ in range(5):
        later += timedelta(hours=1)
        deliver_due(db_session, smtp, now=later)
    received = [r.rcpt_tos[0] for r in smtp_server.mailbox.received]
    assert len(received) == len(set(received)), "a message was sent twice"
    assert sorted(received) == sorted(f"parent{n}@example.org" for n in range(count))
    with db_session() as db:
        statuses = db.exec(select(OutboxMessage.status)).all()
    assert set(statuses) == {"sent"}


def _set(message_id: int, **values: object) -> None:
    with db_session() as db:
        db.exec(update(OutboxMessage).where(col(OutboxMessage.id) == message_id).values(**values))
        db.commit()


def test_message_stuck_in_sending_is_sent_again_after_the_lease(
    clean_db: None, smtp_server: SmtpServer
) -> None:
    now = utcnow()
    crashed, busy = _enqueue(to="crashed@example.org"), _enqueue(to="busy@example.org")
    _set(crashed, status="sending", attempts=1, next_attempt_at=now - timedelta(seconds=1))
    _set(busy, status="sending", attempts=1, next_attempt_at=now + LEASE - timedelta(minutes=1))
    assert deliver_due(db_session, _mailer(smtp_server.port), now=now) == DeliveryReport(sent=1, reclaimed=1)
    assert [r.rcpt_tos for r in smtp_server.mailbox.received] == [["crashed@example.org"]]
    assert _row(busy).status == "sending"


def test_message_that_keeps_crashing_the_worker_ends_failed(clean_db: None, smtp_server: SmtpServer) -> None:
    message_id = _enqueue()
    _set(message_id, status="sending", attempts=MAX_ATTEMPTS, next_attempt_at=utcnow() - timedelta(seconds=1))
    assert deliver_due(db_session, _mailer(smtp_server.port)) == DeliveryReport(reclaimed=1)
    assert _row(message_id).status == "failed" and smtp_server.messages == []


def test_background_task_delivers_without_a_request(clean_db: None, smtp_configured: SmtpServer) -> None:
    from ogp_app.background import Job, deliver_mail, repeat

    async def no_pause() -> None:
        pass

    async def run_until_delivered() -> None:
        task = asyncio.create_task(repeat(Job("mail delivery", 0.05, deliver_mail), pause=no_pause))
        _enqueue()  # written after the worker started, as a request would
        for _ in range(200):
            if smtp_configured.messages:
                break
            await asyncio.sleep(0.05)
        task.cancel()

    # In its own thread: the e2e suite's Playwright keeps an event loop running in the main thread.
    worker = threading.Thread(target=asyncio.run, args=(run_until_delivered(),))
    worker.start()
    worker.join(timeout=30)
    assert len(smtp_configured.messages) == 1


def test_console_mailer_prints_the_text_part(clean_db: None, capsys: pytest.CaptureFixture[str]) -> None:
    message_id = _enqueue(to_name="Sanne")
    assert deliver_due(db_session, ConsoleMailer()) == DeliveryReport(sent=1)
    out = capsys.readouterr().out
    assert "To: Sanne <sanne@example.org>" in out
    assert "Subject: Uw inloglink voor de Oudergesprekplanner" in out
    assert LINK in out and "<html" not in out
    assert _row(message_id).status == "sent"


@pytest.fixture
def smtp_configured(smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpServer]:
    """OGP_SMTP_* pointing at the test server, as an operator would configure it."""
    monkeypatch.setenv("OGP_SMTP_HOST", smtp_server.host)
    monkeypatch.setenv("OGP_SMTP_PORT", str(smtp_server.port))
    monkeypatch.setenv("OGP_SMTP_STARTTLS", "false")
    monkeypatch.setenv("OGP_MAIL_FROM", "De Regenboog via OGP <no-reply@ogp.example>")
    get_settings.cache_clear()
    yield smtp_server
    monkeypatch.undo()
    get_settings.cache_clear()


def test_cli_delivers_everything_due(clean_db: None, smtp_configured: SmtpServer) -> None:
    for n in range(5):
        _enqueue(to=f"parent{n}@example.org")
    result = CliRunner().invoke(ogp, ["mail", "deliver", "--batch", "2"])
    assert result.exit_code == 0, result.output
    assert "sent 5" in result.output
    assert len(smtp_configured.messages) == 5
    assert {m["From"] for m in smtp_configured.messages} == {"De Regenboog via OGP <no-reply@ogp.example>"}
    assert all(m["Message-ID"].endswith("@ogp.example>") for m in smtp_configured.messages)


def test_enqueue_with_smtp_configured_still_opens_no_connection(
    clean_db: None, smtp_configured: SmtpServer
) -> None:
    _enqueue()
    assert smtp_configured.mailbox.connections == 0 and smtp_configured.messages == []


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_smtp_login_is_used_when_configured(clean_db: None) -> None:
    _enqueue()
    with running_smtp(login=("ogp", "s3cret")) as server:
        wrong = SmtpMailer(
            host=server.host, port=server.port, username="ogp", password="nope", starttls=False
        )
        assert deliver_due(db_session, wrong) == DeliveryReport(retrying=1)
        right = SmtpMailer(
            host=server.host, port=server.port, username="ogp", password="s3cret", starttls=False
        )
        later: datetime = utcnow() + BACKOFF[0]
        assert deliver_due(db_session, right, now=later) == DeliveryReport(sent=1)
        assert len(server.messages) == 1


def test_the_app_registers_the_delivery_task() -> None:
    from ogp_app.background import JOBS, deliver_mail, run_background_jobs
    from ogp_app.ogp_app import app

    assert run_background_jobs in app.get_lifespan_tasks()
    assert deliver_mail in [job.round for job in JOBS]
