"""Which user opened a loopback connection, so the helper answers its own user alone.

On a shared computer (Remote Desktop, Citrix) every user has the same 127.0.0.1, and another user's
program can connect to this user's helper. On Linux the kernel says who owns each TCP socket
(``/proc/net/tcp``, the ``uid`` column); a connection whose other end belongs to another user is closed
as soon as it is accepted, before a byte of it is read, so it can neither hold a connection slot nor try
pairing codes or tokens. Elsewhere (no ``/proc``) nothing is refused here, and the pairing proof and the
code's own limit are what protect the user.
"""

from __future__ import annotations

import os
import socket

PROC_NET_TCP = "/proc/net/tcp"


def socket_owner(local_port: int, remote_port: int, table: str = PROC_NET_TCP) -> int | None:
    """The uid owning the socket whose local port is ``local_port`` and which is connected to
    ``remote_port`` on the loopback address; None when the system does not say."""
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


def from_another_user(conn: socket.socket, table: str = PROC_NET_TCP) -> bool:
    """True when the program at the other end of ``conn`` runs as another user than this process."""
    if not hasattr(os, "getuid"):
        return False
    try:
        server_port = conn.getsockname()[1]
        client_port = conn.getpeername()[1]
    except OSError:
        return False
    owner = socket_owner(client_port, server_port, table)
    return owner is not None and owner != os.getuid()
