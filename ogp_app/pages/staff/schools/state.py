"""/staff: every school with status, subscription, pupils and last activity; open one with a reason.

Opening writes the school's access log first (the school sees who looked and why); the overview is
kept in this browser's state only until the page is left or another school is opened.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import reflex as rx

from ogp_app.components.notice import NO_NOTICE, Notice, notice
from ogp_app.models.backoffice import REASON_MAX
from ogp_app.pages.staff.row_ids import row_id
from ogp_app.services.errors import InvalidInput
from ogp_app.services.handler_calls import Access, Call
from ogp_app.services.staff import backoffice
from ogp_app.state.base import AppState
from ogp_app.state.form_input import required_text
from ogp_app.state.staff import display_time

# The list counts every school's pupils and activity; opening one reads it and writes its access log.
ACROSS_SCHOOLS = Access(staff=True, unscoped="the school list and overview read every school's rows")


@dataclass(frozen=True)
class SchoolLine:
    id: str
    name: str
    city: str
    status: str
    subscription: str
    pupils: int
    last_activity: str


@dataclass(frozen=True)
class LogLine:
    staff_name: str
    reason: str
    at: str


@dataclass(frozen=True)
class OpenedSchool:
    name: str = ""
    city: str = ""
    brin: str = ""
    status: str = ""
    created: str = ""
    classes: int = 0
    teachers: int = 0
    pupils: int = 0
    guardians: int = 0
    rounds: int = 0
    admins: list[str] = field(default_factory=list)
    log: list[LogLine] = field(default_factory=list)


class StaffSchoolsState(AppState):
    schools: list[SchoolLine] = []
    opened: OpenedSchool = OpenedSchool()
    has_opened: bool = False
    open_notice: Notice = NO_NOTICE
    form_key: str = "0"

    @rx.event
    async def load(self) -> None:
        with self._handled():
            self.schools = await self._call(ACROSS_SCHOOLS, _schools)
            self.opened, self.has_opened, self.open_notice = OpenedSchool(), False, NO_NOTICE

    @rx.event
    async def open_school(self, form_data: dict[str, Any]) -> None:
        """Open one school's overview; the reason goes to that school's access log first."""
        with self._handled(notice="open_notice"):
            self.opened = await self._call(ACROSS_SCHOOLS, lambda call: _open(call, form_data))
            self.has_opened = True
            self.open_notice = notice("staff.schools.logged")
            self.form_key = str(int(self.form_key) + 1)

    @rx.event
    def close_school(self) -> None:
        with self._handled():
            self._require(staff=True)
            self.opened, self.has_opened, self.open_notice = OpenedSchool(), False, NO_NOTICE


def _schools(call: Call) -> list[SchoolLine]:
    return [
        SchoolLine(
            id=str(r.id),
            name=r.name,
            city=r.city,
            status=r.status,
            subscription=r.subscription,
            pupils=r.pupils,
            last_activity=display_time(r.last_activity),
        )
        for r in backoffice.school_list(call.db)
    ]


def _open(call: Call, form_data: Any) -> OpenedSchool:
    """The school's overview, after logging why (the form is read only after the staff check, so a
    refused caller learns nothing about it). A form that is not what the page sends: an unknown school."""
    try:
        raw_id = required_text(form_data, "school_id", 12)
        reason = required_text(form_data, "reason", REASON_MAX * 2)
        school_id = row_id(raw_id, backoffice.UnknownSchool)
        detail = backoffice.open_school(
            call.db, staff_user_id=call.identity.user_id, school_id=school_id, reason=reason
        )
    except InvalidInput:
        raise backoffice.UnknownSchool() from None
    return OpenedSchool(
        name=detail.name,
        city=detail.city,
        brin=detail.brin_code,
        status=detail.status,
        created=display_time(detail.created_at),
        classes=detail.classes,
        teachers=detail.teachers,
        pupils=detail.pupils,
        guardians=detail.guardians,
        rounds=detail.rounds,
        admins=[f"{name} <{email}>" for name, email in detail.admins],
        log=[
            LogLine(staff_name=e.staff_name, reason=e.reason, at=display_time(e.at))
            for e in detail.access_log
        ],
    )
