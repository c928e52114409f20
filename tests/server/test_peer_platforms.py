"""Who is at the other end of a connection, on Windows and macOS.

These systems cannot run here, so these are data tests, and they say so: the Windows TCP table is built
byte for byte as GetExtendedTcpTable lays out a MIB_TCPTABLE_OWNER_PID, Windows' answers about a process
(its session and its user's SID, or none) are stand-ins, and macOS's lsof is replaced by a function that returns the
output lsof prints there. What runs for real is every line of our reading of those answers, and the
choice of look-up by platform. The Linux look-up is tested for real in test_peer.py.
"""

from __future__ import annotations

import socket
import struct
import subprocess

import pytest

from onrecord.server import peer as peer_module
from onrecord.server import peer_macos, peer_windows
from onrecord.server.peer import Peer, peer_of, peer_of_request

HELPER = ("127.0.0.1", 47651)
CLIENT = ("127.0.0.1", 53124)


def tcp_row(local: tuple[str, int], remote: tuple[str, int], pid: int, state: int = 5, upper: bytes = b"\0\0") -> bytes:
    """One MIB_TCPROW_OWNER_PID: DWORDs; addresses as their bytes in order, ports in network order in the
    first two bytes of theirs, the other two (``upper``) undefined (MIB_TCP_STATE_ESTAB is 5)."""
    return (struct.pack("<I", state) + socket.inet_aton(local[0]) + struct.pack("!H", local[1]) + upper
            + socket.inet_aton(remote[0]) + struct.pack("!H", remote[1]) + upper + struct.pack("<I", pid))


def tcp_table(*rows: bytes) -> bytes:
    return struct.pack("<I", len(rows)) + b"".join(rows)


# ------------------------------------------------------------------------------------------ Windows (data)

def test_windows_table_names_the_process_at_the_clients_end():
    table = tcp_table(
        tcp_row(("0.0.0.0", 135), ("0.0.0.0", 0), 1044, state=2),  # a listening socket
        tcp_row(HELPER, CLIENT, 4200),  # the helper's own end of the connection
        tcp_row(("127.0.0.1", 53125), HELPER, 7777),  # another connection to the helper
        tcp_row(CLIENT, HELPER, 9316),  # the client's end: this one
    )
    assert peer_windows.pid_from_tcp_table(table, CLIENT, HELPER) == 9316
    assert peer_windows.pid_from_tcp_table(table, ("127.0.0.1", 50000), HELPER) is None
    # A client that bound another loopback address is matched by its address too.
    assert peer_windows.pid_from_tcp_table(tcp_table(tcp_row(("127.0.0.2", 53124), HELPER, 55)), CLIENT, HELPER) is None


def test_windows_table_is_read_row_by_row_whatever_the_bytes_between():
    # A row whose bytes spell the client's and then the helper's address and port, one DWORD off where
    # they would be in a row of their own.
    decoy = (socket.inet_aton(CLIENT[0]) + struct.pack("!H2x", CLIENT[1]) + socket.inet_aton(HELPER[0])
             + struct.pack("!H2x", HELPER[1]) + struct.pack("<I", 1111) + struct.pack("<I", 0))
    table = tcp_table(decoy, tcp_row(CLIENT, ("127.0.0.1", 8080), 2222),  # the same port, to another server
                      tcp_row(CLIENT, HELPER, 9316, upper=b"\xab\xcd"))  # the undefined half of a port set
    assert peer_windows.pid_from_tcp_table(table, CLIENT, HELPER) == 9316


def test_windows_table_cut_short_or_empty_names_no_one():
    whole = tcp_table(tcp_row(CLIENT, HELPER, 9316))
    assert peer_windows.pid_from_tcp_table(whole[:-4], CLIENT, HELPER) is None
    assert peer_windows.pid_from_tcp_table(b"", CLIENT, HELPER) is None


OWN = peer_windows.Own(session=2, sid="S-1-5-21-1004336348-1177238915-682003330-1001")


@pytest.mark.parametrize("session, sid, expected", [
    (2, "S-1-5-21-1004336348-1177238915-682003330-1001", Peer.OWN),
    (3, "S-1-5-21-1004336348-1177238915-682003330-1002", Peer.OTHER),  # another Remote Desktop user
    (3, None, Peer.OTHER),  # another session, whether or not its token can be read
    (0, None, Peer.OTHER),  # a service
    (2, "S-1-5-21-1004336348-1177238915-682003330-1002", Peer.OTHER),  # "Run as different user", same session
    (2, None, Peer.UNKNOWN),  # same session, token not readable (a sandboxed browser process)
    (None, "S-1-5-21-1004336348-1177238915-682003330-1001", Peer.OWN),
])
def test_windows_compares_the_clients_session_and_user_with_this_processs(session, sid, expected):
    assert peer_windows.judge(9316, lambda pid: session, lambda pid: sid, OWN) is expected


def test_windows_with_no_row_or_nothing_of_its_own_to_compare_says_unknown():
    assert peer_windows.judge(None, lambda pid: 2, lambda pid: OWN.sid, OWN) is Peer.UNKNOWN
    nothing = peer_windows.Own(session=None, sid=None)
    assert peer_windows.judge(9316, lambda pid: 3, lambda pid: OWN.sid, nothing) is Peer.UNKNOWN


# ------------------------------------------------------------------------------------------ macOS (data)

# lsof -n -P -a -u 501 -iTCP@127.0.0.1:53124 -F n, as macOS prints it: "p" the process, "f" the file
# descriptor, "n" the name. The helper's own end is always there (it is this user's process).
LSOF_OWN_CLIENT = ("p812\nf23\nn127.0.0.1:53124->127.0.0.1:47651\n"
                   "p1290\nf9\nn127.0.0.1:47651->127.0.0.1:53124\n")
LSOF_OTHER_CLIENT = "p1290\nf9\nn127.0.0.1:47651->127.0.0.1:53124\n"


@pytest.mark.parametrize("output, expected", [
    (LSOF_OWN_CLIENT, Peer.OWN),
    (LSOF_OTHER_CLIENT, Peer.OTHER),
    ("", Peer.UNKNOWN),  # lsof did not even see the helper's end: it cannot tell
    ("p812\nf23\nn127.0.0.1:53124->127.0.0.1:47652\np1290\nf9\nn127.0.0.1:47651->127.0.0.1:53124\n", Peer.OTHER),
])
def test_macos_reads_lsofs_listing_of_this_users_processes(output, expected):
    assert peer_macos.judge(output, CLIENT, HELPER) is expected


def test_macos_asks_lsof_for_this_users_processes_and_the_clients_address():
    asked = []

    def run(argv, **kwargs):
        asked.append(argv)
        return subprocess.CompletedProcess(argv, 0, LSOF_OWN_CLIENT, "")

    assert peer_macos.peer(CLIENT, HELPER, run=run, uid=501) is Peer.OWN
    assert asked == [["/usr/sbin/lsof", "-n", "-P", "-a", "-u", "501", "-iTCP@127.0.0.1:53124", "-F", "n"]]


@pytest.mark.parametrize("outcome", [FileNotFoundError("lsof"), subprocess.TimeoutExpired("lsof", 5),
                                     subprocess.CompletedProcess([], 2, "", "lsof: bad option")])
def test_macos_without_a_working_lsof_says_unknown(outcome):
    def run(argv, **kwargs):
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert peer_macos.peer(CLIENT, HELPER, run=run, uid=501) is Peer.UNKNOWN


# ------------------------------------------------------------------------------------------ choosing

def test_each_platform_asks_its_own_look_up(monkeypatch):
    monkeypatch.setattr(peer_windows, "peer", lambda client, server: Peer.OTHER)
    monkeypatch.setattr(peer_macos, "peer", lambda client, server: Peer.OWN)
    assert peer_of(CLIENT, HELPER, platform="win32") is Peer.OTHER
    assert peer_of(CLIENT, HELPER, platform="darwin") is Peer.OWN
    assert peer_of(CLIENT, HELPER, platform="freebsd14") is Peer.UNKNOWN


def test_a_look_up_that_fails_refuses_no_one(monkeypatch):
    def broken(client, server):
        raise OSError("iphlpapi.dll not found")

    monkeypatch.setattr(peer_windows, "peer", broken)
    assert peer_of(CLIENT, HELPER, platform="win32") is Peer.UNKNOWN


def test_a_request_names_its_client_by_waitress_environ(monkeypatch):
    seen = []
    monkeypatch.setattr(peer_module, "peer_of", lambda client, server: seen.append((client, server)) or Peer.OWN)
    assert peer_of_request({"REMOTE_ADDR": "127.0.0.1", "REMOTE_PORT": "53124"}, HELPER) is Peer.OWN
    assert seen == [(CLIENT, HELPER)]
    assert peer_of_request({"REMOTE_ADDR": "127.0.0.1"}, HELPER) is Peer.UNKNOWN
