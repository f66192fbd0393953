"""State of /school/roster/import: upload -> map columns -> preview -> import, for the school's admin only.

The file is read in memory in the upload handler and held (services.roster_import.holding: in this
process's memory, or encrypted in Redis when several workers serve) under a random key; the state keeps
the key, never the bytes. Every handler re-checks the session's identity and role; nothing is trusted
from the browser but the column choices, checked here.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass
from typing import Any

import reflex as rx
from starlette.datastructures import UploadFile as StarletteUploadFile

from ogp_app.components.notice import NO_NOTICE, Notice, notice
from ogp_app.i18n import translate
from ogp_app.models import Role
from ogp_app.models.roster import MEETING_MODES, PER_HOUSEHOLD
from ogp_app.services.handler_calls import SCHOOL_ADMIN, Access, Call
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
ADMIN_FRESH = Access((Role.SCHOOL_ADMIN,), cached=True, fresh=True)  # the upload: a page event in a rush


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

    def _clear(self) -> None:
        if self._file_key:
            _release_soon(self._file_key)
        self.reset()

    def _mapping(self) -> dict[str, str]:
        return {c.header: c.field for c in self.columns if c.field}

    def _admin(self) -> None:
        """For the handlers that only change what the page shows: refuse anyone but the school's admin."""
        self._require(Role.SCHOOL_ADMIN)

    def _deny(self) -> None:
        self._clear()
        self.access = "denied"

    @rx.event
    def load_page(self) -> None:
        """on_load: the upload step for the school's admin; "no access" and no data for anyone else."""
        with self._handled(deny=self._deny):
            self._admin()
            self._clear()
            self.access = "granted"

    @rx.event
    async def handle_upload(self, files: list[rx.UploadFile]) -> None:
        """Read the one uploaded file into memory (never to disk), suggest a mapping, go to step 2.

        The session, the file (in a child process, within limits) and the saved mapping are read in one
        worker-thread trip: the event loop, and so every other school's events, never wait for them."""
        if not isinstance(files, list) or len(files) != 1 or not isinstance(files[0], StarletteUploadFile):
            with self._handled(deny=self._clear):  # the notice is for the school's admin only
                await self._require_cached(Role.SCHOOL_ADMIN, fresh=True)
                self.notice = notice("roster.page.choose_one_file", kind="error")
            return
        upload = files[0]
        data = await upload.read(MAX_BYTES + 1)
        await upload.close()

        earlier_key = self._file_key

        def read(call: Call) -> tuple[str, Table, dict[str, str], dict[str, str] | None]:
            table, suggested = open_table(data)
            holding.release(earlier_key)
            key = holding.hold(school_id=call.school_id, user_id=call.identity.user_id, data=data)
            return key, table, suggested, saved_mapping(call.db)

        with self._handled(deny=self._clear, notice="notice"):
            self._file_key, table, suggested, saved = await self._call(ADMIN_FRESH, read)
            mapping = apply_saved(table.headers, saved, suggested) if saved else suggested
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
        with self._handled(deny=self._clear):
            self._admin()
            if not isinstance(key, str) or len(key) > KEY_MAX or not isinstance(field, str):
                return
            if field not in FIELDS and field != "":
                return
            if all(c.key != key for c in self.columns):
                return
            self.columns = [
                ColumnView(
                    c.key,
                    c.header,
                    c.sample,
                    field if c.key == key else ("" if c.field == field else c.field),
                )
                for c in self.columns
            ]

    @rx.event
    async def store_mapping(self) -> None:
        """Save the column choices for this school's next import."""
        mapping = self._mapping()
        with self._handled(deny=self._clear, notice="notice"):
            await self._call(
                SCHOOL_ADMIN, lambda c: save_mapping(c.db, school_id=c.school_id, mapping=mapping)
            )
            self.notice = notice("roster.page.mapping_saved")

    def _upload_again(self) -> None:
        """The held file is gone (expired, or another process): back to the upload."""
        self.step = "upload"
        self.notice = notice("roster.page.upload_again", kind="error")

    @rx.event
    def set_archive_missing(self, value: Any) -> None:
        with self._handled(deny=self._clear):
            self._admin()
            if isinstance(value, bool):
                self.archive_missing = value

    @rx.event
    def set_separated_mode(self, value: Any) -> None:
        """A conversation per household (default) or one joint one, for pupils with two households."""
        with self._handled(deny=self._clear):
            self._admin()
            if isinstance(value, str) and value in MEETING_MODES:
                self.separated_mode = value

    @rx.event
    def set_only_valid_rows(self, value: Any) -> None:
        with self._handled(deny=self._clear):
            self._admin()
            if isinstance(value, bool):
                self.only_valid_rows = value

    @rx.event
    async def show_preview(self) -> None:
        """Check every row and count what an import would do (in a worker thread); writes nothing."""
        key, mapping = self._file_key, self._mapping()
        with self._handled(deny=self._clear, notice="notice"):
            result = await self._call(SCHOOL_ADMIN, lambda call: _preview(call, key, mapping))
            if result is None:
                self._upload_again()
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
        with self._handled(deny=self._clear):
            self._admin()
            if self.step == "preview":
                self.step, self.notice = "map", NO_NOTICE

    @rx.event
    def start_over(self) -> None:
        with self._handled(deny=self._clear):
            self._admin()
            self._clear()
            self.access = "granted"

    @rx.event(background=True)
    async def start_import(self) -> None:
        """Import in one transaction in a worker thread; the progress bar follows its stages.

        Two calls: the check under the state's lock (before the page shows the import running), the
        import outside it (the progress updates need the lock meanwhile)."""
        data: bytes | None = None
        async with self:
            if self.importing or self.step != "preview":
                return
            key = self._file_key
            with self._handled(deny=self._clear):
                data = await self._call(SCHOOL_ADMIN, lambda call: _held_file(call, key))
                if data is None:
                    self._upload_again()
            if data is None:
                return
            options = ImportOptions(
                archive_missing=self.archive_missing,
                only_valid_rows=self.only_valid_rows,
                separated_meeting_mode=self.separated_mode,
            )
            mapping = self._mapping()
            self.importing, self.progress, self.notice = True, 0, NO_NOTICE
        percent = [0]
        lock = threading.Lock()

        def report(value: int, _stage: str) -> None:
            with lock:
                percent[0] = value

        def work(call: Call) -> ImportResult:
            return run_import(
                call.db,
                school_id=call.school_id,
                data=data,
                mapping=mapping,
                options=options,
                progress=report,
            )

        task = asyncio.ensure_future(self._call(SCHOOL_ADMIN, work))
        while not task.done():
            await asyncio.sleep(0.25)
            async with self:
                self.progress = percent[0]
        async with self:
            self.importing = False
            with self._handled(deny=self._clear, notice="notice"):
                result = task.result()
                self.progress = 100
                self.counts, self.issues = _counts(result, written=result.written), _issue_views(result)
                self.issue_count = len(result.issues)
                if not result.written:
                    self.notice = notice("roster.page.not_imported", kind="error")
                    return
                _release_soon(self._file_key)
                self._file_key = ""
                self.step = "done"


# The blocking work of the handlers (in a worker thread, for the admin of the session's school).


def _release_soon(key: str) -> None:
    """Drop a held file without making the event loop wait for Redis (it expires by itself anyway)."""
    try:
        asyncio.get_running_loop().run_in_executor(None, holding.release, key)
    except RuntimeError:  # no loop: a test calling the handler directly
        holding.release(key)


def _held_file(call: Call, key: str) -> bytes | None:
    return holding.held(key, school_id=call.school_id, user_id=call.identity.user_id)


def _preview(call: Call, key: str, mapping: dict[str, str]) -> ImportResult | None:
    """What an import of the held file would do (nothing written), or None when the file is gone."""
    data = _held_file(call, key)
    if data is None:
        return None
    options = ImportOptions(dry_run=True)
    return run_import(call.db, school_id=call.school_id, data=data, mapping=mapping, options=options)
