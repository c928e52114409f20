"""Signed policy packs from the organisation's own web server (managed ``policyPack`` = an https:// URL).

``PackSource.refresh()`` fetches the pack and ``PACK_URL.minisig``, verifies the minisign signature against
the managed ``packSigningKeys`` (current and next, so keys rotate without a release) and accepts the pack
only when it compiles, its ``version:`` is at least the highest this machine has accepted (no rollback)
and at least the managed ``minimumPackVersion``, and its ``expires:`` has not passed (no freeze: TUF's
model). The last good pack is kept in the data folder and stays in force when the server cannot be
reached or a pack is refused; ``status()`` says which pack is in force and when it was last confirmed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import ssl
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from onrecord.errors import OnRecordError, PackError
from onrecord.policy import signing
from onrecord.store.atomic import write_atomic

log = logging.getLogger(__name__)

MAX_PACK_BYTES = 4 * 1024 * 1024
TIMEOUT_SECONDS = 20
STATE_FILE = "state.json"


class PackRefused(OnRecordError):
    code = "pack_refused"


@dataclass(frozen=True)
class Outcome:
    accepted: bool
    message: str
    version: int | None = None
    unreachable: bool = False


def _utc(ts: float | None) -> str | None:
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z") if ts else None


def _expiry(value: Any) -> dt.datetime | None:
    """The moment a pack stops being valid: an ``expires:`` date means the end of that day, UTC."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time.max)
    else:
        text = str(value).strip().replace("Z", "+00:00")
        moment = dt.datetime.fromisoformat(text)
        if len(text) == 10:
            moment = dt.datetime.combine(moment.date(), dt.time.max)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def _fetch(url: str) -> bytes:
    """GET over HTTPS with the system's trust store (``SSL_CERT_FILE`` names another bundle)."""
    request = urllib.request.Request(url, headers={"User-Agent": "OnRecord", "Cache-Control": "no-cache"})
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()) as res:
        data = res.read(MAX_PACK_BYTES + 1)
    if len(data) > MAX_PACK_BYTES:
        raise PackRefused(f"{url}: larger than {MAX_PACK_BYTES // (1024 * 1024)} MB")
    return data


class PackSource:
    """The last good fetched pack and the state that guards it (``packs/`` in the data folder)."""

    def __init__(self, folder: Path, managed: Callable[[], Any], fetch: Callable[[str], bytes] = _fetch,
                 now: Callable[[], float] = time.time, events: Callable[[str, dict], None] | None = None):
        self.folder = Path(folder)
        self.managed = managed  # () -> ManagedSettings
        self.fetch = fetch
        self.now = now
        self.events = events  # (event_type, fields) for the JSON audit
        self._lock = threading.Lock()

    # ---- state ------------------------------------------------------------------------------------

    def _state(self) -> dict:
        try:
            return json.loads((self.folder / STATE_FILE).read_text("utf-8"))
        except FileNotFoundError:
            return {}
        except ValueError:
            log.error("%s is not valid JSON; starting again from no pack", self.folder / STATE_FILE)
            return {}

    def _save(self, state: dict) -> None:
        write_atomic(self.folder / STATE_FILE, json.dumps(state, indent=2, sort_keys=True) + "\n")

    def ref(self, url: str) -> str | None:
        """The path of the last good pack fetched from ``url``, while it has not expired."""
        current = self._state().get("current")
        if not current or current.get("url") != url:
            return None
        expires = current.get("expires")
        if expires and _expiry(expires) < dt.datetime.fromtimestamp(self.now(), dt.timezone.utc):
            return None
        path = self.folder / current["file"]
        return str(path) if path.is_file() else None

    def status(self) -> dict:
        """Which pack is in force, its version and signature state, when it was last confirmed."""
        m = self.managed()
        url = m.get("policyPack") if m.get("policyPack", "").startswith("https://") else None
        state = self._state()
        current = state.get("current")
        out: dict[str, Any] = {"url": url, "in_force": None, "last_error": state.get("last_error"),
                               "last_attempt": _utc(state.get("last_attempt")), "highest_version": state.get("highest_version")}
        if current and url and current.get("url") == url:
            expired = self.ref(url) is None
            out["in_force"] = {
                "id": current.get("id"), "version": current.get("version"), "sha256": current.get("sha256"),
                "signed_by": current.get("key_id"), "signature": "expired" if expired else "verified",
                "expires": current.get("expires"), "fetched": _utc(current.get("fetched")),
                "last_confirmed": _utc(current.get("confirmed")),
            }
        return out

    # ---- fetching ---------------------------------------------------------------------------------

    def refresh(self) -> Outcome | None:
        """Fetch and check the managed pack URL; None when no URL is managed."""
        m = self.managed()
        url = m.get("policyPack")
        if not isinstance(url, str) or not url.startswith("https://"):
            return None
        with self._lock:
            state = self._state()
            state["last_attempt"] = self.now()
            try:
                outcome = self._refresh(url, m, state)
            except PackRefused as exc:
                outcome = Outcome(False, exc.message)
                self._emit("pack_rejected", {"outcome": "failure", "message": exc.message, "pack_url": url})
            except (urllib.error.URLError, OSError, ssl.SSLError) as exc:
                reason = getattr(exc, "reason", None) or exc
                outcome = Outcome(False, f"{url}: the server could not be reached ({reason}); the last good pack stays in force",
                                  unreachable=True)
            if outcome.accepted:
                state.pop("last_error", None)
            else:
                state["last_error"] = outcome.message
                log.warning("policy pack: %s", outcome.message)
            self._save(state)
            return outcome

    def _refresh(self, url: str, m, state: dict) -> Outcome:
        keys_text = m.get("packSigningKeys") or []
        if not keys_text:
            raise PackRefused(f"{url}: no packSigningKeys are managed, so no fetched pack can be trusted")
        keys = [signing.public_key(k) for k in keys_text]
        data = self.fetch(url)
        signature = self.fetch(url + signing.SIGNATURE_SUFFIX)
        try:
            verified = signing.verify(data, signature, keys)
            header = signing.pack_header(data)
            # What minisign -V prints (the signed version and expiry) is what is enforced.
            signing.check_comment_agrees(header, verified.trusted_comment)
        except signing.SignatureProblem as exc:
            raise PackRefused(f"{url}: refused: {exc.message}") from None
        key = verified.key
        digest = hashlib.sha256(data).hexdigest()
        current = state.get("current") or {}
        if current.get("url") == url and current.get("sha256") == digest and (self.folder / current.get("file", "-")).is_file():
            current["confirmed"] = self.now()  # the same pack again: in force, and confirmed now
            state["current"] = current
            return Outcome(True, f"{url}: version {current.get('version')} confirmed", current.get("version"))
        version = header.version
        highest = int(state.get("highest_version") or 0)
        if version < highest:
            raise PackRefused(f"{url}: refused: version {version} is older than version {highest} already accepted "
                              "(a rollback)")
        minimum = m.get("minimumPackVersion")
        if minimum is not None and version < minimum:
            raise PackRefused(f"{url}: refused: version {version} is below the managed minimumPackVersion {minimum}")
        if signing.expired(header, dt.datetime.fromtimestamp(self.now(), dt.timezone.utc).date()):
            raise PackRefused(f"{url}: refused: version {version} expired on {header.expires.isoformat()}")
        name = f"pack-{digest[:16]}.yaml"
        write_atomic(self.folder / name, data, mode=0o644)
        try:
            from onrecord.policy.packs import load_pack
            pack = load_pack(str(self.folder / name))
        except PackError as exc:
            (self.folder / name).unlink(missing_ok=True)
            raise PackRefused(f"{url}: refused: version {version} does not load: {exc.message}") from None
        old = current.get("file")
        state["current"] = {"url": url, "file": name, "id": pack.id, "version": version, "sha256": digest,
                            "key_id": key.key_id, "expires": header.expires.isoformat() if header.expires else None,
                            "fetched": self.now(), "confirmed": self.now(), "trusted_comment": verified.trusted_comment}
        state["highest_version"] = max(highest, version)
        if old and old != name:
            (self.folder / old).unlink(missing_ok=True)
        log.info("policy pack %s version %s accepted from %s (key %s)", pack.id, version, url, key.key_id)
        self._emit("pack_loaded", {"outcome": "success", "pack_id": pack.id, "pack_version": version,
                                   "pack_sha256": digest, "pack_url": url, "signing_key": key.key_id})
        return Outcome(True, f"{url}: version {version} of {pack.id} accepted (signed by key {key.key_id})", version)

    def _emit(self, kind: str, fields: dict) -> None:
        if self.events:
            try:
                self.events(kind, fields)
            except Exception as exc:  # the audit never stops a pack from loading
                log.warning("audit: %s not written (%s)", kind, type(exc).__name__)


class Refresher:
    """Refreshes the pack at start and every ``packRefreshHours`` (re-read each time) on a daemon thread."""

    def __init__(self, source: PackSource):
        self.source = source
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="onrecord-pack-refresh", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.source.refresh()
            except Exception:  # the thread's edge: a bad refresh never ends the refreshing
                log.exception("policy pack refresh failed")
            hours = self.source.managed().get("packRefreshHours", 6)
            self._stop.wait(hours * 3600)
