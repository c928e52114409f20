"""Signed policy packs from the organisation's web server (``onrecord.pack_source``), over real HTTPS.

Each refusal test first puts a good pack in force, then serves something that must be refused, and checks
three things a user or administrator would notice: the refusal's message names what is wrong, a real check
still uses the last good pack (its rule's message names its version), and the status says so.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os

import pytest
from signed_packs import pack_text, publish

from onrecord.managed import ManagedReader
from onrecord.pack_source import PackSource
from onrecord.service import CheckRequest, HelperService
from onrecord.store.audit import AuditLog

DRAFT = CheckRequest("x", "@someone", "Excited that Project Lighthouse opens next month!")


class Managed(dict):
    """Managed settings as the organisation writes them: each change is written to ``managed.json``, which the
    helper's real reader reads (the pack source is handed the same values as they are, so a value the schema
    would drop, such as an http:// URL, still reaches it)."""

    def __init__(self, folder, values: dict):
        super().__init__(values)
        self.folder = folder
        folder.mkdir(exist_ok=True)
        self._write()

    def _write(self):
        (self.folder / "managed.json").write_text(json.dumps(dict(self)))

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self._write()


class Machine:
    """One user's helper: its data folder, managed settings, fetched packs and service."""

    def __init__(self, home, tls, managed: dict, now=None):
        self.home, self.tls = home, tls
        self.managed = managed if isinstance(managed, Managed) else Managed(home / "managed", managed)
        self.events: list[tuple[str, dict]] = []
        self.now = now
        self.restart()

    def restart(self):
        kwargs = {"now": self.now} if self.now else {}
        ticks = itertools.count(step=3600)  # the reader looks at the file again on every call
        reader = ManagedReader(self.managed.folder, clock=lambda: next(ticks))
        self.packs = PackSource(self.home / "packs", lambda: self.managed, cafile=str(self.tls["ca"]),
                                events=lambda kind, fields: self.events.append((kind, fields)), **kwargs)
        self.service = HelperService(AuditLog(self.home / "audit.sqlite3"), profile_path=self.home / "profile.yaml",
                                     packs=self.packs, managed=reader)

    def refresh(self):
        return self.service.refresh_pack()

    def acme_message(self) -> str | None:
        """What a real check says about the draft: the fetched pack's rule message, or None (no such rule)."""
        prompts = self.service.check(DRAFT).prompts
        message = next((p.message for p in prompts if p.id == "acme.confidential.unannounced"), None)
        # From the rule's own words on (the engine may put the words that set it off first).
        return message[message.index("Acme pack"):] if message else None

    def status(self) -> dict:
        return self.packs.status()


@pytest.fixture
def machine(onrecord_home, tls, keys, web):
    managed = {"policyPack": web.url("acme.yaml"),
               "packSigningKeys": [keys["current"].public_line, keys["next"].public_line]}
    return Machine(onrecord_home, tls, managed)


def accept(machine, web, signer, version, **kw):
    publish(web, signer, pack_text(version, **kw))
    outcome = machine.refresh()
    assert outcome.accepted, outcome.message
    assert machine.acme_message().startswith(f"Acme pack version {version}:")
    return outcome


def assert_refused(machine, outcome, reason: str, words: str, kept_version: int):
    assert not outcome.accepted and outcome.reason == reason, outcome
    assert words in outcome.message and f"version {kept_version} of acme stays in force" in outcome.message
    assert machine.acme_message().startswith(f"Acme pack version {kept_version}:")
    status = machine.status()
    assert status["in_force"]["version"] == kept_version and status["signature"] == "verified"
    assert status["last_problem"]["reason"] == reason and words in status["last_error"]
    assert machine.events[-1][0] == "pack_rejected" and machine.events[-1][1]["reason"] == reason


def test_a_good_pack_is_fetched_verified_and_used_by_checks(machine, web, keys):
    assert machine.acme_message() is None  # nothing fetched yet: the built-in pack, not no pack at all
    assert machine.service.check(CheckRequest("x", "@someone", "OFFICIAL-SENSITIVE: draft minutes")).prompts
    outcome = accept(machine, web, keys["current"], 1)
    assert "version 1 of acme accepted (signed by the current key" in outcome.message
    status = machine.status()
    assert status["in_force"]["id"] == "acme" and status["in_force"]["signed_by"] == keys["current"].key_id
    confirmed = dt.datetime.fromisoformat(status["in_force"]["last_confirmed"].replace("Z", "+00:00"))
    assert abs((dt.datetime.now(dt.timezone.utc) - confirmed).total_seconds()) < 60
    assert machine.events[-1][0] == "pack_loaded" and machine.events[-1][1]["pack_version"] == 1
    # Kept in the data folder for the next start, readable by the user alone.
    kept = sorted(p.name for p in (machine.home / "packs").iterdir())
    assert kept == sorted(["state.json", kept[0], kept[0] + ".minisig"]) and kept[0].startswith("pack-")
    assert all(os.stat(machine.home / "packs" / k).st_mode & 0o077 == 0 for k in kept)
    # The same release again: still in force, confirmed again.
    again = machine.refresh()
    assert again.accepted and "confirmed" in again.message


def test_a_tampered_pack_is_refused(machine, web, keys):
    accept(machine, web, keys["current"], 1)
    publish(web, keys["current"], pack_text(2))
    (web.root / "acme.yaml").write_bytes(pack_text(2, word="Harbour"))  # changed after signing
    assert_refused(machine, machine.refresh(), "tampered", "changed after signing", 1)


def test_a_pack_signed_by_an_unknown_key_is_refused(machine, web, keys):
    accept(machine, web, keys["current"], 1)
    publish(web, keys["stranger"], pack_text(2))
    outcome = machine.refresh()
    assert_refused(machine, outcome, "unknown_key", f"signed by key {keys['stranger'].key_id}", 1)
    assert "not one of the trusted signing keys" in outcome.message


def test_an_older_version_after_a_newer_one_is_refused(machine, web, keys):
    accept(machine, web, keys["current"], 3)
    publish(web, keys["current"], pack_text(2))  # a real, signed, older release served again
    assert_refused(machine, machine.refresh(), "rollback", "version 2 is older than version 3", 3)
    # Remembered across restarts.
    machine.restart()
    assert_refused(machine, machine.refresh(), "rollback", "version 2 is older than version 3", 3)


def test_a_version_below_the_managed_minimum_is_refused(machine, web, keys):
    machine.managed["minimumPackVersion"] = 7
    accept(machine, web, keys["current"], 7)
    publish(web, keys["current"], pack_text(6))
    assert_refused(machine, machine.refresh(), "below_minimum", "version 6 is below the managed minimumPackVersion 7", 7)
    # A machine with no history (the rollback guard has nothing to go on) refuses it just the same.
    fresh = machine.home / "fresh"
    fresh.mkdir()
    other = Machine(fresh, machine.tls, dict(machine.managed))
    outcome = other.refresh()
    assert not outcome.accepted and outcome.reason == "below_minimum", outcome
    assert other.acme_message() is None


def test_raising_the_minimum_retires_the_kept_pack(machine, web, keys):
    accept(machine, web, keys["current"], 6)
    machine.managed["minimumPackVersion"] = 7
    assert machine.acme_message() is None  # the built-in pack until version 7 is published
    assert machine.status()["signature"] == "below_minimum"
    accept(machine, web, keys["current"], 7)


def test_an_expired_pack_is_refused(machine, web, keys):
    accept(machine, web, keys["current"], 1, expires="2999-12-31")
    yesterday = (dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=1)).isoformat()
    publish(web, keys["current"], pack_text(2, expires=yesterday))
    assert_refused(machine, machine.refresh(), "expired", f"version 2 expired on {yesterday}", 1)


def test_a_pack_is_good_through_its_expiry_date_and_not_after(onrecord_home, tls, keys, web):
    clock = {"now": dt.datetime(2027, 3, 31, 23, 0, tzinfo=dt.timezone.utc).timestamp()}
    managed = {"policyPack": web.url(), "packSigningKeys": [keys["current"].public_line]}
    machine = Machine(onrecord_home, tls, managed, now=lambda: clock["now"])
    accept(machine, web, keys["current"], 1, expires="2027-03-31")
    clock["now"] += 2 * 3600  # 1 April, 01:00 UTC: the kept pack has expired too
    assert machine.acme_message() is None  # the built-in pack, not the frozen release
    status = machine.status()
    assert status["signature"] == "expired" and status["in_force"] is None and status["kept"]["version"] == 1


def test_rotation_to_the_next_key_needs_no_release(machine, web, keys):
    accept(machine, web, keys["current"], 1)
    outcome = accept(machine, web, keys["next"], 2)  # signed with the next key: accepted as it is
    assert "signed by the next key" in outcome.message
    assert machine.status()["in_force"]["signed_by"] == keys["next"].key_id
    # The organisation then drops the old key: the next key is now the current one.
    machine.managed["packSigningKeys"] = [keys["next"].public_line]
    assert machine.acme_message().startswith("Acme pack version 2:")
    publish(web, keys["current"], pack_text(3))
    assert_refused(machine, machine.refresh(), "unknown_key", f"signed by key {keys['current'].key_id}", 2)


def test_a_kept_pack_whose_key_is_withdrawn_is_no_longer_used(machine, web, keys):
    accept(machine, web, keys["current"], 1)
    machine.managed["packSigningKeys"] = [keys["next"].public_line]
    assert machine.acme_message() is None
    assert machine.status()["signature"] == "not_trusted"


def test_the_server_being_down_keeps_the_last_good_pack(machine, web, keys):
    accept(machine, web, keys["current"], 1)
    web.stop()
    outcome = machine.refresh()
    assert not outcome.accepted and outcome.unreachable
    assert "could not be reached" in outcome.message and "the last good pack stays in force" in outcome.message
    assert machine.acme_message().startswith("Acme pack version 1:")
    # After a restart, with the server still down: read from the data folder and verified again.
    machine.restart()
    assert machine.refresh().unreachable
    assert machine.acme_message().startswith("Acme pack version 1:")
    assert machine.status()["in_force"]["version"] == 1


def test_a_kept_pack_changed_on_disk_is_not_used(machine, web, keys):
    accept(machine, web, keys["current"], 1)
    kept = next(p for p in (machine.home / "packs").glob("pack-*.yaml"))
    kept.write_bytes(pack_text(1, word="Harbour"))
    machine.restart()
    assert machine.acme_message() is None and machine.status()["signature"] == "not_trusted"


def test_only_https_is_fetched(machine, web, keys):
    accept(machine, web, keys["current"], 1)
    machine.managed["policyPack"] = f"http://127.0.0.1:{web.port}/acme.yaml"
    outcome = machine.refresh()
    assert not outcome.accepted and outcome.reason == "not_https" and "https:// only" in outcome.message


def test_a_server_whose_certificate_is_not_trusted_is_not_believed(onrecord_home, tls, keys, web):
    managed = {"policyPack": web.url(), "packSigningKeys": [keys["current"].public_line]}
    publish(web, keys["current"], pack_text(1))
    packs = PackSource(onrecord_home / "packs", managed)  # the system's trust store: not our test authority
    outcome = packs.refresh()
    assert not outcome.accepted and "certificate is not trusted" in outcome.message
    assert packs.status()["in_force"] is None


def test_the_signed_comment_must_agree_with_the_pack(machine, web, keys):
    accept(machine, web, keys["current"], 1)
    publish(web, keys["current"], pack_text(2), comment="timestamp:1\tfile:acme.yaml\tversion:9")
    outcome = machine.refresh()
    assert outcome.reason == "mismatch" and "the signature says version:9 but the pack says version: 2" in outcome.message
    publish(web, keys["current"], pack_text(2), comment="timestamp:1")
    assert "has no version:N" in machine.refresh().message
    # Signed for another address (another department's pack), served here.
    publish(web, keys["current"], pack_text(2), signed_name="dept-b.yaml")
    assert_refused(machine, machine.refresh(), "mismatch", "made for dept-b.yaml, not acme.yaml", 1)


def test_a_pack_too_large_is_not_read_whole(machine, web, keys):
    accept(machine, web, keys["current"], 1)
    publish(web, keys["current"], pack_text(2) + b"#" * (3 * 1024 * 1024) + b"\n")
    assert_refused(machine, machine.refresh(), "too_large", "larger than 2048 KB", 1)


def test_no_keys_means_no_fetched_pack(machine, web, keys):
    machine.managed["packSigningKeys"] = []
    publish(web, keys["current"], pack_text(1))
    outcome = machine.refresh()
    assert outcome.reason == "no_keys" and "no packSigningKeys" in outcome.message
    assert machine.acme_message() is None


def test_the_state_is_written_whole(machine, web, keys):
    accept(machine, web, keys["current"], 1)
    state = json.loads((machine.home / "packs" / "state.json").read_text())
    entry = state["sources"][web.url()]
    assert entry["highest_version"] == 1 and entry["current"]["version"] == 1
    assert not [p for p in (machine.home / "packs").iterdir() if p.name.endswith(".tmp")]


def test_commands_read_which_pack_is_in_force_without_fetching(machine, web, keys):
    from onrecord.pack_source import report

    accept(machine, web, keys["current"], 2)
    web.stop()
    seen = report(machine.managed, folder=machine.home / "packs")
    assert seen["in_force"]["version"] == 2 and seen["signature"] == "verified" and seen["url"] == web.url()
    assert report({}, "dh", folder=machine.home / "packs") is None  # a built-in pack: nothing to say


def test_a_profile_may_name_a_pack_by_url(onrecord_home, tls, keys, web, tmp_path):
    from onrecord.store import profile_store

    url = publish(web, keys["current"], pack_text(1))
    source = tmp_path / "amy.yaml"
    source.write_text(f"name: Amy\norganisation: Acme Council\npolicy_pack: {url}\naccounts: []\n")
    profile, _ = profile_store.import_file(source, onrecord_home / "profile.yaml")
    assert profile.policy_pack == url
    machine = Machine(onrecord_home, tls, {"packSigningKeys": [keys["current"].public_line]})
    assert machine.refresh().accepted
    assert machine.acme_message().startswith("Acme pack version 1:")


def test_the_command_line_checks_with_the_kept_pack(machine, web, keys, tmp_path):
    import subprocess
    import sys

    profile = tmp_path / "amy.yaml"
    profile.write_text(f"name: Amy\norganisation: Acme Council\npolicy_pack: {web.url()}\naccounts: []\n")
    env = {**os.environ, "ONRECORD_HOME": str(machine.home), "ONRECORD_MANAGED_DIR": str(machine.managed.folder)}

    def check():
        return subprocess.run([sys.executable, "-m", "onrecord", "check", "--profile", str(profile), "--site", "x",
                               "--account", "@someone", "--json", "-"], input=DRAFT.text.encode(),
                              capture_output=True, env=env, timeout=60)

    before = check()
    assert before.returncode == 2 and before.stderr.decode().count("\n") == 1
    assert "no good pack has been fetched from it yet" in before.stderr.decode()
    accept(machine, web, keys["current"], 3)
    web.stop()  # nothing is fetched: the kept copy is used
    after = check()
    assert after.returncode == 0, after.stderr
    prompts = json.loads(after.stdout)["prompts"]
    assert any("Acme pack version 3:" in p["message"] for p in prompts)


def test_policy_refresh_fetches_the_pack_now(onrecord_home, tls, keys, web, tmp_path):
    import subprocess
    import sys

    url = publish(web, keys["current"], pack_text(5))
    managed = Managed(tmp_path / "managed", {"packSigningKeys": [keys["current"].public_line]})
    profile = tmp_path / "amy.yaml"
    profile.write_text(f"name: Amy\norganisation: Acme Council\npolicy_pack: {url}\naccounts: []\n")
    env = {**os.environ, "ONRECORD_HOME": str(onrecord_home), "ONRECORD_MANAGED_DIR": str(managed.folder),
           "SSL_CERT_FILE": str(tls["ca"])}  # the machine's trust store, as an administrator would set it

    def onrecord(*args):
        return subprocess.run([sys.executable, "-m", "onrecord", *args], capture_output=True, env=env, timeout=60)

    assert onrecord("profile", "import", str(profile)).returncode == 0
    proc = onrecord("policy", "refresh")
    assert proc.returncode == 0 and b"version 5 of acme accepted" in proc.stdout, proc
    publish(web, keys["stranger"], pack_text(6))
    proc = onrecord("policy", "refresh")
    assert proc.returncode == 1 and b"not one of the trusted signing keys" in proc.stdout
    assert b"version 5 of acme stays in force" in proc.stdout
