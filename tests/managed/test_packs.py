"""Signed policy packs fetched over real HTTPS (a test certificate authority) and checked before use."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from onrecord.managed import ManagedReader
from onrecord.policy import signing
from onrecord.pack_source import PackSource

from tests.managed.https_server import HttpsFolder, make_ca_and_server

_names = itertools.count()


class Key:
    """A signing key pair as the administrator has it: the secret key file and the RW... line."""

    def __init__(self, folder: Path):
        secret, pub, self.key_id = signing.generate_key_pair()
        path = folder / f"key-{next(_names)}.key"
        path.write_bytes(secret)
        self.secret = signing.read_secret_key(path)
        self.line = signing.public_key(pub.decode()).line


PACK = "id: example-trust\ntitle: Example NHS Trust\nextends: nhs-england\nversion: {version}\n{extra}"


@pytest.fixture
def world(tmp_path, monkeypatch):
    """An HTTPS server publishing packs, a managed folder naming it, and a helper's pack store."""
    ca, cert, key = make_ca_and_server(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(ca))  # the helper trusts the system store; here, the test CA
    site = tmp_path / "site"
    site.mkdir()
    server = HttpsFolder(site, cert, key)
    managed_dir = tmp_path / "managed"
    managed_dir.mkdir()
    current, nxt = Key(tmp_path), Key(tmp_path)

    class World:
        url = server.url("onrecord/pack.yaml")

        def manage(self, **extra):
            values = {"policyPack": self.url, "packSigningKeys": [current.line, nxt.line], **extra}
            (managed_dir / "managed.json").write_text(json.dumps(values))

        def publish(self, version, signer=current, extra="", tamper=False):
            (site / "onrecord").mkdir(exist_ok=True)
            data = PACK.format(version=version, extra=extra).encode()
            comment = signing.trusted_comment_for(signing.pack_header(data), "pack.yaml")
            sig = signing.sign(data, signer.secret, comment)  # what `onrecord pack sign` writes
            (site / "onrecord" / "pack.yaml").write_bytes(data + (b"\n# changed\n" if tamper else b""))
            (site / "onrecord" / "pack.yaml.minisig").write_bytes(sig)

    w = World()
    w.current, w.next, w.server, w.tmp = current, nxt, server, tmp_path
    w.reader = ManagedReader(managed_dir)
    w.source = PackSource(tmp_path / "packs", lambda: w.reader.current(force=True))
    w.manage()
    yield w
    server.stop()


def in_force(w):
    return w.source.status()["in_force"]


def test_a_good_pack_is_used_and_says_which_and_when(world):
    world.publish(3)
    outcome = world.source.refresh()
    assert outcome.accepted, outcome.message
    info = in_force(world)
    assert (info["id"], info["version"], info["signature"]) == ("example-trust", 3, "verified")
    assert info["signed_by"] == world.current.key_id and info["last_confirmed"]
    from onrecord.policy.packs import load_pack
    assert load_pack(world.source.ref(world.url)).id == "example-trust"


@pytest.mark.parametrize("case, why", [
    ("tampered", "the signature does not match the pack"),
    ("unknown key", "which is not one of the trusted signing keys"),
    ("rollback", "version 3 is older than version 4 already accepted"),
    ("below minimum", "version 3 is below the managed minimumPackVersion 4"),
    ("expired", "version 5 expired on 2020-01-31"),
])
def test_a_bad_pack_is_refused_with_a_clear_message_and_the_last_good_stays(world, case, why):
    world.publish(4)
    assert world.source.refresh().accepted
    if case == "tampered":
        world.publish(5, tamper=True)
    elif case == "unknown key":
        world.publish(5, signer=Key(world.tmp))
    elif case == "rollback":
        world.publish(3)
    elif case == "below minimum":
        world.manage(minimumPackVersion=4)  # (a minimum above the kept version retires it: tests/pack_source)
        world.publish(3)
    elif case == "expired":
        world.publish(5, extra="expires: 2020-01-31\n")
    outcome = world.source.refresh()
    assert not outcome.accepted
    assert why in outcome.message
    assert in_force(world)["version"] == 4
    assert world.source.status()["last_error"] == outcome.message
    assert world.source.ref(world.url)


def test_rotation_to_the_next_key_works_without_a_release(world):
    world.publish(4)
    assert world.source.refresh().accepted
    world.publish(5, signer=world.next)
    outcome = world.source.refresh()
    assert outcome.accepted, outcome.message
    assert in_force(world)["signed_by"] == world.next.key_id


def test_server_down_keeps_the_last_good_pack(world):
    world.publish(4)
    assert world.source.refresh().accepted
    world.server.stop()
    outcome = world.source.refresh()
    assert not outcome.accepted and outcome.unreachable
    assert "could not be reached" in outcome.message
    assert in_force(world)["version"] == 4 and world.source.ref(world.url)


def test_a_certificate_from_an_untrusted_authority_is_refused(world, monkeypatch, tmp_path):
    other_ca, _, _ = make_ca_and_server(tmp_path / "other" if (tmp_path / "other").mkdir() is None else tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(other_ca))
    world.publish(4)
    outcome = world.source.refresh()
    assert not outcome.accepted and "certificate is not trusted" in outcome.message


def test_checks_use_the_fetched_pack_and_the_helper_says_which_is_in_force(world, tmp_path, monkeypatch):
    from onrecord.app import create_app
    from onrecord.service import CheckRequest
    monkeypatch.setenv("ONRECORD_HOME", str(tmp_path / "home"))
    app = create_app({"MANAGED": world.reader, "PACKS_DIR": world.source.folder, "AUDIT_DB": str(tmp_path / "a.sqlite3"),
                      "ONRECORD_WINDOW_KEY_FILE": False})
    service = app.extensions["onrecord_service"]
    draft = CheckRequest("x", "@someone", "A post about the NHS")
    before = service.pack_report()
    assert (before["url"], before["id"], before["signature"]) == (world.url, None, "none")  # none accepted yet
    assert any(p.id.startswith("cs.") for p in service.check(draft).prompts)
    world.publish(8)
    assert app.extensions["onrecord_packs"].refresh().accepted
    world.reader.current(force=True)
    now = service.pack_report()
    assert (now["id"], now["version"], now["signature"]) == ("example-trust", 8, "verified") and now["last_confirmed"]
    ids = [p.id for p in service.check(draft).prompts]
    assert ids and all(i.startswith("nhse.") for i in ids), ids  # the fetched pack, which extends nhs-england
