"""Everything made from the managed-settings schema is up to date and in the form each consumer reads."""

from __future__ import annotations

import importlib.util
import json
import plistlib
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("generate_managed", ROOT / "scripts" / "generate_managed.py")
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)
NS = {"p": gen.NS}
SCHEMA = gen.load_schema()


def test_generated_files_match_the_schema():
    stale = [str(p.relative_to(ROOT)) for p, text in gen.outputs().items()
             if not p.exists() or p.read_text("utf-8") != text]
    assert not stale, f"run python scripts/generate_managed.py: {stale}"


def test_examples_validate_against_the_schema():
    for name, prop in SCHEMA["properties"].items():
        sub = {k: v for k, v in prop.items() if k != "x-onrecord"}
        jsonschema.Draft202012Validator(sub).validate(prop["examples"][0])
    linux = json.loads((ROOT / "packaging/managed/linux/etc-onrecord-managed.json").read_text())
    jsonschema.Draft202012Validator({k: v for k, v in SCHEMA.items()}).validate(linux)


def test_extension_schema_is_the_extension_keys_in_chromes_subset():
    ext = json.loads((ROOT / "extension/managed-schema.json").read_text())
    assert set(ext["properties"]) == {k for k, v in SCHEMA["properties"].items() if "extension" in v["x-onrecord"]["scope"]}
    allowed = set(gen.CHROME_ATTRIBUTES)

    def walk(node):
        assert set(node) <= allowed, set(node) - allowed
        for child in node.get("properties", {}).values():
            walk(child)
        if isinstance(node.get("items"), dict):
            walk(node["items"])
    walk(ext)
    manifest = json.loads((ROOT / "extension/manifest.json").read_text())
    assert manifest["storage"]["managed_schema"] == "managed-schema.json"


def _policies(admx: Path) -> list[ET.Element]:
    return ET.parse(admx).getroot().findall("p:policies/p:policy", NS)


def test_admx_and_adml_are_well_formed_and_name_every_key():
    win = ROOT / "packaging/managed/windows"
    for name, scope in (("OnRecord", "helper"), ("OnRecordChrome", "extension"), ("OnRecordEdge", "extension")):
        policies = _policies(win / f"{name}.admx")
        adml = ET.parse(win / "en-US" / f"{name}.adml").getroot()
        strings = {s.get("id") for s in adml.iter(f"{{{gen.NS}}}string")}
        presentations = {p.get("id") for p in adml.iter(f"{{{gen.NS}}}presentation")}
        keys = {k for k, v in SCHEMA["properties"].items() if scope in v["x-onrecord"]["scope"]}
        named = set()
        for policy in policies:
            base = policy.get("name").removesuffix("_recommended")
            named.add(base.split("_")[0])
            assert base.split("_")[0] in keys, policy.get("name")
            assert policy.get("displayName")[len("$(string."):-1] in strings
            assert policy.get("explainText")[len("$(string."):-1] in strings
            if policy.get("presentation"):
                assert policy.get("presentation")[len("$(presentation."):-1] in presentations
            value_names = {e.get("valueName") for e in policy.iter() if e.get("valueName")}
            assert value_names <= keys | set(SCHEMA["properties"]["sites"]["properties"]), value_names
        assert named == keys
    helper = {p.get("name"): p for p in _policies(win / "OnRecord.admx")}
    assert helper["reminderFrequency"].get("key") == r"Software\Policies\OnRecord"
    assert helper["reminderFrequency_recommended"].get("key") == r"Software\Policies\OnRecord\Recommended"
    chrome = _policies(win / "OnRecordChrome.admx")[0].get("key")
    assert chrome == rf"Software\Policies\Google\Chrome\3rdparty\extensions\{gen.extension_id()}\policy"
    assert _policies(win / "OnRecordEdge.admx")[0].get("key").startswith(r"Software\Policies\Microsoft\Edge\3rdparty")


def test_mobileconfig_parses_and_carries_each_scope():
    profile = plistlib.loads((ROOT / "packaging/managed/macos/OnRecord.mobileconfig").read_bytes())
    payloads = {p["PayloadType"]: p for p in profile["PayloadContent"]}
    helper = payloads["org.onrecord.OnRecord"]
    assert {k for k in helper if not k.startswith("Payload")} == {
        k for k, v in SCHEMA["properties"].items() if "helper" in v["x-onrecord"]["scope"]}
    assert f"com.google.Chrome.extensions.{gen.extension_id()}" in payloads
    assert f"com.microsoft.Edge.extensions.{gen.extension_id()}" in payloads


def test_browser_examples_name_the_extension():
    chromium = json.loads((ROOT / "packaging/managed/linux/browser-policies-managed-onrecord.json").read_text())
    assert list(chromium["3rdparty"]["extensions"]) == [gen.extension_id()]
    firefox = json.loads((ROOT / "packaging/managed/firefox/policies.json").read_text())
    assert "onrecord@onrecord.org" in firefox["policies"]["3rdparty"]["Extensions"]


def test_docs_table_lists_every_key():
    text = (ROOT / "docs/managed-settings.md").read_text()
    for key in SCHEMA["properties"]:
        assert f"| [`{key}`]" in text and f"### `{key}`" in text
