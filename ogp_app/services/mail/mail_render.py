"""E-mail texts: Jinja2 templates per language (plain text + HTML), subjects from the i18n catalogs.

Files: ``ogp_app/templates/mail/<template>.<lang>.txt`` and ``.html``; the HTML ones extend
``_layout.html``. Subjects: catalog key ``mail.<template>.subject`` (``str.format`` with the context).
Templates get ``lang``, ``subject`` and ``t(key, **values)`` (the catalog in the recipient's language).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ogp_app.i18n import normalise_language, translate
from ogp_app.services.errors import InvalidInput

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates" / "mail"
_TEMPLATE_NAME = re.compile(r"[a-z][a-z0-9_]{0,49}")  # also keeps names from walking out of TEMPLATE_DIR
_RESERVED = frozenset({"lang", "subject", "t"})


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        # HTML escapes every value (names come from rosters); plain text must not.
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False, default=False),
        undefined=StrictUndefined,  # a missing context key is a bug, not an empty line in someone's mail
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _check_links(context: Mapping[str, object]) -> None:
    """Links end up in href attributes: only web links, so a bad value cannot become javascript:."""
    for key, value in context.items():
        if key.endswith("_link") and value == "":
            continue  # an optional link that is not there (the template shows none)
        if (key == "link" or key.endswith("_link")) and not (
            isinstance(value, str) and value.startswith(("https://", "http://"))
        ):
            raise InvalidInput(f"{key} must be an http(s) URL")


def render(template: str, language: str, context: Mapping[str, object]) -> RenderedMail:
    """Subject, plain text and HTML of ``template`` in ``language`` (unknown languages get Dutch)."""
    if not _TEMPLATE_NAME.fullmatch(template):
        raise InvalidInput(f"bad mail template name {template!r}")
    if clash := _RESERVED & context.keys():
        raise InvalidInput(f"reserved mail context keys: {sorted(clash)}")
    _check_links(context)
    language = normalise_language(language)
    # One line: a subject is a header, and header values may not contain line breaks.
    subject = " ".join(translate(f"mail.{template}.subject", language, **context).split())

    def t(key: str, **values: Any) -> str:
        return translate(key, language, **values)

    values = {**context, "lang": language, "subject": subject, "t": t}
    env = _environment()
    return RenderedMail(
        subject=subject,
        text=env.get_template(f"{template}.{language}.txt").render(values),
        html=env.get_template(f"{template}.{language}.html").render(values),
    )
