#!/usr/bin/env python3
"""Start cordon's test range: moto_server plus the fault-injecting proxy in front of it.

    python3 range/run.py [--scenario FILE] [--faults FILE] [--moto-env K=V ...] [--state-file FILE] [--tls]

Prints one JSON line on stdout once both answer:

    {"endpoint": "http://127.0.0.1:PORT", "moto": "http://127.0.0.1:PORT2", "pid": PID, "moto_pid": PID2}

With --tls the proxy also listens for HTTPS, with a certificate of a CA made at start (range/tls.py),
and evaluates aws:SecureTransport in bucket policies (range/secure_transport.py); the line then also
has "tls_endpoint": "https://127.0.0.1:PORT3" and "ca_bundle": the CA's PEM file (removed on exit).

`endpoint` is the proxy: point clients there (AWS_ENDPOINT_URL, --endpoint-url). `moto` is moto itself,
without faults or scenario APIs. Runs until SIGTERM/SIGINT/SIGHUP, then stops the proxy and moto and
removes the state file. moto also dies if this process is SIGKILLed (PR_SET_PDEATHSIG). Everything
listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import time

_HERE = os.path.dirname(os.path.abspath(__file__))


def _sibling(name: str):
    modname = "cordon_range_" + name
    mod = sys.modules.get(modname)
    if mod is None:
        spec = importlib.util.spec_from_file_location(modname, os.path.join(_HERE, name + ".py"))
        mod = importlib.util.module_from_spec(spec)
        sys.modules[modname] = mod
        spec.loader.exec_module(mod)
    return mod


def main(argv=None) -> int:
    t0 = time.monotonic()
    ap = argparse.ArgumentParser(prog="range/run.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenario", help="scenario JSON file (CloudTrail events, SSM instances and command outcomes)")
    ap.add_argument("--faults", help="fault schedule JSON file")
    ap.add_argument("--moto-env", action="append", default=[], metavar="K=V",
                    help="environment variable for moto_server, e.g. INITIAL_NO_AUTH_ACTION_COUNT=0; repeatable")
    ap.add_argument("--state-file", help="also write the JSON line to this file (removed on exit)")
    ap.add_argument("--port", type=int, default=0, help="proxy port (default: a free one)")
    ap.add_argument("--moto-port", type=int, default=None, help="moto port (default: a free one)")
    ap.add_argument("--moto-log", default=None, help="moto's log file (default: a temporary file, removed on exit)")
    ap.add_argument("--verbose", action="store_true", help="log each proxied request to stderr")
    ap.add_argument("--tls", action="store_true",
                    help="also serve HTTPS (a throwaway CA's certificate) and evaluate aws:SecureTransport")
    ap.add_argument("--tls-port", type=int, default=0, help="the HTTPS port (default: a free one)")
    args = ap.parse_args(argv)

    moto_mod = _sibling("moto")
    stop = moto_mod.StopSignals()
    proxy_mod = _sibling("proxy")

    # Read the inputs first: a bad file fails before anything starts.
    try:
        scenario = proxy_mod.Scenario.load(args.scenario) if args.scenario else proxy_mod.Scenario()
        faults = proxy_mod.FaultPlan.load(args.faults) if args.faults else proxy_mod.FaultPlan()
        env = moto_mod.parse_env_pairs(args.moto_env)
    except (OSError, ValueError) as e:
        print(f"range: {e}", file=sys.stderr)
        return 2

    server = moto_mod.MotoServer(env=env, port=args.moto_port, log_path=args.moto_log)
    proxy, tls_dir = None, None
    try:
        tls_paths = None
        if args.tls:
            tls_dir = tempfile.mkdtemp(prefix="cordon-range-tls-")
            tls_paths = _sibling("tls").make_certificates(tls_dir)
        moto_url = server.start()
        proxy = proxy_mod.RangeProxy(moto_url, scenario, faults, port=args.port, verbose=args.verbose,
                                     tls_paths=tls_paths, tls_port=args.tls_port)
        endpoint = proxy.start()
        info = {"endpoint": endpoint, "moto": moto_url, "pid": os.getpid(), "moto_pid": server.pid}
        if tls_paths is not None:
            info.update(tls_endpoint=proxy.tls_url, ca_bundle=tls_paths["ca"])
        moto_mod.write_state(args.state_file, info)
        print(json.dumps(info), flush=True)
        if args.verbose:
            print(f"range: up in {time.monotonic() - t0:.2f}s", file=sys.stderr)
        return stop.wait(
            lambda: None if server.alive() else f"range: moto_server exited: {server.log_tail()}")
    except (moto_mod.MotoError, RuntimeError) as e:
        print(f"range: {e}", file=sys.stderr)
        return 1
    finally:
        if proxy is not None:
            proxy.stop()
        server.stop()
        if tls_dir is not None:
            shutil.rmtree(tls_dir, ignore_errors=True)
        if args.state_file:
            try:
                os.unlink(args.state_file)
            except OSError:
                pass


if __name__ == "__main__":
    sys.exit(main())
