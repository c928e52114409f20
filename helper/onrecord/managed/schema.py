"""The managed-settings schema (``schemas/managed.schema.json``, the one source) and key-by-key validation.

``check(values, source)`` keeps every key that validates and names each one that does not, so one bad key
never costs the organisation the rest of its settings, and never stops the helper.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping

import jsonschema

BUNDLE_ID = "org.onrecord.OnRecord"  # macOS: the app's bundle id, whose forced preferences are read
REGISTRY_KEY = r"SOFTWARE\Policies\OnRecord"


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(resources.files("onrecord").joinpath("schemas/managed.schema.json").read_text("utf-8"))


def keys() -> dict[str, dict]:
    """Every managed key and its schema, in the schema's order."""
    return schema()["properties"]


def meta(key: str) -> dict:
    return keys()[key].get("x-onrecord", {})


def for_scope(scope: str) -> list[str]:
    return [k for k, s in keys().items() if scope in s.get("x-onrecord", {}).get("scope", ())]


def is_recommendable_key(key: str) -> bool:
    """Whether ``key`` may be a default users may change (Windows ``Recommended``), not only enforced."""
    return bool(meta(key).get("recommended"))


def locking(setting: str) -> str | None:
    """The managed key that locks the user setting ``setting`` (e.g. ``reminder_frequency``), if any."""
    for key, s in keys().items():
        if s.get("x-onrecord", {}).get("setting") == setting:
            return key
    return None


@lru_cache(maxsize=None)
def _validator(key: str) -> jsonschema.protocols.Validator:
    sub = {k: v for k, v in keys()[key].items() if k != "x-onrecord"}
    return jsonschema.Draft202012Validator(sub)


def _where(error: jsonschema.ValidationError) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)


def _describe(error: jsonschema.ValidationError) -> str:
    if error.validator == "enum":
        return f"{error.instance!r} is not one of {', '.join(map(str, error.validator_value))}"
    if error.validator == "type":
        return f"expected {error.validator_value}, got {type(error.instance).__name__} {error.instance!r}"
    if error.validator == "pattern":
        return f"{error.instance!r} is not in the expected form"
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return f"unknown key {', '.join(map(repr, extra))} (allowed: {', '.join(error.schema.get('properties', {}))})"
    return error.message


def check(values: Mapping[str, Any], source: str) -> tuple[dict[str, Any], list[str]]:
    """``(good values, problems)``: each problem names the source, the key and what is wrong with it."""
    good: dict[str, Any] = {}
    problems: list[str] = []
    known = keys()
    for key, value in values.items():
        if key not in known:
            problems.append(f"{source}: unknown key {key!r} ignored (known: {', '.join(known)})")
            continue
        errors = sorted(_validator(key).iter_errors(value), key=lambda e: list(map(str, e.absolute_path)))
        if errors:
            e = errors[0]
            problems.append(f"{source}: {key}{_where(e)}: {_describe(e)}; the key is ignored")
            continue
        good[key] = value
    return good, problems
