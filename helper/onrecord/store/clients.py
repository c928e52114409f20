"""Pairing codes and paired browsers (``clients.sqlite3`` in the data folder).

How a code travels between processes: ``onrecord pair`` (or the settings window) calls
``new_pairing_code``, which stores a keyed hash of the code with its expiry in SQLite and the plain code
in the system keyring. The helper checks a code sent to ``POST /v1/pair`` against the hash; the settings
window shows the plain code with ``current_pairing_code``. There is one code at a time: a new one
replaces the last. Five wrong tries void it; pairing with it spends it.

Tokens are 256 random bits, answered once and never stored: the database keeps only
HMAC-SHA256(token, key), with the key in the system keyring. A revoked client stays listed (so the user
sees what was revoked) and its token stops working on the next request.

Each paired browser also gets a proof key at pairing, HMAC-SHA256(key, "proof-key:" + client id), which
is never stored either (the helper can make it again). Before the extension sends a token or a draft to a
port, it sends a fresh nonce; only this helper can answer HMAC-SHA256(proof key, "onrecord-prove-v1:" +
nonce + ":" + port) (``prove``), and the port in it stops a program on another port from passing on the
real helper's answer as its own.

Browsers that connect by native messaging need no pairing; ``record_native`` notes which and when.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets as _random
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from onrecord.errors import DiskFull, NotFound, Refused, Unauthorized
from onrecord.store import secrets
from onrecord.store.database import ChangeWatch, connect, data_folder, iso_time, read_only_snapshot, transaction

log = logging.getLogger(__name__)

PAIRING_TTL_SECONDS = 120
MAX_WRONG_CODES = 5
TOKEN_BYTES = 32  # 256 bits
# Only one process updates last_seen per client per this many seconds, to keep writes rare.
LAST_SEEN_EVERY = 30

_KEY_NAME = "token-key"
_CODE_NAME = "pairing-code"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS clients (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    origin TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    paired_at REAL NOT NULL,
    last_seen REAL,
    revoked_at REAL
);
CREATE TABLE IF NOT EXISTS pairing_code (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    code_hash TEXT NOT NULL,
    created_at REAL NOT NULL,
    expires_at REAL NOT NULL,
    wrong_tries INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS native_browsers (
    origin TEXT NOT NULL,
    browser TEXT NOT NULL,
    first_seen REAL NOT NULL,
    last_seen REAL NOT NULL,
    PRIMARY KEY (origin, browser)
);
"""


class PairingRefused(Refused):
    """A code that is wrong, expired, spent or voided: the message says which, never what the code was."""

    code = "pairing_refused"


@dataclass(frozen=True)
class PairingCode:
    code: str
    expires_at: float  # seconds since the epoch

    @property
    def seconds_left(self) -> int:
        return max(0, int(self.expires_at - time.time()))


@dataclass(frozen=True)
class Client:
    """A paired browser as the user sees it: never its token."""

    id: int
    origin: str
    paired_at: float
    last_seen: float | None
    revoked_at: float | None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def to_json(self) -> dict:
        return {"id": self.id, "origin": self.origin, "paired_at": iso_time(self.paired_at),
                "last_seen": iso_time(self.last_seen), "revoked": self.revoked, "revoked_at": iso_time(self.revoked_at)}


@dataclass(frozen=True)
class NativeBrowser:
    """A browser that connected by native messaging: no token, nothing to revoke."""

    origin: str  # chrome-extension://ID, or firefox-addon:ID
    browser: str  # Chrome, Chromium, Edge, Brave, Firefox, or the browser family when unknown
    first_seen: float
    last_seen: float

    def to_json(self) -> dict:
        return {"origin": self.origin, "browser": self.browser, "connection": "native",
                "first_seen": iso_time(self.first_seen), "last_seen": iso_time(self.last_seen)}


class NotPaired(Unauthorized):
    """A proof asked for a browser this helper has not paired, or has revoked."""


PROOF_LABEL = "onrecord-prove-v1"


def proof(key_hex: str, nonce: str, port: int) -> str:
    """The answer to a nonce on ``port``: what the extension computes too (with WebCrypto) and compares."""
    message = f"{PROOF_LABEL}:{nonce}:{int(port)}".encode("utf-8")
    return hmac.new(bytes.fromhex(key_hex), message, hashlib.sha256).hexdigest()


def db_path(home: Path | None = None) -> Path:
    return (Path(home) if home else data_folder()) / "clients.sqlite3"


def _client(row) -> Client:
    return Client(row["id"], row["origin"], row["paired_at"], row["last_seen"], row["revoked_at"])


class _LiveClients:
    """The live clients of one database, kept in memory: each one's keyed token hash (never a token) and
    who it is, with the key that makes the hashes.

    Rebuilt whenever the database changes in any process (``ChangeWatch``), so a browser paired a moment
    ago works at once and one revoked by ``onrecord clients revoke`` is refused on its next request,
    while a request in between costs no query.
    """

    def __init__(self, path: Path, secrets_: secrets.Secrets):
        self.path = path
        self.secrets = secrets_
        self.watch = ChangeWatch(path)
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._keyed: hmac.HMAC | None = None  # made with the hashes, on the first look
        self._hashes: tuple[tuple[str, Client], ...] = ()
        # Tokens already matched to a live client, by Python's hash of the token (SipHash, keyed at
        # random for each process), so a browser's next request costs a look-up rather than a keyed
        # hash, and memory still holds no token. Only a token that matched goes in, so a wrong token
        # passes only by giving a 64-bit value it cannot see, past the limit on failed tokens.
        # Emptied with the view, so a revoke still counts on the next request.
        self._verified: dict[int, Client] = {}
        self._said_full = False

    def current(self) -> tuple[hmac.HMAC, tuple[tuple[str, Client], ...], dict[int, Client]]:
        """The keyed hash, ready keyed (a copy of it hashes a token), the live clients' hashes, and the
        tokens already found among them since the database last changed."""
        with self._lock:
            stamp = self.watch.stamp()
            if stamp is None or stamp != self._stamp:
                # The stamp is taken before reading, so a change made during the read shows next time.
                rows = self._read_live()
                self._keyed = hmac.new(self.secrets.get_or_create_key(_KEY_NAME), digestmod=hashlib.sha256)
                self._hashes = tuple((row["token_hash"], _client(row)) for row in rows)
                self._verified = {}
                self._stamp = stamp
            return self._keyed, self._hashes, self._verified

    def _read_live(self) -> list:
        query = "SELECT * FROM clients WHERE revoked_at IS NULL"
        try:
            with connect(self.path, _SCHEMA) as conn:
                return conn.execute(query).fetchall()
        except DiskFull:
            # Paired browsers must still be known on a full disk, so checks go on: read the file as it is.
            if not self._said_full:
                self._said_full = True
                log.warning("the disk is full: reading the paired browsers from the file as it stands")
            snapshot = read_only_snapshot(self.path)
            try:
                return snapshot.execute(query).fetchall()
            finally:
                snapshot.close()

    def close(self) -> None:
        self.watch.close()


class ClientStore:
    """Pairing codes and paired browsers of one data folder (``home``, else the current one).

    The helper's is made once by the app factory and keeps the live clients in memory; a command makes
    its own for the one thing it does.
    """

    def __init__(self, home: Path | None = None):
        self.home = Path(home) if home else None
        self.path = db_path(home)
        self.secrets = secrets.Secrets(home)
        self._live: _LiveClients | None = None
        self._live_lock = threading.Lock()

    def _digest(self, value: str) -> str:
        key = self.secrets.get_or_create_key(_KEY_NAME)
        return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()

    def ensure_token_key(self) -> None:
        """Make the token key if there is none yet (the helper does this once at start)."""
        self.secrets.get_or_create_key(_KEY_NAME)

    def _connect(self):
        return connect(self.path, _SCHEMA)

    # Pairing codes -----------------------------------------------------------------------------------

    def new_pairing_code(self, ttl_seconds: int = PAIRING_TTL_SECONDS) -> PairingCode:
        """Make a new 6-digit code valid for ``ttl_seconds`` (replacing any earlier one) and return it."""
        code = f"{_random.randbelow(1_000_000):06d}"
        now = time.time()
        code_hash = self._digest(code)
        with self._connect() as conn, transaction(conn):
            conn.execute("DELETE FROM pairing_code")
            conn.execute("INSERT INTO pairing_code (id, code_hash, created_at, expires_at) VALUES (1, ?, ?, ?)",
                         (code_hash, now, now + ttl_seconds))
        self.secrets.set(_CODE_NAME, code)
        return PairingCode(code, now + ttl_seconds)

    def current_pairing_code(self) -> PairingCode | None:
        """The code the user should type now, or None when there is no live one (expired, spent or voided)."""
        with self._connect() as conn:
            row = conn.execute("SELECT code_hash, expires_at FROM pairing_code WHERE id = 1").fetchone()
        if row is None or row["expires_at"] <= time.time():
            return None
        code = self.secrets.get(_CODE_NAME)
        if not code or not hmac.compare_digest(self._digest(code), row["code_hash"]):
            return None
        return PairingCode(code, row["expires_at"])

    def _void_code(self, conn) -> None:
        conn.execute("DELETE FROM pairing_code")
        self.secrets.delete(_CODE_NAME)

    def redeem_pairing_code(self, code: str, origin: str) -> tuple[Client, str]:
        """Pair ``origin`` if ``code`` is the live code: returns the new client and its token (the only copy).

        A wrong code counts against the code; the fifth wrong one voids it. Raises ``PairingRefused``.
        """
        offered = self._digest(str(code))
        token = _random.token_urlsafe(TOKEN_BYTES)
        token_hash = self._digest(token)
        now = time.time()
        refusal = None
        # The outcome is decided inside the transaction but raised after it, so a wrong try is counted.
        with self._connect() as conn, transaction(conn):
            row = conn.execute("SELECT code_hash, expires_at, wrong_tries FROM pairing_code WHERE id = 1").fetchone()
            if row is None:
                refusal = "no pairing code is active: run `onrecord pair` or open the settings window for a new one"
            elif row["expires_at"] <= now:
                self._void_code(conn)
                refusal = "the pairing code has expired: ask for a new one"
            elif not hmac.compare_digest(offered, row["code_hash"]):
                tries = row["wrong_tries"] + 1
                if tries >= MAX_WRONG_CODES:
                    self._void_code(conn)
                    refusal = (f"wrong pairing code; after {MAX_WRONG_CODES} wrong codes this one no longer works: "
                               "ask for a new one")
                else:
                    conn.execute("UPDATE pairing_code SET wrong_tries = ? WHERE id = 1", (tries,))
                    refusal = "wrong pairing code"
            else:
                self._void_code(conn)
                cur = conn.execute("INSERT INTO clients (origin, token_hash, paired_at, last_seen) VALUES (?, ?, ?, ?)",
                                   (origin, token_hash, now, now))
                client_id = cur.lastrowid
        if refusal:
            raise PairingRefused(refusal)
        return Client(client_id, origin, now, now, None), token

    # Paired clients ----------------------------------------------------------------------------------

    def _live_clients(self) -> _LiveClients:
        found = self._live
        if found is None:
            with self._live_lock:
                if self._live is None:
                    self._live = _LiveClients(self.path, self.secrets)
                found = self._live
        return found

    def authenticate(self, token: str) -> Client | None:
        """The live (not revoked) client whose token this is, or None.

        Every live hash is compared in constant time, so timing says nothing about which one came near. A
        token matched since the paired browsers last changed is found by its ``hash()`` instead.
        """
        if not token:
            return None
        live = self._live_clients()
        keyed, hashes, verified = live.current()
        seen = hash(token)
        found = verified.get(seen)
        if found is None:
            mac = keyed.copy()  # the same as _digest(token), without keying a new hash on every request
            mac.update(token.encode("utf-8"))
            wanted = mac.hexdigest()
            for token_hash, client in hashes:
                if hmac.compare_digest(wanted, token_hash):
                    found = client
            if found is not None:
                verified[seen] = found
        if found is None:
            return None
        now = time.time()
        if found.last_seen is None or now - found.last_seen >= LAST_SEEN_EVERY:
            try:  # the change it makes rebuilds the live view, so the next request sees the new time
                with connect(live.path, _SCHEMA) as conn:
                    conn.execute("UPDATE clients SET last_seen = ? WHERE id = ?", (now, found.id))
            except (sqlite3.Error, OSError, DiskFull) as exc:  # a busy or full database must not refuse a good token
                log.debug("last_seen not updated (%s)", type(exc).__name__)
        return found

    def list_clients(self, include_revoked: bool = True) -> list[Client]:
        """Paired browsers, oldest first."""
        query = "SELECT * FROM clients" + ("" if include_revoked else " WHERE revoked_at IS NULL") + " ORDER BY id"
        with self._connect() as conn:
            return [_client(r) for r in conn.execute(query).fetchall()]

    def revoke(self, client_id: int) -> Client:
        """Revoke a paired browser: its token stops working on its next request. Revoking twice is harmless."""
        with self._connect() as conn, transaction(conn):
            row = conn.execute("SELECT * FROM clients WHERE id = ?", (int(client_id),)).fetchone()
            if row is None:
                raise NotFound(f"no paired browser has id {client_id} (see `onrecord clients`)")
            if row["revoked_at"] is None:
                conn.execute("UPDATE clients SET revoked_at = ? WHERE id = ?", (time.time(), row["id"]))
            row = conn.execute("SELECT * FROM clients WHERE id = ?", (row["id"],)).fetchone()
        return _client(row)

    # Proving this helper to a paired browser ----------------------------------------------------------

    def proof_key(self, client_id: int) -> str:
        """The key a paired browser checks this helper's proofs with (hex), made again from the token key."""
        key = self.secrets.get_or_create_key(_KEY_NAME)
        return hmac.new(key, f"proof-key:{int(client_id)}".encode(), hashlib.sha256).hexdigest()

    def prove(self, client_id: int, nonce: str, port: int) -> str:
        """This helper's proof on ``nonce`` for the live client ``client_id``; ``NotPaired`` when it is not one."""
        with self._connect() as conn:
            row = conn.execute("SELECT id FROM clients WHERE id = ? AND revoked_at IS NULL",
                               (int(client_id),)).fetchone()
        if row is None:
            raise NotPaired("this browser is not paired with this helper (or was revoked): pair it again")
        return proof(self.proof_key(client_id), nonce, port)

    # Browsers connected by native messaging ------------------------------------------------------------

    def record_native(self, origin: str, browser: str) -> None:
        """Note that ``browser`` connected by native messaging for the extension ``origin`` just now."""
        now = time.time()
        with self._connect() as conn:
            conn.execute("INSERT INTO native_browsers (origin, browser, first_seen, last_seen) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT (origin, browser) DO UPDATE SET last_seen = excluded.last_seen",
                         (origin, browser, now, now))

    def list_native(self) -> list[NativeBrowser]:
        """Browsers that connected by native messaging, the most recent first."""
        with self._connect() as conn:
            rows = conn.execute("SELECT * FROM native_browsers ORDER BY last_seen DESC").fetchall()
        return [NativeBrowser(r["origin"], r["browser"], r["first_seen"], r["last_seen"]) for r in rows]

    def close(self) -> None:
        if self._live is not None:
            self._live.close()


# For one-off use (the command line, tests): each call uses a ClientStore of its own.

def _digest(value: str, home: Path | None = None) -> str:
    return ClientStore(home)._digest(value)


def ensure_token_key(home: Path | None = None) -> None:
    ClientStore(home).ensure_token_key()


def new_pairing_code(ttl_seconds: int = PAIRING_TTL_SECONDS, home: Path | None = None) -> PairingCode:
    return ClientStore(home).new_pairing_code(ttl_seconds)


def current_pairing_code(home: Path | None = None) -> PairingCode | None:
    return ClientStore(home).current_pairing_code()


def redeem_pairing_code(code: str, origin: str, home: Path | None = None) -> tuple[Client, str]:
    return ClientStore(home).redeem_pairing_code(code, origin)


def authenticate(token: str, home: Path | None = None) -> Client | None:
    store = ClientStore(home)
    try:
        return store.authenticate(token)
    finally:
        store.close()


def list_clients(home: Path | None = None, include_revoked: bool = True) -> list[Client]:
    return ClientStore(home).list_clients(include_revoked)


def revoke(client_id: int, home: Path | None = None) -> Client:
    return ClientStore(home).revoke(client_id)


def proof_key(client_id: int, home: Path | None = None) -> str:
    return ClientStore(home).proof_key(client_id)


def prove(client_id: int, nonce: str, port: int, home: Path | None = None) -> str:
    return ClientStore(home).prove(client_id, nonce, port)


def record_native(origin: str, browser: str, home: Path | None = None) -> None:
    ClientStore(home).record_native(origin, browser)


def list_native(home: Path | None = None) -> list[NativeBrowser]:
    return ClientStore(home).list_native()
