"""A throwaway certificate authority and a server certificate for the range's HTTPS listener.

    paths = make_certificates(folder)   # {"ca": ..., "cert": ..., "key": ...}, PEM files in `folder`
    context = server_context(paths)     # an ssl.SSLContext serving that certificate

Made with the `openssl` command at start (a few milliseconds with P-256 keys), valid for a day, for
127.0.0.1 and localhost only. Clients trust it through the CA file alone (AWS_CA_BUNDLE, --ca-bundle,
boto3's `verify=`), so nothing is added to the machine's trust store. The keys never leave `folder`.
"""

from __future__ import annotations

import os
import ssl
import subprocess

_SERVER_EXTENSIONS = """\
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""


def _openssl(*args: str) -> None:
    proc = subprocess.run(["openssl", *args], capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        raise RuntimeError(f"openssl {args[0]} failed: {proc.stderr.strip()}")


def make_certificates(folder: str) -> dict:
    """A CA (self-signed) and a server certificate it signed, as PEM files in `folder`."""
    os.makedirs(folder, mode=0o700, exist_ok=True)
    p = {name: os.path.join(folder, name) for name in
         ("ca.pem", "ca-key.pem", "server.pem", "server-key.pem", "server.csr", "server.ext")}
    curve = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1")
    _openssl("req", "-x509", *curve, "-nodes", "-keyout", p["ca-key.pem"], "-out", p["ca.pem"],
             "-days", "1", "-subj", "/CN=cordon test range CA",
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    _openssl("req", "-new", *curve, "-nodes", "-keyout", p["server-key.pem"], "-out", p["server.csr"],
             "-subj", "/CN=127.0.0.1")
    with open(p["server.ext"], "w") as f:
        f.write(_SERVER_EXTENSIONS)
    _openssl("x509", "-req", "-in", p["server.csr"], "-CA", p["ca.pem"], "-CAkey", p["ca-key.pem"],
             "-CAcreateserial", "-out", p["server.pem"], "-days", "1", "-extfile", p["server.ext"])
    return {"ca": p["ca.pem"], "cert": p["server.pem"], "key": p["server-key.pem"]}


def server_context(paths: dict) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(paths["cert"], paths["key"])
    return ctx
