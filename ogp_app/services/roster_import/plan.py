"""Compare checked records with the school's roster: what to create, update and (when asked) archive.

Merge rules (re-import):
- a pupil is the same pupil when the pupil number matches; a row without a number matches an existing
  pupil by first name + prefix + last name + class;
- a guardian or teacher is the same person when the lower-cased e-mail matches; nobody is duplicated,
  and someone archived who is back in the file is active again;
- a pupil's guardians become exactly the row's guardians; a row without any guardian e-mail leaves the
  pupil's guardians as they are. A class's mentors become the file's teachers for that class, unless
  the file names none for it;
- households: guardians of one pupil are one household only when the file gives both the same address
  (an address/household column per guardian); otherwise each guardian is a household of their own
  (separated parents see and book separately). Existing guardians keep their household;
- a pupil whose guardians live in two households is counted (``separated``); the admin's choice of
  meeting mode goes to those who are new or had one household before this import (``newly_separated``);
  a pupil separated already keeps the mode the school set;
- pupils who are not in the file are counted as leavers and archived only when asked; a guardian is
  archived with them when none of their pupils stays.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field

from ogp_app.services.roster_import import fields as f
from ogp_app.services.roster_import.existing import Existing, ExistingPupil
from ogp_app.services.roster_import.families import UnionFind
from ogp_app.services.roster_import.records import CheckedFile, Person, PupilRecord, name_key

KINDS = ("classes", "pupils", "guardians", "teachers")


@dataclass
class Counts:
    classes: int = 0
    pupils: int = 0
    guardians: int = 0
    teachers: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


# A pupil in a link: an existing id, or ("new", index into Plan.new_pupils).
PupilRef = int | tuple[str, int]


@dataclass
class Plan:
    create: Counts = field(default_factory=Counts)
    update: Counts = field(default_factory=Counts)
    archive: Counts = field(default_factory=Counts)
    leavers: int = 0  # active pupils missing from the file
    without_guardian: int = 0  # pupils in the file without any guardian e-mail
    new_classes: list[str] = field(default_factory=list)
    class_updates: list[dict[str, object]] = field(default_factory=list)
    new_teachers: list[Person] = field(default_factory=list)
    teacher_updates: list[dict[str, object]] = field(default_factory=list)
    mentor_adds: list[tuple[str, str]] = field(default_factory=list)  # (class casefold, teacher e-mail)
    mentor_removes: list[int] = field(default_factory=list)  # class_teacher ids
    new_households: dict[str, str] = field(default_factory=dict)  # group root e-mail -> label
    new_guardians: list[tuple[Person, int | str]] = field(default_factory=list)  # household id or root
    guardian_updates: list[dict[str, object]] = field(default_factory=list)
    new_pupils: list[PupilRecord] = field(default_factory=list)
    pupil_updates: list[dict[str, object]] = field(default_factory=list)  # class_name instead of class_id
    link_adds: list[tuple[PupilRef, str]] = field(default_factory=list)  # (pupil, guardian e-mail)
    link_removes: list[int] = field(default_factory=list)  # pupil_guardian ids
    archive_pupils: list[int] = field(default_factory=list)
    archive_guardians: list[int] = field(default_factory=list)
    user_ids: dict[str, int] = field(default_factory=dict)
    household_of: dict[str, int | str] = field(default_factory=dict)  # guardian e-mail -> id or root
    separated: int = 0  # pupils in the file whose guardians live in two (or more) households
    newly_separated: list[PupilRef] = field(default_factory=list)  # they get the admin's meeting mode

    def rows_written(self) -> int:
        return (
            len(self.new_classes)
            + len(self.new_teachers)
            + len(self.mentor_adds)
            + len(self.new_households)
            + len(self.new_guardians)
            + len(self.new_pupils)
            + len(self.link_adds)
        )


def build_plan(
    checked: CheckedFile, existing: Existing, *, user_ids: dict[str, int], archive_missing: bool
) -> Plan:
    plan = Plan(user_ids=user_ids)
    _plan_classes(plan, checked.records, existing)
    _plan_teachers(plan, checked, existing)
    _plan_guardians(plan, checked.records, existing)
    matched = _plan_pupils(plan, checked, existing)
    _plan_leavers(plan, checked, existing, matched, archive_missing=archive_missing)
    return plan


def _plan_classes(plan: Plan, records: list[PupilRecord], existing: Existing) -> None:
    seen: dict[str, str] = {}
    for record in records:
        seen.setdefault(record.class_name.casefold(), record.class_name)
    for folded, name in seen.items():
        found = existing.classes.get(folded)
        if found is None:
            plan.new_classes.append(name)
        elif found[1]:  # archived, and back in the file
            plan.class_updates.append({"id": found[0], "archived_at": None})
    plan.create.classes, plan.update.classes = len(plan.new_classes), len(plan.class_updates)


def _person_update(
    person: Person, old_name: str, old_user: int | None, archived: bool, plan: Plan
) -> dict[str, object]:
    change: dict[str, object] = {}
    if person.name and person.name != old_name:
        change["display_name"] = person.name
    if archived:
        change["archived_at"] = None
    if old_user is None and person.email in plan.user_ids:
        change["user_id"] = plan.user_ids[person.email]
    return change


def _plan_teachers(plan: Plan, checked: CheckedFile, existing: Existing) -> None:
    people: dict[str, Person] = {}
    wanted: dict[str, set[str]] = defaultdict(set)  # class casefold -> teacher e-mails
    for record in checked.records:
        for person in record.teachers:
            known = people.setdefault(person.email, person)
            known.name = known.name or person.name
            wanted[record.class_name.casefold()].add(person.email)
    for email, person in people.items():
        old = existing.teachers.get(email)
        if old is None:
            plan.new_teachers.append(person)
            continue
        change = _person_update(person, old.name, old.user_id, old.archived, plan)
        if change:
            plan.teacher_updates.append({"id": old.id, **change})
            if change.keys() - {"user_id"}:
                plan.update.teachers += 1
    plan.create.teachers = len(plan.new_teachers)
    for folded, emails in wanted.items():
        found = existing.classes.get(folded)
        current = existing.mentors.get(found[0], set()) if found else set()
        teacher_ids = {existing.teachers[e].id: e for e in emails if e in existing.teachers}
        plan.mentor_adds.extend(
            (folded, e)
            for e in sorted(emails)
            if e not in existing.teachers or existing.teachers[e].id not in current
        )
        if found:
            plan.mentor_removes.extend(
                existing.mentor_link_ids[(found[0], tid)] for tid in sorted(current) if tid not in teacher_ids
            )


def _plan_guardians(plan: Plan, records: list[PupilRecord], existing: Existing) -> None:
    people: dict[str, Person] = {}
    households: UnionFind[str] = UnionFind()
    for record in records:
        for person in record.guardians:
            known = people.setdefault(person.email, person)
            known.name = known.name or person.name
            known.language = known.language or person.language
            households.find(person.email)
        with_address = [g for g in record.guardians if g.address]
        for a in with_address:
            for b in with_address:
                if a.address == b.address:
                    households.union(a.email, b.email)
    groups: dict[str, list[str]] = defaultdict(list)
    for email in people:
        groups[households.find(email)].append(email)
    for root, emails in groups.items():
        old_household = next(
            (existing.guardians[e].household_id for e in sorted(emails) if e in existing.guardians), None
        )
        newcomers = [people[e] for e in emails if e not in existing.guardians]
        if newcomers and old_household is None:
            label = " & ".join(p.name or p.email for p in newcomers)
            plan.new_households[root] = label[:200]
        for person in newcomers:
            plan.new_guardians.append((person, old_household if old_household is not None else root))
        new_home: int | str = old_household if old_household is not None else root
        for email in emails:
            had = existing.guardians[email].household_id if email in existing.guardians else None
            plan.household_of[email] = had if had is not None else new_home
    for email, person in people.items():
        old = existing.guardians.get(email)
        if old is None:
            continue
        change = _person_update(person, old.name, old.user_id, old.archived, plan)
        if person.language and person.language != old.language:
            change["language"] = person.language
        if change:
            plan.guardian_updates.append({"id": old.id, **change})
            if change.keys() - {"user_id"}:
                plan.update.guardians += 1
    plan.create.guardians = len(plan.new_guardians)


def _match(
    record: PupilRecord,
    existing: Existing,
    by_number: dict[str, ExistingPupil],
    by_name: dict[tuple[str, ...], ExistingPupil],
) -> ExistingPupil | None:
    if record.pupil_number and record.pupil_number in by_number:
        return by_number[record.pupil_number]
    return by_name.get(name_key(record.first_name, record.name_prefix, record.last_name, record.class_name))


def _plan_pupils(plan: Plan, checked: CheckedFile, existing: Existing) -> set[int]:
    by_number = {p.pupil_number: p for p in existing.pupils if p.pupil_number}
    by_name = {
        name_key(p.first_name, p.name_prefix, p.last_name, existing.class_names.get(p.class_id, "")): p
        for p in existing.pupils
        if not p.pupil_number
    }
    guardian_ids = {e: g.id for e, g in existing.guardians.items()}
    matched: set[int] = set()
    changed: set[int] = set()
    household_of_id = {g.id: g.household_id for g in existing.guardians.values()}
    for record in checked.records:
        plan.without_guardian += not record.guardians
        separated = len({plan.household_of[g.email] for g in record.guardians}) > 1
        plan.separated += separated
        old = _match(record, existing, by_number, by_name)
        if old is None or old.id in matched:
            ref: PupilRef = ("new", len(plan.new_pupils))
            plan.new_pupils.append(record)
            plan.link_adds.extend((ref, g.email) for g in record.guardians)
            if separated:
                plan.newly_separated.append(ref)
            continue
        matched.add(old.id)
        if separated and len({household_of_id[g] for g in existing.links.get(old.id, {})}) < 2:
            plan.newly_separated.append(old.id)
        change = _pupil_change(record, old, existing)
        if change:
            plan.pupil_updates.append({"id": old.id, **change})
            changed.add(old.id)
        if record.guardians:
            links = existing.links.get(old.id, {})
            wanted = {g.email for g in record.guardians}
            for email in sorted(wanted):
                if guardian_ids.get(email) not in links:
                    plan.link_adds.append((old.id, email))
                    changed.add(old.id)
            wanted_ids = {guardian_ids[e] for e in wanted if e in guardian_ids}
            for gid, link_id in sorted(links.items()):
                if gid not in wanted_ids:
                    plan.link_removes.append(link_id)
                    changed.add(old.id)
    plan.create.pupils, plan.update.pupils = len(plan.new_pupils), len(changed)
    return matched


def _pupil_change(record: PupilRecord, old: ExistingPupil, existing: Existing) -> dict[str, object]:
    change: dict[str, object] = {}
    for name in (f.PUPIL_NUMBER, f.FIRST_NAME, f.NAME_PREFIX, f.LAST_NAME):
        value = getattr(record, name)
        if name == f.PUPIL_NUMBER and not value:
            continue  # a file without numbers keeps the numbers the school has
        if value != getattr(old, name):
            change[name] = value
    if existing.class_names.get(old.class_id, "").casefold() != record.class_name.casefold():
        change["class_name"] = record.class_name
    if old.archived:
        change["archived_at"] = None
    return change


def _plan_leavers(
    plan: Plan, checked: CheckedFile, existing: Existing, matched: set[int], *, archive_missing: bool
) -> None:
    protected_numbers = {k[1] for k in checked.protected_keys if k[0] == "n"}
    protected_names = {k for k in checked.protected_keys if k[0] == "k"}
    leavers = [
        p
        for p in existing.pupils
        if not p.archived
        and p.id not in matched
        and p.pupil_number not in protected_numbers
        and name_key(p.first_name, p.name_prefix, p.last_name, existing.class_names.get(p.class_id, ""))
        not in protected_names
    ]
    plan.leavers = len(leavers)
    if not archive_missing or not leavers:
        return
    plan.archive_pupils = [p.id for p in leavers]
    leaving = set(plan.archive_pupils)
    removed = set(plan.link_removes)
    staying_guardians: set[int] = set()
    touched: set[int] = set()
    for pupil in existing.pupils:
        for gid, link_id in existing.links.get(pupil.id, {}).items():
            if pupil.id in leaving:
                touched.add(gid)
            elif not pupil.archived and link_id not in removed:
                staying_guardians.add(gid)
    staying_emails = {email for _, email in plan.link_adds}
    plan.archive_guardians = sorted(
        g.id
        for g in existing.guardians.values()
        if g.id in touched
        and g.id not in staying_guardians
        and g.email not in staying_emails
        and not g.archived
    )
    plan.archive.pupils, plan.archive.guardians = len(plan.archive_pupils), len(plan.archive_guardians)
