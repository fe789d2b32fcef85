"""Runs one benchmark child process and collects what it measured.

Each child prints one JSON object per stage on stdout. Its whole-process peak resident memory comes
from the kernel when it is reaped (`os.wait4`'s ru_maxrss, which is this child's alone).
"""
import json
import os
import signal
import subprocess
import tempfile
import time


class ChildFailed(Exception):
    pass


def run_child(command, log, timeout_seconds, cwd=None, env=None):
    """(stage records, whole-process peak RSS in MiB, wall seconds). Raises ChildFailed."""
    log("  $ " + " ".join(command))
    with tempfile.TemporaryFile(mode="w+") as out, tempfile.TemporaryFile(mode="w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=cwd, env=env,
                                   start_new_session=True)
        deadline = start + timeout_seconds
        try:
            while True:
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() > deadline:
                    raise ChildFailed(f"timed out after {timeout_seconds} s: {' '.join(command)}")
                time.sleep(0.05)
        except BaseException:
            # Timed out, or the driver was interrupted: the child (its own session) must not outlive it.
            os.killpg(process.pid, signal.SIGKILL)
            os.wait4(process.pid, 0)
            raise
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        raise ChildFailed(f"exit {process.returncode}: {' '.join(command)}\n{stderr[-3000:]}")
    records = []
    for line in stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            records.append(json.loads(line))
    return records, usage.ru_maxrss / 1024.0, wall
