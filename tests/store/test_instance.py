"""One helper per data folder: the lock, the runtime file, and what a dead helper leaves behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from onrecord.store import instance
from onrecord.store.instance import AlreadyRunning, InstanceLock, NotRunning


def test_lock_publish_and_release(onrecord_home):
    assert instance.running() is None
    lock = InstanceLock().acquire()
    try:
        assert instance.is_locked()
        runtime = lock.publish(47999, "http://127.0.0.1:47999")
        assert instance.running() == runtime and runtime.pid == os.getpid()
        with pytest.raises(AlreadyRunning, match="pid .*http://127.0.0.1:47999"):
            InstanceLock().acquire()
    finally:
        lock.release()
    assert instance.running() is None and not (onrecord_home / "runtime.json").exists()
    with pytest.raises(NotRunning, match="onrecord run"):
        instance.require_running()


def test_a_runtime_file_without_a_live_helper_is_not_believed(onrecord_home):
    (onrecord_home / "runtime.json").write_text(json.dumps({"pid": 1, "port": 47651, "url": "http://x"}))
    assert instance.read_runtime() is not None
    assert instance.running() is None


def test_another_process_sees_the_lock(onrecord_home):
    with InstanceLock() as lock:
        lock.publish(48000, "http://127.0.0.1:48000")
        code = "from onrecord.store import instance; r = instance.running(); print(r.port if r else None)"
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
        assert out.stdout.strip() == "48000"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert out.stdout.strip() == "None"
