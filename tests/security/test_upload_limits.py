"""Uploads against the served app: refused before the body is read, cut off at the limit, never spooled
to disk; hostile roster files refused through the page's own upload path with the limit named."""

from __future__ import annotations

import select
import socket
import uuid
from collections.abc import Callable

import httpx
import psutil
import pytest

from ogp_app.pages.school.roster_import.state import RosterImportState
from ogp_app.services.roster_import.limits import MAX_BYTES, MAX_UPLOAD_BODY
from tests.security.conftest import OpenClient
from tests.security.support import TwoSchools
from tests.support import hostile_files
from tests.support.server import RunningApp

HANDLER = f"{RosterImportState.get_full_name()}.handle_upload"
MB = 2**20


def _backend_io(app: RunningApp) -> tuple[int, int]:
    """Bytes the app's processes read (any source) and wrote to storage, summed over the process tree."""
    read = written = 0
    for process in [
        psutil.Process(app.process.pid),
        *psutil.Process(app.process.pid).children(recursive=True),
    ]:
        try:
            counters = process.io_counters()
        except psutil.NoSuchProcess:
            continue
        read, written = read + counters.read_chars, written + counters.write_bytes
    return read, written


def _raw_post(
    app: RunningApp, headers: dict[str, str], body_size: int, *, chunked: bool = False
) -> tuple[int, str, int]:
    """POST /_upload, streaming ``body_size`` bytes until the server answers; (status, text, bytes sent).

    The answer is read as soon as it comes, before the rest of the body goes (a guard answers early).
    """
    lines = [
        "POST /_upload HTTP/1.1",
        f"Host: localhost:{app.port}",
        "Content-Type: multipart/form-data; boundary=x",
    ]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    lines.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {body_size}")
    part = b'--x\r\nContent-Disposition: form-data; name="files"; filename="a.csv"\r\n\r\n'
    chunk = b"a" * MB
    sent = 0
    with socket.create_connection(("127.0.0.1", app.port), timeout=30) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        try:
            while sent < body_size and not select.select([sock], [], [], 0)[0]:
                piece = (part if sent == 0 else chunk)[: body_size - sent]
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
                sent += len(piece)
            if chunked and sent >= body_size:
                sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server closed after answering
        answer = b""
        while b"\r\n\r\n" not in answer or len(answer) < 4096:
            data = sock.recv(65536)
            if not data:
                break
            answer += data
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode("utf-8", "replace"), sent


def _upload_headers(cookie: str | None = None) -> dict[str, str]:
    headers = {"reflex-client-token": str(uuid.uuid4()), "reflex-event-handler": HANDLER}
    return {**headers, "Cookie": cookie} if cookie else headers


def test_anonymous_300_mb_upload_is_refused_before_its_body_is_read(running_app: RunningApp) -> None:
    read_before, written_before = _backend_io(running_app)
    status, text, sent = _raw_post(running_app, _upload_headers(), 300 * MB)
    read, written = _backend_io(running_app)
    assert status == 401, text
    assert "school admin" in text or "schoolbeheerder" in text
    assert sent < 300 * MB
    assert read - read_before < 32 * MB, "the backend read the anonymous body"
    assert written - written_before < MB, "the backend wrote the anonymous body to disk"


def test_a_parent_may_not_upload(running_app: RunningApp, schools: TwoSchools) -> None:
    status, _, _ = _raw_post(running_app, _upload_headers(schools.a.people["parent"].cookie), 2 * MB)
    assert status == 403


@pytest.mark.parametrize("chunked", [False, True], ids=["declared", "streamed"])
def test_an_admins_upload_over_the_limit_is_refused(
    running_app: RunningApp, schools: TwoSchools, chunked: bool
) -> None:
    _, written_before = _backend_io(running_app)
    status, text, sent = _raw_post(
        running_app, _upload_headers(schools.a.people["admin"].cookie), 40 * MB, chunked=chunked
    )
    assert status == 413, text
    assert f"{MAX_BYTES // MB} MB" in text
    assert sent < 40 * MB
    assert _backend_io(running_app)[1] - written_before < MB


def _upload_file(app: RunningApp, client_token: str, cookie: str, name: str, data: bytes) -> httpx.Response:
    return httpx.post(
        f"{app.base_url}/_upload",
        headers={"reflex-client-token": client_token, "reflex-event-handler": HANDLER, "Cookie": cookie},
        files={"files": (name, data, "application/octet-stream")},
        timeout=120,
    )


Upload = Callable[[str, bytes], httpx.Response]


@pytest.fixture
def upload_as_admin(running_app: RunningApp, open_client: OpenClient, schools: TwoSchools) -> Upload:
    """Upload a file as school A's admin through the page's own handler, as the browser does."""
    cookie = schools.a.people["admin"].cookie
    client = open_client(cookie=cookie)
    client.call(f"{RosterImportState.get_full_name()}.load_page", pathname="/school/roster/import")
    return lambda name, data: _upload_file(running_app, client.token, cookie, name, data)


def _roster_csv(pupils: int) -> bytes:
    rows = [
        f"{n};Kind{n};van den Achternaam{n};Groep {n % 8 + 1};ouder{n}@example.org" for n in range(pupils)
    ]
    return ("Leerlingnummer;Roepnaam;Achternaam;Groep;E-mail ouder/verzorger 1\n" + "\n".join(rows)).encode()


def test_a_roster_of_some_megabytes_is_read_in_memory(
    running_app: RunningApp, upload_as_admin: Upload
) -> None:
    data = _roster_csv(19_000)
    assert len(data) > 1.2 * MB  # over Starlette's own spool threshold
    _, written_before = _backend_io(running_app)
    response = upload_as_admin("leerlingen.csv", data)
    assert response.status_code == 200, response.text
    assert "Kind1" in response.text  # the mapping step's samples
    assert _backend_io(running_app)[1] - written_before < MB, "the roster was spooled to disk"


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("bom.xlsx", lambda: hostile_files.shared_strings_bomb(100), "larger than 64 MB"),
        ("verhouding.xlsx", lambda: hostile_files.shared_strings_bomb(40), "more than 100 times"),
        (
            "leeg.xlsx",
            lambda: hostile_files.empty_rows_bomb(200_000),
            "more than 100000 rows, counting empty",
        ),
        ("ver.xlsx", hostile_files.far_row_xlsx, "more than 100000 rows, counting empty"),
        ("breed.csv", hostile_files.wide_csv, "Row 1 has 100000 columns; the maximum is 200"),
        ("veld.csv", hostile_files.huge_field_csv, "Row 2 has a cell of more than 10000 characters"),
        ("groot.csv", lambda: b"x" * (MAX_BYTES + 1), "larger than 10 MB"),
    ],
)
def test_hostile_files_are_refused_on_the_page_with_the_limit_named(
    upload_as_admin: Upload, name: str, make: Callable[[], bytes], message: str
) -> None:
    data = make()
    assert len(data) < MAX_UPLOAD_BODY - 64 * 1024 + 2  # through the guard: the page refuses it
    response = upload_as_admin(name, data)
    assert response.status_code == 200
    assert message in response.text
