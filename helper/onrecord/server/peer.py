"""Which user opened a loopback connection, so the helper answers its own user alone.

On a shared computer (Remote Desktop, Citrix) every user has the same 127.0.0.1, and another user's
program can connect to this user's helper. The helper asks the system who owns the other end:

- Linux: the kernel names each TCP socket's uid (below).
- Windows: the TCP table names the process at the other end, and that process's token its user's SID
  (``peer_windows.py``).
- macOS: ``lsof``, limited to this user's processes, lists the other end when it is one of them
  (``peer_macos.py``).

Where the look-up is cheap (Linux, Windows) a connection from another user is closed as soon as it is
accepted, before a byte of it is read, so it can neither hold a connection slot nor try pairing codes or
tokens. ``lsof`` takes tens of milliseconds, too slow for every connection, so on macOS it is asked only
when a pairing code arrives: a code from another user is refused unread, so it can neither guess this
user's code nor use up the wrong tries that void it (``routes.pair``). When the system cannot say
(``Peer.UNKNOWN``), nothing is refused: the pairing proof protects the extension, and the code's own
limit of wrong tries keeps guessing it impractical.

The kernel is asked about the one socket by its address and ports over ``NETLINK_SOCK_DIAG`` (what
``ss`` uses): a few microseconds, however many sockets the machine has. ``/proc/net/tcp`` says the same
but lists every socket on the machine, and reading it costs milliseconds once hundreds are open: read
for each connection accepted, it would let a flood of connections stall the helper. It is the fallback
when netlink is not allowed.
"""

from __future__ import annotations

import enum
import os
import socket
import struct
import sys

from onrecord.errors import Refused

PROC_NET_TCP = "/proc/net/tcp"
NETLINK_SOCK_DIAG = 4
SOCK_DIAG_BY_FAMILY = 20
NLM_F_REQUEST = 1
NLMSG_ERROR = 2
_NO_COOKIE = 0xFFFFFFFF
_UID_AT = 16 + 64  # after the netlink header: family, state, timer, retrans (4), the socket id (48),
                   # expires, rqueue, wqueue (12), then the uid


def diag_owner(local: tuple[str, int], remote: tuple[str, int]) -> int | None:
    """The uid owning the IPv4 TCP socket bound to ``local`` and connected to ``remote`` (Linux
    ``NETLINK_SOCK_DIAG``, one socket looked up by its addresses); None when there is no answer."""
    try:
        sock_id = (struct.pack("!HH16s16s", local[1], remote[1], socket.inet_aton(local[0]).ljust(16, b"\0"),
                               socket.inet_aton(remote[0]).ljust(16, b"\0"))
                   + struct.pack("=III", 0, _NO_COOKIE, _NO_COOKIE))
        request = struct.pack("=BBBBI", socket.AF_INET, socket.IPPROTO_TCP, 0, 0, 0xFFFFFFFF) + sock_id
        with socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, NETLINK_SOCK_DIAG) as nl:
            nl.settimeout(1)
            nl.sendto(struct.pack("=IHHII", 16 + len(request), SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, 1, 0) + request,
                      (0, 0))
            answer = nl.recv(8192)
    except (OSError, AttributeError, ValueError, struct.error):  # no netlink (not Linux), or not allowed
        return None
    if len(answer) < _UID_AT + 4 or struct.unpack_from("=H", answer, 4)[0] == NLMSG_ERROR:
        return None
    return struct.unpack_from("=I", answer, _UID_AT)[0]


def socket_owner(local_port: int, remote_port: int, table: str = PROC_NET_TCP) -> int | None:
    """The uid owning the socket whose local port is ``local_port`` and which is connected to
    ``remote_port``, from the kernel's table of every TCP socket; None when the system does not say."""
    want_local, want_remote = f":{local_port:04X}", f":{remote_port:04X}"
    try:
        with open(table, "r", encoding="ascii") as fh:
            next(fh, None)  # the header line
            for line in fh:
                parts = line.split()
                if len(parts) > 7 and parts[1].endswith(want_local) and parts[2].endswith(want_remote):
                    return int(parts[7])
    except (OSError, ValueError):
        return None
    return None


class AnotherUser(Refused):
    """A request this helper answers only to its own user's programs came from another user's."""

    code = "another_user"


class Peer(enum.Enum):
    """Who is at the other end of a connection, as far as the system can say."""

    OWN = "this user"
    OTHER = "another user"
    UNKNOWN = "unknown"


def _linux_peer(client: tuple[str, int], server: tuple[str, int]) -> Peer:
    owner = diag_owner(client, server)
    if owner is None:
        owner = socket_owner(client[1], server[1])
    if owner is None:
        return Peer.UNKNOWN
    return Peer.OWN if owner == os.getuid() else Peer.OTHER


def peer_of(client: tuple[str, int], server: tuple[str, int], platform: str = sys.platform) -> Peer:
    """Whose program opened the loopback connection from ``client`` to this helper's ``server`` address."""
    try:
        if platform.startswith("linux"):
            return _linux_peer(client, server)
        if platform == "win32":
            from onrecord.server import peer_windows
            return peer_windows.peer(client, server)
        if platform == "darwin":
            from onrecord.server import peer_macos
            return peer_macos.peer(client, server)
    except Exception:  # an edge: a look-up that fails must not stop the helper answering its own user
        return Peer.UNKNOWN
    return Peer.UNKNOWN


# Where the look-up is cheap enough to make for every connection accepted.
CLOSES_ON_ACCEPT = sys.platform.startswith("linux") or sys.platform == "win32"


def peer_of_request(environ: dict, server: tuple[str, int]) -> Peer:
    """Whose program sent the WSGI request ``environ`` (waitress names the client's address and port)."""
    try:
        client = (environ["REMOTE_ADDR"], int(environ["REMOTE_PORT"]))
    except (KeyError, TypeError, ValueError):
        return Peer.UNKNOWN
    return peer_of(client, server)


def from_another_user(conn: socket.socket) -> bool:
    """True only when the system says the program at the other end of ``conn`` runs as another user."""
    try:
        server = conn.getsockname()[:2]
        client = conn.getpeername()[:2]
    except OSError:
        return False
    return peer_of(client, server) is Peer.OTHER
