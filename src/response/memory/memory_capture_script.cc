#include "response/memory/memory_capture_script.h"

#include <cctype>

#include "base/strings.h"

namespace cordon::response {
namespace {

// The body of the script, after the quoted variables REGION, DEST, TOOL and TOOL_SHA256. It is POSIX
// sh (AWS-RunShellScript does not promise bash) and runs as root through the SSM agent.
constexpr std::string_view kScriptBody = R"SH(umask 077
abort() { echo "CORDON-ABORT reason=$*"; exit 3; }

# Work in RAM (tmpfs), never on the suspect's disks: writing there could overwrite deleted data
# that disk forensics will want.
WORK=$(mktemp -d /dev/shm/cordon-capture.XXXXXX) || abort no-tmpfs
trap 'rm -rf "$WORK"' EXIT
for c in aws sha256sum mkfifo tee tar wc cut; do
  command -v "$c" >/dev/null 2>&1 || abort "missing-command $c"
done

# Stage the pinned tool: copy it into the folder only we can write, then check the copy, so the
# file that runs is the file that was checked. An s3:// tool comes from the evidence bucket through
# the VPC's S3 endpoint; nothing is ever downloaded from the internet.
case "$TOOL" in
  s3://*) aws s3 cp --only-show-errors --region "$REGION" "$TOOL" "$WORK/tool" 2>"$WORK/tool-fetch.err" || abort tool-fetch-failed ;;
  /*) cp "$TOOL" "$WORK/tool" 2>"$WORK/tool-fetch.err" || abort tool-not-found ;;
  *) abort tool-path-not-absolute ;;
esac
ACTUAL=$(sha256sum "$WORK/tool" | cut -d' ' -f1)
[ "$ACTUAL" = "$TOOL_SHA256" ] || abort "tool-sha256-mismatch expected=$TOOL_SHA256 actual=$ACTUAL"
chmod 700 "$WORK/tool"

# upload NAME OBJECT: streams stdin to $DEST/OBJECT; tee feeds two FIFOs so the bytes are hashed
# and counted on the way, and nothing is written to the host's disks.
upload() {
  mkfifo "$WORK/$1.hash" "$WORK/$1.count" || return 1
  sha256sum <"$WORK/$1.hash" >"$WORK/$1.sha" &
  wc -c <"$WORK/$1.count" >"$WORK/$1.size" &
  tee "$WORK/$1.hash" "$WORK/$1.count" | aws s3 cp --only-show-errors --region "$REGION" - "$DEST/$2" 2>"$WORK/$1.upload.err"
  rc=$?
  wait
  [ "$rc" -eq 0 ] || return 1
  echo "CORDON-EVIDENCE $1 sha256=$(cut -d' ' -f1 <"$WORK/$1.sha") size=$(tr -d ' ' <"$WORK/$1.size") uri=$DEST/$2"
}
err_tail() { tail -c 300 "$1" 2>/dev/null | tr '\n' ' '; }

# Volatile data first: it takes seconds, and lists processes and connections before the
# acquisition tool joins them. A command that is missing or fails leaves its error in its file.
V="$WORK/volatile"
mkdir "$V" || abort no-tmpfs
collect() { f=$1; shift; "$@" >"$V/$f" 2>&1 || echo "(exit $?)" >>"$V/$f"; }
date -u +%Y-%m-%dT%H:%M:%SZ >"$V/collected-at.txt"
collect uname.txt uname -a
collect uptime.txt cat /proc/uptime
collect processes.txt ps auxwwf
collect process-exe.txt ls -l /proc/[0-9]*/exe
collect sockets.txt ss -tunape
collect open-files.txt lsof -nP
collect logged-in.txt who -a
collect w.txt w
collect last.txt last -F -n 200
collect ip-addr.txt ip addr
collect ip-route.txt ip route show table all
collect ip-neigh.txt ip neigh
collect iptables.txt iptables-save
collect mounts.txt cat /proc/mounts
collect modules.txt cat /proc/modules
tar -C "$WORK" -czf - volatile | upload volatile volatile.tar.gz || abort "volatile-upload-failed $(err_tail "$WORK/volatile.upload.err")"

# The memory image: the tool writes it to the path it is given, here /dev/stdout (a pipe). A
# pipeline reports only its last command's status, so the tool's is kept aside.
{ "$WORK/tool" /dev/stdout 2>"$WORK/tool.err"; echo $? >"$WORK/tool.rc"; } | upload memory memory.lime || abort "memory-upload-failed $(err_tail "$WORK/memory.upload.err")"
[ "$(cat "$WORK/tool.rc")" = 0 ] || abort "memory-tool-failed exit=$(cat "$WORK/tool.rc") $(err_tail "$WORK/tool.err")"
echo CORDON-DONE
)SH";

bool IsHex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c)) && !(c >= 'a' && c <= 'f')) return false;
  return true;
}

// Reads "key=value" from `field` into *value; false when the field is another key.
bool Field(std::string_view field, std::string_view key, std::string* value) {
  if (!StartsWith(field, key) || field.size() <= key.size() || field[key.size()] != '=') return false;
  *value = std::string(field.substr(key.size() + 1));
  return true;
}

}  // namespace

std::string ShellQuote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'')
      out += "'\\''";  // close the quote, an escaped quote, reopen
    else
      out += c;
  }
  return out + "'";
}

std::vector<std::string> MemoryCaptureScript(const CaptureScriptParams& p) {
  std::string script = "#!/bin/sh\n# cordon contain --capture-memory: memory and volatile data to " +
                       std::string("the evidence bucket (DESIGN.md rule 7).\nset -u\n");
  script += "REGION=" + ShellQuote(p.region) + "\n";
  script += "DEST=" + ShellQuote("s3://" + p.bucket + "/" + p.key_prefix) + "\n";
  script += "TOOL=" + ShellQuote(p.tool) + "\n";
  script += "TOOL_SHA256=" + ShellQuote(p.tool_sha256) + "\n";
  script += kScriptBody;
  std::vector<std::string> lines = Split(script, '\n');
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

Result<HostOutput> ParseHostOutput(std::string_view stdout_text) {
  HostOutput out;
  for (const std::string& raw : Split(stdout_text, '\n')) {
    std::string_view line = Trim(raw);
    if (line == "CORDON-DONE") {
      out.done = true;
    } else if (StartsWith(line, "CORDON-ABORT ")) {
      out.abort = std::string(Trim(line.substr(13)));
      if (StartsWith(out.abort, "reason=")) out.abort = out.abort.substr(7);
    } else if (StartsWith(line, "CORDON-EVIDENCE ")) {
      std::vector<std::string> f = Split(line, ' ');
      HostEvidence e;
      std::string size;
      if (f.size() != 5 || !Field(f[2], "sha256", &e.sha256) || !Field(f[3], "size", &size) ||
          !Field(f[4], "uri", &e.uri) || !IsHex64(e.sha256) || size.empty() ||
          size.find_first_not_of("0123456789") != std::string::npos || size.size() > 18)
        return MakeError(ErrorKind::kParse, "malformed evidence line from the host: " + std::string(line));
      e.name = f[1];
      e.size = std::stoll(size);
      out.evidence[e.name] = e;
    }
  }
  return out;
}

}  // namespace cordon::response
