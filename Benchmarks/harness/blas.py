"""Switches the system BLAS (Debian alternatives) between the reference BLAS and OpenBLAS.

Only programs that link the system's libblas.so.3 are affected: ArxivDigest's CBLAS module does;
scikit-learn and fastText do not (numpy and scipy ship their own OpenBLAS, fastText uses none).
`BlasSwitcher` remembers the alternative in force when it was created and `restore()` puts it back;
use it as a context manager so the restore happens on any exit.
"""
import os
import re
import subprocess

ALTERNATIVE = "libblas.so.3-x86_64-linux-gnu"
CHOICES = {
    "reference": "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3",
    "openblas": "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3",
}
PACKAGES = {"reference": "libblas3", "openblas": "libopenblas0-pthread"}


def _run(args, check=True):
    return subprocess.run(args, check=check, capture_output=True, text=True)


def query():
    """(mode, current path) of the alternative, e.g. ('auto', '/usr/lib/.../blas/libblas.so.3')."""
    out = _run(["update-alternatives", "--query", ALTERNATIVE]).stdout
    mode = re.search(r"^Status: (\S+)", out, re.M).group(1)
    value = re.search(r"^Value: (\S+)", out, re.M).group(1)
    return mode, value


def best_in_auto_mode():
    out = _run(["update-alternatives", "--query", ALTERNATIVE]).stdout
    return re.search(r"^Best: (\S+)", out, re.M).group(1)


def ensure_installed(name, log):
    if os.path.exists(CHOICES[name]):
        return
    log(f"installing {PACKAGES[name]} (apt-get)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", PACKAGES[name]], check=True, env=env,
                   stdout=subprocess.DEVNULL)


class BlasSwitcher:
    def __init__(self, log):
        self.log = log
        self.saved = query()
        self.current = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.restore()

    def use(self, name):
        _run(["update-alternatives", "--set", ALTERNATIVE, CHOICES[name]])
        self.current = name
        self.log(f"system BLAS is now {name}: {query()[1]}")

    def restore(self):
        mode, path = self.saved
        self.current = None
        if query() == self.saved:
            return
        if mode == "auto" and best_in_auto_mode() == path:
            _run(["update-alternatives", "--auto", ALTERNATIVE])
        else:
            _run(["update-alternatives", "--set", ALTERNATIVE, path])
        now_mode, now_path = query()
        self.log(f"system BLAS restored: {now_path} ({now_mode} mode; before the run: {path}, {mode} mode)")


def describe_current():
    """The library libblas.so.3 resolves to now, and its Debian package version."""
    mode, path = query()
    real = os.path.realpath(path)
    package = _run(["dpkg", "-S", path], check=False).stdout.split(":")[0] or "?"
    version = _run(["dpkg-query", "-W", "-f=${Version}", package], check=False).stdout or "?"
    return {"mode": mode, "path": path, "real_path": real, "package": package, "version": version}
