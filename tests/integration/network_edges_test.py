"""Network edges (issue 16): an endpoint that accepts and never answers fails in seconds with
--read-timeout (the AWS CLI's --cli-read-timeout), and --ca-bundle / AWS_CA_BUNDLE decide which CA a
TLS endpoint must be signed by: trusted through the bundle, refused without it, and a certificate
failure is not retried. Local servers only (127.0.0.1); no emulator is needed.

Run: CORDON_BIN=build/src/cli/cordon python3 -m unittest tests/integration/network_edges_test.py -v
"""

from __future__ import annotations

import http.server
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from scenario import explain, run_cordon  # noqa: E402

STS_ANSWER = (b'<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>'
              b"<Arn>arn:aws:iam::123456789012:user/alice</Arn><UserId>AIDA</UserId><Account>123456789012</Account>"
              b"</GetCallerIdentityResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>"
              b"</GetCallerIdentityResponse>")
CREDS = {"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_CA_BUNDLE": ""}


class Answer(http.server.BaseHTTPRequestHandler):
    requests = 0

    def do_POST(self):
        type(self).requests += 1
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(STS_ANSWER)))
        self.end_headers()
        self.wfile.write(STS_ANSWER)

    def log_message(self, *args):
        pass


class Counting(http.server.ThreadingHTTPServer):
    connections = 0

    def get_request(self):
        type(self).connections += 1
        return super().get_request()


class NetworkEdges(unittest.TestCase):
    def sts(self, endpoint: str, *extra, env=None):
        return run_cordon(["api", "sts", "GetCallerIdentity", "--region", "us-east-1", "--endpoint-url", endpoint,
                           *extra], env={**CREDS, **(env or {})}, timeout=90)

    def test_an_endpoint_that_never_answers_fails_in_seconds(self):
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        self.addCleanup(listener.close)
        held = []
        threading.Thread(target=lambda: [held.append(listener.accept()) for _ in range(8)], daemon=True).start()
        # Without --read-timeout this would take 3 attempts of 120 s; the 90 s limit of run_cordon fails it.
        proc = self.sts(f"http://127.0.0.1:{listener.getsockname()[1]}", "--read-timeout", "2", "--max-attempts", "2")
        self.assertEqual(proc.returncode, 1, explain(proc))
        self.assertIn("timed out", proc.stderr)

    def test_the_ca_bundle_decides_whom_to_trust(self):
        tmp = Path(tempfile.mkdtemp())
        cert, key = tmp / "cert.pem", tmp / "key.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                       check=True, capture_output=True)
        server = Counting(("127.0.0.1", 0), Answer)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.shutdown)
        endpoint = f"https://127.0.0.1:{server.server_address[1]}"

        Answer.requests = Counting.connections = 0
        proc = self.sts(endpoint, "--max-attempts", "3")
        self.assertEqual(proc.returncode, 1, explain(proc))
        self.assertIn("certificate", proc.stderr.lower())
        self.assertIn("--ca-bundle", proc.stderr)
        self.assertEqual(Answer.requests, 0)  # refused at the handshake
        self.assertEqual(Counting.connections, 1, "a rejected certificate was retried")

        proc = self.sts(endpoint, "--ca-bundle", str(cert))
        self.assertEqual(proc.returncode, 0, explain(proc))
        self.assertIn("123456789012", proc.stdout)
        proc = self.sts(endpoint, env={"AWS_CA_BUNDLE": str(cert)})
        self.assertEqual(proc.returncode, 0, explain(proc))


if __name__ == "__main__":
    unittest.main()
