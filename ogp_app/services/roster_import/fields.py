"""The roster fields a column can map to, and suggestions from Dutch and English header names.

Headers are compared after normalising case, accents, spaces and punctuation ("E-mail ouder/verzorger 1"
-> ``email ouder verzorger 1``), so ParnasSys, Magister, Somtoday, Esis and hand-made sheets all match.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

PUPIL_NUMBER: Final = "pupil_number"
FIRST_NAME: Final = "first_name"
NAME_PREFIX: Final = "name_prefix"
LAST_NAME: Final = "last_name"
CLASS_NAME: Final = "class_name"

# Order = the order of the mapping step's selects.
FIELDS: Final = (
    PUPIL_NUMBER,
    FIRST_NAME,
    NAME_PREFIX,
    LAST_NAME,
    CLASS_NAME,
    "guardian1_name",
    "guardian1_email",
    "guardian1_address",
    "guardian1_language",
    "guardian2_name",
    "guardian2_email",
    "guardian2_address",
    "guardian2_language",
    "teacher1_name",
    "teacher1_email",
    "teacher2_name",
    "teacher2_email",
)
REQUIRED: Final = (FIRST_NAME, LAST_NAME, CLASS_NAME)
GUARDIAN_SLOTS: Final = (1, 2)
TEACHER_SLOTS: Final = (1, 2)

# Pupil columns: normalised header (spaces removed) -> (field, score). Higher scores win a tie.
_PUPIL_ALIASES: dict[str, tuple[str, int]] = {}
for _field, _score, _names in (
    (PUPIL_NUMBER, 3, "leerlingnummer leerlingnr llnr llnummer leerlingid stamnummer stamnr studentnumber"),
    (PUPIL_NUMBER, 3, "studentid pupilnumber pupilid studentnr onderwijsnummer"),
    (PUPIL_NUMBER, 1, "nummer nr id number"),
    (FIRST_NAME, 4, "roepnaam roepnaamleerling roepnaamkind callname preferredname"),
    (FIRST_NAME, 3, "voornaam voornaamleerling voornaamkind firstname givenname"),
    (FIRST_NAME, 2, "voornamen officielevoornamen givennames firstnames"),
    (NAME_PREFIX, 3, "tussenvoegsel tussenvoegsels tussenvoegselleerling voorvoegsel voorvoegsels"),
    (NAME_PREFIX, 2, "tv tussenv prefix nameprefix infix"),
    (LAST_NAME, 3, "achternaam achternaamleerling achternaamkind geslachtsnaam familienaam"),
    (LAST_NAME, 3, "lastname surname familyname"),
    (LAST_NAME, 1, "naam name"),
    (CLASS_NAME, 3, "groep klas stamgroep stamklas basisgroep groepsnaam klasnaam klasgroep"),
    (CLASS_NAME, 3, "groepleerling klasleerling class group form homeroom"),
    (CLASS_NAME, 2, "lesgroep klassen groepen"),
):
    for _name in _names.split():
        _PUPIL_ALIASES[_name] = (_field, _score)

_GUARDIAN_WORDS = {"ouder", "ouders", "verzorger", "verzorgers", "parent", "parents", "guardian", "contact"}
_TEACHER_WORDS = {"mentor", "leerkracht", "groepsleerkracht", "docent", "teacher", "leraar", "tutor"}
_ADDRESS_WORDS = {"adres", "address", "woonadres", "huishouden", "household", "gezin"}
_LANGUAGE_WORDS = {"taal", "language", "moedertaal", "thuistaal", "voertaal", "spreektaal"}
_SECOND = {"2", "tweede", "second"}
_SPLIT = re.compile(r"[^a-z0-9]+|(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])")


def tokens(header: str) -> list[str]:
    """Lower-case ASCII words and numbers: 'E-mail Ouder/Verzorger1' -> email, ouder, verzorger, 1."""
    text = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"e[\s_.-]*mail(?:adres|address)?", "email", text)
    return [w for w in _SPLIT.split(text) if w]


def normalise_header(header: str) -> str:
    return "".join(tokens(header))


def classify(header: str) -> tuple[str, int] | None:
    """The field this header most likely holds, with a score; None when it looks like nothing we use."""
    words = tokens(header)
    if not words:
        return None
    joined = "".join(words)
    if joined in _PUPIL_ALIASES:
        return _PUPIL_ALIASES[joined]
    found = set(words)
    slot = 2 if found & _SECOND or any(w.endswith("2") for w in words) else 1
    is_mail = "email" in found or "mail" in found
    if found & _TEACHER_WORDS or any(w.startswith(("mentor", "leerkracht", "docent")) for w in words):
        return (f"teacher{slot}_email", 3) if is_mail else (f"teacher{slot}_name", 2)
    if found & _GUARDIAN_WORDS or any(w.startswith(("ouder", "verzorger")) for w in words):
        if is_mail:
            return f"guardian{slot}_email", 3
        if found & _ADDRESS_WORDS:
            return f"guardian{slot}_address", 2
        if found & _LANGUAGE_WORDS:
            return f"guardian{slot}_language", 2
        if found & {"telefoon", "phone", "mobiel", "tel", "relatie", "relation", "postcode", "woonplaats"}:
            return None
        return f"guardian{slot}_name", 2
    if is_mail and found & {"1", "2"}:  # "E-mail 1", "E-mail 2" in a hand-made sheet
        return f"guardian{slot}_email", 1
    return None


def header_score(header: str) -> int:
    found = classify(header) if header else None
    return found[1] if found else 0


def suggest_mapping(headers: list[str]) -> dict[str, str]:
    """header -> field for every header we recognise; each field goes to its best-scoring header."""
    candidates = []
    for index, header in enumerate(headers):
        found = classify(header)
        if found:
            candidates.append((-found[1], index, header, found[0]))
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for _neg_score, _index, header, field in sorted(candidates):
        if field not in taken:
            mapping[header] = field
            taken.add(field)
    return mapping
