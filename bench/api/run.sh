#!/bin/sh
# cordon's AWS client vs boto3 against one moto_server on 127.0.0.1, measured in one run.
# Usage: bench/api/run.sh [--build DIR] [--calls N] [--threads T] [--process-calls M] [--json OUT]
# Needs: the cordon and api_client_bench targets built in DIR (default build/), python3 with boto3
# and moto. See bench/README.md, section "api".
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec python3 "$here/run.py" "$@"
