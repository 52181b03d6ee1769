#include "posture/instance_checks.h"

#include <set>

namespace cordon::posture {
namespace {

const std::vector<std::string> kLiveStates = {"pending", "running", "stopping", "stopped"};

void CheckImds(RegionScan& scan, const Json& i) {
  const Json& m = Obj(i, "MetadataOptions");
  // HttpTokens "optional" lets a process (or an SSRF) read the role's credentials without a session
  // token: IMDSv1. A disabled endpoint serves neither version.
  if (Str(m, "HttpTokens") != "optional" || Str(m, "HttpEndpoint") == "disabled") return;
  std::string id = Str(i, "InstanceId");
  Finding f;
  f.check = "instance.imdsv1";
  f.severity = Severity::kHigh;
  f.evidence = {id};
  f.title =
      id + " allows IMDSv1 (HttpTokens optional): its role credentials are one unauthenticated GET away";
  f.details = {{"http_tokens", "optional"}, {"http_endpoint", Str(m, "HttpEndpoint")}};
  f.fix = scan.Cli("ec2 modify-instance-metadata-options --instance-id " + id +
                   " --http-tokens required --http-endpoint enabled");
  scan.Add(std::move(f));
}

void CheckVolumes(RegionScan& scan, const std::set<std::string>& live, const std::string& only) {
  Json input = Json::object();
  if (!only.empty()) input["Filters"] = aws::FilterArray("attachment.instance-id", Json::array({only}));
  auto volumes = scan.CallAll("ec2", "DescribeVolumes", std::move(input));
  if (!volumes) return scan.NotAssessed("volume.unencrypted", volumes.error());
  for (const Json& v : Arr(*volumes, "Volumes")) {
    if (v.value("Encrypted", false)) continue;
    std::string vol = Str(v, "VolumeId");
    for (const Json& a : Arr(v, "Attachments")) {
      std::string instance = Str(a, "InstanceId");
      if (!live.count(instance)) continue;
      Finding f;
      f.check = "volume.unencrypted";
      f.severity = Severity::kMedium;
      f.evidence = {vol, instance};
      f.title = vol + " (" + Str(a, "Device") + " of " + instance + ") is not encrypted";
      f.details = {{"volume_id", vol}, {"instance_id", instance}, {"device", Str(a, "Device")}};
      // EBS cannot encrypt a volume in place: new volumes get encryption by default, and this one is
      // replaced from an encrypted copy of its snapshot.
      f.fix = scan.Cli("ec2 enable-ebs-encryption-by-default") + " && " +
              scan.Cli("ec2 create-snapshot --volume-id " + vol) +
              "  # then copy-snapshot --encrypted, create-volume from the copy, swap it in";
      scan.Add(std::move(f));
    }
  }
}

void CheckSsm(RegionScan& scan, const std::vector<std::string>& running) {
  if (running.empty()) return;
  auto managed = scan.CallAll("ssm", "DescribeInstanceInformation");
  if (!managed) return scan.NotAssessed("instance.no_ssm", managed.error());
  std::set<std::string> known;
  for (const Json& m : Arr(*managed, "InstanceInformationList")) known.insert(Str(m, "InstanceId"));
  for (const std::string& id : running) {
    if (known.count(id)) continue;
    Finding f;
    f.check = "instance.no_ssm";
    f.severity = Severity::kLow;
    f.evidence = {id};
    f.title =
        id + " is not managed by SSM (no agent reporting): no memory capture or live response through SSM";
    f.fix = scan.Cli("ec2 associate-iam-instance-profile --instance-id " + id +
                     " --iam-instance-profile Name=PROFILE_WITH_AmazonSSMManagedInstanceCore") +
            "  # and install/start amazon-ssm-agent";
    scan.Add(std::move(f));
  }
}

}  // namespace

void CheckInstances(RegionScan& scan, RoleChecker& roles, const std::string& only) {
  Json input = aws::Filters("instance-state-name", kLiveStates);
  if (!only.empty()) input["InstanceIds"] = Json::array({only});
  auto out = scan.CallAll("ec2", "DescribeInstances", std::move(input));
  if (!out) {
    for (const char* check : {"instance.imdsv1", "volume.unencrypted", "instance.no_ssm", "role.admin"})
      scan.NotAssessed(check, out.error());
    return;
  }
  std::set<std::string> live;
  std::vector<std::string> running;
  for (const Json& r : Arr(*out, "Reservations")) {
    for (const Json& i : Arr(r, "Instances")) {
      std::string id = Str(i, "InstanceId");
      live.insert(id);
      if (Str(Obj(i, "State"), "Name") == "running") running.push_back(id);
      CheckImds(scan, i);
      if (std::string profile = Str(Obj(i, "IamInstanceProfile"), "Arn"); !profile.empty())
        roles.Check(scan, profile, id);
    }
  }
  CheckVolumes(scan, live, only);
  CheckSsm(scan, running);
}

}  // namespace cordon::posture
