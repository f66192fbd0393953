"""Textual SQL bypasses the ORM tenant scope, so the app may never aim it at a school-owned table.

Every ``text(...)`` call in ``ogp_app`` must take a literal string (so it can be read here) that names
no school-owned table.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import ogp_app
import ogp_app.models
from ogp_app.core.db import _school_owned_tables

SOURCE = Path(ogp_app.__file__).parent


def _sql_text_names(tree: ast.Module) -> set[str]:
    """Local names bound to SQLAlchemy's ``text`` (``from sqlalchemy import text as t`` included)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in {
            "sqlalchemy",
            "sqlmodel",
        }:
            names |= {alias.asname or alias.name for alias in node.names if alias.name == "text"}
    return names


def _text_calls() -> list[tuple[str, int, ast.Call]]:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        local_names = _sql_text_names(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            by_name = isinstance(func, ast.Name) and func.id in local_names
            by_module = (
                isinstance(func, ast.Attribute)
                and func.attr == "text"
                and isinstance(func.value, ast.Name)
                and func.value.id in {"sa", "sqlalchemy", "sqlmodel"}
            )
            if by_name or by_module:
                found.append((str(path.relative_to(SOURCE)), node.lineno, node))
    return found


def test_textual_sql_never_names_a_school_owned_table() -> None:
    school_tables = set(_school_owned_tables())
    assert {"membership", "pupil", "guardian"} <= school_tables  # the check looks at real tables
    offenders = []
    for where, line, call in _text_calls():
        argument = call.args[0] if call.args else None
        if not (isinstance(argument, ast.Constant) and isinstance(argument.value, str)):
            offenders.append(f"{where}:{line}: text() with a non-literal argument")
            continue
        words = set(re.findall(r"[a-z_]+", argument.value.lower()))
        if hits := words & school_tables:
            offenders.append(f"{where}:{line}: text() names {sorted(hits)}")
    assert offenders == []


def test_the_scan_sees_text_calls() -> None:
    # The health check's SELECT 1 is one; if the scan found none it would prove nothing.
    assert any(where == "api/health.py" for where, _line, _call in _text_calls())
