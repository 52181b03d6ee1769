#!/usr/bin/env bash
# Bench: `cordon image` throughput against boto3 doing the same download with 64 threads, and against
# SHA-256 alone (openssl dgst -sha256: OpenSSL's SHA-256 is cordon's) over the same image, from one
# run, against moto + the range. See bench/README.md ("image").
#   bench/image/run.sh [--gib 2] [--data-blocks 1024] [--threads 16] [--json out.json]
# Needs the cordon binary: cmake --build build --target cordon (or CORDON_BIN=PATH).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
exec python3 "$HERE/bench.py" "$@"
