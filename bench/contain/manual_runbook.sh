#!/usr/bin/env bash
# The containment runbook as responders run it by hand: sequential AWS CLI commands, one instance
# after the other, in the safe order of DESIGN §3 (what `cordon contain` automates).
#
#   bench/contain/manual_runbook.sh --endpoint-url URL --case ID [--responder NAME] [--region R] INSTANCE...
#
# Needs the AWS CLI and credentials in the environment. For each instance:
#   record the pre-state (describe instance, profile association, ASG, CLBs, target groups, EIPs)
#   tag -> termination protection, shutdown behaviour stop, DeleteOnTermination off
#   -> ASG scale-in protection, detach without decrementing -> deregister from every CLB and TG
#   -> per-ENI isolation through an all-open "untrack" group then the rule-less isolation group
#   -> disassociate Elastic IPs -> disassociate the instance profile, inline deny on the role
#   -> multi-volume snapshot set -> console output.
# Pre-state is written to $RUNBOOK_OUT (default: a temporary folder). With $RUNBOOK_CALL_LOG set,
# a line "== INSTANCE EPOCH" is appended there as each instance starts, so bench.py can split the
# calls and the time per instance (its `aws` shim appends one line per CLI invocation).
set -euo pipefail

endpoint="" case_id="" responder="${USER:-responder}" region="${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}"
instances=()
while [ $# -gt 0 ]; do
  case "$1" in
    --endpoint-url) endpoint="$2"; shift 2 ;;
    --case) case_id="$2"; shift 2 ;;
    --responder) responder="$2"; shift 2 ;;
    --region) region="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    -*) echo "manual_runbook.sh: unknown option $1" >&2; exit 2 ;;
    *) instances+=("$1"); shift ;;
  esac
done
[ -n "$case_id" ] && [ ${#instances[@]} -gt 0 ] || { echo "usage: $0 --endpoint-url URL --case ID INSTANCE..." >&2; exit 2; }

out="${RUNBOOK_OUT:-$(mktemp -d -t runbook-XXXXXX)}"
mkdir -p "$out"
ep=()
[ -n "$endpoint" ] && ep=(--endpoint-url "$endpoint")
aws_() { aws "${ep[@]}" --region "$region" --output text "$@"; }
today="$(date -u +%Y-%m-%d)"

isolation_group() {  # VPC -> the isolation group id; creates the pair the first time
  local vpc="$1" iso untrack
  iso="$(aws_ ec2 describe-security-groups --filters "Name=vpc-id,Values=$vpc" "Name=group-name,Values=cordon-isolation-$vpc" \
         --query 'SecurityGroups[0].GroupId')"
  if [ "$iso" = "None" ] || [ -z "$iso" ]; then
    untrack="$(aws_ ec2 create-security-group --vpc-id "$vpc" --group-name "cordon-untrack-$vpc" \
               --description "cordon: all open, makes flows untracked" --query GroupId)"
    aws_ ec2 authorize-security-group-ingress --group-id "$untrack" \
         --ip-permissions 'IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}],Ipv6Ranges=[{CidrIpv6=::/0}]' >/dev/null
    aws_ ec2 authorize-security-group-egress --group-id "$untrack" \
         --ip-permissions 'IpProtocol=-1,Ipv6Ranges=[{CidrIpv6=::/0}]' >/dev/null
    aws_ ec2 create-tags --resources "$untrack" --tags Key=cordon:managed,Value=true Key=cordon:purpose,Value=untrack
    iso="$(aws_ ec2 create-security-group --vpc-id "$vpc" --group-name "cordon-isolation-$vpc" \
           --description "cordon: isolation, no rules" --query GroupId)"
    aws_ ec2 revoke-security-group-egress --group-id "$iso" \
         --ip-permissions 'IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]' >/dev/null
    aws_ ec2 create-tags --resources "$iso" --tags Key=cordon:managed,Value=true Key=cordon:purpose,Value=isolation
  fi
  echo "$iso"
}

for id in "${instances[@]}"; do
  echo "== $id" >&2
  [ -n "${RUNBOOK_CALL_LOG:-}" ] && echo "== $id $(date +%s.%N)" >> "$RUNBOOK_CALL_LOG"
  # --- record the pre-state
  aws "${ep[@]}" --region "$region" ec2 describe-instances --instance-ids "$id" > "$out/$id.instance.json"
  vpc="$(aws_ ec2 describe-instances --instance-ids "$id" --query 'Reservations[0].Instances[0].VpcId')"
  enis="$(aws_ ec2 describe-instances --instance-ids "$id" --query 'Reservations[0].Instances[0].NetworkInterfaces[].NetworkInterfaceId')"
  devices="$(aws_ ec2 describe-instances --instance-ids "$id" --query 'Reservations[0].Instances[0].BlockDeviceMappings[?Ebs].DeviceName')"
  assoc="$(aws_ ec2 describe-iam-instance-profile-associations --filters "Name=instance-id,Values=$id" \
           --query 'IamInstanceProfileAssociations[0].[AssociationId,IamInstanceProfile.Arn]')"
  asg="$(aws_ autoscaling describe-auto-scaling-instances --instance-ids "$id" --query 'AutoScalingInstances[0].AutoScalingGroupName')"
  clbs="$(aws_ elb describe-load-balancers --query "LoadBalancerDescriptions[?Instances[?InstanceId=='$id']].LoadBalancerName")"
  tgs="$(aws_ elbv2 describe-target-groups --query 'TargetGroups[].TargetGroupArn')"
  eips="$(aws_ ec2 describe-addresses --query "Addresses[?InstanceId=='$id' || contains('$enis', NetworkInterfaceId || '-')].AssociationId")"
  # the two attributes protect changes, so that they can be put back on release (cordon records them too)
  aws_ ec2 describe-instance-attribute --instance-id "$id" --attribute disableApiTermination > "$out/$id.attr-termination.txt"
  aws_ ec2 describe-instance-attribute --instance-id "$id" --attribute instanceInitiatedShutdownBehavior > "$out/$id.attr-shutdown.txt"
  echo "$assoc $asg $clbs $eips" > "$out/$id.pre.txt"

  # --- tag, termination protection, shutdown behaviour, DeleteOnTermination
  aws_ ec2 create-tags --resources "$id" --tags "Key=incident-response,Value=quarantine:$case_id" "Key=cordon:case,Value=$case_id" \
       "Key=cordon:responder,Value=$responder"
  aws_ ec2 modify-instance-attribute --instance-id "$id" --disable-api-termination
  aws_ ec2 modify-instance-attribute --instance-id "$id" --attribute instanceInitiatedShutdownBehavior --value stop
  for dev in $devices; do
    aws_ ec2 modify-instance-attribute --instance-id "$id" \
         --block-device-mappings "[{\"DeviceName\":\"$dev\",\"Ebs\":{\"DeleteOnTermination\":false}}]"
  done

  # --- Auto Scaling: protect, then detach without decrementing
  if [ "$asg" != "None" ] && [ -n "$asg" ]; then
    aws_ autoscaling set-instance-protection --auto-scaling-group-name "$asg" --instance-ids "$id" --protected-from-scale-in
    aws_ autoscaling detach-instances --auto-scaling-group-name "$asg" --instance-ids "$id" \
         --no-should-decrement-desired-capacity >/dev/null
  fi

  # --- load balancers, found by looking
  for lb in $clbs; do
    aws_ elb deregister-instances-from-load-balancer --load-balancer-name "$lb" --instances "InstanceId=$id" >/dev/null
  done
  for tg in $tgs; do
    if [ -n "$(aws_ elbv2 describe-target-health --target-group-arn "$tg" --query "TargetHealthDescriptions[?Target.Id=='$id'].Target.Id")" ]; then
      aws_ elbv2 deregister-targets --target-group-arn "$tg" --targets "Id=$id"
    fi
  done

  # --- network isolation per ENI: all-open group first (untracks flows), then no rules
  iso="$(isolation_group "$vpc")"
  untrack="$(aws_ ec2 describe-security-groups --filters "Name=vpc-id,Values=$vpc" "Name=group-name,Values=cordon-untrack-$vpc" \
             --query 'SecurityGroups[0].GroupId')"
  for eni in $enis; do
    aws_ ec2 modify-network-interface-attribute --network-interface-id "$eni" --groups "$untrack"
  done
  for eni in $enis; do
    aws_ ec2 modify-network-interface-attribute --network-interface-id "$eni" --groups "$iso"
  done
  # (no modify-instance-attribute --groups: EC2 refuses it for an instance with two ENIs, and the
  # primary ENI's groups are the instance's; the range serves both, range/eni_groups.py)

  # --- Elastic IPs
  for a in $eips; do
    aws_ ec2 disassociate-address --association-id "$a"
  done

  # --- credentials: deny the role's issued credentials for this instance, then the profile off
  assoc_id="$(echo "$assoc" | awk '{print $1}')"
  if [ "$assoc_id" != "None" ] && [ -n "$assoc_id" ]; then
    role="$(aws_ iam get-instance-profile --instance-profile-name "$(echo "$assoc" | awk '{print $2}' | sed 's#.*/##')" \
            --query 'InstanceProfile.Roles[0].RoleName')"
    aws_ iam put-role-policy --role-name "$role" --policy-name "cordon-deny-$case_id-$id" --policy-document \
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"ec2:SourceInstanceARN\":\"arn:aws:ec2:$region:123456789012:instance/$id\"}}}]}"
    aws_ ec2 disassociate-iam-instance-profile --association-id "$assoc_id" >/dev/null
  fi

  # --- evidence: one snapshot set of every EBS volume, then the console output
  vol_dev="$(aws_ ec2 describe-instances --instance-ids "$id" \
             --query 'Reservations[0].Instances[0].BlockDeviceMappings[?Ebs].[Ebs.VolumeId,DeviceName]')"
  aws_ ec2 create-snapshots --instance-specification "InstanceId=$id,ExcludeBootVolume=false" \
       --description "$responder-$today-$case_id" \
       --tag-specifications "ResourceType=snapshot,Tags=[{Key=cordon:case,Value=$case_id},{Key=cordon:instance,Value=$id},{Key=cordon:responder,Value=$responder},{Key=cordon:set,Value=contain}]" \
       --query 'Snapshots[].[SnapshotId,VolumeId]' > "$out/$id.snapshots.txt"
  while read -r snap vol; do  # each snapshot tagged with its volume and device, one call each
    dev="$(echo "$vol_dev" | awk -v v="$vol" '$1 == v {print $2}')"
    aws_ ec2 create-tags --resources "$snap" --tags "Key=cordon:volume,Value=$vol" "Key=cordon:device,Value=$dev"
  done < "$out/$id.snapshots.txt"
  aws "${ep[@]}" --region "$region" ec2 get-console-output --instance-id "$id" > "$out/$id.console.json"
done
echo "$out"
