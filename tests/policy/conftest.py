"""Fixtures for the policy engine's tests (helpers live in policy_helpers.py so tests can import them)."""

from policy_helpers import amy, jo, one_rule, profiles, raj  # noqa: F401  (fixtures)
