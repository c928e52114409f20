"""Dependencies point inward: each layer of the helper imports only what it may (imports inside functions count).

A module's layer is its first name under ``onrecord`` (``onrecord.store.audit`` is ``store``; a top-level
module such as ``onrecord.service`` is its own layer).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "helper" / "onrecord"

ABOVE_THE_DOMAIN = {"app", "cli", "commands", "selftest", "__main__"}
# For each layer, the layers (and outside libraries) it must never import.
FORBIDDEN = {
    "policy": {"server", "store", "ui", "service", "native", "nativehost", *ABOVE_THE_DOMAIN, "flask", "werkzeug", "waitress",
               "keyring", "webview", "sqlite3"},
    "store": {"server", "ui", "service", "policy", "native", "nativehost", *ABOVE_THE_DOMAIN, "flask", "werkzeug", "waitress",
              "webview"},
    "service": {"server", "ui", "native", "nativehost", *ABOVE_THE_DOMAIN, "flask", "werkzeug", "waitress", "webview"},
    "server": {"ui", "native", "nativehost", *ABOVE_THE_DOMAIN, "webview"},
    "pack_source": {"server", "ui", "service", "native", "nativehost", *ABOVE_THE_DOMAIN, "flask", "werkzeug", "waitress",
                    "webview", "keyring"},
    "ui": {"native", "nativehost", *ABOVE_THE_DOMAIN},
    "native": {"ui", *ABOVE_THE_DOMAIN, "webview"},
    # The native messaging host: a front end like server/, which starts with every browser, so no Flask.
    "nativehost": {"ui", *ABOVE_THE_DOMAIN, "webview", "flask", "werkzeug", "waitress"},
    "managed": {"server", "ui", "service", "native", "nativehost", *ABOVE_THE_DOMAIN, "flask", "werkzeug", "waitress", "webview"},
    "profile": {"server", "store", "ui", "service", "policy", "native", "nativehost", *ABOVE_THE_DOMAIN, "flask", "keyring"},
    "sites": {"server", "store", "ui", "service", "policy", "profile", "native", "nativehost", *ABOVE_THE_DOMAIN, "flask",
              "keyring"},
    "settings": {"server", "store", "ui", "service", "policy", "native", "nativehost", *ABOVE_THE_DOMAIN, "flask", "keyring"},
    "errors": {"server", "store", "ui", "service", "policy", "profile", "native", "nativehost", *ABOVE_THE_DOMAIN, "flask"},
    "paths": {"server", "store", "ui", "service", "policy", "profile", "native", "nativehost", *ABOVE_THE_DOMAIN, "flask"},
}
# Only the store's secrets module talks to the keyring.
KEYRING_OWNERS = {"onrecord.store.secrets"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, absolute (relative imports resolved), at any depth."""
    tree = ast.parse(path.read_text("utf-8"), str(path))
    here = _module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            found.add(base)
            if base == "onrecord" or base.startswith("onrecord."):
                found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "onrecord":
        return parts[0]  # an outside library, by its top-level name
    return parts[1] if len(parts) > 1 else None


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_module_imports_only_what_its_layer_may(path):
    module = _module_name(path)
    layer = _layer(module)
    forbidden = FORBIDDEN.get(layer, set())
    wrong = sorted(m for m in _imports(path) if _layer(m) in forbidden and _layer(m) != layer)
    assert not wrong, f"{module} ({layer}) must not import {', '.join(wrong)}"


def test_only_the_secrets_store_imports_keyring():
    importers = {_module_name(p) for p in MODULES if any(_layer(m) == "keyring" for m in _imports(p))}
    assert importers <= KEYRING_OWNERS, f"keyring imported outside the secrets store: {sorted(importers - KEYRING_OWNERS)}"


def test_the_rules_cover_every_layer_of_the_domain():
    """A new folder or top-level module must be placed in a layer (or above the domain) on purpose."""
    layers = {_layer(_module_name(p)) for p in MODULES} - {None}
    known = set(FORBIDDEN) | ABOVE_THE_DOMAIN | {"logging_setup"}
    assert layers <= known, f"layers with no import rule (add them to FORBIDDEN here): {sorted(layers - known)}"

