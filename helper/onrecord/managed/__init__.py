"""Managed settings: what an organisation sets centrally, for every user of a machine (CONTRACT section 8).

The small API the rest of the helper uses::

    from onrecord import managed
    m = managed.current()                  # ManagedSettings, re-read when the organisation changes it
    m.get("allowedExtensionIds", [])       # an enforced value, validated against the schema
    m.locked_setting("reminder_frequency") # (True, value) when the user may not change it
    m.problems                             # each bad key or value, named (it is ignored, never fatal)

The one schema is ``schemas/managed.schema.json``; ``scripts/generate_managed.py`` makes every template
and the documentation from it.
"""

from onrecord.managed.reader import ENV_FOLDER, NONE, ManagedReader, ManagedSettings, default_reader
from onrecord.managed.schema import schema

__all__ = ["ENV_FOLDER", "NONE", "ManagedReader", "ManagedSettings", "current", "default_reader", "schema"]


def current() -> ManagedSettings:
    """The managed settings in force for this process (the platform's places, or ``ONRECORD_MANAGED_DIR``)."""
    return default_reader().current()
