#!/usr/bin/env bash
# Bench: `cordon contain` of 1 and 50 instances vs the same runbook as sequential AWS CLI commands,
# against moto + the range on loopback. See bench/contain/README.md.
#   bench/contain/run.sh [--sizes 1,50] [--skip-manual] [--manual-sample K] [--json out.json]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
exec python3 "$HERE/bench.py" "$@"
