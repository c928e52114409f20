"""Sub-commands of ``onrecord``: each module here has ``register(subparsers)``.

``MODULES`` is the one list of them; a test fails when a module in this folder is not listed.
"""

MODULES = (
    "check",
    "profile",
    "pack",
    "run",
    "pair",
    "clients",
    "audit",
    "settings",
    "autostart",
    "native_host",
    "policy",
    "status",
    "corpus",
)
