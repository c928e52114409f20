#!/usr/bin/env python3
"""Make every managed-settings file from the one schema, ``helper/onrecord/schemas/managed.schema.json``.

    python scripts/generate_managed.py          # write the files
    python scripts/generate_managed.py --check  # exit 1 naming each file that differs (tests run this)

Made here: the extension's ``managed-schema.json`` (Chrome's draft-03 subset), Windows ADMX and ADML for the
helper and for the extension in Chrome and in Edge, a macOS configuration profile, Linux JSON files for
``/etc/onrecord/`` and the browsers' policy folders, Firefox's ``policies.json`` and docs/managed-settings.md.
The helper validates against the schema itself, at run time.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import plistlib
import sys
import uuid
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_PATH = ROOT / "helper" / "onrecord" / "schemas" / "managed.schema.json"
OUT = ROOT / "packaging" / "managed"
FIREFOX_ID = "onrecord@onrecord.org"
NS = "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"
# Chrome's managed_schema accepts these attributes only (a subset of JSON Schema draft-03).
CHROME_ATTRIBUTES = ("type", "title", "description", "properties", "items", "enum", "minimum", "maximum",
                     "pattern", "additionalProperties", "required")


def load_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text("utf-8"))


def extension_id() -> str:
    """The id Chrome gives the extension from its manifest ``key`` (the same for every unpacked copy)."""
    manifest = json.loads((ROOT / "extension" / "manifest.json").read_text("utf-8"))
    digest = hashlib.sha256(base64.b64decode(manifest["key"])).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


def scope(schema: dict, who: str) -> dict:
    return {k: v for k, v in schema["properties"].items() if who in v["x-onrecord"]["scope"]}


def example(spec: dict):
    return spec["examples"][0]


def examples(props: dict) -> dict:
    return {k: example(v) for k, v in props.items()}


def dumps(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


# ---- the extension's managed-schema.json ------------------------------------------------------------------

def chrome_subset(spec: dict) -> dict:
    out = {}
    for attr in CHROME_ATTRIBUTES:
        if attr not in spec:
            continue
        value = spec[attr]
        if attr == "properties":
            value = {k: chrome_subset(v) for k, v in value.items()}
        elif attr in ("items", "additionalProperties") and isinstance(value, dict):
            value = chrome_subset(value)
        elif attr == "additionalProperties":
            continue  # Chrome takes a schema here, not false; unknown keys are ignored by the extension
        elif attr == "required":
            continue  # draft-03 marks required per property; the extension checks items itself
        out[attr] = value
    return out


def extension_schema(schema: dict) -> str:
    return dumps({"type": "object", "properties": {k: chrome_subset(v) for k, v in scope(schema, "extension").items()}})


# ---- Windows ADMX and ADML -----------------------------------------------------------------------------

def _policies(props: dict, key: str, category: str, prefix: str = "", recommended: bool = False):
    """(policy XML, strings, presentations) for each managed key written under registry ``key``."""
    policies, strings, presentations = [], [], []
    for name, spec in props.items():
        meta = spec["x-onrecord"]
        if recommended and not meta.get("recommended"):
            continue
        pid = f"{prefix}{name}{'_recommended' if recommended else ''}"
        strings.append((pid, spec["title"] + (" (default users may change)" if recommended else "")))
        strings.append((f"{pid}_Explain", spec["description"]))
        head = (f'    <policy name="{pid}" class="Both" displayName="$(string.{pid})" '
                f'explainText="$(string.{pid}_Explain)" key="{escape(key)}"')
        tail = f'      <parentCategory ref="{category}"/>\n      <supportedOn ref="SUPPORTED_ONRECORD"/>\n'
        kind = spec["type"]
        if kind == "boolean":
            policies.append(f'{head} valueName="{name}">\n{tail}'
                            '      <enabledValue><decimal value="1"/></enabledValue>\n'
                            '      <disabledValue><decimal value="0"/></disabledValue>\n    </policy>')
            continue
        if kind == "object" and meta["registry"] == "json" and spec.get("properties") and \
                all(p.get("type") == "boolean" for p in spec["properties"].values()):
            # An object of booleans: one policy per property, in a subkey named after the key.
            for prop, pspec in spec["properties"].items():
                sid = f"{pid}_{prop}"
                strings.append((sid, f"{spec['title']}: {pspec['title']}"))
                strings.append((f"{sid}_Explain", spec["description"]))
                policies.append(f'    <policy name="{sid}" class="Both" displayName="$(string.{sid})" '
                                f'explainText="$(string.{sid}_Explain)" key="{escape(key)}\\{name}" valueName="{prop}">\n'
                                f'{tail}      <enabledValue><decimal value="1"/></enabledValue>\n'
                                '      <disabledValue><decimal value="0"/></disabledValue>\n    </policy>')
            continue
        label = escape(spec["title"])
        if "enum" in spec:
            items = "".join(f'          <item displayName="$(string.{pid}_{v})"><value><string>{v}</string></value></item>\n'
                            for v in spec["enum"])
            strings += [(f"{pid}_{v}", v.replace("_", " ")) for v in spec["enum"]]
            element = f'        <enum id="{pid}" valueName="{name}" required="true">\n{items}        </enum>\n'
            presentation = f'      <dropdownList refId="{pid}" noSort="true">{label}</dropdownList>'
        elif kind == "integer":
            element = (f'        <decimal id="{pid}" valueName="{name}" required="true" minValue="{spec.get("minimum", 0)}" '
                       f'maxValue="{spec.get("maximum", 2147483647)}"/>\n')
            presentation = f'      <decimalTextBox refId="{pid}" defaultValue="{example(spec)}">{label}</decimalTextBox>'
        elif meta["registry"] == "list":
            element = f'        <list id="{pid}" key="{escape(key)}\\{name}" valuePrefix=""/>\n'
            presentation = f'      <listBox refId="{pid}">{label}</listBox>'
        elif meta["registry"] == "json":
            element = f'        <multiText id="{pid}" valueName="{name}" maxLength="0"/>\n'
            presentation = f'      <multiTextBox refId="{pid}">{label} (JSON)</multiTextBox>'
        else:
            element = f'        <text id="{pid}" valueName="{name}" required="true" maxLength="{spec.get("maxLength", 1023)}"/>\n'
            presentation = f'      <textBox refId="{pid}"><label>{label}</label></textBox>'
        policies.append(f'{head} presentation="$(presentation.{pid})">\n{tail}      <elements>\n{element}      </elements>\n    </policy>')
        presentations.append(f'    <presentation id="{pid}">\n{presentation}\n    </presentation>')
    return policies, strings, presentations


def admx(namespace: str, prefix: str, categories: list[tuple[str, str, str | None]], policies: list[str]) -> str:
    cats = "".join(
        f'    <category name="{name}" displayName="$(string.{name})">'
        + (f'<parentCategory ref="{parent}"/>' if parent else "") + "</category>\n"
        for name, _, parent in categories)
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<!-- Made by scripts/generate_managed.py from helper/onrecord/schemas/managed.schema.json: do not edit. -->\n'
            f'<policyDefinitions xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
            f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0" xmlns="{NS}">\n'
            f'  <policyNamespaces>\n    <target prefix="{prefix}" namespace="{namespace}"/>\n  </policyNamespaces>\n'
            '  <resources minRequiredRevision="1.0"/>\n'
            '  <supportedOn>\n    <definitions>\n'
            '      <definition name="SUPPORTED_ONRECORD" displayName="$(string.SUPPORTED_ONRECORD)"/>\n'
            '    </definitions>\n  </supportedOn>\n'
            f'  <categories>\n{cats}  </categories>\n'
            f'  <policies>\n' + "\n".join(policies) + '\n  </policies>\n</policyDefinitions>\n')


def adml(title: str, description: str, strings: list[tuple[str, str]], presentations: list[str]) -> str:
    table = "".join(f'      <string id="{sid}">{escape(text)}</string>\n' for sid, text in strings)
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<!-- Made by scripts/generate_managed.py from helper/onrecord/schemas/managed.schema.json: do not edit. -->\n'
            f'<policyDefinitionResources xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
            f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0" xmlns="{NS}">\n'
            f'  <displayName>{escape(title)}</displayName>\n  <description>{escape(description)}</description>\n'
            f'  <resources>\n    <stringTable>\n{table}    </stringTable>\n'
            '    <presentationTable>\n' + "\n".join(presentations) + ('\n' if presentations else '')
            + '    </presentationTable>\n  </resources>\n</policyDefinitionResources>\n')


def windows_helper(schema: dict) -> tuple[str, str]:
    props = scope(schema, "helper")
    key = r"Software\Policies\OnRecord"
    p1, s1, r1 = _policies(props, key, "OnRecord")
    p2, s2, r2 = _policies(props, key + r"\Recommended", "OnRecordRecommended", recommended=True)
    cats = [("OnRecord", "OnRecord", None), ("OnRecordRecommended", "OnRecord: defaults users may change", "OnRecord")]
    strings = [(c, t) for c, t, _ in cats] + [("SUPPORTED_ONRECORD", "OnRecord 0.1 and later")] + s1 + s2
    return (admx("OnRecord.Policies.OnRecord", "onrecord", cats, p1 + p2),
            adml("OnRecord", "Managed settings for the OnRecord helper.", strings, r1 + r2))


def windows_extension(schema: dict, browser: str, policy_root: str) -> tuple[str, str]:
    props = scope(schema, "extension")
    key = rf"{policy_root}\3rdparty\extensions\{extension_id()}\policy"
    cat = f"OnRecord{browser}"
    policies, strings, presentations = _policies(props, key, cat)
    cats = [(cat, f"OnRecord extension ({browser})", None)]
    strings = [(cat, f"OnRecord extension ({browser})"), ("SUPPORTED_ONRECORD", f"{browser} with the OnRecord extension")] + strings
    return (admx(f"OnRecord.Policies.OnRecord{browser}", f"onrecord{browser.lower()}", cats, policies),
            adml(f"OnRecord extension ({browser})",
                 f"Managed storage for the OnRecord extension in {browser} (extension id {extension_id()}).",
                 strings, presentations))


# ---- macOS, Linux and Firefox examples ----------------------------------------------------------------

def _payload(kind: str, name: str, values: dict) -> dict:
    return {"PayloadType": kind, "PayloadIdentifier": f"org.onrecord.managed.{name}",
            "PayloadUUID": str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://onrecord.invalid/managed/{name}")).upper(),
            "PayloadVersion": 1, "PayloadDisplayName": f"OnRecord: {name}", **values}


def mobileconfig(schema: dict) -> str:
    ext = examples(scope(schema, "extension"))
    profile = {
        "PayloadType": "Configuration", "PayloadVersion": 1, "PayloadScope": "System",
        "PayloadIdentifier": "org.onrecord.managed",
        "PayloadUUID": str(uuid.uuid5(uuid.NAMESPACE_URL, "https://onrecord.invalid/managed")).upper(),
        "PayloadDisplayName": "OnRecord managed settings (example)",
        "PayloadDescription": "Made by scripts/generate_managed.py from the managed-settings schema; replace the example values.",
        "PayloadContent": [
            _payload("org.onrecord.OnRecord", "helper", examples(scope(schema, "helper"))),
            _payload(f"com.google.Chrome.extensions.{extension_id()}", "chrome", ext),
            _payload(f"com.microsoft.Edge.extensions.{extension_id()}", "edge", ext),
        ],
    }
    return plistlib.dumps(profile, sort_keys=False).decode("utf-8")


def linux_helper(schema: dict) -> str:
    return dumps(examples(scope(schema, "helper")))


def linux_browser(schema: dict) -> str:
    return dumps({"3rdparty": {"extensions": {extension_id(): examples(scope(schema, "extension"))}}})


def firefox(schema: dict) -> str:
    return dumps({"policies": {"3rdparty": {"Extensions": {FIREFOX_ID: examples(scope(schema, "extension"))}}}})


# ---- the documentation table ----------------------------------------------------------------------------

def _type(spec: dict) -> str:
    if "enum" in spec:
        return " \\| ".join(f"`{v}`" for v in spec["enum"])
    kind = spec["type"]
    if kind == "array":
        return f"list of {_type(spec['items']) if spec['items'].get('type') != 'object' else 'objects'}"
    if kind == "integer" and "minimum" in spec:
        return f"integer {spec['minimum']} to {spec['maximum']}"
    return kind


def docs(schema: dict) -> str:
    rows, sections = [], []
    for name, spec in schema["properties"].items():
        meta = spec["x-onrecord"]
        who = " and ".join(meta["scope"])
        locks = f"`{meta['setting']}`" if meta.get("setting") else ""
        rows.append(f"| [`{name}`](#{name.lower()}) | {_type(spec)} | {who} | {locks} | "
                    f"{'yes' if meta.get('recommended') else ''} | {spec['title']} |")
        registry = {"value": "a value of that name (DWORD for numbers and true/false, REG_SZ for text)",
                    "list": f"a subkey `{name}` with values `1`, `2`, ... (REG_SZ), as the ADMX list writes",
                    "json": "REG_SZ or REG_MULTI_SZ holding the JSON value"}[meta["registry"]]
        if name == "sites":
            registry += ", or a subkey `sites` with a DWORD per site id (1 on, 0 off)"
        sections.append(f"### `{name}`\n\n{spec['description']}\n\n- Type: {_type(spec)}\n- Read by: {who}\n"
                        f"- Windows registry: {registry}\n"
                        + (f"- Default: `{json.dumps(spec['default'])}`\n" if "default" in spec else "")
                        + f"- Example: `{json.dumps(example(spec), ensure_ascii=False)}`\n")
    return ("# Managed settings\n\n"
            "<!-- Made by scripts/generate_managed.py from helper/onrecord/schemas/managed.schema.json: do not edit. -->\n\n"
            "Every key an organisation can set centrally. The helper reads them from `/etc/onrecord/managed.json` and "
            "`/etc/onrecord/managed.d/*.json` (Linux), `HKLM` and `HKCU\\SOFTWARE\\Policies\\OnRecord` (Windows; "
            "`Recommended` below it for defaults users may change) or the forced preferences of "
            "`org.onrecord.OnRecord` (macOS). The extension reads its keys from the browser's managed storage. "
            "How to deploy them is in [the IT guide](it-guide.md); the templates are in `packaging/managed/`.\n\n"
            f"The extension's id in the templates is `{extension_id()}` (from the `key` in its manifest); use your "
            "store listing's id where it differs.\n\n"
            "| key | type | read by | locks the user setting | may be recommended | what it is |\n"
            "|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n\n" + "\n".join(sections))


# ---- all of it -----------------------------------------------------------------------------------------

def outputs() -> dict[Path, str]:
    schema = load_schema()
    helper_admx, helper_adml = windows_helper(schema)
    chrome_admx, chrome_adml = windows_extension(schema, "Chrome", r"Software\Policies\Google\Chrome")
    edge_admx, edge_adml = windows_extension(schema, "Edge", r"Software\Policies\Microsoft\Edge")
    win = OUT / "windows"
    return {
        ROOT / "extension" / "managed-schema.json": extension_schema(schema),
        win / "OnRecord.admx": helper_admx,
        win / "en-US" / "OnRecord.adml": helper_adml,
        win / "OnRecordChrome.admx": chrome_admx,
        win / "en-US" / "OnRecordChrome.adml": chrome_adml,
        win / "OnRecordEdge.admx": edge_admx,
        win / "en-US" / "OnRecordEdge.adml": edge_adml,
        OUT / "macos" / "OnRecord.mobileconfig": mobileconfig(schema),
        OUT / "linux" / "etc-onrecord-managed.json": linux_helper(schema),
        OUT / "linux" / "browser-policies-managed-onrecord.json": linux_browser(schema),
        OUT / "firefox" / "policies.json": firefox(schema),
        ROOT / "docs" / "managed-settings.md": docs(schema),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1, naming each file that is not up to date")
    args = parser.parse_args(argv)
    stale = []
    for path, text in outputs().items():
        current = path.read_text("utf-8") if path.exists() else None
        if current == text:
            continue
        if args.check:
            stale.append(path.relative_to(ROOT))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    for path in stale:
        print(f"{path}: out of date with managed.schema.json; run python scripts/generate_managed.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
