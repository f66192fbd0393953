"""/teacher/evening: a teacher's conversations as a timeline (pupil, guardians, note, room); mark a time
unavailable. Printing the page gives the door list (print styles hide the navigation)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as data_field
from datetime import datetime
from typing import Any

import reflex as rx

from ogp_app.api.round_exports import teacher_export_path
from ogp_app.components.notice import NO_NOTICE, Notice, error_notice, notice
from ogp_app.models.base import utcnow
from ogp_app.models.outcomes import ATTENDANCE
from ogp_app.models.video import TEACHER_LINK
from ogp_app.pages.school.teacher_evening.outcomes import marking, note_saving, outcome_fields
from ogp_app.pages.shared.gated import GatedPageState
from ogp_app.pages.shared.keys import known
from ogp_app.pages.shared.meeting_views import Both, EveningRowView, join_texts, new_key, time_range, when
from ogp_app.services.errors import DomainError, NotAuthenticated, PermissionDenied
from ogp_app.services.handler_calls import TEACHER, Call, caller_only
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.invite import invite_candidates, invite_times, invite_to_talk
from ogp_app.services.rounds.online.joining import OnlineJoin, teacher_joins
from ogp_app.services.rounds.online.setup import set_teacher_link, teacher_link, video_settings
from ogp_app.services.rounds.outcomes import teacher_outcomes
from ogp_app.services.rounds.people import teacher_id_of
from ogp_app.services.rounds.slots import set_blocked
from ogp_app.services.rounds.teacher_views import current_evening
from ogp_app.state.base import AppState

MESSAGE_MAX = 500


@dataclass(frozen=True)
class InvitePupilView:
    key: str
    label: str


@dataclass(frozen=True)
class InviteTimeView:
    key: str
    label: Both  # "dinsdag 10 februari, 19:10-19:20"


class TeacherEveningState(GatedPageState, AppState):
    round_name: str = ""
    teacher_name: str = ""
    room: str = ""
    rows: list[EveningRowView] = []
    notice: Notice = NO_NOTICE
    _slot_ids: dict[str, int] = {}
    _booking_ids: dict[str, int] = {}  # per booked row: its booking (attendance and note)
    note_key: str = ""  # the row whose note form is open
    outcome_notice: Notice = NO_NOTICE
    # downloads (plain links to the authenticated routes) and "invite to talk"
    door_href: str = ""
    schedule_href: str = ""
    invite_pupils: list[InvitePupilView] = []
    invite_times: list[InviteTimeView] = []
    invite_notice: Notice = NO_NOTICE
    invite_choice: str = ""  # the pupil a link from "not seen yet" asks to invite (?pupil=&household=)
    _round_id: int = 0
    _invite_pupils: dict[str, tuple[int, int | None]] = {}
    _invite_slots: dict[str, int] = {}
    # where the school uses each teacher's own video link: the teacher keeps it here
    asks_video_link: bool = False
    video_link: str = ""
    video_notice: Notice = NO_NOTICE

    def _fill(self, page: _Page) -> None:
        self.access = "granted"
        self.round_name, self.teacher_name, self.room = page.round_name, page.teacher_name, page.room
        self.rows, self._slot_ids, self._booking_ids = page.rows, page.slot_ids, page.booking_ids
        self._round_id = page.round_id
        self.door_href = teacher_export_path(page.round_id, "door") if page.round_id else ""
        self.schedule_href = teacher_export_path(page.round_id, "schedule") if page.round_id else ""
        self.invite_pupils, self._invite_pupils = page.invite_pupils, page.pupil_ids
        self.invite_times, self._invite_slots = page.invite_times, page.invite_slot_ids
        self.asks_video_link, self.video_link = page.asks_video_link, page.video_link

    @rx.event
    async def load_page(self) -> None:
        with self._handled(deny=self._deny):
            self._fill(await self._call(TEACHER, _page_of))
            self.notice = self.invite_notice = self.outcome_notice = self.video_notice = NO_NOTICE
            self.note_key = ""
            self.invite_choice = _asked_pupil(self.router.url.query_parameters, self._invite_pupils)

    @rx.event
    async def invite(self, form_data: Any) -> None:
        """Invite to talk: book one of the teacher's own free times for a pupil of their classes."""
        with self._handled(notice="invite_notice"):  # refused: wipe whatever the page showed, flag nothing
            if not isinstance(form_data, dict):
                raise PermissionDenied("bad form")
            problem = _invite_problem(form_data, self._invite_pupils, self._invite_slots)
            if problem is not None:  # told only to a teacher
                await self._call(TEACHER, caller_only)
                self.invite_notice = problem
                return
            pupil_id, household_id = self._invite_pupils[form_data["invite_pupil"]]
            invitation = _Invitation(
                self._round_id,
                self._invite_slots[form_data["invite_time"]],
                pupil_id,
                household_id,
                form_data.get("invite_message") or "",
            )
            refusal, page = await self._call(TEACHER, lambda call: _invite(call, invitation))
            self._fill(page)
            if refusal is not None:
                self.invite_notice = error_notice(refusal)
                return
            self.notice = NO_NOTICE
            self.invite_notice = notice("invite.done")

    @rx.event
    async def save_video_link(self, form_data: Any) -> None:
        """The teacher's own meeting link (Teams, Meet, ...); empty removes it."""
        with self._handled(notice="video_notice"):  # refused: wipe whatever the page showed, flag nothing
            url = form_data.get("video_link") if isinstance(form_data, dict) else None
            if not isinstance(url, str):
                raise PermissionDenied("bad form")
            self._fill(await self._call(TEACHER, lambda call: _save_video_link(call, url[:600])))
            self.video_notice = notice("online.link_saved")

    @rx.event
    async def mark(self, key: Any, attendance: Any) -> None:
        """One tap after (or during) the evening: held, no-show or moved."""
        with self._handled(notice="outcome_notice"):  # refused: wipe whatever the page showed, flag nothing
            booking_id = self._booking_ids.get(key) if isinstance(key, str) else None
            if booking_id is None or attendance not in ATTENDANCE:
                raise PermissionDenied("unknown conversation")
            change = marking(booking_id, attendance)
            self._fill(await self._call(TEACHER, lambda call: _then_page(call, change)))
            self.outcome_notice = NO_NOTICE

    @rx.event
    def open_note(self, key: Any) -> None:
        """Show one conversation's note form (the page already holds its texts)."""
        self.note_key = key if isinstance(key, str) and key in self._booking_ids else ""

    @rx.event
    async def save_note(self, form_data: Any) -> None:
        """What was agreed (staff only), a follow-up date, and a summary for the family."""
        with self._handled(notice="outcome_notice"):  # refused: wipe whatever the page showed, flag nothing
            booking_id = self._booking_ids.get(self.note_key)
            if booking_id is None:
                raise PermissionDenied("no note form open")
            change = note_saving(form_data, booking_id)
            self._fill(await self._call(TEACHER, lambda call: _then_page(call, change)))
            self.note_key = ""
            self.outcome_notice = notice("outcomes.saved")

    @rx.event
    async def toggle(self, key: Any) -> None:
        """Mark a free time unavailable, or a blocked one free again (own slots only)."""
        with self._handled(notice="notice"):  # refused: wipe whatever the page showed, flag nothing
            slot_id = known(self._slot_ids, key)
            if slot_id is None:
                raise PermissionDenied("unknown time")
            free = next(r for r in self.rows if r.key == key).status == "free"
            self._fill(await self._call(TEACHER, lambda call: _toggle(call, slot_id, blocked=free)))
            self.notice = NO_NOTICE


@dataclass(frozen=True)
class _Page:
    round_id: int = 0  # 0: no round has an evening for this teacher
    round_name: str = ""
    teacher_name: str = ""
    room: str = ""
    rows: list[EveningRowView] = data_field(default_factory=list)
    slot_ids: dict[str, int] = data_field(default_factory=dict)
    invite_pupils: list[InvitePupilView] = data_field(default_factory=list)
    pupil_ids: dict[str, tuple[int, int | None]] = data_field(default_factory=dict)
    invite_times: list[InviteTimeView] = data_field(default_factory=list)
    invite_slot_ids: dict[str, int] = data_field(default_factory=dict)
    asks_video_link: bool = False
    video_link: str = ""
    booking_ids: dict[str, int] = data_field(default_factory=dict)


@dataclass(frozen=True)
class _Invitation:
    round_id: int
    slot_id: int
    pupil_id: int
    household_id: int | None
    message: str


def _invite_problem(
    form_data: dict[str, Any], pupils: dict[str, tuple[int, int | None]], slots: dict[str, int]
) -> Notice | None:
    """What is wrong with the invitation form (a message too long, no pupil or time of the list), or None."""
    pupil_key, time_key = form_data.get("invite_pupil"), form_data.get("invite_time")
    message = form_data.get("invite_message") or ""
    if not isinstance(message, str) or len(message) > MESSAGE_MAX:
        return notice("invite.error.message", kind="error", max=MESSAGE_MAX)
    if not isinstance(pupil_key, str) or pupil_key not in pupils:
        return notice("invite.error.pupil", kind="error")
    if not isinstance(time_key, str) or time_key not in slots:
        return notice("invite.error.time", kind="error")
    return None


def _page_of(call: Call) -> _Page:
    actor = Actor.from_identity(call.identity)
    evening = current_evening(call.db, actor=actor)
    if evening is None:
        return _Page()
    rows: list[EveningRowView] = []
    slot_ids: dict[str, int] = {}
    booked = [r.booking_id for _day, day_rows in evening.days for r in day_rows if r.booking_id]
    now = utcnow()
    joins = teacher_joins(call.db, actor=actor, booking_ids=booked, now=now) if booked else {}
    outcomes = teacher_outcomes(call.db, actor=actor, booking_ids=booked)
    booking_ids: dict[str, int] = {}
    for _day, day_rows in evening.days:
        for r in day_rows:
            key = new_key()
            slot_ids[key] = r.slot_id
            if r.booking_id:
                booking_ids[key] = r.booking_id
            rows.append(
                EveningRowView(
                    key,
                    when(r.starts_at, "EEEE d MMMM"),
                    time_range(r.starts_at, r.ends_at),
                    r.status,
                    r.pupil,
                    r.class_name,
                    r.guardians,
                    r.note,
                    *_join_of(joins.get(r.booking_id or 0), now),
                    **outcome_fields(outcomes.get(r.booking_id or 0), r, now),
                )
            )
    pupil_ids: dict[str, tuple[int, int | None]] = {}
    pupil_views: list[InvitePupilView] = []
    for c in invite_candidates(call.db, actor=actor, round_id=evening.round_id):
        key = new_key()
        pupil_ids[key] = (c.pupil_id, c.household_id)
        pupil_views.append(InvitePupilView(key, c.label))
    invite_slot_ids: dict[str, int] = {}
    time_views: list[InviteTimeView] = []
    for f in invite_times(call.db, actor=actor, round_id=evening.round_id):
        key = new_key()
        invite_slot_ids[key] = f.slot_id
        day = when(f.starts_at, "EEEE d MMMM")
        span = time_range(f.starts_at, f.ends_at)
        time_views.append(InviteTimeView(key, Both(f"{day.nl}, {span}", f"{day.en}, {span}")))
    video = video_settings(call.db)
    teacher_id = teacher_id_of(call.db, actor)
    asks_link = video.kind == TEACHER_LINK and teacher_id is not None
    link = teacher_link(call.db, actor=actor, teacher_id=teacher_id) if asks_link else ""
    return _Page(
        evening.round_id,
        evening.round_name,
        evening.teacher_name,
        evening.room,
        rows,
        slot_ids,
        pupil_views,
        pupil_ids,
        time_views,
        invite_slot_ids,
        asks_link,
        link,
        booking_ids,
    )


def _join_of(join: OnlineJoin | None, now: datetime) -> tuple[bool, str, str, str, str]:
    if join is None or not join.online:
        return False, "", "", "", ""
    texts = join_texts(join, now)
    return True, texts["join_url"], texts["join_from"], texts["join_at"], texts["read_at"]


def _asked_pupil(query: Any, pupils: dict[str, tuple[int, int | None]]) -> str:
    """The invite form's pupil a link asks for (a request only: it must be one of the page's own)."""
    wanted = (str(query.get("pupil", "")), str(query.get("household", "")))
    for key, (pupil_id, household_id) in pupils.items():
        if (str(pupil_id), str(household_id or "")) == wanted:
            return key
    return ""


def _then_page(call: Call, work: Callable[[Call], object]) -> _Page:
    """A change, then the page as it is now: one thread trip."""
    work(call)
    return _page_of(call)


def _save_video_link(call: Call, url: str) -> _Page:
    actor = Actor.from_identity(call.identity)
    set_teacher_link(call.db, actor=actor, teacher_id=teacher_id_of(call.db, actor), url=url)
    return _page_of(call)


def _invite(call: Call, invitation: _Invitation) -> tuple[DomainError | None, _Page]:
    """Book the invitation; then the page as it is now, also after a refusal (returned, for the notice)."""
    try:
        invite_to_talk(
            call.db,
            actor=Actor.from_identity(call.identity),
            round_id=invitation.round_id,
            slot_id=invitation.slot_id,
            pupil_id=invitation.pupil_id,
            household_id=invitation.household_id,
            message=invitation.message,
        )
    except (NotAuthenticated, PermissionDenied):
        raise
    except DomainError as refusal:
        call.db.rollback()  # the page is read again in a clean transaction
        return refusal, _page_of(call)
    return None, _page_of(call)


def _toggle(call: Call, slot_id: int, *, blocked: bool) -> _Page:
    set_blocked(call.db, actor=Actor.from_identity(call.identity), slot_id=slot_id, blocked=blocked)
    return _page_of(call)
