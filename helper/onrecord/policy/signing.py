"""Minisign signatures for policy packs: sign with an organisation's key, verify against its public keys.

Signed packs: how the pieces fit
--------------------------------
An organisation publishes its pack at an ``https://`` URL with the signature beside it (URL + ``.minisig``).
``onrecord pack sign --key SECRET_KEY_FILE PACK_FILE`` (or minisign itself) makes that signature on the
administrator's machine; the helper fetches both, verifies them against the managed ``packSigningKeys``
(current key first, next key second) and keeps the last good pack (``onrecord.pack_source``). This module is
the pure part: the file formats and the checks on what was signed. It does no I/O but reading key files.

Formats (minisign's own, read and written by py-minisign):

- public key: ``Ed`` + 8-byte key id + 32-byte Ed25519 key, base64 (the ``RW...`` line), in a ``.pub`` file
  after an ``untrusted comment:`` line;
- secret key: unencrypted only (key derivation bytes zero, ``minisign -G -W``), its checksum BLAKE2b-256 of
  signature algorithm, key id and secret key (all zeros from minisign 0.11, whose public half is checked);
- signature: ``ED`` (Ed25519 over the BLAKE2b-512 of the file) by default, legacy ``Ed`` (over the file
  itself) verified too; then the trusted comment, and the global signature over signature + trusted comment.

What a pack's signature must say: its trusted comment carries ``version:N`` and, when the pack expires,
``expires:YYYY-MM-DD``, the same as the pack's own top-level ``version:`` and ``expires:``. Both are signed;
a signature whose comment disagrees with the pack is refused, so what ``minisign -V`` prints is what the
helper enforces.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import re
import time
from dataclasses import dataclass
from pathlib import Path

import minisign
import yaml
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from onrecord.errors import PackError

SIGNATURE_SUFFIX = ".minisig"
_KEY_LINE = re.compile(r"^RW[A-Za-z0-9+/=]{54}$")


class SignatureProblem(PackError):
    """A signature, key or signed pack that cannot be accepted. ``reason`` is a stable word for the audit:
    ``tampered``, ``unknown_key``, ``bad_signature``, ``bad_key``, ``mismatch``, ``rollback``,
    ``below_minimum``, ``expired``, ``not_https``, ``too_large``, ``unreachable``, ``bad_pack``."""

    code = "pack_signature"

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


# Keys ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PublicKey:
    key: minisign.PublicKey
    key_id: str  # as minisign prints it: 16 hex digits, upper case
    line: str  # the RW... base64 line

    def __str__(self) -> str:
        return self.key_id


def _key_id(raw: bytes) -> str:
    # minisign prints the little-endian 64-bit key id as a number in hex.
    return raw[::-1].hex().upper()


def public_key(text: str) -> PublicKey:
    """A public key from its ``RW...`` base64 line (as in ``packSigningKeys``) or a ``.pub`` file's text."""
    lines = [line.strip() for line in str(text).strip().splitlines() if line.strip()]
    if len(lines) == 2 and lines[0].startswith("untrusted comment:"):
        lines = lines[1:]
    if len(lines) != 1 or not _KEY_LINE.match(lines[0]):
        raise SignatureProblem("bad_key", "not a minisign public key (expected the RW... base64 line of a .pub file)")
    try:
        key = minisign.PublicKey.from_base64(lines[0])
    except minisign.Error as exc:
        raise SignatureProblem("bad_key", f"not a minisign Ed25519 public key ({exc})") from None
    raw = base64.b64decode(lines[0])
    return PublicKey(key, _key_id(raw[2:10]), lines[0])


def read_public_key(arg: str) -> PublicKey:
    """``--key`` for verifying: the ``RW...`` line itself, or the path of a ``.pub`` file."""
    if _KEY_LINE.match(arg.strip()):
        return public_key(arg)
    path = Path(arg).expanduser()
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise SignatureProblem("bad_key", f"{arg}: no such public key file, and not an RW... key") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SignatureProblem("bad_key", f"{arg}: the public key file cannot be read ({exc})") from None
    try:
        return public_key(text)
    except SignatureProblem as exc:
        raise SignatureProblem("bad_key", f"{arg}: {exc.message}") from None


_SK_LEN = 2 + 2 + 2 + 32 + 8 + 8 + 8 + 64 + 32  # algorithms, salt, kdf limits, key id, secret key, checksum


def read_secret_key(path: str | Path) -> minisign.SecretKey:
    """An unencrypted minisign secret key file, its checksum checked."""
    try:
        data = Path(path).expanduser().read_bytes()
    except FileNotFoundError:
        raise SignatureProblem("bad_key", f"{path}: no such secret key file") from None
    except OSError as exc:
        raise SignatureProblem("bad_key", f"{path}: the secret key file cannot be read ({exc.strerror})") from None
    lines = data.splitlines()
    try:
        raw = base64.b64decode(lines[1].strip(), validate=True) if len(lines) == 2 else b""
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != _SK_LEN or raw[:2] != b"Ed" or raw[4:6] != b"B2":
        raise SignatureProblem("bad_key", f"{path}: not a minisign secret key file")
    if raw[2:4] != b"\0\0":
        raise SignatureProblem("bad_key", f"{path}: the secret key is protected by a password; give an unencrypted "
                                          "key (minisign -G -W, or remove the password with minisign -C -W) or sign "
                                          "with minisign -S")
    key_id, secret, checksum = raw[54:62], raw[62:126], raw[126:158]
    # minisign 0.11 leaves an unencrypted key's checksum all zeros; newer versions and py-minisign fill it in.
    # Either way the public half must be the one the seed makes, which catches a damaged file too.
    damaged = checksum != bytes(32) and hashlib.blake2b(raw[:2] + key_id + secret, digest_size=32).digest() != checksum
    derived = Ed25519PrivateKey.from_private_bytes(secret[:32]).public_key().public_bytes(Encoding.Raw,
                                                                                           PublicFormat.Raw)
    if damaged or derived != secret[32:]:
        raise SignatureProblem("bad_key", f"{path}: the secret key file is damaged (its checksum does not match)")
    try:
        return minisign.SecretKey.from_bytes(data)
    except minisign.Error as exc:
        raise SignatureProblem("bad_key", f"{path}: not a minisign secret key file ({exc})") from None


def generate_key_pair() -> tuple[bytes, bytes, str]:
    """A new key pair as (secret key file, public key file, key id); the secret key is unencrypted."""
    pair = minisign.KeyPair.generate()
    pub = bytes(pair.public_key) + b"\n"
    secret = bytes(pair.secret_key) + b"\n"
    key = public_key(pub.decode())
    return secret, pub, key.key_id


# Signatures ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Verified:
    key: PublicKey
    key_index: int  # 0: the current key, 1: the next, ...
    trusted_comment: str
    prehashed: bool


def sign(data: bytes, secret_key: minisign.SecretKey, trusted_comment: str) -> bytes:
    """The ``.minisig`` file for ``data``: prehashed (``ED``), as minisign makes by default."""
    sig = secret_key.sign(data, prehash=True, trusted_comment=trusted_comment,
                          untrusted_comment="signature from minisign secret key")
    return bytes(sig) + b"\n"


def parse_signature(sig_file: bytes) -> minisign.Signature:
    try:
        return minisign.Signature.from_bytes(sig_file)
    except minisign.Error as exc:
        raise SignatureProblem("bad_signature", f"the signature file is not a minisign signature ({exc})") from None


def signature_key_id(sig_file: bytes) -> str:
    return _key_id(parse_signature(sig_file)._key_id)


def verify(data: bytes, sig_file: bytes, keys: list[PublicKey]) -> Verified:
    """Check ``sig_file`` over ``data`` with whichever of ``keys`` made it; raise ``SignatureProblem``."""
    sig = parse_signature(sig_file)
    sig_id = _key_id(sig._key_id)
    for index, key in enumerate(keys):
        if key.key_id != sig_id:
            continue
        try:
            key.key.verify(data, sig)
        except minisign.Error:
            raise SignatureProblem("tampered", f"the signature does not match the pack (signed by key {sig_id}): "
                                               "the pack or its signature was changed after signing") from None
        return Verified(key, index, sig.trusted_comment, sig.is_prehashed())
    known = ", ".join(k.key_id for k in keys) or "none"
    raise SignatureProblem("unknown_key", f"the pack is signed by key {sig_id}, which is not one of the trusted "
                                          f"signing keys ({known})")


# What is signed ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PackHeader:
    id: str | None
    version: int | None
    expires: dt.date | None


def comment_fields(trusted_comment: str) -> dict[str, str]:
    """``key:value`` words of a trusted comment (minisign separates them with tabs; spaces work too)."""
    fields = {}
    for word in trusted_comment.split():
        key, sep, value = word.partition(":")
        if sep and key and key not in fields:
            fields[key] = value
    return fields


def _date(value, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise SignatureProblem("bad_pack", f"{what} {value!r} is not an ISO 8601 date (YYYY-MM-DD)") from None


def pack_header(data: bytes) -> PackHeader:
    """The top-level ``id``, ``version`` and ``expires`` of pack text (YAML or JSON)."""
    try:
        parsed = yaml.safe_load(data.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError):
        raise SignatureProblem("bad_pack", "the pack is not UTF-8 YAML or JSON") from None
    if not isinstance(parsed, dict):
        raise SignatureProblem("bad_pack", "the pack is not a mapping of keys (id, title, rules...)")
    version = parsed.get("version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int) or version < 0):
        raise SignatureProblem("bad_pack", f"the pack's `version:` {version!r} is not a whole number")
    expires = parsed.get("expires")
    return PackHeader(parsed.get("id") if isinstance(parsed.get("id"), str) else None, version,
                      _date(expires, "the pack's `expires:`") if expires is not None else None)


def trusted_comment_for(header: PackHeader, file_name: str, now: float | None = None) -> str:
    """What ``onrecord pack sign`` signs beside the pack: minisign's own words, then the pack's."""
    words = [f"timestamp:{int(now if now is not None else time.time())}", f"file:{file_name}", "hashed"]
    if header.id:
        words.append(f"pack:{header.id}")
    if header.version is not None:
        words.append(f"version:{header.version}")
    if header.expires is not None:
        words.append(f"expires:{header.expires.isoformat()}")
    return "\t".join(words)


def check_comment_agrees(header: PackHeader, trusted_comment: str) -> None:
    """The signed comment's ``version:`` and ``expires:`` must be the pack's own (both present or both absent)."""
    fields = comment_fields(trusted_comment)
    if header.version is None:
        raise SignatureProblem("bad_pack", "the pack states no `version:` (a whole number that grows with each "
                                           "release); a pack fetched from a web server must have one")
    if "version" not in fields:
        raise SignatureProblem("mismatch", "the signature's trusted comment has no version:N; sign with "
                                           "`onrecord pack sign`, or minisign -t 'version:N expires:YYYY-MM-DD'")
    if fields["version"] != str(header.version):
        raise SignatureProblem("mismatch", f"the signature says version:{fields['version']} but the pack says "
                                           f"version: {header.version}")
    signed_expiry = fields.get("expires")
    pack_expiry = header.expires.isoformat() if header.expires else None
    if signed_expiry != pack_expiry:
        raise SignatureProblem("mismatch", f"the signature says expires:{signed_expiry or '(none)'} but the pack "
                                           f"says expires: {pack_expiry or '(none)'}")


def expired(header: PackHeader, today: dt.date) -> bool:
    """A pack is good through its ``expires:`` date and refused from the day after."""
    return header.expires is not None and today > header.expires
