"""State of /school/roster/import: upload -> map columns -> preview -> import, for the school's admin only.

The file is read in memory in the upload handler and held in process memory (services.roster_import
.holding) under a random key; the state keeps the key, never the bytes. Every handler re-checks the
session's identity and role; nothing is trusted from the browser but the column choices, checked here.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass
from typing import Any

import reflex as rx
from starlette.datastructures import UploadFile as StarletteUploadFile

from ogp_app.components.notice import NO_NOTICE, Notice, error_notice, notice
from ogp_app.core.db import school_session
from ogp_app.i18n import translate
from ogp_app.models import Role
from ogp_app.models.roster import MEETING_MODES, PER_HOUSEHOLD
from ogp_app.services.auth.sessions import Identity
from ogp_app.services.errors import DomainError, NotAuthenticated, PermissionDenied
from ogp_app.services.roster_import import (
    FIELDS,
    KINDS,
    ImportOptions,
    ImportResult,
    Table,
    apply_saved,
    holding,
    open_table,
    run_import,
    save_mapping,
    saved_mapping,
)
from ogp_app.services.roster_import.limits import MAX_BYTES
from ogp_app.state.base import AppState

PREVIEW_ROWS = 8
MAX_ISSUES_SHOWN = 200
KEY_MAX = 8


@dataclass(frozen=True)
class ColumnView:
    key: str  # the column's position, as text
    header: str
    sample: str
    field: str  # "" when not used


@dataclass(frozen=True)
class CountRow:
    kind: str
    new: int
    changed: int
    gone: int  # leavers (preview) or archived (after the import)


@dataclass(frozen=True)
class IssueView:
    row: int
    field_nl: str
    field_en: str
    nl: str
    en: str


def _issue_views(result: ImportResult) -> list[IssueView]:
    return [
        IssueView(
            row=i.row,
            field_nl=translate(f"roster.field.{i.field}", "nl"),
            field_en=translate(f"roster.field.{i.field}", "en"),
            nl=i.message("nl"),
            en=i.message("en"),
        )
        for i in result.issues[:MAX_ISSUES_SHOWN]
    ]


def _counts(result: ImportResult, *, written: bool = False) -> list[CountRow]:
    plan = result.plan
    return [
        CountRow(
            kind=kind,
            new=getattr(plan.create, kind),
            changed=getattr(plan.update, kind),
            gone=getattr(plan.archive, kind) if written else (plan.leavers if kind == "pupils" else 0),
        )
        for kind in KINDS
    ]


class RosterImportState(AppState):
    access: str = ""  # "", "granted" or "denied"
    step: str = "upload"  # upload, map, preview, done
    file_name: str = ""
    columns: list[ColumnView] = []
    preview_headers: list[str] = []
    preview_rows: list[list[str]] = []
    counts: list[CountRow] = []
    issues: list[IssueView] = []
    issue_count: int = 0
    total_rows: int = 0
    valid_rows: int = 0
    leavers: int = 0
    separated: int = 0  # pupils whose guardians live in two households
    separated_mode: str = PER_HOUSEHOLD
    archive_missing: bool = False
    only_valid_rows: bool = False
    importing: bool = False
    progress: int = 0
    notice: Notice = NO_NOTICE
    _file_key: str = ""

    def _admin(self) -> Identity:
        identity = self._require(Role.SCHOOL_ADMIN)
        assert identity.school_id is not None
        return identity

    def _clear(self) -> None:
        if self._file_key:
            holding.release(self._file_key)
        self.reset()

    def _mapping(self) -> dict[str, str]:
        return {c.header: c.field for c in self.columns if c.field}

    @rx.event
    def load_page(self) -> None:
        """on_load: the upload step for the school's admin; "no access" and no data for anyone else."""
        try:
            self._admin()
        except (NotAuthenticated, PermissionDenied):
            self._clear()
            self.access = "denied"
            return
        self._clear()
        self.access = "granted"

    @rx.event
    async def handle_upload(self, files: list[rx.UploadFile]) -> None:
        """Read the one uploaded file into memory (never to disk), suggest a mapping, go to step 2.

        The session, the file (in a child process, within limits) and the saved mapping are read in one
        worker-thread trip: the event loop, and so every other school's events, never wait for them."""
        if not isinstance(files, list) or len(files) != 1 or not isinstance(files[0], StarletteUploadFile):
            try:  # the notice is for the school's admin only
                await self._require_cached(Role.SCHOOL_ADMIN, fresh=True)
            except (NotAuthenticated, PermissionDenied):
                self._clear()
                return
            self.notice = notice("roster.page.choose_one_file", kind="error")
            return
        upload = files[0]
        data = await upload.read(MAX_BYTES + 1)
        await upload.close()

        def read(identity: Identity) -> tuple[Identity, Table, dict[str, str], dict[str, str] | None]:
            assert identity.school_id is not None
            table, suggested = open_table(data)
            with school_session(identity.school_id) as db:
                return identity, table, suggested, saved_mapping(db)

        try:
            identity, table, suggested, saved = await self._as_cached((Role.SCHOOL_ADMIN,), read, fresh=True)
        except (NotAuthenticated, PermissionDenied):
            self._clear()
            return
        except DomainError as error:
            self.notice = error_notice(error)
            return
        assert identity.school_id is not None
        mapping = apply_saved(table.headers, saved, suggested) if saved else suggested
        if self._file_key:
            holding.release(self._file_key)
        self._file_key = holding.hold(school_id=identity.school_id, user_id=identity.user_id, data=data)
        self.file_name = (upload.filename or "")[:120]
        self.columns = [
            ColumnView(
                key=str(index),
                header=header,
                sample=", ".join(r[index] for r in table.rows[:3] if r[index])[:80],
                field=mapping.get(header, ""),
            )
            for index, header in enumerate(table.headers)
        ]
        self.preview_headers = table.headers
        self.preview_rows = [row for row in table.rows[:PREVIEW_ROWS]]
        self.step, self.notice = "map", NO_NOTICE

    @rx.event
    def set_column(self, key: Any, field: Any) -> None:
        """Map one column to a field ("" = not used); a field already used elsewhere moves here."""
        try:
            self._admin()
        except (NotAuthenticated, PermissionDenied):
            self._clear()
            return
        if not isinstance(key, str) or len(key) > KEY_MAX or not isinstance(field, str):
            return
        if field not in FIELDS and field != "":
            return
        if all(c.key != key for c in self.columns):
            return
        self.columns = [
            ColumnView(
                c.key, c.header, c.sample, field if c.key == key else ("" if c.field == field else c.field)
            )
            for c in self.columns
        ]

    @rx.event
    def store_mapping(self) -> None:
        """Save the column choices for this school's next import."""
        try:
            identity = self._admin()
        except (NotAuthenticated, PermissionDenied):
            self._clear()
            return
        assert identity.school_id is not None
        try:
            with school_session(identity.school_id) as db:
                save_mapping(db, school_id=identity.school_id, mapping=self._mapping())
        except DomainError as error:
            self.notice = error_notice(error)
            return
        self.notice = notice("roster.page.mapping_saved")

    def _held(self, identity: Identity) -> bytes | None:
        assert identity.school_id is not None
        data = holding.held(self._file_key, school_id=identity.school_id, user_id=identity.user_id)
        if data is None:
            self.step = "upload"
            self.notice = notice("roster.page.upload_again", kind="error")
        return data

    @rx.event
    def set_archive_missing(self, value: Any) -> None:
        try:
            self._admin()
        except (NotAuthenticated, PermissionDenied):
            self._clear()
            return
        if isinstance(value, bool):
            self.archive_missing = value

    @rx.event
    def set_separated_mode(self, value: Any) -> None:
        """A conversation per household (default) or one joint one, for pupils with two households."""
        try:
            self._admin()
        except (NotAuthenticated, PermissionDenied):
            self._clear()
            return
        if isinstance(value, str) and value in MEETING_MODES:
            self.separated_mode = value

    @rx.event
    def set_only_valid_rows(self, value: Any) -> None:
        try:
            self._admin()
        except (NotAuthenticated, PermissionDenied):
            self._clear()
            return
        if isinstance(value, bool):
            self.only_valid_rows = value

    @rx.event
    async def show_preview(self) -> None:
        """Check every row and count what an import would do (in a worker thread); writes nothing."""
        try:
            identity = self._admin()
        except (NotAuthenticated, PermissionDenied):
            self._clear()
            return
        data = self._held(identity)
        if data is None:
            return
        school_id, mapping = identity.school_id, self._mapping()
        assert school_id is not None

        def work() -> ImportResult:
            with school_session(school_id) as db:
                return run_import(
                    db, school_id=school_id, data=data, mapping=mapping, options=ImportOptions(dry_run=True)
                )

        try:
            result = await asyncio.to_thread(work)
        except DomainError as error:
            self.notice = error_notice(error)
            return
        self.counts, self.issues = _counts(result), _issue_views(result)
        self.issue_count, self.total_rows, self.valid_rows = (
            len(result.issues),
            result.total_rows,
            result.valid_rows,
        )
        self.leavers, self.separated = result.plan.leavers, result.plan.separated
        self.step, self.notice = "preview", NO_NOTICE

    @rx.event
    def back_to_mapping(self) -> None:
        try:
            self._admin()
        except (NotAuthenticated, PermissionDenied):
            self._clear()
            return
        if self.step == "preview":
            self.step, self.notice = "map", NO_NOTICE

    @rx.event
    def start_over(self) -> None:
        try:
            self._admin()
        except (NotAuthenticated, PermissionDenied):
            self._clear()
            return
        self._clear()
        self.access = "granted"

    @rx.event(background=True)
    async def start_import(self) -> None:
        """Import in one transaction in a worker thread; the progress bar follows its stages."""
        async with self:
            try:
                identity = self._admin()
            except (NotAuthenticated, PermissionDenied):
                self._clear()
                return
            if self.importing or self.step != "preview":
                return
            data = self._held(identity)
            if data is None:
                return
            options = ImportOptions(
                archive_missing=self.archive_missing,
                only_valid_rows=self.only_valid_rows,
                separated_meeting_mode=self.separated_mode,
            )
            mapping = self._mapping()
            self.importing, self.progress, self.notice = True, 0, NO_NOTICE
        school_id = identity.school_id
        assert school_id is not None
        percent = [0]
        lock = threading.Lock()

        def report(value: int, _stage: str) -> None:
            with lock:
                percent[0] = value

        def work() -> ImportResult:
            with school_session(school_id) as db:
                return run_import(
                    db, school_id=school_id, data=data, mapping=mapping, options=options, progress=report
                )

        task = asyncio.ensure_future(asyncio.to_thread(work))
        while not task.done():
            await asyncio.sleep(0.25)
            async with self:
                self.progress = percent[0]
        async with self:
            self.importing = False
            try:
                result = task.result()
            except DomainError as error:
                self.notice = error_notice(error)
                return
            self.progress = 100
            self.counts, self.issues = _counts(result, written=result.written), _issue_views(result)
            self.issue_count = len(result.issues)
            if not result.written:
                self.notice = notice("roster.page.not_imported", kind="error")
                return
            holding.release(self._file_key)
            self._file_key = ""
            self.step = "done"
