"""Arguments a hostile client sends: plausible ones aimed at school A, and malformed ones.

Plausible payloads follow each parameter's type hint and point at school A's ids and slug (never at its
names or e-mail addresses, so an echo of our own input cannot pass for a leak). Malformed payloads are
wrong types, huge and odd strings, ``None``, deep nesting, missing, extra and non-dict arguments.
"""

from __future__ import annotations

import enum
import inspect
import itertools
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any

from tests.security.handlers import HandlerInfo
from tests.security.support import TwoSchools

HUGE = "x" * 200_000  # well under Engine.IO's 1 MB frame limit, far over any sane field


def _nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {"leaf": True}
    for _ in range(depth):
        value = {"nested": value}
    return value


MALFORMED_VALUES: list[tuple[str, Any]] = [
    ("none", None),
    ("zero", 0),
    ("negative", -1),
    ("int64-overflow", 2**63),
    ("huge-int", 10**40),
    ("float", 1.5),
    ("infinity", float("inf")),
    ("true", True),
    ("empty-string", ""),
    ("huge-string", HUGE),
    ("nul-byte", "nl\x00"),
    ("lone-surrogate", "\ud800"),
    ("sql", "' OR '1'='1' --"),
    ("html", "<script>alert(1)</script>"),
    ("path", "../../../../etc/passwd"),
    ("padded", " nl "),
    ("upper", "NL"),
    ("empty-list", []),
    ("big-list", list(range(10_000))),
    ("empty-dict", {}),
    ("nested-dict", _nested(50)),
    ("proto", {"__proto__": {"admin": True}, "constructor": {"prototype": {}}}),
]

# Values the server cannot encode back into a websocket frame. Reflex's own setters (``set_is_hydrated``,
# ``setvar``) store anything, and echoing such a value breaks the caller's own socket, sometimes by a
# close, sometimes by silence; test_protocol_robustness covers that once. The app's handlers get them
# all: they must reject such input before it reaches a var or a row.
UNENCODABLE = {"lone-surrogate"}

NON_DICT_PAYLOADS: list[tuple[str, Any]] = [
    ("payload-null", None),
    ("payload-list", ["nl", 1]),
    ("payload-string", "nl"),
    ("payload-int", 7),
]


def _unwrap(hint: Any) -> list[Any]:
    """The alternatives of a hint: Optional/Union split, Annotated stripped."""
    origin = typing.get_origin(hint)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(hint)[0])
    if origin in (typing.Union, types.UnionType):
        return [alt for arg in typing.get_args(hint) for alt in _unwrap(arg)]
    return [hint]


def plausible_values(info: HandlerInfo, param: inspect.Parameter, schools: TwoSchools) -> list[Any]:
    """Well-typed values for one parameter, aimed at school A."""
    ids = schools.ids_of_a
    a = schools.a
    if info.attr == "setvar" and param.name == "var_name":
        return setvar_names(info)
    values: list[Any] = []
    for hint in _unwrap(info.hint(param.name)):
        origin = typing.get_origin(hint) or hint
        if hint is Any or hint is inspect.Parameter.empty:
            values += [ids["school"], "nl", {"school_id": ids["school"]}]
        elif hint is type(None):
            values.append(None)
        elif origin is typing.Literal:
            values += list(typing.get_args(hint))
        elif isinstance(origin, type) and issubclass(origin, enum.Enum):
            values += [member.value for member in origin]
        elif origin is bool:
            values += [True, False]
        elif origin is int:
            values += [ids["school"], ids["admin"], ids["teacher"], ids["parent"]]
        elif origin is float:
            values.append(float(ids["school"]))
        elif origin is str:
            values += ["nl", "en", a.slug, str(ids["school"])]
        elif isinstance(origin, type) and issubclass(origin, Mapping):
            values.append({"id": ids["admin"], "school_id": ids["school"], "user_id": ids["parent"]})
        elif isinstance(origin, type) and issubclass(origin, (Sequence, set, frozenset)):
            values.append([ids["school"], ids["admin"]])
        else:  # a model or dataclass: give it the ids it would most likely take
            values.append({"id": ids["admin"], "school_id": ids["school"]})
    return values or [ids["school"]]


def setvar_names(info: HandlerInfo) -> list[str]:
    """For Reflex's generic ``setvar(var_name, value)``: every var of the state, public and backend, and
    every ``set_<name>`` handler it would dispatch to."""
    state = info.state
    names = set(state.__fields__) | set(state.computed_vars)
    names |= {attr.removeprefix("set_") for attr in state.event_handlers if attr.startswith("set_")}
    names.discard("")
    return sorted(names) or ["is_hydrated"]


def plausible_payloads(info: HandlerInfo, schools: TwoSchools) -> list[dict[str, Any]]:
    """A handful of well-formed payloads: candidate values zipped across parameters."""
    params = [p for p in info.params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    if not params:
        return [{}]
    candidates = {p.name: plausible_values(info, p, schools) for p in params}
    width = max(len(v) for v in candidates.values())
    payloads = [{name: values[i % len(values)] for name, values in candidates.items()} for i in range(width)]
    if any(p.default is not inspect.Parameter.empty for p in params):
        payloads.append({name: candidates[name][0] for name in info.required})
    return payloads


def malformed_payloads(info: HandlerInfo, schools: TwoSchools) -> list[tuple[str, Any]]:
    """(label, payload) pairs that no handler should accept blindly."""
    base = plausible_payloads(info, schools)[0]
    ids = schools.ids_of_a
    out: list[tuple[str, Any]] = list(NON_DICT_PAYLOADS)
    if info.required:
        out.append(("missing-args", {}))
    for param, (label, value) in itertools.product(info.params, MALFORMED_VALUES):
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        if info.is_framework and label in UNENCODABLE:
            continue
        out.append((f"{param.name}={label}", {**base, param.name: value}))
    out.append(
        (
            "extra-args",
            {
                **base,
                "school_id": ids["school"],
                "user_id": ids["admin"],
                "role": "school_admin",
                "is_staff": True,
            },
        )
    )
    out.append(("self-arg", {**base, "self": None}))
    out.append(("dunder-arg", {**base, "__class__": "AppState", "__dict__": {"signed_in": True}}))
    return out
