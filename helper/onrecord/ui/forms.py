"""What the settings forms send, turned into a Profile, an Account or settings, or into messages that
say, field by field, what to put right. The page shows each message next to its field."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

import jsonschema

from onrecord.errors import BadInput, OnRecordError
from onrecord.profile import Account, Profile, account_from_dict, profile_from_dict
from onrecord.settings import BY_NAME, SETTINGS

LABELS = {
    "name": "your name",
    "organisation": "your organisation",
    "policy_pack": "a policy pack",
    "roles": "your roles",
    "job_title": "your job title",
    "expertise": "your areas of expertise",
    "line_manager": "your line manager",
    "site": "the site",
    "handle": "the handle",
    "channel": "the kind of account",
}


class FormError(BadInput):
    """Bad input in one or more fields; ``fields`` is ``[{"field", "message"}]``."""

    code = "invalid"

    def __init__(self, field: str, message: str, more: list[dict] | None = None):
        self.fields = [{"field": field, "message": message}] + (more or [])
        super().__init__(message if not more else f"{message} (and {len(more)} more)")


def _raise_fields(errors: list[dict]) -> None:
    if errors:
        first, rest = errors[0], errors[1:]
        raise FormError(first["field"], first["message"], rest)


@lru_cache(maxsize=1)
def _schema() -> dict:
    return json.loads(resources.files("onrecord").joinpath("schemas/profile.schema.json").read_text("utf-8"))


def _field_of(error: jsonschema.ValidationError) -> str:
    path = list(error.absolute_path)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else ""
        path = path + [missing]
    if path and path[0] == "accounts" and len(path) >= 2:
        return f"accounts.{path[1]}.{path[2]}" if len(path) >= 3 else f"accounts.{path[1]}"
    return str(path[0]) if path else "form"


def _message_of(error: jsonschema.ValidationError, field: str) -> str:
    leaf = field.rsplit(".", 1)[-1]
    label = LABELS.get(leaf, leaf.replace("_", " "))
    if error.validator in ("required", "minLength"):
        return f"Enter {label}."
    if error.validator == "maxLength":
        return f"That is too long for {label}: at most {error.validator_value} characters."
    if error.validator == "enum":
        return f"{error.instance!r} is not one of the choices for {label}."
    if error.validator == "uniqueItems":
        return f"Each of {label} can be chosen only once."
    if error.validator == "additionalProperties":
        return f"Unknown field: {', '.join(sorted(set(error.instance) - set(error.schema.get('properties', {}))))}."
    if error.validator == "type":
        return f"Check {label}: it is not the right kind of value."
    return error.message


def _clean(data: dict) -> dict:
    """Trim text, drop blanks from lists, and leave out optional fields left empty."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, str):
            value = value.strip()
            if key in ("job_title", "line_manager") and not value:
                continue
        elif isinstance(value, list) and key != "accounts":
            value = [v.strip() if isinstance(v, str) else v for v in value]
            value = [v for v in value if v != ""]
        out[key] = value
    return out


def profile_from_form(data: dict) -> Profile:
    data = _clean(data)
    if isinstance(data.get("accounts"), list):
        data["accounts"] = [_clean_account(a) for a in data["accounts"]]
    validator = jsonschema.Draft202012Validator(_schema())
    errors = []
    seen = set()
    for e in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        field = _field_of(e)
        if field not in seen:
            seen.add(field)
            errors.append({"field": field, "message": _message_of(e, field)})
    _raise_fields(errors)
    try:
        return profile_from_dict(data, "the profile")
    except OnRecordError as exc:
        raise FormError("accounts", exc.message) from None


def _clean_account(raw: Any) -> Any:
    if not isinstance(raw, dict):
        return raw
    acc = _clean(raw)
    if "bio_has_disclaimer" in acc:
        acc["bio_has_disclaimer"] = bool(acc["bio_has_disclaimer"])
    if acc.get("organisation") in ("", None):
        acc.pop("organisation", None)  # optional: the profile's (or the managed) organisation is named
    return acc


def account_from_form(raw: Any) -> Account:
    if not isinstance(raw, dict):
        raise BadInput("expected an account: {site, handle, channel, bio_has_disclaimer, organisation}")
    acc = _clean_account(raw)
    schema = _schema()["properties"]["accounts"]["items"]
    validator = jsonschema.Draft202012Validator(schema)
    errors, seen = [], set()
    for e in validator.iter_errors(acc):
        field = _field_of(e)
        if field not in seen:
            seen.add(field)
            errors.append({"field": field, "message": _message_of(e, field)})
    _raise_fields(errors)
    account = account_from_dict(acc)
    if not account.key:
        raise FormError("handle", "Enter the handle as the site shows it, for example @amyclarke.")
    return account


def settings_table() -> list[dict]:
    """The declarative settings table, for the page to draw its form from."""
    return [{"name": s.name, "default": s.default, "help": s.help, "choices": s.choices,
             "minimum": s.minimum, "maximum": s.maximum,
             "kind": type(s.default).__name__} for s in SETTINGS]


def settings_from_form(data: dict) -> dict:
    errors, values = [], {}
    for name, raw in data.items():
        setting = BY_NAME.get(name)
        if setting is None:
            errors.append({"field": name, "message": f"Unknown setting {name!r}."})
            continue
        value = raw
        if isinstance(setting.default, int) and isinstance(raw, str):
            try:
                value = int(raw.strip())
            except ValueError:
                errors.append({"field": name, "message": f"Enter a whole number from {setting.minimum} to {setting.maximum}."})
                continue
        try:
            values[name] = setting.validate(value)
        except BadInput as exc:
            errors.append({"field": name, "message": exc.message.split(": ", 1)[-1].capitalize() + "."})
    _raise_fields(errors)
    return values
