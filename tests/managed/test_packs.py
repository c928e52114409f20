"""Signed policy packs fetched over real HTTPS (a test certificate authority) and checked before use."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from onrecord import minisign
from onrecord.managed import ManagedReader
from onrecord.managed.packs import PackSource

from tests.managed.https_server import HttpsFolder, make_ca_and_server

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
    current, nxt = minisign.generate(), minisign.generate()

    class World:
        url = server.url("onrecord/pack.yaml")

        def manage(self, **extra):
            values = {"policyPack": self.url, "packSigningKeys": [current.public().line(), nxt.public().line()], **extra}
            (managed_dir / "managed.json").write_text(json.dumps(values))

        def publish(self, version, signer=current, extra="", tamper=False):
            (site / "onrecord").mkdir(exist_ok=True)
            data = PACK.format(version=version, extra=extra).encode()
            sig = minisign.sign(data, signer, f"version:{version}")
            (site / "onrecord" / "pack.yaml").write_bytes(data + (b"\n# changed\n" if tamper else b""))
            (site / "onrecord" / "pack.yaml.minisig").write_text(sig)

    w = World()
    w.current, w.next, w.server = current, nxt, server
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
    assert info["signed_by"] == world.current.public().id_hex and info["last_confirmed"]
    from onrecord.policy.packs import load_pack
    assert load_pack(world.source.ref(world.url)).id == "example-trust"


@pytest.mark.parametrize("case, why", [
    ("tampered", "the signature does not match the file"),
    ("unknown key", "which is not a trusted pack signing key"),
    ("rollback", "version 3 is older than version 4 already accepted"),
    ("below minimum", "version 5 is below the managed minimumPackVersion 9"),
    ("expired", "version 5 expired on 2020-01-31"),
])
def test_a_bad_pack_is_refused_with_a_clear_message_and_the_last_good_stays(world, case, why):
    world.publish(4)
    assert world.source.refresh().accepted
    if case == "tampered":
        world.publish(5, tamper=True)
    elif case == "unknown key":
        world.publish(5, signer=minisign.generate())
    elif case == "rollback":
        world.publish(3)
    elif case == "below minimum":
        world.manage(minimumPackVersion=9)
        world.publish(5)
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
    assert in_force(world)["signed_by"] == world.next.public().id_hex


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
    assert not outcome.accepted and "CERTIFICATE_VERIFY_FAILED" in outcome.message


# ---- onrecord pack sign | verify, and the real minisign ---------------------------------------------

def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "onrecord", *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def test_pack_sign_and_verify_interoperate_with_minisign(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text(PACK.format(version=7, extra="expires: 2099-12-31\n"))
    assert run("pack", "keygen", "org.key", cwd=tmp_path).returncode == 0
    r = run("pack", "sign", "--key", "org.key", "pack.yaml", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert run("pack", "verify", "--key", "org.key.pub", "pack.yaml", cwd=tmp_path).returncode == 0
    line = (tmp_path / "org.key.pub").read_text().splitlines()[1]
    assert run("pack", "verify", "--key", line, "pack.yaml", cwd=tmp_path).returncode == 0
    minisign_bin = shutil.which("minisign")
    assert minisign_bin, "minisign is in scripts/apt-packages.txt"
    check = subprocess.run([minisign_bin, "-Vm", "pack.yaml", "-p", "org.key.pub"], cwd=tmp_path, capture_output=True, text=True)
    assert check.returncode == 0 and "version:7" in check.stdout, check.stderr
    # A key made and a file signed by minisign itself verify with onrecord.
    subprocess.run([minisign_bin, "-G", "-W", "-s", "mini.key", "-p", "mini.pub"], cwd=tmp_path, check=True,
                   capture_output=True)
    subprocess.run([minisign_bin, "-S", "-s", "mini.key", "-m", "pack.yaml"], cwd=tmp_path, check=True, capture_output=True)
    assert run("pack", "verify", "--key", "mini.pub", "pack.yaml", cwd=tmp_path).returncode == 0
    assert run("pack", "sign", "--key", "mini.key", "pack.yaml", cwd=tmp_path).returncode == 0  # minisign's key signs too
    pack.write_text(pack.read_text() + "# changed\n")
    bad = run("pack", "verify", "--key", "mini.pub", "pack.yaml", cwd=tmp_path)
    assert bad.returncode == 2 and "does not match" in bad.stderr


def test_pack_sign_refuses_a_pack_without_a_version(tmp_path):
    (tmp_path / "pack.yaml").write_text("id: x\ntitle: X\nextends: dh\n")
    run("pack", "keygen", "k", cwd=tmp_path)
    r = run("pack", "sign", "--key", "k", "pack.yaml", cwd=tmp_path)
    assert r.returncode == 2 and "version:" in r.stderr and not (tmp_path / "pack.yaml.minisig").exists()
