"""Seed data, database snapshots and the checks the hostile-client tests share."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlmodel import SQLModel

import ogp_app.models  # noqa: F401 - every table registered in SQLModel.metadata
from ogp_app.core.db import school_session, unscoped
from ogp_app.core.settings import get_settings
from ogp_app.models import Role, TokenPurpose, User
from ogp_app.services.auth import sso, tokens
from ogp_app.services.auth.passwords import hash_password
from ogp_app.services.auth.sessions import hash_token
from tests.support.factories import Factory
from tests.support.two_factor import enrol_two_factor

# -- two schools ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    user_id: int
    email: str
    display_name: str
    token: str  # raw session cookie value

    @property
    def cookie(self) -> str:
        """The ``Cookie`` header a browser of this person sends."""
        return f"{get_settings().session_cookie_name}={self.token}"


@dataclass(frozen=True)
class Tenant:
    school_id: int
    name: str
    slug: str
    people: dict[str, Person]
    secrets: list[str] = field(default_factory=list)  # hashes, keys and tokens: never for any browser

    def private_markers(self) -> list[str]:
        """Strings that must never reach anyone outside this school."""
        markers = [self.name, *self.secrets]
        for person in self.people.values():
            markers += [person.email, person.display_name, person.token, hash_token(person.token)]
        return markers


@dataclass(frozen=True)
class TwoSchools:
    a: Tenant  # holds the data an attacker wants
    b: Tenant  # the attacker's own school
    ids_of_a: dict[str, int] = field(default_factory=dict)


def seed_two_schools(factory: Factory) -> TwoSchools:
    """School A with an admin, a teacher and a parent (each signed in once); school B with an admin."""
    tag = secrets.token_hex(4)

    def tenant(label: str, school_name: str, roles: Iterable[tuple[str, Role, str]]) -> Tenant:
        school = factory.school(name=f"{school_name} {tag}", slug=f"{label}-{tag}")
        assert school.id is not None
        people = {}
        for key, role, name in roles:
            user = factory.user(email=f"{key}.{label}.{tag}@{label}-school.example", name=f"{name} {tag}")
            factory.member(school, role, user)
            assert user.id is not None
            people[key] = Person(
                user_id=user.id,
                email=user.email,
                display_name=user.display_name,
                token=factory.session_token(user, school),
            )
        factory.session.commit()  # end the factory's transaction: the app server writes next
        return Tenant(
            school_id=school.id,
            name=school.name,
            slug=school.slug,
            people=people,
            secrets=_plant_secrets(school.id, people["admin"].user_id),
        )

    a = tenant(
        "a",
        "Kindcentrum Zonnewijzer",
        [
            ("admin", Role.SCHOOL_ADMIN, "Annemarie Verhoeven"),
            ("teacher", Role.TEACHER, "Meester Bastiaan Kuipers"),
            ("parent", Role.PARENT, "Fatima El Amrani"),
        ],
    )
    b = tenant("b", "Montessorischool Berkenhof", [("admin", Role.SCHOOL_ADMIN, "Bram Hoogendoorn")])
    ids = {"school": a.school_id, **{key: p.user_id for key, p in a.people.items()}}
    return TwoSchools(a=a, b=b, ids_of_a=ids)


def _plant_secrets(school_id: int, admin_id: int) -> list[str]:
    """Give the school's admin a password, an authenticator and an open invitation, and the school an
    identity provider with a client secret: the strings a browser must never receive, not even the
    admin's own."""
    client_secret = f"oidc-secret-{secrets.token_hex(8)}"
    with unscoped() as db:
        user = db.get(User, admin_id)
        assert user is not None
        user.password_hash = hash_password(f"correct horse {secrets.token_hex(4)}")
        db.add(user)
        totp_secret = enrol_two_factor(admin_id, label=user.email, db=db).totp.secret
        invitation = tokens.issue_token(
            db, purpose=TokenPurpose.INVITATION, user_id=admin_id, school_id=school_id, role="teacher"
        )
        db.commit()
        password_hash = user.password_hash
    with school_session(school_id) as db:
        sso.configure_provider(
            db,
            school_id=school_id,
            issuer="https://login.example-idp.nl",
            client_id="ogp-client",
            client_secret=client_secret,
            allowed_email_domain=None,
            tenant_id=None,
            enabled=True,
        )
        db.commit()
    return [password_hash, totp_secret, invitation, hash_token(invitation), client_secret]


# -- database snapshots ---------------------------------------------------------------------------

Snapshot = dict[str, dict[tuple[Any, ...], dict[str, Any]]]


def snapshot() -> Snapshot:
    """Every row of every table in SQLModel.metadata, keyed by table name and primary key."""
    out: Snapshot = {}
    with unscoped() as db:
        for table in SQLModel.metadata.sorted_tables:
            pk = [c.name for c in table.primary_key.columns]
            rows = db.execute(select(table)).mappings().all()
            out[table.name] = {tuple(row[c] for c in pk): dict(row) for row in rows}
    return out


@dataclass(frozen=True)
class RowChange:
    table: str
    key: tuple[Any, ...]
    kind: str  # added, removed, changed
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def __str__(self) -> str:
        if self.kind == "changed" and self.before and self.after:
            cols = {
                c: (self.before[c], self.after[c]) for c in self.after if self.before.get(c) != self.after[c]
            }
            return f"{self.table}{list(self.key)} changed {cols}"
        return f"{self.table}{list(self.key)} {self.kind}: {self.after or self.before}"


def diff(before: Snapshot, after: Snapshot) -> list[RowChange]:
    changes: list[RowChange] = []
    for table in sorted(set(before) | set(after)):
        old, new = before.get(table, {}), after.get(table, {})
        for key in sorted(set(old) | set(new), key=repr):
            if key not in new:
                changes.append(RowChange(table, key, "removed", old[key], None))
            elif key not in old:
                changes.append(RowChange(table, key, "added", None, new[key]))
            elif old[key] != new[key]:
                changes.append(RowChange(table, key, "changed", old[key], new[key]))
    return changes


def belongs_to(change: RowChange, *, school_id: int, user_id: int, after: Snapshot) -> bool:
    """Whether a changed row is the caller's own business: their school's rows, their own account.

    * a row with a ``school_id`` belongs to that school (``auth_session`` too: the caller's sessions);
    * a ``school`` row to itself;
    * a ``user`` row to that person, or, when new, to the school whose membership created it;
    * any other row with a ``user_id`` to that person;
    * a new ``rate_limit_hit`` to whoever made the attempt: counting attempts is what it is for, and it
      holds only a keyed hash of the account or address, nothing of anyone else.
    """
    if change.table == "rate_limit_hit" and change.kind == "added":
        return True
    for row in (change.before, change.after):
        if row is None:
            continue
        if row.get("school_id") is not None:
            if row["school_id"] != school_id:
                return False
            continue
        if change.table == "school":
            if row.get("id") != school_id:
                return False
            continue
        if change.table == "user":
            if row.get("id") == user_id:
                continue
            if change.kind == "added":
                schools = {
                    m["school_id"] for m in after.get("membership", {}).values() if m["user_id"] == row["id"]
                }
                if schools == {school_id}:
                    continue
            return False
        if "user_id" in row:
            if row["user_id"] != user_id:
                return False
            continue
        return False
    return True


# -- what comes back over the wire ----------------------------------------------------------------

INTERNALS = (
    "Traceback (most recent call last)",
    'File "/',
    "site-packages",
    "sqlalchemy.exc",
    "psycopg.",
    "sqlite3.",
)


def found_markers(text: str, markers: Iterable[str]) -> list[str]:
    folded = text.casefold()
    return sorted({m for m in markers if m and m.casefold() in folded})


def excerpt(text: str, marker: str, width: int = 160) -> str:
    at = text.casefold().find(marker.casefold())
    return text[max(0, at - width) : at + len(marker) + width]


def app_var_changes(changed: Iterable[tuple[str, str]], framework_states: set[str]) -> list[tuple[str, str]]:
    """The changed (state, var) pairs that belong to the app's own states."""
    return sorted((state, var) for state, var in changed if state not in framework_states)


def short_payload(payload: Any, limit: int = 160) -> str:
    text = repr(payload)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} chars)"
