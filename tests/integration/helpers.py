"""Shared helpers for cordon's integration tests: moto, the cordon binary, boto3, and comparison.

Import from a test module in tests/integration/ (unittest discover puts that folder on sys.path):

    from helpers import MotoFixture, run_cordon, cordon_api, boto3_client, normalise

Stable API (other engineers' tests import these; add, do not rename):

- ROOT, RANGE_DIR, REGION
- load_range_module(name)        range/<name>.py loaded by path (range/moto.py would shadow moto)
- cordon_bin()                   the cordon binary: env CORDON_BIN, default build/src/cli/cordon
- cordon_env(extra=None)         environment for a cordon child: test credentials, region, no
                                 profile files, plus `extra`
- run_cordon(args, ...)          runs cordon; returns subprocess.CompletedProcess (text mode)
- cordon_api(endpoint, service, operation, input=None, *flags, ...)
                                 runs `cordon api`, asserts exit 0, returns the parsed JSON
- boto3_client(service, endpoint, **kw)
                                 a boto3 client for moto (test credentials, region, no retries)
- normalise(value)               boto3's output as cordon prints it: datetimes as isoformat() of
                                 the UTC datetime, bytes as base64, ResponseMetadata removed
- MotoFixture                    unittest.TestCase mixin: one moto per test class (setUpClass /
                                 tearDownClass); self.endpoint, self.moto, cls.moto_env
"""

from __future__ import annotations

import base64
import datetime
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import boto3
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[2]
RANGE_DIR = ROOT / "range"
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
    path = os.environ.get("CORDON_BIN") or str(ROOT / "build" / "src" / "cli" / "cordon")
    if not os.path.isabs(path):
        path = str(ROOT / path)
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"cordon binary not found at {path}: build it, or set CORDON_BIN")
    return path


_EMPTY_AWS_DIR = None


def cordon_env(extra: dict | None = None, access_key: str = TEST_ACCESS_KEY,
               secret_key: str = TEST_SECRET_KEY, region: str = REGION) -> dict:
    """Environment for a cordon child process: the given static credentials and region, and empty
    shared config/credentials files so the developer's ~/.aws never leaks into a test."""
    global _EMPTY_AWS_DIR
    if _EMPTY_AWS_DIR is None:
        _EMPTY_AWS_DIR = tempfile.mkdtemp(prefix="cordon-test-aws-")
        for name in ("config", "credentials"):
            Path(_EMPTY_AWS_DIR, name).write_text("")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AWS_") or k in ("AWS_CA_BUNDLE",)}
    env.update({
        "AWS_ACCESS_KEY_ID": access_key,
        "AWS_SECRET_ACCESS_KEY": secret_key,
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "AWS_CONFIG_FILE": os.path.join(_EMPTY_AWS_DIR, "config"),
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(_EMPTY_AWS_DIR, "credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
    })
    env.update(extra or {})
    return env


def run_cordon(args, env: dict | None = None, timeout: float = 120.0, input: str | None = None,
               **env_kw) -> subprocess.CompletedProcess:
    """Runs `cordon ARGS...` with cordon_env(**env_kw) updated by `env`. Never raises on a non-zero
    exit: check .returncode, .stdout and .stderr."""
    full_env = cordon_env(**env_kw)
    full_env.update(env or {})
    return subprocess.run([cordon_bin(), *map(str, args)], env=full_env, capture_output=True,
                          text=True, timeout=timeout, input=input)


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
                 secret_key: str = TEST_SECRET_KEY, region: str = REGION, **config):
    """A boto3 client for `endpoint` with static credentials; one attempt unless config says so."""
    cfg = {"retries": {"max_attempts": 1, "mode": "standard"}}
    cfg.update(config)
    if service == "s3":
        cfg.setdefault("s3", {"addressing_style": "path"})
    return boto3.session.Session().client(
        service, endpoint_url=endpoint, region_name=region, aws_access_key_id=access_key,
        aws_secret_access_key=secret_key, config=Config(**cfg))


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
        cls.moto = load_range_module("moto").MotoServer(env=env)
        cls.endpoint = cls.moto.start()

    @classmethod
    def tearDownClass(cls):
        cls.moto.stop()
        super().tearDownClass()

    @classmethod
    def client(cls, service: str, **kw):
        return boto3_client(service, cls.endpoint, **kw)

    @classmethod
    def api(cls, service: str, operation: str, input=None, *flags, **kw):
        return cordon_api(cls.endpoint, service, operation, input, *flags, **kw)
