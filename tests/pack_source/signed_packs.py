"""Helpers and fixtures for the signed-pack tests (conftest.py hands the fixtures to pytest). A real HTTPS server: a certificate authority made here with ``cryptography``,
a certificate for 127.0.0.1 signed by it, and a web root served over TLS by Python's http.server. The
fetcher trusts that authority through its ``cafile`` (as a machine's trust store would)."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import ipaddress
import ssl
import threading
from pathlib import Path

import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from onrecord.policy import signing
from server.conftest import helper, served  # noqa: F401  (a real helper served over HTTP, for the answers' tests)


def _cert(subject: str, issuer: x509.Name, public_key, signer, ca: bool, san=None) -> x509.Certificate:
    now = dt.datetime.now(dt.timezone.utc)
    builder = (x509.CertificateBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
               .issuer_name(issuer).public_key(public_key).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=2))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True))
    if ca:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
            key_encipherment=False, data_encipherment=False, key_agreement=False, encipher_only=False,
            decipher_only=False), critical=True)
        builder = builder.add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    else:
        builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), critical=False)
    return builder.sign(signer, hashes.SHA256())


@pytest.fixture(scope="session")
def tls(tmp_path_factory) -> dict:
    """{"ca": ca.pem, "cert": server.pem, "key": server.key}: the test authority and the server's pair."""
    folder = tmp_path_factory.mktemp("tls")
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "OnRecord test authority")])
    ca = _cert("OnRecord test authority", ca_name, ca_key.public_key(), ca_key, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _cert("127.0.0.1", ca_name, key.public_key(), ca_key, ca=False,
                 san=[x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
    paths = {"ca": folder / "ca.pem", "cert": folder / "server.pem", "key": folder / "server.key"}
    paths["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths["cert"].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths["key"].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
    return paths


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class WebServer:
    """The organisation's web server: serves ``root`` over HTTPS on 127.0.0.1 until ``stop()``."""

    def __init__(self, root: Path, tls: dict):
        self.root = root
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                     functools.partial(_Handler, directory=str(root)))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(tls["cert"], tls["key"])
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.running = True

    def url(self, name: str = "acme.yaml") -> str:
        return f"https://127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        if self.running:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.running = False


@pytest.fixture
def web(tmp_path, tls):
    root = tmp_path / "www"
    root.mkdir()
    server = WebServer(root, tls)
    yield server
    server.stop()


class Signer:
    """An organisation's signing key, as ``onrecord pack keygen`` makes it."""

    def __init__(self, folder: Path, name: str):
        secret, pub, self.key_id = signing.generate_key_pair()
        self.secret_path = folder / f"{name}.key"
        self.secret_path.write_bytes(secret)
        self.public_line = pub.decode().splitlines()[1]
        self.secret = signing.read_secret_key(self.secret_path)

    def sign(self, data: bytes, file_name: str, comment: str | None = None) -> bytes:
        header = signing.pack_header(data)
        return signing.sign(data, self.secret, comment if comment is not None
                            else signing.trusted_comment_for(header, file_name))


@pytest.fixture
def keys(tmp_path) -> dict:
    folder = tmp_path / "admin"
    folder.mkdir()
    return {name: Signer(folder, name) for name in ("current", "next", "stranger")}


def pack_text(version: int, expires: str | None = None, word: str = "Lighthouse") -> bytes:
    """A pack extending the built-in civil service one, with one rule whose message names its version."""
    data = {
        "id": "acme", "title": "Acme Council", "extends": "civil-service", "version": version,
        "rules": [{
            "id": "acme.confidential.unannounced", "category": "confidential", "severity": "warn",
            "channels": ["any"], "triggers": [{"phrases": [f"Project {word}"]}],
            "message": f"Acme pack version {version}: this project has not been announced.",
            "source": "Acme communications policy 4",
        }],
    }
    if expires:
        data["expires"] = expires
    return yaml.safe_dump(data, sort_keys=False).encode()


def publish(web: WebServer, signer: Signer, data: bytes, name: str = "acme.yaml", comment: str | None = None,
            signed_name: str | None = None) -> str:
    """Put a pack and its signature on the web server; returns the pack's URL."""
    (web.root / name).write_bytes(data)
    (web.root / (name + ".minisig")).write_bytes(signer.sign(data, signed_name or name, comment))
    return web.url(name)
