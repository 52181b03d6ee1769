#!/usr/bin/env python3
"""Start, stop and reset a moto_server on 127.0.0.1 for cordon's test range.

Module use:

    server = MotoServer(env={"INITIAL_NO_AUTH_ACTION_COUNT": "0"})
    url = server.start()        # "http://127.0.0.1:PORT", answers when this returns
    server.reset()              # POST /moto-api/reset
    server.stop()               # SIGTERM to its process group, SIGKILL after a grace period

CLI:

    python3 range/moto.py serve [--env K=V ...] [--port N] [--state-file F] [--log F]
        starts moto, prints {"moto": URL, "pid": PID_OF_THIS_PROCESS, "moto_pid": PID}
        on one line and runs until SIGTERM/SIGINT, then stops moto.
    python3 range/moto.py reset URL
    python3 range/moto.py stop PID      (SIGTERM to a `serve` process, then waits for it)

Only 127.0.0.1 is ever bound. The child is started in its own session and, on Linux, with
PR_SET_PDEATHSIG so that it dies with the process that started it even when that one is SIGKILLed.
This file is named moto.py as the range's layout asks; it never imports the moto package itself
(moto runs as a separate process), and the other range modules load it by path.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

HOST = "127.0.0.1"

try:  # Loaded in the parent: calling dlopen in a forked child is not safe.
    import ctypes

    _LIBC = ctypes.CDLL(None, use_errno=True)
    _PR_SET_PDEATHSIG = 1
except Exception:  # pragma: no cover - non-Linux
    _LIBC = None


def free_port(host: str = HOST) -> int:
    """A port that was free on `host` a moment ago (bind to port 0, read it, release it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def child_preexec(parent_pid: int | None = None, sig: int = signal.SIGTERM):
    """A preexec_fn that makes the child receive `sig` when the thread that forked it dies."""
    parent_pid = os.getpid() if parent_pid is None else parent_pid

    def _fn():
        if _LIBC is not None:
            try:
                _LIBC.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
            except Exception:
                pass
        if os.getppid() != parent_pid:  # the parent died between fork and prctl
            os.kill(os.getpid(), sig)

    return _fn


def parse_env_pairs(pairs) -> dict:
    env = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise ValueError(f"expected K=V, got {pair!r}")
        k, v = pair.split("=", 1)
        if not k:
            raise ValueError(f"empty variable name in {pair!r}")
        env[k] = v
    return env


def _http(method: str, url: str, data: bytes | None = None, timeout: float = 5.0):
    req = urllib.request.Request(url, data=data, method=method)
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return resp.status, resp.read()


def moto_command(env: dict | None = None) -> list:
    """How to run moto_server: the one on PATH, else this interpreter's moto package. With IAM
    authentication on (INITIAL_NO_AUTH_ACTION_COUNT in `env`), through moto_auth.py, which corrects
    moto's signature check of requests without a body (see there), when this interpreter has moto."""
    if "INITIAL_NO_AUTH_ACTION_COUNT" in (env or {}) and importlib.util.find_spec("moto") is not None:
        return [sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "moto_auth.py")]
    exe = shutil.which("moto_server")
    if exe:
        return [exe]
    return [sys.executable, "-c", "import sys; from moto.server import main; sys.exit(main())"]


class MotoError(RuntimeError):
    pass


class MotoServer:
    """One moto_server process on 127.0.0.1."""

    def __init__(self, env: dict | None = None, port: int | None = None,
                 log_path: str | None = None, command: list | None = None):
        self.env = dict(env or {})
        self.requested_port = port
        self.port: int | None = None
        self.log_path = log_path
        self._own_log = log_path is None
        self.command = list(command) if command else moto_command(self.env)
        self.proc: subprocess.Popen | None = None
        self._log_file = None

    @property
    def url(self) -> str:
        if self.port is None:
            raise MotoError("moto is not started")
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def start(self, timeout: float = 30.0) -> str:
        """Start moto and wait until it answers. Returns its URL."""
        if self.proc is not None:
            return self.url
        attempts = 1 if self.requested_port else 3  # a picked free port can be taken meanwhile
        last = None
        for _ in range(attempts):
            try:
                return self._start_once(timeout)
            except MotoError as e:
                last = e
                self.stop()
        raise last

    def _start_once(self, timeout: float) -> str:
        self.port = self.requested_port or free_port()
        if self._own_log:
            fd, self.log_path = tempfile.mkstemp(prefix="cordon-range-moto-", suffix=".log")
            os.close(fd)
        self._log_file = open(self.log_path, "ab")
        env = dict(os.environ)
        env.update(self.env)
        cwd = None if self.command and os.path.basename(self.command[0]) == "moto_server" else "/"
        self.proc = subprocess.Popen(
            self.command + ["-H", HOST, "-p", str(self.port)],
            stdin=subprocess.DEVNULL, stdout=self._log_file, stderr=subprocess.STDOUT,
            env=env, cwd=cwd, start_new_session=True, preexec_fn=child_preexec(),
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise MotoError(f"moto_server exited with {self.proc.returncode}: {self.log_tail()}")
            try:
                status, _ = _http("GET", self.url + "/moto-api/", timeout=2.0)
                if status == 200:
                    return self.url
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.05)
        raise MotoError(f"moto_server did not answer within {timeout}s: {self.log_tail()}")

    def log_tail(self, n: int = 2000) -> str:
        try:
            with open(self.log_path, "rb") as f:
                f.seek(0, os.SEEK_END)
                f.seek(max(0, f.tell() - n))
                return f.read().decode("utf-8", "replace")
        except (OSError, TypeError):
            return ""

    def reset(self) -> None:
        status, body = _http("POST", self.url + "/moto-api/reset", data=b"")
        if status != 200:
            raise MotoError(f"moto reset answered {status}: {body[:200]!r}")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, grace: float = 5.0) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            if proc.poll() is None:
                _signal_group(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(grace)
                except subprocess.TimeoutExpired:
                    _signal_group(proc.pid, signal.SIGKILL)
                    proc.wait(grace)
            else:
                _signal_group(proc.pid, signal.SIGKILL)  # leftovers in its group, if any
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
        if self._own_log and self.log_path:
            try:
                os.unlink(self.log_path)
            except OSError:
                pass
            self.log_path = None
        if not self.requested_port:
            self.port = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()


def _signal_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)  # the child leads its own session, so its pgid is its pid
    except (ProcessLookupError, PermissionError):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


class StopSignals:
    """Turns SIGTERM/SIGINT/SIGHUP into a flag. Install it first thing, so that a signal that
    comes while things start up still ends in a clean stop."""

    def __init__(self):
        self.event = threading.Event()
        self.signum = None
        for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(s, self._handler)

    def _handler(self, signum, _frame):
        self.signum = signum
        self.event.set()

    def wait(self, extra_check=None, interval: float = 0.2) -> int:
        """Block until a signal came; `extra_check()` returning a string ends the wait with 1."""
        while not self.event.wait(interval):
            if extra_check is not None:
                why = extra_check()
                if why:
                    print(why, file=sys.stderr)
                    return 1
        return 0


def process_alive(pid: int) -> bool:
    """True while pid runs (a zombie, dead but not yet reaped, counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def write_state(path: str | None, obj: dict) -> None:
    if not path:
        return
    tmp = f"{path}.tmp.{os.getpid()}"
    with open(tmp, "w") as f:
        json.dump(obj, f)
        f.write("\n")
    os.replace(tmp, path)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="range/moto.py", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sp = sub.add_parser("serve", help="start moto_server on 127.0.0.1 and keep it running")
    sp.add_argument("--env", action="append", default=[], metavar="K=V",
                    help="environment for moto (e.g. INITIAL_NO_AUTH_ACTION_COUNT=0); repeatable")
    sp.add_argument("--port", type=int, default=None, help="port (default: a free one)")
    sp.add_argument("--state-file", default=None, help="also write the JSON line here")
    sp.add_argument("--log", default=None, help="moto's log file (default: a temporary file)")
    rp = sub.add_parser("reset", help="POST /moto-api/reset")
    rp.add_argument("url")
    tp = sub.add_parser("stop", help="SIGTERM a `serve` process and wait for it to end")
    tp.add_argument("pid", type=int)
    tp.add_argument("--timeout", type=float, default=10.0)
    args = ap.parse_args(argv)

    if args.cmd == "reset":
        status, body = _http("POST", args.url.rstrip("/") + "/moto-api/reset", data=b"")
        print(body.decode("utf-8", "replace"))
        return 0 if status == 200 else 1
    if args.cmd == "stop":
        try:
            os.kill(args.pid, signal.SIGTERM)
        except ProcessLookupError:
            return 0
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            if not process_alive(args.pid):
                return 0
            time.sleep(0.05)
        print(f"process {args.pid} still running after {args.timeout}s", file=sys.stderr)
        return 1

    stop = StopSignals()
    server = MotoServer(env=parse_env_pairs(args.env), port=args.port, log_path=args.log)
    try:
        server.start()
        info = {"moto": server.url, "pid": os.getpid(), "moto_pid": server.pid}
        write_state(args.state_file, info)
        print(json.dumps(info), flush=True)
        return stop.wait(lambda: None if server.alive() else f"moto_server exited: {server.log_tail()}")
    finally:
        server.stop()
        if args.state_file:
            try:
                os.unlink(args.state_file)
            except OSError:
                pass


if __name__ == "__main__":
    sys.exit(main())
