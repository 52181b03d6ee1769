// lab-mount (lab attach --mount): on the workstation, through SSM Run Command, each lab volume is
// found by its serial (the volume id on Nitro, /dev/nvme*n1) or its device name, set read-only at
// the block layer (blockdev --setro), hashed whole (SHA-256 of the device, the image's hash taken
// off the suspect), and mounted read-only without replaying its journal (ext4 noload, XFS
// norecovery) at /mnt/cordon/<snapshot>. Each hash is journaled as a custody note.
// A rerun after a crash finds the command it sent by its comment and waits for it (rule 8).
#include <algorithm>
#include <map>
#include <sstream>

#include "base/hash.h"
#include "base/strings.h"
#include "response/isolation_groups.h"
#include "response/lab/lab_account.h"
#include "response/lab/lab_state.h"
#include "response/lab/lab_steps.h"
#include "response/live_state.h"
#include "response/memory/memory_capture_script.h"
#include "response/ssm_command.h"

namespace cordon::response::lab {
namespace {

// The mount script's own timeout: hashing reads every block of every attached volume, which takes hours
// for large volumes, and a script SSM stops half-way leaves no verdict.
constexpr std::chrono::seconds kMountTimeout{6 * 3600};

// The script for `volumes` ([{volume, device, snapshot}]). Prints, per volume:
//   CORDON-DEVICE <volume> dev=<path> sha256=<hex>   then   CORDON-MOUNTED <volume> at=<dir>
// and CORDON-DONE last; CORDON-ABORT reason=... (exit 3) when a volume cannot be found.
std::vector<std::string> MountScript(const Json& volumes) {
  std::vector<std::string> lines = {"set -u", "mkdir -p /mnt/cordon"};
  for (const Json& v : volumes) {
    const std::string vol = Str(v, "volume"), device = Str(v, "device"), snap = Str(v, "snapshot");
    std::string serial = vol;
    serial.erase(std::remove(serial.begin(), serial.end(), '-'), serial.end());  // Nitro: vol0abc...
    const std::string xvd = "/dev/xvd" + device.substr(device.size() - 1);
    const std::string dir = "/mnt/cordon/" + snap;
    lines.push_back(
        "dev=''; for d in /dev/nvme*n1; do [ -e \"$d\" ] || continue; s=$(tr -d ' ' < /sys/block/$(basename "
        "\"$d\")/device/serial 2>/dev/null); [ \"$s\" = " +
        ShellQuote(serial) + " ] && dev=$d; done");
    lines.push_back("[ -n \"$dev\" ] || for c in " + ShellQuote(device) + " " + ShellQuote(xvd) +
                    "; do [ -b \"$c\" ] && dev=$c && break; done");
    lines.push_back("[ -n \"$dev\" ] || { echo 'CORDON-ABORT reason=no-device " + vol + "'; exit 3; }");
    lines.emplace_back("blockdev --setro \"$dev\"");
    lines.push_back("sha=$(sha256sum \"$dev\" | cut -d' ' -f1); echo \"CORDON-DEVICE " + vol +
                    " dev=$dev sha256=$sha\"");
    lines.emplace_back(
        "part=$dev; for p in \"${dev}p1\" \"${dev}1\"; do [ -b \"$p\" ] && part=$p && break; done");
    lines.push_back("mkdir -p " + ShellQuote(dir) + " && (mountpoint -q " + ShellQuote(dir) +
                    " || mount -o ro,noload \"$part\" " + ShellQuote(dir) +
                    " 2>/dev/null || mount -o ro,norecovery \"$part\" " + ShellQuote(dir) +
                    ") && echo 'CORDON-MOUNTED " + vol + " at=" + dir + "'");
  }
  lines.emplace_back("echo CORDON-DONE");
  return lines;
}

struct DeviceHash {
  std::string device, sha256;
};

// CORDON-DEVICE lines by volume id; false in *done when CORDON-DONE is missing.
std::map<std::string, DeviceHash> ParseDevices(const std::string& out, std::string* abort, bool* done) {
  std::map<std::string, DeviceHash> hashes;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> words = Split(std::string(Trim(line)), ' ');
    if (words.empty()) continue;
    if (words[0] == "CORDON-DONE") *done = true;
    if (words[0] == "CORDON-ABORT") *abort = std::string(Trim(line)).substr(13);
    if (words[0] != "CORDON-DEVICE" || words.size() != 4) continue;
    if (!StartsWith(words[2], "dev=") || !StartsWith(words[3], "sha256=")) continue;
    const std::string sha = words[3].substr(7);
    if (sha.size() != 64 || sha.find_first_not_of("0123456789abcdef") != std::string::npos) continue;
    hashes[words[1]] = DeviceHash{words[2].substr(4), sha};
  }
  return hashes;
}

class LabMountStep : public Step {
 public:
  std::string_view name() const override { return "lab-mount"; }
  bool Cycles() const override { return true; }

 protected:
  // The lab volumes attached to the workstation, and which of them this case already hashed.
  Result<Json> Observe(StepContext& ctx) override {
    LabAccount account(ctx);
    auto lab = account.EnterRecordedLab();
    if (!lab) return MakeError(lab.error());
    auto out = ctx.CallAll("ec2", "DescribeVolumes",
                           Json{{"Filters", CaseRoleFilters(CaseIdOf(ctx), {std::string(kLabRole)})}});
    if (!out) return MakeError(out.error());
    Json volumes = Json::array();
    for (const Json& v : out->value("Volumes", Json::array()))
      for (const Json& a : v.value("Attachments", Json::array()))
        if (Str(a, "InstanceId") == lab->workstation_id && Str(a, "State") == "attached")
          volumes.push_back(
              Json{{"volume", v["VolumeId"]},
                   {"device", a["Device"]},
                   {"snapshot", TagValue(v.value("Tags", Json::array()), "cordon:source-snapshot")}});
    return Json{{"workstation", lab->workstation_id}, {"volumes", volumes}, {"hashed", Hashed(ctx)}};
  }
  bool IsDone(StepContext&, const Json& o) override {
    if (o["volumes"].empty()) return false;  // DoApply says why
    for (const Json& v : o["volumes"])
      if (!o["hashed"].contains(Str(v, "volume"))) return false;
    return true;
  }
  Result<Json> DoApply(StepContext& ctx, const Json& before) override {
    if (before["volumes"].empty())
      return MakeError(ErrorKind::kNotFound,
                       "no lab volume is attached to the workstation; run lab attach first");
    LabAccount account(ctx);
    if (Status s = account.EnterRecorded(); !s) return MakeError(s.error());
    StepContext ws = ctx;  // SSM acts on the workstation, in the lab's account
    ws.target.instance_id = Str(before, "workstation");
    if (Status s = RequireSsmOnline(ws, "the lab volumes cannot be hashed and mounted through Run Command",
                                    "mount them by hand (lab attach prints how)");
        !s)
      return MakeError(s.error());
    std::string ids;
    for (const Json& v : before["volumes"]) ids += Str(v, "volume");
    const std::string comment = "cordon lab-mount " + CaseIdOf(ctx) + " " + Sha256Hex(ids).substr(0, 16);
    auto live = FindLiveCommand(ws, comment);
    if (!live) return MakeError(live.error());
    std::string command_id = *live;
    if (command_id.empty()) {
      ShellCommand command;
      command.comment = comment;
      command.lines = MountScript(before["volumes"]);
      command.timeout = kMountTimeout;
      auto sent = SendShellCommand(ws, command);
      if (!sent) return MakeError(sent.error());
      command_id = *sent;
    }
    auto inv = WaitForInvocation(ws, command_id, kMountTimeout + kInvocationGrace);
    if (!inv) return MakeError(inv.error());
    return Record(ctx, before, *inv);
  }

 private:
  // Volume id -> sha256 of the devices this case hashed (lab-mount's journaled results).
  static Json Hashed(const StepContext& ctx) {
    Json hashed = Json::object();
    auto last = ctx.store->journal().LastOutcome(ctx.target.instance_id, "lab-mount");
    if (last && last->state == evidence::StepState::kDone && last->payload.contains("result"))
      for (const Json& d : last->payload["result"].value("devices", Json::array()))
        hashed[Str(d, "volume")] = d["sha256"];
    return hashed;
  }

  static Result<Json> Record(StepContext& ctx, const Json& before, const SsmInvocation& inv) {
    std::string abort;
    bool done = false;
    auto hashes = ParseDevices(inv.stdout_text, &abort, &done);
    if (inv.status != "Success" || !abort.empty() || !done)
      return MakeError(ErrorKind::kService,
                       "lab-mount command " + inv.command_id + " did not succeed: " +
                           (abort.empty() ? "status " + inv.status : "the host aborted: " + abort));
    Json devices = Json::array();
    for (const Json& v : before["volumes"]) {
      auto it = hashes.find(Str(v, "volume"));
      if (it == hashes.end())
        return MakeError(ErrorKind::kParse,
                         "lab-mount command " + inv.command_id + " printed no hash for " + Str(v, "volume"));
      devices.push_back(Json{{"volume", v["volume"]},
                             {"snapshot", v["snapshot"]},
                             {"device", it->second.device},
                             {"sha256", it->second.sha256},
                             {"mounted_at", "/mnt/cordon/" + Str(v, "snapshot")}});
      ctx.notes.push_back("custody: " + Str(v, "snapshot") + " -> " + Str(v, "volume") + " on " +
                          Str(before, "workstation") + " " + it->second.device + " sha256 " +
                          it->second.sha256 + ", mounted read-only at /mnt/cordon/" + Str(v, "snapshot"));
    }
    ctx.detail = std::to_string(devices.size()) + " devices hashed and mounted read-only";
    return Json{{"command_id", inv.command_id}, {"devices", devices}};
  }
};

}  // namespace

std::unique_ptr<Step> MakeLabMountStep() { return std::make_unique<LabMountStep>(); }

}  // namespace cordon::response::lab
