"""Another user's programs cannot reach this user's helper (Linux): the kernel's table names each
loopback socket's owner, and the helper closes a connection from another user on accept."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import uuid

import pytest
import requests

from onrecord.server.peer import from_another_user, socket_owner


def test_the_owner_of_a_loopback_connection_is_found():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.create_connection(server.getsockname())
    conn, _ = server.accept()
    try:
        assert socket_owner(client.getsockname()[1], server.getsockname()[1]) == os.getuid()
        assert from_another_user(conn) is False
    finally:
        for s in (client, conn, server):
            s.close()


def _as_other_user(code: str) -> subprocess.CompletedProcess:
    name = f"onr{uuid.uuid4().hex[:8]}"
    subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True)
    try:
        return subprocess.run(["runuser", "-u", name, "--", "/usr/bin/python3", "-c", code], capture_output=True,
                              text=True, timeout=60, cwd="/")
    finally:
        subprocess.run(["userdel", name], check=False)


@pytest.mark.skipif(os.getuid() != 0 or not shutil.which("useradd"), reason="needs root to create a user (CI runs as root)")
def test_another_users_connection_is_closed_before_anything_is_read(helper):
    code = ("import socket,sys\n"
            f"s=socket.create_connection(('127.0.0.1',{helper.port}),5)\n"
            f"s.sendall(b'GET /v1/health HTTP/1.1\\r\\nHost: 127.0.0.1:{helper.port}\\r\\n\\r\\n')\n"
            "s.settimeout(5)\n"
            "try:\n    data=s.recv(100)\nexcept OSError as e:\n    data=b''\n"
            "print(repr(data))\n")
    done = _as_other_user(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "b''", f"another user got an answer: {done.stdout}"
    # This user's own request is answered as ever.
    assert requests.get(f"{helper.url}/v1/health", timeout=5).json()["app"] == "onrecord"
