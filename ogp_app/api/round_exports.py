"""Downloads of a round's schedule, for the school's own people only, never cached.

- ``/api/rounds/<id>/door-list.pdf`` and ``/api/rounds/<id>/schedule.pdf``: a teacher gets their own;
  the school's admin may add ``?teacher=<id>`` for any teacher of the round.
- ``/api/rounds/<id>/schedule.csv``, ``/by-teacher.pdf``, ``/by-room.pdf``: the school's admin only.
- ``/api/book/calendar.ics``: a parent's own conversations still to come (no ids: the session says whose).

Identity comes from the session cookie alone. Signed out is a 401; everything else that is not allowed
(another school's round, a parent, another teacher's schedule) is a 404, so nothing tells it exists.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from ogp_app.api.cookies import session_token
from ogp_app.core.db import school_session
from ogp_app.i18n import normalise_language
from ogp_app.models.base import utcnow
from ogp_app.services.auth.sessions import Identity, resolve_session
from ogp_app.services.errors import DomainError
from ogp_app.services.rounds import exports
from ogp_app.services.rounds.actor import Actor
from ogp_app.services.rounds.family_calendar import FILENAME, family_calendar
from ogp_app.services.rounds.people import teacher_id_of
from ogp_app.services.rounds.views import teacher_evening

NO_STORE = {"cache-control": "no-store", "pragma": "no-cache"}
FAMILY_CALENDAR_PATH = "/api/book/calendar.ics"
ID_MAX_DIGITS = 12


class _NotFound(Exception):
    pass


def _plain(text: str, status: int) -> Response:
    return PlainTextResponse(text, status_code=status, headers=NO_STORE)


def _number(raw: object) -> int:
    text = str(raw or "")
    if not text.isdigit() or len(text) > ID_MAX_DIGITS:
        raise _NotFound()
    return int(text)


def _actor(identity: Identity) -> Actor:
    if identity.school_id is None or identity.must_enrol_second_factor:
        raise _NotFound()
    return Actor.from_identity(identity)


def _teacher_file(
    identity: Identity, round_id: int, teacher: str | None, kind: str
) -> tuple[bytes, str, str]:
    actor = _actor(identity)
    if not (actor.is_teacher or actor.is_admin):
        raise _NotFound()
    language = normalise_language(identity.language)
    with school_session(actor.school_id) as db:
        own = teacher_id_of(db, actor) if actor.is_teacher else None
        wanted = _number(teacher) if teacher is not None else own
        if wanted is None or (wanted != own and not actor.is_admin):
            raise _NotFound()
        # an admin names the teacher; a teacher gets their own (teacher_evening ignores the id then)
        evening = teacher_evening(db, actor=actor, round_id=round_id, teacher_id=wanted)
    kind_: exports.TeacherKind = "door" if kind == "door" else "schedule"
    pdf = exports.teacher_pdf(evening, kind=kind_, language=language)
    return pdf, exports.teacher_filename(evening, kind_, language), "application/pdf"


def _round_file(identity: Identity, round_id: int, kind: str) -> tuple[bytes, str, str]:
    actor = _actor(identity)
    if not actor.is_admin:
        raise _NotFound()
    language = normalise_language(identity.language)
    with school_session(actor.school_id) as db:
        schedule = exports.round_schedule(db, actor=actor, round_id=round_id)
    if kind == "csv":
        body = exports.schedule_csv(schedule, language=language)
        return body, exports.round_filename(schedule, "csv", language) + ".csv", "text/csv; charset=utf-8"
    group: exports.Grouping = "teacher" if kind == "by_teacher" else "room"
    body = exports.round_pdf(schedule, group_by=group, language=language)
    return body, exports.round_filename(schedule, f"by_{group}", language) + ".pdf", "application/pdf"


def _route(kind: str, build: Callable[[Identity, int, Request, str], tuple[bytes, str, str]]) -> Callable:
    async def endpoint(request: Request) -> Response:
        identity = await run_in_threadpool(resolve_session, session_token(request))
        if identity is None:
            return _plain("sign in first", 401)
        try:
            round_id = _number(request.path_params.get("round_id"))
            body, filename, media_type = await run_in_threadpool(build, identity, round_id, request, kind)
        except (_NotFound, DomainError):
            return _plain("not found", 404)
        return _attachment(body, filename, media_type)

    return endpoint


def _teacher(identity: Identity, round_id: int, request: Request, kind: str) -> tuple[bytes, str, str]:
    return _teacher_file(identity, round_id, request.query_params.get("teacher"), kind)


def _whole_round(identity: Identity, round_id: int, request: Request, kind: str) -> tuple[bytes, str, str]:
    del request
    return _round_file(identity, round_id, kind)


def _family_calendar(identity: Identity) -> tuple[bytes, str, str]:
    actor = _actor(identity)
    if not actor.is_parent:
        raise _NotFound()
    language = normalise_language(identity.language)
    with school_session(actor.school_id) as db:
        body = family_calendar(db, actor=actor, language=language, now=utcnow())
    return body, FILENAME[language], "text/calendar; charset=utf-8"


async def family_calendar_download(request: Request) -> Response:
    identity = await run_in_threadpool(resolve_session, session_token(request))
    if identity is None:
        return _plain("sign in first", 401)
    try:
        body, filename, media_type = await run_in_threadpool(_family_calendar, identity)
    except (_NotFound, DomainError):
        return _plain("not found", 404)
    return _attachment(body, filename, media_type)


def _attachment(body: bytes, filename: str, media_type: str) -> Response:
    headers = {**NO_STORE, "content-disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=media_type, headers=headers)


def teacher_export_path(round_id: int, kind: str) -> str:
    return f"/api/rounds/{round_id}/{'door-list' if kind == 'door' else 'schedule'}.pdf"


def round_export_path(round_id: int, kind: str) -> str:
    name = {"csv": "schedule.csv", "by_teacher": "by-teacher.pdf", "by_room": "by-room.pdf"}[kind]
    return f"/api/rounds/{round_id}/{name}"


def round_export_routes() -> list[Route]:
    base = "/api/rounds/{round_id}"
    return [
        Route(f"{base}/door-list.pdf", _route("door", _teacher), methods=["GET"]),
        Route(f"{base}/schedule.pdf", _route("schedule", _teacher), methods=["GET"]),
        Route(f"{base}/schedule.csv", _route("csv", _whole_round), methods=["GET"]),
        Route(f"{base}/by-teacher.pdf", _route("by_teacher", _whole_round), methods=["GET"]),
        Route(f"{base}/by-room.pdf", _route("by_room", _whole_round), methods=["GET"]),
        Route(FAMILY_CALENDAR_PATH, family_calendar_download, methods=["GET"]),
    ]
