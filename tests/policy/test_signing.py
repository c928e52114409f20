"""``onrecord pack sign | verify | keygen``, and that their files are minisign's own: Debian's real ``minisign``
(scripts/apt-packages.txt) verifies what we sign, and we verify what it signs, prehashed and legacy."""

from __future__ import annotations

import base64
import shutil
import subprocess

import pytest
from policy_helpers import run_cli

PACK = "id: acme\ntitle: Acme\nextends: civil-service\nversion: 7\nexpires: 2030-01-31\n"


def minisign(*args, cwd=None) -> subprocess.CompletedProcess:
    exe = shutil.which("minisign")
    assert exe, "Debian's minisign is needed (scripts/apt-packages.txt installs it)"
    return subprocess.run([exe, *args], capture_output=True, stdin=subprocess.DEVNULL, cwd=cwd, timeout=60)


@pytest.fixture
def pack(tmp_path):
    path = tmp_path / "acme.yaml"
    path.write_text(PACK)
    return path


@pytest.fixture
def our_key(tmp_path):
    secret = tmp_path / "acme.key"
    proc = run_cli("pack", "keygen", "--key", str(secret))
    assert proc.returncode == 0, proc.stderr
    return secret, tmp_path / "acme.pub"


@pytest.fixture
def their_key(tmp_path):
    """A key pair made by real minisign, unencrypted (-W)."""
    pub, secret = tmp_path / "ms.pub", tmp_path / "ms.key"
    proc = minisign("-G", "-W", "-p", str(pub), "-s", str(secret))
    assert proc.returncode == 0, proc.stderr
    return secret, pub


def one_line_error(proc) -> str:
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    err = proc.stderr.decode()
    assert err.count("\n") == 1, err
    return err


def test_keygen_sign_verify_round_trip(pack, our_key):
    secret, pub = our_key
    assert oct(secret.stat().st_mode & 0o777) == "0o600"
    proc = run_cli("pack", "sign", "--key", str(secret), str(pack))
    assert proc.returncode == 0, proc.stderr
    sig = (pack.parent / "acme.yaml.minisig").read_text()
    assert "trusted comment: " in sig and "\tversion:7\texpires:2030-01-31" in sig
    ok = run_cli("pack", "verify", "--key", str(pub), str(pack))
    assert ok.returncode == 0 and b"signature verified" in ok.stdout and not ok.stderr
    # The RW... line itself works as well as the .pub file.
    line = pub.read_text().splitlines()[1]
    assert run_cli("pack", "verify", "--key", line, str(pack)).returncode == 0


def test_keygen_never_overwrites_a_key(our_key):
    secret, _ = our_key
    before = secret.read_bytes()
    err = one_line_error(run_cli("pack", "keygen", "--key", str(secret)))
    assert "already exists" in err and secret.read_bytes() == before


def test_verify_refuses_a_changed_pack(pack, our_key):
    secret, pub = our_key
    run_cli("pack", "sign", "--key", str(secret), str(pack))
    pack.write_text(PACK.replace("version: 7", "version: 8"))
    err = one_line_error(run_cli("pack", "verify", "--key", str(pub), str(pack)))
    assert "changed after signing" in err and str(pack) in err


def test_verify_refuses_a_changed_trusted_comment(pack, our_key):
    secret, pub = our_key
    run_cli("pack", "sign", "--key", str(secret), str(pack))
    sig = pack.parent / "acme.yaml.minisig"
    sig.write_text(sig.read_text().replace("version:7", "version:9"))
    assert "changed after signing" in one_line_error(run_cli("pack", "verify", "--key", str(pub), str(pack)))


def test_verify_names_the_unknown_key(pack, our_key, their_key):
    secret, _ = our_key
    run_cli("pack", "sign", "--key", str(secret), str(pack))
    err = one_line_error(run_cli("pack", "verify", "--key", str(their_key[1]), str(pack)))
    assert "not one of the trusted signing keys" in err


def test_verify_without_a_signature_or_with_a_bad_key(pack, our_key):
    _, pub = our_key
    assert "no such signature file" in one_line_error(run_cli("pack", "verify", "--key", str(pub), str(pack)))
    assert "not a minisign public key" in one_line_error(run_cli("pack", "verify", "--key", str(pack), str(pack)))


def test_sign_refuses_a_password_protected_or_damaged_key(pack, our_key, tmp_path):
    secret, _ = our_key
    lines = secret.read_text().splitlines()
    raw = bytearray(base64.b64decode(lines[1]))
    locked = tmp_path / "locked.key"
    locked.write_text(f"{lines[0]}\n{base64.b64encode(b'Ed' + b'Sc' + raw[4:]).decode()}\n")
    assert "protected by a password" in one_line_error(run_cli("pack", "sign", "--key", str(locked), str(pack)))
    raw[70] ^= 1  # one bit of the secret key
    damaged = tmp_path / "damaged.key"
    damaged.write_text(f"{lines[0]}\n{base64.b64encode(bytes(raw)).decode()}\n")
    assert "damaged" in one_line_error(run_cli("pack", "sign", "--key", str(damaged), str(pack)))
    assert not (pack.parent / "acme.yaml.minisig").exists()


# Interoperability with the real minisign ---------------------------------------------------------------

def test_minisign_verifies_what_we_sign(pack, our_key):
    secret, pub = our_key
    assert run_cli("pack", "sign", "--key", str(secret), str(pack)).returncode == 0
    proc = minisign("-V", "-H", "-p", str(pub), "-m", str(pack))  # -H: only the prehashed (ED) form
    assert proc.returncode == 0, proc.stderr
    assert b"version:7\texpires:2030-01-31" in proc.stdout


def test_we_verify_what_minisign_signs(pack, their_key):
    secret, pub = their_key
    proc = minisign("-S", "-s", str(secret), "-m", str(pack), "-t", "version:7 expires:2030-01-31")
    assert proc.returncode == 0, proc.stderr
    ok = run_cli("pack", "verify", "--key", str(pub), str(pack))
    assert ok.returncode == 0 and b"version:7 expires:2030-01-31" in ok.stdout and not ok.stderr
    pack.write_text(PACK + "# one more line\n")
    assert "changed after signing" in one_line_error(run_cli("pack", "verify", "--key", str(pub), str(pack)))


def test_we_verify_minisign_legacy_signatures(pack, their_key):
    secret, pub = their_key
    assert minisign("-S", "-l", "-s", str(secret), "-m", str(pack), "-t", "version:7").returncode == 0
    line = (pack.parent / "acme.yaml.minisig").read_text().splitlines()[1]
    assert base64.b64decode(line)[:2] == b"Ed"  # legacy: signed over the file itself, not its hash
    ok = run_cli("pack", "verify", "--key", pub.read_text().splitlines()[1], str(pack))
    assert ok.returncode == 0, ok.stderr
    # The comment (version only) disagrees with the pack's expiry: said, though the signature is good.
    assert b"will refuse" in ok.stderr and b"expires" in ok.stderr


def test_we_sign_with_a_key_minisign_made(pack, their_key):
    secret, pub = their_key
    assert run_cli("pack", "sign", "--key", str(secret), str(pack)).returncode == 0
    assert minisign("-V", "-p", str(pub), "-m", str(pack)).returncode == 0
    assert minisign("-V", "-p", str(pub), "-m", str(pack)).stdout.count(b"pack:acme") == 1
