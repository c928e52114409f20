"""Detectors: code shared by every pack, one per file; packs only name them.

A trigger in a pack file is a mapping whose one key names a detector, e.g. ``{nhs_number: {}}`` or
``{near: {a: person, b: condition, within: 8}}``. Each module lists the keys it answers in ``KEYS``
and has ``compile(key, value, ctx) -> check``, where ``check(scan) -> bool`` runs on every draft and
``ctx`` (the pack compiler) gives access to lexicons, named triggers and pack data. Compiling is done
once when a pack loads; a bad value raises ``ValueError`` with a message for the pack's author.
"""

from __future__ import annotations

import importlib

MODULES = (
    "address",
    "disclaimer",
    "email",
    "expertise",
    "lexicon",
    "logic",
    "marking",
    "media",
    "near",
    "nhs_number",
    "pattern",
    "phone",
    "postcode",
    "situation",
    "work_related",
)


def registry() -> dict:
    """``{trigger key: detector module}`` for every registered detector."""
    table = {}
    for name in MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        for key in module.KEYS:
            table[key] = module
    return table


def as_list(value) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def options(value, allowed: dict) -> dict:
    """A detector's options: ``true``/``{}`` for the defaults, or a mapping of known keys."""
    if value is True or value is None:
        return dict(allowed)
    if not isinstance(value, dict):
        raise ValueError(f"expected true or a mapping of options ({', '.join(allowed) or 'none'})")
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise ValueError(f"unknown option {', '.join(map(repr, unknown))} (allowed: {', '.join(allowed) or 'none'})")
    return {**allowed, **value}
