"""Mail templates: the recipient's language, the link in both parts, escaping, no outside resources."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from jinja2 import UndefinedError

from ogp_app.i18n import translate
from ogp_app.services.errors import InvalidInput
from ogp_app.services.mail.mail_render import TEMPLATE_DIR, render

LINK = "https://ogp.example/auth/verify?token=abc&next=%2Fapp"
CONTEXTS: dict[str, dict[str, object]] = {
    "verify_email": {"name": "Sanne", "link": LINK},
    "password_reset": {"name": "Sanne", "link": LINK},
    "invitation": {"name": "Sanne", "school_name": "De Regenboog", "role": "app.role.parent", "link": LINK},
    "sign_in_link": {"name": "Sanne", "link": LINK},
    "email_change": {"name": "Sanne", "link": LINK},
}
UNEXPECTED = {"nl": "negeren", "en": "ignore this e-mail"}


class _Resources(HTMLParser):
    """Every URL an HTML mail points at, and any tag that would load something."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.loading: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if "href" in values and tag == "a":
            self.hrefs.append(values["href"] or "")
        if tag in {"img", "link", "script", "style", "iframe", "object"} or "src" in values:
            self.loading.append(tag)


def _resources(html: str) -> _Resources:
    parser = _Resources()
    parser.feed(html)
    return parser


def test_every_template_exists_in_both_languages() -> None:
    for name in CONTEXTS:
        for lang in ("nl", "en"):
            for ext in ("txt", "html"):
                assert (TEMPLATE_DIR / f"{name}.{lang}.{ext}").is_file()


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("template", sorted(CONTEXTS))
def test_template_in_recipients_language_with_link_in_both_parts(template: str, language: str) -> None:
    mail = render(template, language, {**CONTEXTS[template], "valid_for": "15 minuten"})
    assert mail.subject == translate(f"mail.{template}.subject", language, **CONTEXTS[template])
    assert mail.text.startswith({"nl": "Beste Sanne,", "en": "Dear Sanne,"}[language])
    assert LINK in mail.text
    assert f'<html lang="{language}">' in mail.html
    assert _resources(mail.html).hrefs == [LINK, LINK]  # the button and the copyable link, nothing else
    assert _resources(mail.html).loading == []
    for part in (mail.text, mail.html):
        assert UNEXPECTED[language] in part
        assert translate("mail.valid_for", language, valid_for="15 minuten") in part
        assert translate("mail.footer", language) in part


def test_dutch_and_english_subjects() -> None:
    assert render("verify_email", "nl", CONTEXTS["verify_email"]).subject == "Bevestig uw e-mailadres"
    assert render("verify_email", "en", CONTEXTS["verify_email"]).subject == "Confirm your e-mail address"
    invitation = render("invitation", "en", CONTEXTS["invitation"])
    assert invitation.subject == "Invitation from De Regenboog"
    assert "as parent/guardian" in invitation.text
    assert "als ouder/verzorger" in render("invitation", "nl", CONTEXTS["invitation"]).html


def test_unknown_language_falls_back_to_dutch() -> None:
    mail = render("sign_in_link", "fr", CONTEXTS["sign_in_link"])
    assert mail.subject == "Uw inloglink voor de Oudergesprekplanner"
    assert '<html lang="nl">' in mail.html


def test_without_valid_for_no_lifetime_is_claimed() -> None:
    mail = render("password_reset", "nl", CONTEXTS["password_reset"])
    assert "geldig" not in mail.text and "geldig" not in mail.html


def test_names_are_escaped_in_html_and_kept_in_text() -> None:
    evil = '<script>alert("x")</script> & Co'
    mail = render("invitation", "nl", {**CONTEXTS["invitation"], "name": evil, "school_name": evil})
    assert "<script" not in mail.html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in mail.html
    assert f"Beste {evil}," in mail.text
    assert "\n" not in mail.subject


def test_subject_stays_on_one_line() -> None:
    mail = render("invitation", "en", {**CONTEXTS["invitation"], "school_name": "A\r\nBcc: x@evil.example"})
    assert mail.subject == "Invitation from A Bcc: x@evil.example"


def test_missing_context_key_is_an_error_not_an_empty_line() -> None:
    with pytest.raises(UndefinedError):
        render("verify_email", "nl", {"link": LINK})


@pytest.mark.parametrize("link", ["javascript:alert(1)", "/relative", 42])
def test_links_must_be_web_links(link: object) -> None:
    with pytest.raises(InvalidInput):
        render("verify_email", "nl", {"name": "Sanne", "link": link})


@pytest.mark.parametrize("template", ["../core", "Verify", "nope.txt", ""])
def test_template_names_cannot_leave_the_folder(template: str) -> None:
    with pytest.raises(InvalidInput):
        render(template, "nl", CONTEXTS["verify_email"])
