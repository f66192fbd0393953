"""Both catalogs hold the same keys; every key the code asks for exists; UI text goes through them."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from ogp_app.core.settings import PROJECT_ROOT
from ogp_app.i18n import LANGUAGES, catalog, normalise_language, translate
from ogp_app.services.errors import DomainError

CODE = PROJECT_ROOT / "ogp_app"
KEY_CALL = re.compile(r"""\b(?:t|translate)\(\s*f?["']([a-z0-9_.{}]+)["']""")
# Components whose positional string arguments are shown to people.
TEXT_COMPONENTS = {
    "text",
    "heading",
    "button",
    "link",
    "callout",
    "badge",
    "label",
    "li",
    "p",
    "span",
    "option",
}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogs_have_the_same_keys() -> None:
    nl, en = set(catalog("nl")), set(catalog("en"))
    assert sorted(nl - en) == [], "missing in en.json"
    assert sorted(en - nl) == [], "missing in nl.json"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_empty_texts_and_same_placeholders(language: str) -> None:
    for key, text in catalog(language).items():
        assert text.strip(), f"{language}:{key} is empty"
        assert _placeholders(text) == _placeholders(catalog("nl")[key]), key


def _keys_used_in_code() -> set[str]:
    keys: set[str] = set()
    for path in CODE.rglob("*.py"):
        keys |= set(KEY_CALL.findall(path.read_text(encoding="utf-8")))
    return keys


def test_every_key_used_in_code_exists_in_both_catalogs() -> None:
    used = _keys_used_in_code()
    assert len(used) > 20  # the scan must find the pages' keys, or it proves nothing
    for key in used:
        if "{" in key:  # f-string key like f"login.demo.{role}": check every catalog key with that prefix
            prefix = key.split("{", 1)[0]
            assert any(k.startswith(prefix) for k in catalog("nl")), key
            continue
        for language in LANGUAGES:
            assert key in catalog(language), f"{key} missing in {language}.json"


def _literal_ui_strings(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in TEXT_COMPONENTS
        ):
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value.strip(" ,.:"):
                    found.append(f"{path.name}:{node.lineno}: {arg.value!r}")
    return found


def test_pages_and_components_show_no_literal_text() -> None:
    literals = [
        s
        for folder in ("pages", "components")
        for p in (CODE / folder).rglob("*.py")
        for s in _literal_ui_strings(p)
    ]
    assert literals == []


def test_translate_formats_and_falls_back_to_dutch() -> None:
    assert translate("app.welcome", "en") == "Welcome"
    assert translate("app.welcome", "xx") == catalog("nl")["app.welcome"]
    assert normalise_language("en") == "en"
    assert normalise_language({"evil": 1}) == "nl"
    with pytest.raises(KeyError):
        translate("no.such.key", "nl")


def _all_subclasses(cls: type[DomainError]) -> list[type[DomainError]]:
    return [cls, *(sub for direct in cls.__subclasses__() for sub in _all_subclasses(direct))]


def test_every_domain_error_message_exists_in_both_catalogs() -> None:
    import ogp_app.services.auth.sso
    import ogp_app.services.auth.two_factor  # noqa: F401 - load the modules that define errors

    errors = _all_subclasses(DomainError)
    assert len(errors) > 10
    keys = {error.message_key for error in errors}
    # keys handed to a raise, e.g. InvalidInput(..., message_key="sso.error.invalid_domain")
    for path in CODE.rglob("*.py"):
        keys |= set(re.findall(r"""message_key=["']([a-z0-9_.]+)["']""", path.read_text(encoding="utf-8")))
    for key in keys:
        for language in LANGUAGES:
            assert key in catalog(language), f"{key} missing in {language}"
