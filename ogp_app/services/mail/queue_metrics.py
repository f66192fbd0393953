"""The outbox as the operator's Prometheus sees it, read at scrape time: counts and an age, nothing else.

A custom collector queries the database when scraped, so every worker reports the same numbers and no
process has to keep them up to date. No address, subject or id leaves this module.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import datetime

from prometheus_client.core import GaugeMetricFamily, Metric
from sqlalchemy import func
from sqlmodel import col, select

from ogp_app.models import OutboxMessage, OutboxStatus
from ogp_app.models.base import utcnow
from ogp_app.services.mail.outbox import DbFactory

logger = logging.getLogger(__name__)

UNSENT = (OutboxStatus.PENDING.value, OutboxStatus.SENDING.value)
REPORTED = (*UNSENT, OutboxStatus.FAILED.value)  # sent mail is history: not counted at every scrape


class OutboxCollector:
    """``ogp_mail_queue_messages{status}``, ``ogp_mail_queue_oldest_unsent_age_seconds`` and
    ``ogp_mail_queue_up`` (0 when the database could not be asked)."""

    def __init__(self, db_factory: DbFactory, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.db_factory = db_factory
        self.clock = clock

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("ogp_mail_queue_up", "1 when the outbox could be read for this scrape.")
        try:
            counts, oldest = self._read()
        except Exception:  # a scrape must still answer: the operator alerts on ogp_mail_queue_up == 0
            logger.warning("metrics: the outbox could not be read", exc_info=True)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        messages = GaugeMetricFamily(
            "ogp_mail_queue_messages",
            "Messages in the outbox by status: pending (waiting to be sent or retried), sending, failed.",
            labels=["status"],
        )
        for status in REPORTED:
            messages.add_metric([status], counts.get(status, 0))
        yield messages
        age = (self.clock() - oldest).total_seconds() if oldest is not None else 0.0
        yield GaugeMetricFamily(
            "ogp_mail_queue_oldest_unsent_age_seconds",
            "Age of the oldest message not yet sent (pending or sending); 0 when there is none.",
            value=max(0.0, age),
        )

    def _read(self) -> tuple[dict[str, int], datetime | None]:
        status = col(OutboxMessage.status)
        with self.db_factory() as db:
            rows = db.exec(
                select(status, func.count(), func.min(OutboxMessage.created_at))
                .where(status.in_(REPORTED))
                .group_by(status)
            ).all()
        counts = {str(row[0]): int(row[1]) for row in rows}
        unsent = [row[2] for row in rows if row[0] in UNSENT and row[2] is not None]
        return counts, min(unsent, default=None)
