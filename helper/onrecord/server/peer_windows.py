"""Windows: whose process is at the other end of a loopback connection.

``GetExtendedTcpTable`` (iphlpapi, what ``netstat -ano`` uses) lists every IPv4 TCP connection with the
process that owns it. The row whose local end is the client's address and port and whose remote end is
the helper's names the client's process. Then:

1. ``ProcessIdToSessionId``: on a Remote Desktop or Citrix host each signed-in user has a session of
   their own, and Windows says any process's session without opening it. A client in another session
   is another user's (or a service's).
2. In the same session, ``OpenProcess`` (``PROCESS_QUERY_LIMITED_INFORMATION``) and ``OpenProcessToken``
   give the client's token, whose ``TokenUser`` SID is compared with this process's (a program started
   with "Run as different user" shares the session).

When the table has no row for the connection (it closed meanwhile), or the client's token cannot be
read (a browser's sandboxed network process may not allow it), the answer is ``Peer.UNKNOWN``: only
what Windows says for certain closes a connection.

The parsing of the table is plain Python over its bytes (``pid_from_tcp_table``), so it is tested on
every platform with tables built as Windows lays them out; the calls into Windows run only there.
"""

from __future__ import annotations

import os
import socket
import struct
from dataclasses import dataclass
from typing import Callable

from onrecord.server.peer import Peer

TCP_TABLE_OWNER_PID_CONNECTIONS = 4
ERROR_INSUFFICIENT_BUFFER = 122
PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
TOKEN_QUERY = 0x0008
TOKEN_USER_CLASS = 1  # TokenUser in TOKEN_INFORMATION_CLASS
ROW_SIZE = 24  # MIB_TCPROW_OWNER_PID: state, local address, local port, remote address, remote port, pid


def pid_from_tcp_table(table: bytes, client: tuple[str, int], server: tuple[str, int]) -> int | None:
    """The owning process id of the connection from ``client`` to ``server`` in a MIB_TCPTABLE_OWNER_PID
    (a DWORD count, then rows of six DWORDs; addresses and ports in network byte order, a port in the
    first two bytes of its DWORD, the other two undefined).

    The table has a row for every connection on the machine and this runs for every connection accepted,
    so the client's address and port are found with ``bytes.find`` rather than row by row in Python."""
    if len(table) < 4:
        return None
    (count,) = struct.unpack_from("<I", table, 0)
    end = min(len(table), 4 + count * ROW_SIZE)
    local = socket.inet_aton(client[0]) + struct.pack("!H", client[1])
    remote = socket.inet_aton(server[0]) + struct.pack("!H", server[1])
    at = table.find(local, 4, end)
    while at != -1:
        row = at - 4  # the local address is the row's second DWORD
        if (row - 4) % ROW_SIZE == 0 and row + ROW_SIZE <= end and table[row + 12:row + 18] == remote:
            return struct.unpack_from("<I", table, row + 20)[0]
        at = table.find(local, at + 1, end)
    return None


class _Windows:
    """The Windows calls, typed for 64-bit handles (made only on Windows)."""

    def __init__(self):
        import ctypes
        from ctypes import wintypes
        self.ctypes, self.wintypes = ctypes, wintypes
        self.iphlpapi = ctypes.WinDLL("iphlpapi")
        self.kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        self.advapi32 = ctypes.WinDLL("advapi32", use_last_error=True)
        self.iphlpapi.GetExtendedTcpTable.argtypes = [ctypes.c_void_p, ctypes.POINTER(wintypes.DWORD), wintypes.BOOL,
                                                      wintypes.ULONG, ctypes.c_int, wintypes.ULONG]
        self.iphlpapi.GetExtendedTcpTable.restype = wintypes.DWORD
        self.kernel32.OpenProcess.argtypes = [wintypes.DWORD, wintypes.BOOL, wintypes.DWORD]
        self.kernel32.OpenProcess.restype = wintypes.HANDLE
        self.kernel32.GetCurrentProcess.restype = wintypes.HANDLE
        self.kernel32.CloseHandle.argtypes = [wintypes.HANDLE]
        self.kernel32.LocalFree.argtypes = [ctypes.c_void_p]
        self.kernel32.ProcessIdToSessionId.argtypes = [wintypes.DWORD, ctypes.POINTER(wintypes.DWORD)]
        self.advapi32.OpenProcessToken.argtypes = [wintypes.HANDLE, wintypes.DWORD, ctypes.POINTER(wintypes.HANDLE)]
        self.advapi32.GetTokenInformation.argtypes = [wintypes.HANDLE, ctypes.c_int, ctypes.c_void_p, wintypes.DWORD,
                                                      ctypes.POINTER(wintypes.DWORD)]
        self.advapi32.ConvertSidToStringSidW.argtypes = [ctypes.c_void_p, ctypes.POINTER(wintypes.LPWSTR)]

    def tcp_table(self) -> bytes | None:
        size = self.wintypes.DWORD(0)
        for _ in range(4):  # the table may grow between asking its size and reading it
            buffer = self.ctypes.create_string_buffer(max(size.value, 4))
            status = self.iphlpapi.GetExtendedTcpTable(buffer, self.ctypes.byref(size), False, socket.AF_INET,
                                                       TCP_TABLE_OWNER_PID_CONNECTIONS, 0)
            if status == 0:
                return buffer.raw[:size.value]
            if status != ERROR_INSUFFICIENT_BUFFER:
                return None
        return None

    def token_sid(self, process) -> str | None:
        """The user SID (S-1-5-...) of ``process``'s token, or None when it cannot be read."""
        ctypes, wintypes = self.ctypes, self.wintypes
        token = wintypes.HANDLE()
        if not self.advapi32.OpenProcessToken(process, TOKEN_QUERY, ctypes.byref(token)):
            return None
        try:
            needed = wintypes.DWORD(0)
            self.advapi32.GetTokenInformation(token, TOKEN_USER_CLASS, None, 0, ctypes.byref(needed))
            buffer = ctypes.create_string_buffer(needed.value)
            if not self.advapi32.GetTokenInformation(token, TOKEN_USER_CLASS, buffer, needed, ctypes.byref(needed)):
                return None
            sid = ctypes.c_void_p.from_buffer(buffer).value  # TOKEN_USER starts with the SID's address
            text = wintypes.LPWSTR()
            if not self.advapi32.ConvertSidToStringSidW(sid, ctypes.byref(text)):
                return None
            try:
                return text.value
            finally:
                self.kernel32.LocalFree(text)
        finally:
            self.kernel32.CloseHandle(token)

    def process_sid(self, pid: int) -> str | None:
        """The SID of process ``pid``'s user, or None when Windows does not let this user see it."""
        handle = self.kernel32.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
        if not handle:
            return None
        try:
            return self.token_sid(handle)
        finally:
            self.kernel32.CloseHandle(handle)

    def session(self, pid: int) -> int | None:
        """The session (one for each signed-in user) that process ``pid`` runs in."""
        found = self.wintypes.DWORD()
        if not self.kernel32.ProcessIdToSessionId(pid, self.ctypes.byref(found)):
            return None
        return found.value

    def own_sid(self) -> str | None:
        return self.token_sid(self.kernel32.GetCurrentProcess())


@dataclass(frozen=True)
class Own:
    """This process's session and user SID."""

    session: int | None
    sid: str | None


def judge(pid: int | None, session_of: Callable[[int], int | None], sid_of: Callable[[int], str | None],
          own: Own) -> Peer:
    """The answer from what Windows said: the client's process id (None: no row in the table), its
    session and its user's SID (each None when Windows does not say), and this process's own."""
    if pid is None:
        return Peer.UNKNOWN
    session = session_of(pid)
    if session is not None and own.session is not None and session != own.session:
        return Peer.OTHER
    sid = sid_of(pid)
    if sid is None or own.sid is None:
        return Peer.UNKNOWN
    return Peer.OWN if sid == own.sid else Peer.OTHER


_windows: _Windows | None = None
_own: Own | None = None


def peer(client: tuple[str, int], server: tuple[str, int]) -> Peer:
    global _windows, _own
    if _windows is None:
        _windows = _Windows()
        _own = Own(_windows.session(os.getpid()), _windows.own_sid())
    table = _windows.tcp_table()
    pid = pid_from_tcp_table(table, client, server) if table else None
    return judge(pid, _windows.session, _windows.process_sid, _own)
