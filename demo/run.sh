#!/usr/bin/env bash
# cordon's demo, the runbook end to end against moto_server + the range on loopback (no AWS account):
# a compromised web server triaged, contained, preserved, examined in a forensics lab, cleaned up and
# recovered; then a false positive contained and released.
#
#   demo/run.sh            (from anywhere; builds cordon first if needed)
#
# Environment: CORDON_BIN (use this binary instead of building), CORDON_BUILD_DIR (default build/),
# CORDON_CASES_DIR (default ./cordon-cases), DEMO_CASE (default DEMO-<utc time>).
# Everything started here is stopped on exit.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d -t cordon-demo-XXXXXX)"
RANGE_PID=""

cleanup() {
  if [ -n "$RANGE_PID" ] && kill -0 "$RANGE_PID" 2>/dev/null; then
    kill -TERM "$RANGE_PID" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$RANGE_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$RANGE_PID" 2>/dev/null
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
die() { echo "demo: $*" >&2; exit 1; }

# --- no AWS account: dummy credentials, no profile files, loopback only
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_SESSION_TOKEN=testing
export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ENDPOINT_URL
: > "$WORK/aws-config"; : > "$WORK/aws-credentials"
export AWS_CONFIG_FILE="$WORK/aws-config" AWS_SHARED_CREDENTIALS_FILE="$WORK/aws-credentials"

command -v python3 >/dev/null || die "python3 is needed"
python3 -c 'import boto3, moto' 2>/dev/null || die "python3 needs boto3 and moto (moto[server])"

# --- cordon
if [ -n "${CORDON_BIN:-}" ]; then
  CORDON="$CORDON_BIN"
else
  BUILD="${CORDON_BUILD_DIR:-$ROOT/build}"
  "$ROOT/scripts/install-deps.sh" || die "installing the build dependencies failed"
  say "building cordon in $BUILD"
  gen=(); command -v ninja >/dev/null && gen=(-G Ninja)
  if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    cmake -S "$ROOT" -B "$BUILD" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release >/dev/null || die "cmake configure failed"
  fi
  cmake --build "$BUILD" --target cordon || die "build failed"
  CORDON="$BUILD/src/cli/cordon"
fi
[ -x "$CORDON" ] || die "no cordon binary at $CORDON"

# --- the range: moto_server behind the proxy, serving the demo's CloudTrail and SSM from the scenario
render() {  # render IN OUT [ids.json]: {{T-<minutes>}} -> UTC times; ids from ids.json when given
  python3 - "$@" <<'PY'
import datetime, json, re, sys
src, dst = sys.argv[1], sys.argv[2]
text = open(src).read()
now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
text = re.sub(r"\{\{T-(\d+)\}\}", lambda m: (now - datetime.timedelta(minutes=int(m.group(1)))).strftime("%Y-%m-%dT%H:%M:%SZ"), text)
if len(sys.argv) > 3:
    ids = json.load(open(sys.argv[3]))
    values = {"SUSPECT": ids["suspect"], "ROLE": ids["role_name"], "PUBLIC_IP": ids["public_ip"],
              "PRIVATE_IP": ids["private_ip"], "WEB_SG": ids["security_groups"]["web"]}
    text = re.sub(r"\{\{([A-Z_]+)\}\}", lambda m: values[m.group(1)], text)
open(dst, "w").write(text)
PY
}
render "$ROOT/demo/scenario.json" "$WORK/scenario.json"
say "starting moto_server and the range on 127.0.0.1"
python3 "$ROOT/range/run.py" --scenario "$WORK/scenario.json" --state-file "$WORK/range.json" \
  --moto-log "$WORK/moto.log" > "$WORK/range.out" 2> "$WORK/range.err" &
RANGE_PID=$!
for _ in $(seq 1 150); do
  [ -s "$WORK/range.json" ] && break
  kill -0 "$RANGE_PID" 2>/dev/null || { cat "$WORK/range.err" >&2; die "the range did not start"; }
  sleep 0.2
done
[ -s "$WORK/range.json" ] || die "the range did not start in 30 s"
ENDPOINT="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["endpoint"])' "$WORK/range.json")"
echo "range: $ENDPOINT"

# --- the demo environment (boto3): VPC, ASG of 3 behind a CLB and an ALB, the suspect web-1
say "building the demo environment (VPC, Auto Scaling group of 3 behind a CLB and an ALB, suspect web-1)"
python3 "$ROOT/tests/integration/scenario.py" build "$ENDPOINT" --suspects 2 > "$WORK/ids.json" || die "building the environment failed"
SUSPECT="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["suspect"])' "$WORK/ids.json")"
PRIVATE_IP="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["private_ip"])' "$WORK/ids.json")"
SECOND="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["suspects"][1]["instance_id"])' "$WORK/ids.json")"
AMI="ami-12c6146b"  # the forensic workstation's image: any AMI of moto's catalogue
render "$ROOT/demo/scenario.json" "$WORK/scenario.json" "$WORK/ids.json"
python3 - "$ENDPOINT" "$WORK/scenario.json" <<'PY' || die "could not load the scenario into the range"
import sys, urllib.request
req = urllib.request.Request(sys.argv[1] + "/__range/scenario", data=open(sys.argv[2], "rb").read(), method="POST",
                             headers={"Content-Type": "application/json"})
urllib.request.urlopen(req, timeout=30).read()
PY
echo "suspect: $SUSPECT ($PRIVATE_IP)"

CASE="${DEMO_CASE:-DEMO-$(date -u +%Y%m%d-%H%M%S)}"
CASES_DIR="${CORDON_CASES_DIR:-$PWD/cordon-cases}"
mkdir -p "$CASES_DIR"
CASES_DIR="$(cd "$CASES_DIR" && pwd)"
AWSFLAGS=(--endpoint-url "$ENDPOINT" --region us-east-1)
failed=()

run() {  # run TITLE CMD...: shows and runs one cordon command, remembers failures
  local title="$1"; shift
  say "$title"
  printf '$ cordon'; printf ' %q' "$@"; printf '\n'
  "$CORDON" "$@"
  local rc=$?
  [ $rc -eq 0 ] || { echo "(exit $rc)"; failed+=("$title: exit $rc"); }
  return 0
}

run "triage (read-only), by private IP" triage "$PRIVATE_IP" "${AWSFLAGS[@]}"
C=(--case "$CASE" --cases-dir "$CASES_DIR")
run "contain" contain "$SUSPECT" "${C[@]}" --yes --responder demo "${AWSFLAGS[@]}"
# The journal's head right after containment, kept outside the case (in a real response: in the ticket).
# The verify at the end checks that the journal still holds it: a rollback or a rebuilt case would not.
# (An evidence bucket is the other anchor; its policy denies plain HTTP, which this demo's range speaks.)
# (It exits 6 here, "not verified against an anchor": this is the anchor.)
HEAD_JSON="$("$CORDON" case verify "$CASE" --cases-dir "$CASES_DIR" --output json 2>/dev/null)" || true
ANCHOR="$(python3 -c 'import json,sys; h=json.loads(sys.argv[1])["head"]; print("%d:%s" % (h["seq"], h["hash"]))' \
  "$HEAD_JSON")" || die "could not read the journal's head after contain"
run "preserve (one more snapshot set)" preserve "$SUSPECT" "${C[@]}" "${AWSFLAGS[@]}"
run "the forensics lab: a workstation stack beside the suspect" lab up "${C[@]}" --ami "$AMI" "${AWSFLAGS[@]}"
run "let the workstation reach the suspect" lab allow "${C[@]}" "${AWSFLAGS[@]}"
run "volumes from the snapshots, attached to the workstation" lab attach "${C[@]}" "${AWSFLAGS[@]}"
run "tear the lab down (the snapshots stay)" lab down "${C[@]}" --yes "${AWSFLAGS[@]}"
run "clean up: terminate the suspect (its volumes and snapshots stay)" cleanup "${C[@]}" --terminate-suspect --yes "${AWSFLAGS[@]}"
run "recover: the Auto Scaling group replaced it, behind both load balancers" recover "${C[@]}" --wait 30 "${AWSFLAGS[@]}"
run "verify the case journal against the head kept after contain" case verify "$CASE" --cases-dir "$CASES_DIR" --anchor "$ANCHOR"
run "write the case report" case report "$CASE" --cases-dir "$CASES_DIR"

FP_CASE="$CASE-FP"
run "a second alarm, a false positive: contain web-2" contain "$SECOND" --case "$FP_CASE" --cases-dir "$CASES_DIR" --yes --responder demo "${AWSFLAGS[@]}"
run "release it to its recorded pre-state" release --case "$FP_CASE" --cases-dir "$CASES_DIR" --yes "${AWSFLAGS[@]}"

say "where things are"
echo "case folder: $CASES_DIR/$CASE (the false positive: $CASES_DIR/$FP_CASE)"
if [ -d "$CASES_DIR/$CASE" ]; then
  if [ -f "$CASES_DIR/$CASE/report.md" ]; then echo "report: $CASES_DIR/$CASE/report.md"; else echo "report: (not written)"; fi
  echo "journal: cordon case show $CASE --cases-dir $CASES_DIR"
fi
if [ ${#failed[@]} -gt 0 ]; then
  echo; echo "demo: some steps failed:" >&2
  printf '  %s\n' "${failed[@]}" >&2
  exit 1
fi
echo; echo "demo: done"
