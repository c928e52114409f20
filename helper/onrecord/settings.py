"""The helper's settings as one declarative table.

Each ``Setting`` gives the default, the allowed values and the help text; the table drives
defaults, validation, the settings window and the documentation (a test fails when a setting
is missing from docs/settings.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from onrecord.errors import BadInput


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    choices: tuple | None = None
    minimum: int | None = None
    maximum: int | None = None

    def validate(self, value: Any) -> Any:
        kind = type(self.default)
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise BadInput(f"setting {self.name}: expected a whole number, got {value!r}")
        if kind is str and not isinstance(value, str):
            raise BadInput(f"setting {self.name}: expected text, got {value!r}")
        if kind is bool and not isinstance(value, bool):
            raise BadInput(f"setting {self.name}: expected true or false, got {value!r}")
        if self.choices is not None and value not in self.choices:
            raise BadInput(f"setting {self.name}: {value!r} is not one of {', '.join(map(str, self.choices))}")
        if self.minimum is not None and value < self.minimum:
            raise BadInput(f"setting {self.name}: {value} is below the minimum {self.minimum}")
        if self.maximum is not None and value > self.maximum:
            raise BadInput(f"setting {self.name}: {value} is above the maximum {self.maximum}")
        return value


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "reminder_frequency",
        "first_post_of_day",
        "How often a personal account is reminded that posts are public and permanent. "
        "Official and corporate accounts are reminded on every post.",
        choices=("every_post", "first_post_of_day", "never"),
    ),
    Setting(
        "audit_retention_days",
        90,
        "How many days the activity log keeps what you did with each prompt (never the draft's text).",
        minimum=1,
        maximum=3650,
    ),
    Setting(
        "port",
        47651,
        "The first port the helper tries on 127.0.0.1; when it is taken it tries the next four.",
        minimum=1024,
        maximum=65535,
    ),
    Setting(
        "log_level",
        "INFO",
        "How much the helper writes to its log. Logs never contain the text of a draft.",
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
    ),
)

BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


def defaults() -> dict[str, Any]:
    return {s.name: s.default for s in SETTINGS}


def validate(values: dict[str, Any], source: str = "settings") -> dict[str, Any]:
    """Validated copy of ``values`` over the defaults; an unknown name is an error that names it."""
    out = defaults()
    for name, value in values.items():
        setting = BY_NAME.get(name)
        if setting is None:
            raise BadInput(f"{source}: unknown setting {name!r} (known: {', '.join(BY_NAME)})")
        out[name] = setting.validate(value)
    return out
