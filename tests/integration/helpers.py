"""Shared helpers for cordon's integration tests: moto, the cordon binary, boto3, and comparison.

Import from a test module in tests/integration/ (unittest discover puts that folder on sys.path):

    from helpers import MotoFixture, run_cordon, cordon_api, boto3_client, normalise

Stable API (other engineers' tests import these; add, do not rename):

- ROOT, RANGE_DIR, REGION, TEST_DATA (tests/data: the public samples, see its README.md)
- load_range_module(name)        range/<name>.py loaded by path (range/moto.py would shadow moto)
- cordon_bin()                   the cordon binary: env CORDON_BIN, else build/ (or build-scn/)
- cordon_env(extra=None)         environment for a cordon child: test credentials, region, no
                                 profile files, no inherited AWS_* or CORDON_TEST_*, plus `extra`
- run_cordon(args, ..., endpoint=None)
                                 runs cordon (with --endpoint-url/--region when `endpoint` is
                                 given); returns subprocess.CompletedProcess (text mode; raw=True:
                                 bytes, so a test can look at every byte, \r included)
- run_cordon_peak(args, ...)     runs cordon with stdout/stderr to files and returns
                                 (CompletedProcess with bytes, peak RSS in bytes) from wait4()
- read_json_line(proc, timeout, on_timeout, on_exit)
                                 the first stdout line of a child that prints its address as JSON
- Range(*args)                   range/run.py (moto_server + the proxy) as a child process:
                                 .start() -> self, .endpoint, .moto, .control(), .stats(),
                                 .tls_endpoint and .ca_bundle (with "--tls"; else None),
                                 .set_faults(), .reset(), .post_scenario(), .stop()
- cordon_api(endpoint, service, operation, input=None, *flags, ...)
                                 runs `cordon api`, asserts exit 0, returns the parsed JSON
- boto3_client(service, endpoint, **kw)
                                 a boto3 client for moto (test credentials, region, no retries;
                                 verify=CA file for an https endpoint)
- normalise(value)               boto3's output as cordon prints it: datetimes as isoformat() of
                                 the UTC datetime, bytes as base64, ResponseMetadata removed
- MotoFixture                    unittest.TestCase mixin: one moto per test class (setUpClass /
                                 tearDownClass); self.endpoint, self.moto, cls.moto_env

Child processes: every moto_server, range and cordon started here dies with the test process. Each is
started with PR_SET_PDEATHSIG (range/moto.py child_preexec), so even a SIGKILLed test leaves none
behind; the ranges and motos still running are stopped at exit (atexit) and on SIGTERM/SIGHUP (which
Python would otherwise end without running atexit).
"""

from __future__ import annotations

import base64
import datetime
import atexit
import importlib.util
import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import boto3
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[2]
RANGE_DIR = ROOT / "range"
TEST_DATA = ROOT / "tests" / "data"
REGION = "us-east-1"
TEST_ACCESS_KEY = "testing"
TEST_SECRET_KEY = "testing"


def load_range_module(name: str):
    """range/<name>.py, loaded by path (range/ must not go on sys.path: moto.py shadows moto)."""
    modname = "cordon_range_" + name
    if modname in sys.modules:
        return sys.modules[modname]
    spec = importlib.util.spec_from_file_location(modname, RANGE_DIR / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[modname] = mod
    spec.loader.exec_module(mod)
    return mod


def cordon_bin() -> str:
    """Path of the cordon binary: $CORDON_BIN, else build/src/cli/cordon under the repo root."""
    path = os.environ.get("CORDON_BIN")
    if not path:
        candidates = [ROOT / d / "src" / "cli" / "cordon" for d in ("build", "build-scn")]
        path = str(next((p for p in candidates if os.access(p, os.X_OK)), candidates[0]))
    if not os.path.isabs(path):
        path = str(ROOT / path)
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"cordon binary not found at {path}: build it, or set CORDON_BIN")
    return path


_EMPTY_AWS_DIR = None


def cordon_env(extra: dict | None = None, access_key: str = TEST_ACCESS_KEY,
               secret_key: str = TEST_SECRET_KEY, region: str = REGION) -> dict:
    """Environment for a cordon child process: the given static credentials and region, empty shared
    config/credentials files so the developer's ~/.aws never leaks into a test, and a temporary
    $XDG_DATA_HOME, so cases made without --cases-dir stay out of the developer's home."""
    global _EMPTY_AWS_DIR
    if _EMPTY_AWS_DIR is None:
        _EMPTY_AWS_DIR = tempfile.mkdtemp(prefix="cordon-test-aws-")
        for name in ("config", "credentials"):
            Path(_EMPTY_AWS_DIR, name).write_text("")
    env = {k: v for k, v in os.environ.items()
           if (not k.startswith("AWS_") or k in ("AWS_CA_BUNDLE",)) and not k.startswith("CORDON_TEST_")}
    env.update({
        "AWS_ACCESS_KEY_ID": access_key,
        "AWS_SECRET_ACCESS_KEY": secret_key,
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "AWS_CONFIG_FILE": os.path.join(_EMPTY_AWS_DIR, "config"),
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(_EMPTY_AWS_DIR, "credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        # cases default to the user's data folder (issue 17): a test's cases never land in the developer's
        "XDG_DATA_HOME": os.path.join(_EMPTY_AWS_DIR, "data"),
    })
    env.update(extra or {})
    return env


def run_cordon(args, env: dict | None = None, timeout: float = 120.0, input: str | None = None,
               endpoint: str | None = None, raw: bool = False, cwd: str | None = None,
               **env_kw) -> subprocess.CompletedProcess:
    """Runs `cordon ARGS...` (plus `--endpoint-url ENDPOINT --region REGION` when `endpoint` is given)
    with cordon_env(**env_kw) updated by `env`, in folder `cwd` (default: this process's); stdin is
    `input`, else empty. Never raises on a non-zero exit: check .returncode, .stdout and .stderr
    (bytes when `raw`: text mode turns a lone \r into \n)."""
    full = [cordon_bin(), *map(str, args)]
    if endpoint:
        full += ["--endpoint-url", endpoint, "--region", env_kw.get("region", REGION)]
    full_env = cordon_env(**env_kw)
    full_env.update(env or {})
    return subprocess.run(full, env=full_env, capture_output=True, text=not raw, timeout=timeout,
                          input=input, cwd=cwd, stdin=None if input is not None else subprocess.DEVNULL,
                          preexec_fn=load_range_module("moto").child_preexec())


def run_cordon_peak(args, env: dict | None = None, timeout: float = 300.0, endpoint: str | None = None,
                    **env_kw) -> tuple[subprocess.CompletedProcess, int]:
    """run_cordon, measured: returns (the CompletedProcess, stdout and stderr as bytes; the child's peak
    resident memory in bytes, ru_maxrss from wait4 of exactly that child). stdout and stderr go to
    temporary files, so a large output costs the test no memory. Killed (and failing) after `timeout`."""
    full = [cordon_bin(), *map(str, args)]
    if endpoint:
        full += ["--endpoint-url", endpoint, "--region", env_kw.get("region", REGION)]
    full_env = cordon_env(**env_kw)
    full_env.update(env or {})
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen(full, env=full_env, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                 preexec_fn=load_range_module("moto").child_preexec())
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid == child.pid:
                break
            if time.monotonic() > deadline:
                child.kill()
                pid, status, usage = os.wait4(child.pid, 0)
                child.returncode = -9
                raise AssertionError(f"cordon {' '.join(map(str, args))} did not finish in {timeout} s")
            time.sleep(0.05)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        proc = subprocess.CompletedProcess(full, child.returncode, out.read(), err.read())
    return proc, usage.ru_maxrss * 1024  # Linux reports kilobytes


class CordonError(AssertionError):
    def __init__(self, proc: subprocess.CompletedProcess):
        super().__init__(f"cordon {' '.join(proc.args[1:])!s} exited {proc.returncode}:\n{proc.stderr}")
        self.proc = proc


def cordon_api(endpoint: str, service: str, operation: str, input=None, *flags, **kw):
    """`cordon api SERVICE OPERATION INPUT --endpoint-url ENDPOINT FLAGS...`; `input` may be a dict
    (sent as JSON), a string (sent as is, e.g. "@file") or None. Raises CordonError (an
    AssertionError) unless it exits 0; returns the parsed JSON output (None if stdout is empty)."""
    args = ["api", service, operation]
    if input is not None:
        args.append(input if isinstance(input, str) else json.dumps(input))
    args += ["--endpoint-url", endpoint, *flags]
    proc = run_cordon(args, **kw)
    if proc.returncode != 0:
        raise CordonError(proc)
    return json.loads(proc.stdout) if proc.stdout.strip() else None


def boto3_client(service: str, endpoint: str, access_key: str = TEST_ACCESS_KEY,
                 secret_key: str = TEST_SECRET_KEY, region: str = REGION, verify=None, **config):
    """A boto3 client for `endpoint` with static credentials; one attempt unless config says so.
    `verify`: the CA file for an https endpoint (Range.ca_bundle), as boto3 takes it."""
    cfg = {"retries": {"max_attempts": 1, "mode": "standard"}}
    cfg.update(config)
    if service == "s3":
        cfg.setdefault("s3", {"addressing_style": "path"})
    return boto3.session.Session().client(
        service, endpoint_url=endpoint, region_name=region, aws_access_key_id=access_key,
        aws_secret_access_key=secret_key, verify=verify, config=Config(**cfg))


def create_write_once_bucket(s3, bucket: str, days: int = 1):
    """A bucket as `cordon evidence-bucket create` leaves it in the respects every evidence-writing
    command checks (Object Lock with a default retention), made with boto3 for tests about other things."""
    s3.create_bucket(Bucket=bucket, ObjectLockEnabledForBucket=True)
    s3.put_object_lock_configuration(Bucket=bucket, ObjectLockConfiguration={
        "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": days}}})


def isoformat_utc(value: datetime.datetime) -> str:
    """A datetime as cordon prints timestamps: isoformat() of the UTC datetime."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value.astimezone(datetime.timezone.utc).isoformat()


def normalise(value, drop=("ResponseMetadata",)):
    """boto3's parsed output made comparable with cordon's JSON: datetimes -> isoformat() of UTC,
    bytes -> base64, streaming bodies read and base64-encoded, ResponseMetadata removed."""
    if isinstance(value, dict):
        return {k: normalise(v, drop) for k, v in value.items() if k not in drop}
    if isinstance(value, (list, tuple)):
        return [normalise(v, drop) for v in value]
    if isinstance(value, datetime.datetime):
        return isoformat_utc(value)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if hasattr(value, "read") and callable(value.read):  # StreamingBody
        return base64.b64encode(value.read()).decode("ascii")
    return value


# ------------------------------------------------------------------------------ child processes

_LIVE = []  # ranges and motos started and not yet stopped, newest last


def _stop_all():
    while _LIVE:
        try:
            _LIVE.pop().stop()
        except Exception:  # at exit: stop the others whatever this one did
            pass


def _on_signal(signum, frame):
    _stop_all()
    os._exit(128 + signum)


atexit.register(_stop_all)
for _sig in (signal.SIGTERM, signal.SIGHUP):
    if signal.getsignal(_sig) in (signal.SIG_DFL, None):
        signal.signal(_sig, _on_signal)


def _track(child):
    _LIVE.append(child)
    return child


def _untrack(child):
    if child in _LIVE:
        _LIVE.remove(child)


def read_json_line(proc: subprocess.Popen, timeout: float, on_timeout, on_exit) -> dict:
    """The first line `proc` writes to its stdout (a pipe), parsed as JSON: how range/run.py and
    range/moto.py say where they listen. Calls on_timeout() or on_exit() (which should raise) when no
    line comes within `timeout` seconds or the child closes its stdout first."""
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    line, deadline = b"", time.monotonic() + timeout
    try:
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                on_timeout()
                raise AssertionError(f"no line from {proc.args} in {timeout}s")
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                on_exit()
                raise AssertionError(f"{proc.args} exited before its first line")
            line += chunk
    finally:
        sel.close()
    return json.loads(line.decode())


class Range:
    """range/run.py (moto_server + the proxy) as a child process; .endpoint is the proxy, .moto is
    moto itself (for building and judging scenarios without faults or counting)."""

    def __init__(self, *args: str):
        self.args = list(args)
        self.proc = None
        self.info = None

    def start(self, timeout: float = 60.0) -> "Range":
        self._err = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([sys.executable, str(RANGE_DIR / "run.py"), *self.args], cwd=str(ROOT),
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._err,
                                     preexec_fn=load_range_module("moto").child_preexec())
        _track(self)

        def timed_out():
            self.stop()
            raise AssertionError(f"range did not start in {timeout}s")

        def exited():
            self._err.seek(0)
            raise AssertionError(f"range exited: {self._err.read().decode(errors='replace')}")

        self.info = read_json_line(self.proc, timeout, timed_out, exited)
        self.endpoint, self.moto = self.info["endpoint"], self.info["moto"]
        # with --tls: the HTTPS listener and the CA file that verifies it (range/run.py)
        self.tls_endpoint, self.ca_bundle = self.info.get("tls_endpoint"), self.info.get("ca_bundle")
        return self

    def control(self, method: str, path: str, body=None) -> dict:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(f"{self.endpoint}/__range/{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read() or b"{}")

    def stats(self) -> dict:
        return self.control("GET", "stats")

    def set_faults(self, rules: dict | None):
        if rules is None:
            self.control("DELETE", "faults")
        else:
            self.control("POST", "faults", rules)

    def reset(self):
        self.control("POST", "reset")

    def post_scenario(self, scenario: dict):
        self.control("POST", "scenario", scenario)

    def stop(self):
        _untrack(self)
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc.stdout.close()
        self._err.close()
        self.proc = None


class MotoFixture:
    """Mixin for unittest.TestCase: starts one moto_server per test class and stops it after.

    Class attributes to override: moto_env (dict of environment for moto, e.g.
    {"INITIAL_NO_AUTH_ACTION_COUNT": "0"}). Provides cls.moto (range/moto.py MotoServer) and
    cls.endpoint (its URL), plus cls.client(service) for boto3 and cls.api(...) for cordon."""

    moto_env: dict = {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = {"MOTO_EC2_LOAD_DEFAULT_AMIS": "true"}
        env.update(cls.moto_env)
        cls.moto = _track(load_range_module("moto").MotoServer(env=env))
        cls.endpoint = cls.moto.start()

    @classmethod
    def tearDownClass(cls):
        _untrack(cls.moto)
        cls.moto.stop()
        super().tearDownClass()

    @classmethod
    def client(cls, service: str, **kw):
        return boto3_client(service, cls.endpoint, **kw)

    @classmethod
    def api(cls, service: str, operation: str, input=None, *flags, **kw):
        return cordon_api(cls.endpoint, service, operation, input, *flags, **kw)
