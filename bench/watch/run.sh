#!/usr/bin/env bash
# Bench: time from EventBridge PutEvents of a GuardDuty finding to the suspect's network isolated, with
# `cordon watch --queue ... --policy bench/watch/policy.json` running, against moto + the range; and the
# same containment by the runbook's AWS CLI commands (bench/contain/manual_runbook.sh). See bench/README.md.
#   bench/watch/run.sh [--events 10] [--manual-events K] [--skip-manual] [--poll 0.1] [--json out.json]
# Needs the cordon binary: cmake --build build --target cordon (or CORDON_BIN=PATH).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
exec python3 "$HERE/bench.py" "$@"
