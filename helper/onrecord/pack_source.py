"""Signed policy packs fetched from the organisation's own web server: the one implementation.

A pack named by an ``https://`` URL (managed ``policyPack``, or a profile's ``policy_pack``) is fetched with
its signature (URL + ``.minisig``), verified against the managed ``packSigningKeys`` (the current key first,
the next second, so keys rotate without a release: ``onrecord.policy.signing``), and accepted only when

- the signed trusted comment's ``version:``/``expires:`` are the pack's own (and its ``file:``, when given,
  is the URL's file name: a pack signed for one address is not accepted at another);
- its ``version`` is at least the highest this machine has accepted from that URL (no rollback) and at
  least the managed ``minimumPackVersion``;
- it has not expired (good through its ``expires:`` date, UTC: no freeze on an old release);
- it compiles as a pack.

The last good pack (its bytes and signature, and ``state.json`` saying which it is) is kept in ``packs/`` in
the data folder, written atomically, verified again whenever it is read, and stays in force when the server
cannot be reached or a newer fetch is refused. Every refusal is logged, kept in the state with a stable
``reason`` (``tampered``, ``unknown_key``, ``rollback``, ``below_minimum``, ``expired``, ``not_https``,
``mismatch``, ``bad_pack``, ``too_large``, ``no_keys``) and handed to ``events`` (``pack_rejected``; an
accepted one is ``pack_loaded``) for the JSON audit. ``Refresher`` checks again at start and periodically.

For other commands and the helper's answers: ``report(managed, profile_ref)`` (a command) or
``PackSource.status(url)`` / ``HelperService.pack_report()`` (the helper) say which pack id and version is in
force, its signature state and when it was last confirmed. ``managed`` is a function giving the managed
settings as a mapping (``packSigningKeys``, ``minimumPackVersion``, ``policyPack``, ``packRefreshHours``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import posixpath
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

from onrecord.errors import PackError
from onrecord.policy import signing
from onrecord.policy.packs import Pack, PackLibrary
from onrecord.store.atomic import write_atomic

log = logging.getLogger(__name__)

MAX_PACK_BYTES = 2 * 1024 * 1024
MAX_SIGNATURE_BYTES = 16 * 1024  # four lines, the trusted comment at most 8 KB
TIMEOUT_SECONDS = 15
STATE_FILE = "state.json"
DEFAULT_REFRESH_HOURS = 6
RETRY_UNREACHABLE_SECONDS = 15 * 60
RECHECK_STATE_SECONDS = 1.0


@dataclass(frozen=True)
class Outcome:
    """What one refresh did: ``accepted`` (a pack is newly in force or confirmed), else why not."""

    accepted: bool
    message: str
    version: int | None = None
    reason: str | None = None  # a SignatureProblem reason, or "unreachable"

    @property
    def unreachable(self) -> bool:
        return self.reason == "unreachable"


class Unreachable(Exception):
    """The server could not be reached or did not answer with the file (not a refusal of a pack)."""


def is_url(ref: object) -> bool:
    """Whether a pack reference names a web address rather than a built-in id or a file."""
    return isinstance(ref, str) and "://" in ref


def _utc(ts: float | None) -> str | None:
    if not ts:
        return None
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


class _HttpsOnlyRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not newurl.lower().startswith("https://"):
            raise signing.SignatureProblem("not_https", f"the server redirected to {newurl}, which is not https://")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def https_fetcher(cafile: str | None = None, timeout: float = TIMEOUT_SECONDS) -> Callable[[str, int], bytes]:
    """GET over HTTPS with the system's trust store (``SSL_CERT_FILE`` names another; ``cafile`` wins), a
    timeout and a size limit."""
    def fetch(url: str, limit: int) -> bytes:
        # Made for each fetch (a few times a day): a trust store updated meanwhile is used.
        context = ssl.create_default_context(cafile=cafile)
        opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), _HttpsOnlyRedirects())
        request = urllib.request.Request(url, headers={"User-Agent": "OnRecord", "Cache-Control": "no-cache"})
        try:
            with opener.open(request, timeout=timeout) as answer:
                data = answer.read(limit + 1)
        except urllib.error.HTTPError as exc:
            raise Unreachable(f"the server answered {exc.code} {exc.reason} for {url}") from None
        except ssl.SSLCertVerificationError as exc:
            raise Unreachable(f"the server's certificate is not trusted ({exc.verify_message})") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, ssl.SSLCertVerificationError):
                raise Unreachable(f"the server's certificate is not trusted ({reason.verify_message})") from None
            raise Unreachable(f"the server could not be reached ({reason})") from None
        except (OSError, ssl.SSLError) as exc:  # timeouts, resets
            raise Unreachable(f"the server could not be reached ({exc})") from None
        if len(data) > limit:
            raise signing.SignatureProblem("too_large", f"{url} is larger than {limit // 1024} KB")
        return data

    return fetch


def _minimum(managed: Mapping) -> int:
    value = managed.get("minimumPackVersion")
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _managed_keys(managed: Mapping) -> list[signing.PublicKey]:
    raw = managed.get("packSigningKeys") or []
    if isinstance(raw, str):
        raw = [raw]
    keys = []
    for i, text in enumerate(raw):
        try:
            keys.append(signing.public_key(str(text)))
        except signing.SignatureProblem as exc:
            log.error("packSigningKeys[%d] is ignored: %s", i, exc.message)
    return keys


class PackSource:
    """The last good signed pack of each URL, and the state that guards it (``folder``, in the data folder).

    ``managed`` gives the managed settings as a mapping; ``fetch(url, limit)`` is the HTTPS client (tests pass
    ``https_fetcher(cafile=...)``); ``now`` the time; ``events(kind, fields)`` the JSON audit's writer.
    """

    def __init__(self, folder: Path, managed: Callable[[], Mapping] | Mapping | None = None, *,
                 fetch: Callable[[str, int], bytes] | None = None, now: Callable[[], float] = time.time,
                 events: Callable[[str, dict], None] | None = None, cafile: str | None = None,
                 library: PackLibrary | None = None):
        self.folder = Path(folder)
        self.library = library if library is not None else PackLibrary()  # compiles the packs kept here
        if managed is None:
            self.managed: Callable[[], Mapping] = dict
        elif callable(managed):
            self.managed = managed
        else:
            self.managed = lambda: managed
        self.fetch = fetch or https_fetcher(cafile)
        self.now = now
        self.events = events
        self._lock = threading.RLock()
        # The state as last read, and the file's look then: looked at again at most once a second, so a check
        # costs no file system work and a pack fetched by `onrecord policy refresh` (another process) is
        # seen within a second.
        self._state_path = str(self.folder / STATE_FILE)
        self._state_cache: dict | None = None
        self._state_stamp: tuple | None = None
        self._state_checked = float("-inf")
        self._summary: tuple[str, float, dict] | None = None  # (url, until, summary): the answers' copy
        # (url, pack file, keys) -> the compiled pack, once its signature is checked again
        self._verified: tuple[tuple, Pack] | None = None

    # Which URL -----------------------------------------------------------------------------------

    def wanted(self, profile_ref: str | None = None) -> str | None:
        """The pack URL in effect: the managed ``policyPack`` wins; else the profile's, when it is a URL."""
        managed = self.managed().get("policyPack")
        if isinstance(managed, str) and managed.strip():
            return managed.strip() if is_url(managed) else None
        return profile_ref.strip() if is_url(profile_ref) else None

    # State ---------------------------------------------------------------------------------------

    def _stamp(self) -> tuple | None:
        try:
            st = os.stat(self._state_path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def _read_state(self) -> dict:
        """The state as saved (kept while the file is unchanged); do not change what it returns."""
        now = time.monotonic()
        if self._state_cache is not None and now - self._state_checked < RECHECK_STATE_SECONDS:
            return self._state_cache
        self._state_checked = now
        stamp = self._stamp()
        if self._state_cache is None or stamp != self._state_stamp:
            try:
                data = json.loads((self.folder / STATE_FILE).read_text("utf-8"))
            except FileNotFoundError:
                data = {}
            except (OSError, ValueError) as exc:
                log.error("%s cannot be read (%s); no fetched pack is in force until the next good one",
                          self.folder / STATE_FILE, type(exc).__name__)
                data = {}
            self._state_cache, self._state_stamp = (data if isinstance(data, dict) else {}), stamp
        return self._state_cache

    def _state(self) -> dict:
        """A copy of the state (refresh changes its copy, and keeps it only once it is saved)."""
        return json.loads(json.dumps(self._read_state()))

    def _save(self, state: dict) -> None:
        write_atomic(self.folder / STATE_FILE, json.dumps(state, indent=2, sort_keys=True) + "\n",
                     what="the fetched policy pack's state")
        self._state_cache, self._state_stamp = state, self._stamp()
        self._summary = None

    def _entry(self, state: dict, url: str) -> dict:
        return state.setdefault("sources", {}).setdefault(url, {})

    # The pack in force ---------------------------------------------------------------------------

    def _today(self) -> dt.date:
        return dt.datetime.fromtimestamp(self.now(), dt.timezone.utc).date()

    def _current(self, url: str) -> tuple[dict | None, str | None]:
        """The last good pack's record for ``url`` and, when it cannot be used now, why."""
        current = (self._read_state().get("sources") or {}).get(url, {}).get("current")
        if not current:
            return None, "none"
        expires = current.get("expires")
        if expires and self._today() > dt.date.fromisoformat(expires):
            return current, "expired"
        if current.get("version", 0) < _minimum(self.managed()):  # the organisation has raised the floor
            return current, "below_minimum"
        return current, None

    def pack(self, url: str) -> Pack | None:
        """The compiled last good pack for ``url``: its signature checked again against today's keys (a key
        taken out of ``packSigningKeys`` stops its packs), not expired; None when there is none."""
        with self._lock:
            current, problem = self._current(url)
            if problem:
                return None
            path = self.folder / current["file"]
            raw_keys = self.managed().get("packSigningKeys") or ()
            # The file is named by its hash: the same name is the same pack, checked already with these keys.
            key = (url, str(path), tuple(raw_keys) if isinstance(raw_keys, (list, tuple)) else (raw_keys,))
            if self._verified and self._verified[0] == key:
                return self._verified[1]
            keys = _managed_keys(self.managed())
            try:
                data = path.read_bytes()
                sig = (self.folder / (current["file"] + signing.SIGNATURE_SUFFIX)).read_bytes()
                signing.verify(data, sig, keys)
                pack = self.library.load(str(path))
            except (OSError, signing.SignatureProblem, PackError) as exc:
                log.error("the kept policy pack from %s is not used: %s", url, getattr(exc, "message", exc))
                return None
            self._verified = (key, pack)
            return pack

    def compiled(self, ref: str) -> Pack | None:
        """The compiled pack for ``ref`` when it is the kept pack's file that ``ref(url)`` gave (verified
        then), so a check costs no file system work; else None."""
        verified = self._verified
        return verified[1] if verified is not None and verified[1].origin == ref else None

    def ref(self, url: str) -> str | None:
        """The file of the last good pack for ``url`` (for ``PackLibrary.load``), or None (see ``pack``)."""
        pack = self.pack(url)
        return pack.origin if pack is not None else None

    def status(self, url: str | None = None) -> dict:
        """Which pack is in force for ``url`` (default: the managed one), its signature state (``verified``;
        ``none`` before a good one; for the kept one, ``expired``, ``below_minimum`` or ``not_trusted``: its
        signature no longer verifies with today's keys) and when it was last confirmed."""
        url = url if url is not None else self.wanted()
        out: dict[str, Any] = {"url": url, "in_force": None, "signature": "none", "last_error": None,
                               "last_problem": None, "last_attempt": None, "highest_version": None}
        if not url:
            return out
        entry = (self._read_state().get("sources") or {}).get(url, {})  # read only: no copy
        current, problem = self._current(url)
        if current:
            state = problem or ("verified" if self.pack(url) else "not_trusted")
            out["signature"] = state
            out["in_force"] = {
                "id": current.get("id"), "version": current.get("version"), "sha256": current.get("sha256"),
                "signed_by": current.get("key_id"), "signature": state, "expires": current.get("expires"),
                "fetched": _utc(current.get("fetched")), "last_confirmed": _utc(current.get("confirmed")),
            } if state == "verified" else None
            if state != "verified":
                out["kept"] = {"id": current.get("id"), "version": current.get("version"),
                               "expires": current.get("expires")}
        last = entry.get("last_problem")
        out.update(last_problem=last, last_error=last["message"] if last else None,
                   last_attempt=_utc(entry.get("last_attempt")), highest_version=entry.get("highest_version"))
        return out

    def summary(self, url: str | None = None) -> dict:
        """The short form for answers the extension reads: ``{url, id, version, signature, last_confirmed}``
        (made at most once a second: it goes into every check's answer)."""
        url = url if url is not None else self.wanted()
        now = time.monotonic()
        cached = self._summary
        if cached is not None and cached[0] == url and now < cached[1]:
            return cached[2]
        status = self.status(url)
        info = status["in_force"] or status.get("kept") or {}
        summary = {"url": status["url"], "id": info.get("id"), "version": info.get("version"),
                   "signature": status["signature"],
                   "last_confirmed": (status["in_force"] or {}).get("last_confirmed"), "problem": status["last_error"]}
        self._summary = (url, now + RECHECK_STATE_SECONDS, summary)
        return summary

    # Fetching ------------------------------------------------------------------------------------

    def refresh(self, url: str | None = None) -> Outcome | None:
        """Fetch and check the pack at ``url`` (default: the managed one); None when no URL is in effect."""
        url = url if url is not None else self.wanted()
        if not url:
            return None
        with self._lock:
            state = self._state()
            entry = self._entry(state, url)
            entry["last_attempt"] = self.now()
            try:
                outcome = self._refresh(url, entry)
            except signing.SignatureProblem as exc:
                message = f"{url}: refused: {exc.message}"
                kept = entry.get("current")
                if kept:
                    message += f"; version {kept.get('version')} of {kept.get('id')} stays in force"
                outcome = Outcome(False, message, reason=exc.reason)
                self._emit("pack_rejected", {"outcome": "failure", "reason": exc.reason, "message": message,
                                             "pack_url": url})
            except (Unreachable, OSError) as exc:
                outcome = Outcome(False, f"{url}: {exc}; the last good pack stays in force", reason="unreachable")
            if outcome.accepted:
                entry.pop("last_problem", None)
            else:
                entry["last_problem"] = {"reason": outcome.reason, "message": outcome.message,
                                         "at": _utc(self.now())}
                log.warning("policy pack: %s", outcome.message)
            self._save(state)
            return outcome

    def _refresh(self, url: str, entry: dict) -> Outcome:
        if not url.lower().startswith("https://"):
            raise signing.SignatureProblem("not_https", "a policy pack is fetched over https:// only")
        managed = self.managed()
        keys = _managed_keys(managed)
        if not keys:
            raise signing.SignatureProblem("no_keys", "no packSigningKeys are set in managed settings, so no "
                                                      "fetched pack can be trusted")
        data = self.fetch(url, MAX_PACK_BYTES)
        sig = self.fetch(url + signing.SIGNATURE_SUFFIX, MAX_SIGNATURE_BYTES)
        verified = signing.verify(data, sig, keys)
        digest = hashlib.sha256(data).hexdigest()
        current = entry.get("current") or {}
        header = signing.pack_header(data)
        signing.check_comment_agrees(header, verified.trusted_comment)
        signed_file = signing.comment_fields(verified.trusted_comment).get("file")
        served_as = posixpath.basename(urllib.parse.urlsplit(url).path)
        if signed_file and signed_file != served_as:
            raise signing.SignatureProblem("mismatch", f"the signature was made for {signed_file}, not {served_as}")
        version = header.version
        minimum = _minimum(managed)
        if version < minimum:
            raise signing.SignatureProblem("below_minimum", f"version {version} is below the managed "
                                                            f"minimumPackVersion {minimum}")
        highest = int(entry.get("highest_version") or 0)
        if version < highest:
            raise signing.SignatureProblem("rollback", f"version {version} is older than version {highest} "
                                                       "already accepted (an old release served again)")
        if signing.expired(header, self._today()):
            raise signing.SignatureProblem("expired", f"version {version} expired on {header.expires.isoformat()}")
        if current.get("sha256") == digest and (self.folder / current.get("file", "-")).is_file():
            current["confirmed"] = self.now()  # the same release again: still in force, confirmed now
            current["key_id"] = verified.key.key_id
            return Outcome(True, f"{url}: version {version} of {current.get('id')} confirmed", version)
        name = f"pack-{digest[:16]}.yaml"
        write_atomic(self.folder / (name + signing.SIGNATURE_SUFFIX), sig, what="the fetched pack's signature")
        write_atomic(self.folder / name, data, what="the fetched policy pack")
        try:
            pack = self.library.load(str(self.folder / name))
        except PackError as exc:
            self._remove(name)
            raise signing.SignatureProblem("bad_pack", f"version {version} does not load: {exc.message}") from None
        entry["current"] = {"file": name, "id": pack.id, "version": version, "sha256": digest,
                            "key_id": verified.key.key_id, "key_index": verified.key_index,
                            "expires": header.expires.isoformat() if header.expires else None,
                            "trusted_comment": verified.trusted_comment, "fetched": self.now(),
                            "confirmed": self.now()}
        entry["highest_version"] = max(highest, version)
        old = current.get("file")
        if old and old != name:
            self._remove(old)
        which = "the current key" if verified.key_index == 0 else "the next key"
        log.info("policy pack %s version %s accepted from %s (signed by %s, %s)", pack.id, version, url,
                 verified.key.key_id, which)
        self._emit("pack_loaded", {"outcome": "success", "pack_id": pack.id, "pack_version": version,
                                   "pack_sha256": digest, "pack_url": url, "signing_key": verified.key.key_id})
        return Outcome(True, f"{url}: version {version} of {pack.id} accepted (signed by {which}, "
                             f"{verified.key.key_id})", version)

    def _remove(self, name: str) -> None:
        for path in (self.folder / name, self.folder / (name + signing.SIGNATURE_SUFFIX)):
            path.unlink(missing_ok=True)

    def _emit(self, kind: str, fields: dict) -> None:
        if self.events:
            try:
                self.events(kind, fields)
            except Exception as exc:  # the audit never stops a pack from loading
                log.warning("audit: %s not written (%s)", kind, type(exc).__name__)


class Refresher:
    """Calls ``refresh()`` at start and then every ``interval()`` seconds on a daemon thread; sooner (15
    minutes) after the server could not be reached."""

    def __init__(self, refresh: Callable[[], Outcome | None], interval: Callable[[], float]):
        self.refresh = refresh
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="onrecord-pack-refresh", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            outcome = None
            try:
                outcome = self.refresh()
            except Exception:  # the thread's edge: one bad refresh never ends the refreshing
                log.exception("policy pack refresh failed")
            wait = self.interval()
            if outcome is not None and outcome.unreachable:
                wait = min(wait, RETRY_UNREACHABLE_SECONDS)
            self._stop.wait(wait)


def refresh_interval(managed: Callable[[], Mapping]) -> Callable[[], float]:
    """Seconds between checks: managed ``packRefreshHours`` (default 6)."""
    def interval() -> float:
        hours = managed().get("packRefreshHours", DEFAULT_REFRESH_HOURS)
        return max(float(hours), 0.25) * 3600 if isinstance(hours, (int, float)) else DEFAULT_REFRESH_HOURS * 3600
    return interval


def kept_pack(managed: Mapping | Callable[[], Mapping], url: str, folder: Path | None = None) -> Pack:
    """For a command: the last good pack the helper fetched from ``url``, verified again with the managed keys
    (nothing is fetched); ``PackError`` saying why when there is none to use."""
    source = PackSource(folder if folder is not None else _packs_folder(), managed)
    pack = source.pack(url)
    if pack is None:
        status = source.status(url)
        why = {"none": "no good pack has been fetched from it yet",
               "expired": "the pack kept from it has expired",
               "below_minimum": "the pack kept from it is below the managed minimumPackVersion",
               "not_trusted": "the pack kept from it no longer verifies with the managed packSigningKeys"}
        problem = f" (last problem: {status['last_error']})" if status["last_error"] else ""
        raise PackError(f"{url}: {why.get(status['signature'], 'no pack kept')}{problem}; start the helper or run "
                        "`onrecord policy refresh` to fetch it")
    return pack


def kept_ref(managed: Mapping | Callable[[], Mapping], url: str, folder: Path | None = None) -> str | None:
    """For a command: the file of the last good pack fetched from ``url``, verified again (as the helper
    uses it), or None while there is none."""
    return PackSource(folder if folder is not None else _packs_folder(), managed).ref(url)


def _packs_folder() -> Path:
    from onrecord import paths
    return paths.home() / "packs"


def report(managed: Mapping, profile_ref: str | None = None, folder: Path | None = None) -> dict | None:
    """For a command (``onrecord status``, ``policy show``): which signed pack is in force on this machine,
    read from the data folder (nothing is fetched); None when no pack is named by URL."""
    source = PackSource(folder if folder is not None else _packs_folder(), managed)
    url = source.wanted(profile_ref)
    return source.status(url) if url else None
