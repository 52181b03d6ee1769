#include "cli/lab_command.h"

#include <cstdio>
#include <memory>

#include "cli/case_plan_command.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "response/bucket/write_once.h"
#include "response/lab/lab.h"
#include "response/plan.h"

namespace cordon::cli {
namespace {

namespace lab = response::lab;

struct LabFlags : CasePlanFlags {
  lab::LabOptions options;
  bool allow_unlocked = false;  // --allow-unlocked-bucket
};

// lab up's --evidence-bucket, checked write-once before the case or the stack is touched.
Status CheckLabBucket(const CommandContext& ctx, const LabFlags& f) {
  if (f.options.evidence_bucket.empty()) return Ok();
  auto client = ctx.Client();
  if (!client) return MakeError(client.error());
  auto lock = response::RequireWriteOnce(
      **client, response::BucketRef{f.options.evidence_bucket, f.options.evidence_prefix}, f.allow_unlocked,
      "--evidence-bucket");
  if (!lock) return MakeError(lock.error());
  if (!lock->write_once())
    PrintWarning("s3://" + f.options.evidence_bucket + " is not write-once (" + lock->Describe() +
                 "); using it as " + std::string(response::kAllowUnlockedFlag) + " says");
  return Ok();
}

using PlanBuilder = response::Plan (*)(const cloud::ResolvedTarget&, const LabFlags&);

int RunLab(const CommandContext& ctx, const LabFlags& f, PlanBuilder build, CasePlanRun run) {
  return RunCasePlan(
      ctx, f, [&](const cloud::ResolvedTarget& t) { return build(t, f); }, run);
}

}  // namespace

CommandBody SetupLabUp(CLI::App& app) {
  app.description(
      "Launch the case's single-use forensic workstation as a CloudFormation stack (`cordon lab template`)\n"
      "in the suspect's VPC and AZ: its own group with no ingress, HTTPS egress only, no public IP, IMDSv2,\n"
      "an encrypted root volume, a role that may write only the case's evidence prefix. cordon checks\n"
      "the workstation after launch and fixes what the stack did not get right.");
  auto f = std::make_shared<LabFlags>();
  AddCasePlanFlags(app, f.get(), false);
  app.add_option("--ami", f->options.ami, "the forensic workstation's AMI (required)");
  app.add_option("--instance-type", f->options.instance_type, "default t3.large")->capture_default_str();
  app.add_option("--subnet", f->options.subnet,
                 "a subnet in the suspect's AZ (default: the suspect's subnet)");
  app.add_option("--evidence-bucket", f->options.evidence_bucket,
                 "the bucket the workstation may write to (write-once: `cordon evidence-bucket create`)");
  app.add_flag("--allow-unlocked-bucket", f->allow_unlocked,
               "use an --evidence-bucket that is not write-once");
  app.add_option("--evidence-prefix", f->options.evidence_prefix, "under this prefix (then /<case>/)");
  app.add_option(
      "--forensic-account-role", f->options.forensic_account_role,
      "launch the lab in the account of this role (arn:aws:iam::<account>:role/NAME), with --subnet "
      "there; later lab commands find it in the case");
  return {[f](const CommandContext& ctx) {
            if (auto s = CheckLabBucket(ctx, *f); !s) {
              const int code = ReportError(s.error());
              PrintInfo("nothing was changed");
              return code;
            }
            return RunLab(ctx, *f,
                          [](const cloud::ResolvedTarget& t, const LabFlags& fl) {
                            return lab::BuildLabUpPlan(t, fl.options);
                          },
                          {"lab up"});
          },
          [f]() -> Status {
            if (!f->plan_only && f->options.ami.empty())
              return MakeError(ErrorKind::kInvalidArgument,
                               "--ami is required: the AMI of the forensic workstation");
            return Ok();
          }};
}

CommandBody SetupLabAllow(CLI::App& app) {
  app.description(
      "Let the case's forensic workstation reach the suspect: its group into the case's own allow group\n"
      "on the suspect's ENIs (never into a group other instances use).");
  auto f = std::make_shared<LabFlags>();
  AddCasePlanFlags(app, f.get(), false);
  return {[f](const CommandContext& ctx) {
            return RunLab(
                ctx, *f,
                [](const cloud::ResolvedTarget& t, const LabFlags&) { return lab::BuildLabAllowPlan(t); },
                {"lab allow"});
          },
          {}};
}

CommandBody SetupLabAttach(CLI::App& app) {
  app.description(
      "Make a volume from each of the case's snapshots in the workstation's AZ, attach it to the\n"
      "workstation, and journal snapshot -> volume -> device (the chain of custody).");
  auto f = std::make_shared<LabFlags>();
  AddCasePlanFlags(app, f.get(), false);
  app.add_option("--snapshot", f->options.snapshots,
                 "only this snapshot (repeatable; default: all of the case's)");
  app.add_option("--volume-type", f->options.volume_type, "default gp3")->capture_default_str();
  app.add_option("--iops", f->options.iops, "provisioned IOPS (io1, io2, gp3)")->check(CLI::Range(0, 256000));
  app.add_option("--kms-key", f->options.kms_key, "encrypt the volumes with this KMS key");
  app.add_flag("--mount", f->options.mount,
               "then, over SSM on the workstation: set each volume read-only, hash it, mount it read-only");
  return {
      [f](const CommandContext& ctx) {
        int status = RunLab(ctx, *f,
                            [](const cloud::ResolvedTarget& t, const LabFlags& fl) {
                              return lab::BuildLabAttachPlan(t, fl.options);
                            },
                            {"lab attach"});
        if (status == kExitOk && !f->plan_only)
          PrintInfo(
              "mount read-only on the workstation: find each volume by its id (lsblk -o NAME,SERIAL shows "
              "vol... without the dash on Nitro), then `sudo mount -o ro,noload /dev/<device>1 "
              "/mnt/<snapshot>`; "
              "never mount read-write, never fsck");
        return status;
      },
      {}};
}

CommandBody SetupLabDown(CLI::App& app) {
  app.description(
      "Tear the case's lab down: delete the lab volumes, revoke the workstation's access, delete the\n"
      "stack, then look for anything still tagged for the lab and delete it. Never touches snapshots,\n"
      "evidence objects or the case folder.");
  auto f = std::make_shared<LabFlags>();
  AddCasePlanFlags(app, f.get(), true);
  return {[f](const CommandContext& ctx) {
            return RunLab(
                ctx, *f,
                [](const cloud::ResolvedTarget& t, const LabFlags&) { return lab::BuildLabDownPlan(t); },
                {"lab down",
                 "Destroy the forensic workstation, its stack " + lab::LabStackName(ctx.case_flags.id) +
                     ", its group and every lab volume (the snapshots and evidence stay)",
                 Confirmation::kYesNo});
          },
          {}};
}

CommandBody SetupLabTemplate(CLI::App& app) {
  app.description("Print the CloudFormation template `cordon lab up` launches.");
  return {[](const CommandContext&) {
            std::fwrite(lab::WorkstationTemplate().data(), 1, lab::WorkstationTemplate().size(), stdout);
            return kExitOk;
          },
          {}};
}

}  // namespace cordon::cli
