"""Each default is said in one place, and what repeats it elsewhere (a schema, the extension) agrees."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

from onrecord import profile
from onrecord.server import serve
from onrecord.settings import BY_NAME

ROOT = Path(__file__).resolve().parents[1]


def _schema() -> dict:
    return json.loads(resources.files("onrecord").joinpath("schemas/profile.schema.json").read_text("utf-8"))


def test_the_profile_schema_allows_exactly_the_roles_sites_and_channels_the_helper_knows():
    schema = _schema()["properties"]
    account = schema["accounts"]["items"]["properties"]
    assert tuple(schema["roles"]["items"]["enum"]) == profile.ROLES
    assert tuple(account["site"]["enum"]) == profile.SITES
    assert tuple(account["channel"]["enum"]) == profile.CHANNELS


def test_the_helper_tries_the_ports_the_extension_looks_at_in_the_same_order():
    ports = serve.candidate_ports(None, BY_NAME["port"].default)
    client = (ROOT / "extension" / "background" / "helper-client.js").read_text("utf-8")
    listed = re.search(r"DEFAULT_PORTS\s*=\s*Object\.freeze\(\[([\d,\s]+)\]\)", client)
    assert listed, "the extension's DEFAULT_PORTS list was not found in helper-client.js"
    assert [int(p) for p in listed.group(1).split(",")] == ports == [47651, 47652, 47653, 47654, 47655]
