"""Fixtures for the signed-pack tests; they live in signed_packs.py so the tests can import its helpers."""

from signed_packs import helper, keys, served, tls, web  # noqa: F401  (fixtures)
