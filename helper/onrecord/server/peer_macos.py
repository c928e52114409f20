"""macOS: whether the other end of a loopback connection is one of this user's processes.

macOS has no per-socket owner table a program can read cheaply, but ``lsof`` (``/usr/sbin/lsof``, part of
the system) lists the network files of the processes this user may inspect. Asked for this user's
processes only (``-a -u UID``) and the client's address and port, it prints the connection as
``127.0.0.1:CLIENT->127.0.0.1:SERVER`` when the client is one of this user's programs. It also prints
the helper's own end of the same connection (``SERVER->CLIENT``: the helper is this user's too), which
is why the direction is read, not just the ports, and which shows that ``lsof`` saw the connection at
all: only when the helper's end is listed and the client's is not is the client someone else's.

It takes tens of milliseconds, so it is asked only when a pairing code arrives, not on every connection.
When ``lsof`` is missing or fails, the answer is ``Peer.UNKNOWN``. The reading of its output (``judge``) is
tested on every platform with ``lsof`` output as macOS prints it.
"""

from __future__ import annotations

import os
import subprocess
from typing import Callable

from onrecord.server.peer import Peer

LSOF = "/usr/sbin/lsof"
TIMEOUT_SECONDS = 5


def lsof_command(client: tuple[str, int], uid: int) -> list[str]:
    # -n -P: numbers, no name look-ups; -a: every condition at once; -F n: one "n" line per file's name.
    return [LSOF, "-n", "-P", "-a", "-u", str(uid), f"-iTCP@{client[0]}:{client[1]}", "-F", "n"]


def listed(output: str, local: tuple[str, int], remote: tuple[str, int]) -> bool:
    """True when ``lsof -F n`` output lists a socket bound to ``local`` and connected to ``remote``."""
    wanted = f"n{local[0]}:{local[1]}->{remote[0]}:{remote[1]}"
    return any(line.strip() == wanted for line in output.splitlines())


def judge(output: str, client: tuple[str, int], server: tuple[str, int]) -> Peer:
    if listed(output, client, server):
        return Peer.OWN
    if listed(output, server, client):  # lsof saw the connection, and its other end is not this user's
        return Peer.OTHER
    return Peer.UNKNOWN


def peer(client: tuple[str, int], server: tuple[str, int],
         run: Callable[..., subprocess.CompletedProcess] = subprocess.run, uid: int | None = None) -> Peer:
    try:
        done = run(lsof_command(client, os.getuid() if uid is None else uid), capture_output=True, text=True,
                   timeout=TIMEOUT_SECONDS, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return Peer.UNKNOWN
    if done.returncode not in (0, 1):  # 1: some of what was asked for was not found
        return Peer.UNKNOWN
    return judge(done.stdout, client, server)
