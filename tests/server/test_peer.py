"""Another user's programs cannot reach this user's helper (Linux): the kernel's table names each
loopback socket's owner, and the helper closes a connection from another user on accept."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import uuid

import pytest
import requests

from onrecord.server.peer import diag_owner, from_another_user, socket_owner
from onrecord.server.serve import HelperServer
from onrecord.store import clients

from .support import CHROME

needs_root = pytest.mark.skipif(os.getuid() != 0 or not shutil.which("useradd"),
                                reason="needs root to create a user (CI runs as root)")


@pytest.fixture
def loopback():
    """A listening socket, a client connected to it, and the accepted end."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.create_connection(server.getsockname())
    conn, _ = server.accept()
    yield server, client, conn
    for s in (client, conn, server):
        s.close()


def test_the_owner_of_a_loopback_connection_is_found(loopback):
    server, client, conn = loopback
    assert socket_owner(client.getsockname()[1], server.getsockname()[1]) == os.getuid()
    assert from_another_user(conn) is False


def test_the_kernel_names_the_owner_of_one_socket_without_reading_the_whole_table(loopback):
    server, client, conn = loopback
    assert diag_owner(client.getsockname(), server.getsockname()) == os.getuid()
    # The helper's own end of the connection, asked the other way round, is found too; a socket that
    # does not exist is not.
    assert diag_owner(conn.getsockname(), conn.getpeername()) == os.getuid()
    with socket.socket() as spare:
        spare.bind(("127.0.0.1", 0))
        assert diag_owner(spare.getsockname(), server.getsockname()) is None


def test_every_waiting_connection_is_taken_in_one_turn_of_the_loop(onrecord_home):
    """A program that opens hundreds of connections at once must not put a real check behind hundreds of
    turns of the server's loop: one turn takes every connection that is waiting."""
    from onrecord.app import create_app
    from .support import free_port

    helper = HelperServer(create_app(), [free_port()])  # not serving: the test turns the loop itself
    waiting = [socket.create_connection(("127.0.0.1", helper.port)) for _ in range(60)]
    try:
        before = len(helper.server._map)
        helper.server.handle_accept()  # what one turn does when the listening socket is readable
        assert len(helper.server._map) - before == 60
    finally:
        for s in waiting:
            s.close()
        helper.server.close()
        helper.server.task_dispatcher.shutdown()


def _as_other_user(code: str) -> subprocess.CompletedProcess:
    name = f"onr{uuid.uuid4().hex[:8]}"
    subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True)
    try:
        return subprocess.run(["runuser", "-u", name, "--", "/usr/bin/python3", "-c", code], capture_output=True,
                              text=True, timeout=60, cwd="/")
    finally:
        subprocess.run(["userdel", name], check=False)


@needs_root
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


@needs_root
def test_where_connections_cannot_be_closed_on_accept_another_users_codes_are_refused_unread(served):
    """As on macOS, where asking who is at the other end takes too long to do for every connection: the
    helper asks when a pairing code arrives. Another user's codes, however many, are refused without
    being compared, so they can neither guess this user's code nor void it."""
    helper = served(close_other_users=False)
    code = clients.new_pairing_code().code
    wrong = [c for c in (f"{n:06d}" for n in range(200000, 200012)) if c != code][:8]
    script = ("import http.client, json\n"
              "answers = []\n"
              f"for code in {wrong!r}:\n"
              f"    c = http.client.HTTPConnection('127.0.0.1', {helper.port}, timeout=10)\n"
              f"    c.request('POST', '/v1/pair', json.dumps({{'code': code}}), {{'Origin': {CHROME!r}, "
              "'Content-Type': 'application/json'})\n"
              "    r = c.getresponse()\n"
              "    answers.append([r.status, json.loads(r.read())['error']['code']])\n"
              "print(json.dumps(answers))\n")
    done = _as_other_user(script)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [[403, "another_user"]] * len(wrong)
    # The code this user was shown still pairs their browser.
    r = helper.call("POST", "/v1/pair", token=None, json={"code": code})
    assert r.status_code == 200, r.text
