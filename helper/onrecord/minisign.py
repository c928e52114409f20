"""minisign signatures (https://jedisct1.github.io/minisign/): Ed25519 through ``cryptography``.

``cryptography`` is already installed with the keyring backend and is maintained by the Python Cryptographic
Authority; minisign's file formats are small and fixed, so they are read here rather than through a
separate, less-used minisign package.

Formats (all base64 after an ``untrusted comment:`` line):

- public key: ``"Ed" | key id (8) | public key (32)``;
- secret key (unencrypted): ``"Ed" | kdf "\\0\\0" | "B2" | salt (32) | opslimit (8) | memlimit (8) |
  key id (8) | secret key (64) | BLAKE2b-256 checksum (32)``;
- signature: ``"ED" | key id | Ed25519(BLAKE2b-512(file))`` (prehashed; legacy ``"Ed"`` signs the file
  itself), then ``trusted comment: ...`` and a global signature over signature + trusted comment.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives import serialization

from onrecord.errors import OnRecordError


class SignatureError(OnRecordError):
    code = "bad_signature"


@dataclass(frozen=True)
class PublicKey:
    key_id: bytes
    key: bytes

    @property
    def id_hex(self) -> str:
        return self.key_id[::-1].hex().upper()  # as minisign prints it

    def line(self) -> str:
        return base64.b64encode(b"Ed" + self.key_id + self.key).decode()

    def file_text(self) -> str:
        return f"untrusted comment: minisign public key {self.id_hex}\n{self.line()}\n"


@dataclass(frozen=True)
class SecretKey:
    key_id: bytes
    seed: bytes  # the first 32 bytes of libsodium's 64-byte secret key

    def public(self) -> PublicKey:
        pk = Ed25519PrivateKey.from_private_bytes(self.seed).public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return PublicKey(self.key_id, pk)

    def file_text(self) -> str:
        pk = self.public().key
        sk = self.seed + pk
        checksum = hashlib.blake2b(b"Ed" + self.key_id + sk, digest_size=32).digest()
        blob = b"Ed" + b"\0\0" + b"B2" + bytes(32) + bytes(8) + bytes(8) + self.key_id + sk + checksum
        return f"untrusted comment: minisign secret key (unencrypted)\n{base64.b64encode(blob).decode()}\n"


@dataclass(frozen=True)
class Signature:
    algorithm: bytes
    key_id: bytes
    signature: bytes
    trusted_comment: str
    global_signature: bytes


def _b64(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError(f"{what}: not base64") from None


def _payload_line(text: str, what: str) -> str:
    lines = [l.strip() for l in text.strip().splitlines() if l.strip()]
    if not lines:
        raise SignatureError(f"{what}: empty")
    if lines[0].startswith("untrusted comment:"):
        lines = lines[1:]
    if not lines:
        raise SignatureError(f"{what}: no key after the comment line")
    return lines[0]


def generate() -> SecretKey:
    return SecretKey(os.urandom(8), os.urandom(32))


def parse_public_key(text: str, what: str = "public key") -> PublicKey:
    """A ``RW...`` line, or the text of a minisign ``.pub`` file."""
    raw = _b64(_payload_line(text, what), what)
    if len(raw) != 42 or raw[:2] != b"Ed":
        raise SignatureError(f"{what}: not a minisign Ed25519 public key")
    return PublicKey(raw[2:10], raw[10:])


def parse_secret_key(text: str, what: str = "secret key") -> SecretKey:
    raw = _b64(_payload_line(text, what), what)
    if len(raw) != 158 or raw[:2] != b"Ed" or raw[4:6] != b"B2":
        raise SignatureError(f"{what}: not a minisign Ed25519 secret key")
    if raw[2:4] != b"\0\0":
        raise SignatureError(f"{what}: the key is encrypted with a password; make an unencrypted copy with "
                             "`minisign -C -s KEY` (choose no password) on the signing machine")
    key_id, sk, checksum = raw[54:62], raw[62:126], raw[126:158]
    # minisign 0.11 leaves the checksum of an unencrypted key (made with -W) as zeros.
    if checksum != bytes(32) and hashlib.blake2b(b"Ed" + key_id + sk, digest_size=32).digest() != checksum:
        raise SignatureError(f"{what}: checksum does not match (damaged key file)")
    secret = SecretKey(key_id, sk[:32])
    if secret.public().key != sk[32:]:
        raise SignatureError(f"{what}: the public half does not match the secret half")
    return secret


def parse_signature(text: str, what: str = "signature") -> Signature:
    lines = [l for l in text.replace("\r\n", "\n").split("\n") if l.strip()]
    if len(lines) < 4 or not lines[0].startswith("untrusted comment:") or not lines[2].startswith("trusted comment: "):
        raise SignatureError(f"{what}: not a minisign signature file (4 lines: comment, signature, "
                             "trusted comment, global signature)")
    raw = _b64(lines[1], what)
    if len(raw) != 74 or raw[:2] not in (b"Ed", b"ED"):
        raise SignatureError(f"{what}: not a minisign Ed25519 signature")
    glob = _b64(lines[3], what)
    if len(glob) != 64:
        raise SignatureError(f"{what}: the global signature is damaged")
    return Signature(raw[:2], raw[2:10], raw[10:], lines[2][len("trusted comment: "):], glob)


def sign(data: bytes, secret: SecretKey, trusted_comment: str, untrusted_comment: str = "signature from OnRecord") -> str:
    """The text of a prehashed (``ED``) minisign signature of ``data``."""
    if "\n" in trusted_comment or "\r" in trusted_comment:
        raise SignatureError("trusted comment: must be one line")
    key = Ed25519PrivateKey.from_private_bytes(secret.seed)
    signature = key.sign(hashlib.blake2b(data, digest_size=64).digest())
    glob = key.sign(signature + trusted_comment.encode("utf-8"))
    return (f"untrusted comment: {untrusted_comment}\n"
            f"{base64.b64encode(b'ED' + secret.key_id + signature).decode()}\n"
            f"trusted comment: {trusted_comment}\n{base64.b64encode(glob).decode()}\n")


def verify(data: bytes, signature_text: str, keys: list[PublicKey]) -> tuple[PublicKey, Signature]:
    """The key that signed ``data`` and the parsed signature; ``SignatureError`` saying why when none did."""
    sig = parse_signature(signature_text)
    key = next((k for k in keys if k.key_id == sig.key_id), None)
    if key is None:
        known = ", ".join(k.id_hex for k in keys) or "none"
        raise SignatureError(f"signed by key {sig.key_id[::-1].hex().upper()}, which is not a trusted pack "
                             f"signing key (trusted: {known})")
    public = Ed25519PublicKey.from_public_bytes(key.key)
    message = hashlib.blake2b(data, digest_size=64).digest() if sig.algorithm == b"ED" else data
    try:
        public.verify(sig.signature, message)
    except InvalidSignature:
        raise SignatureError(f"the signature does not match the file (changed after signing?) for key {key.id_hex}") from None
    try:
        public.verify(sig.global_signature, sig.signature + sig.trusted_comment.encode("utf-8"))
    except InvalidSignature:
        raise SignatureError("the trusted comment was changed after signing") from None
    return key, sig
