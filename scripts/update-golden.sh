#!/bin/sh
# Rewrites tests/golden/ from the built binary (help, plans, next steps); review `git diff tests/golden/`.
# Usage: scripts/update-golden.sh [path/to/cordon]   (default build/src/cli/cordon)
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
CORDON_BIN="${1:-${CORDON_BIN:-$root/build/src/cli/cordon}}" CORDON_UPDATE_GOLDEN=1 \
  python3 -m unittest tests/integration/golden_test.py
git status --short tests/golden/
