#!/usr/bin/env bash
# Installs the Debian packages cordon builds and tests with; idempotent (installs only what is missing).
# chromium: case_report_test opens the HTML case report in headless Chromium (screenshot, PDF).
# openssl: the test range makes a throwaway CA for its HTTPS listener (range/tls.py).
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config git
  libcurl4-openssl-dev libssl-dev zlib1g-dev libdeflate-dev
  nlohmann-json3-dev libsimdjson-dev libpugixml-dev libcli11-dev libfmt-dev libexpected-dev
  libyaml-cpp-dev libre2-dev
  libsqlite3-dev libgtest-dev libgmock-dev libbenchmark-dev
  jq ca-certificates zip unzip ccache shellcheck python3-pyflakes pyflakes3
  clang libclang-rt-14-dev clang-tidy openssl
  chromium
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# moto_server, boto3 and the AWS CLI are the test oracles; they come with the machine image.
for tool in moto_server aws python3; do
  command -v "$tool" >/dev/null || { echo "install-deps: $tool not on PATH (expected from the machine image)" >&2; exit 1; }
done
python3 -c 'import boto3, botocore' || { echo "install-deps: python boto3/botocore missing" >&2; exit 1; }
