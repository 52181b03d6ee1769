#!/usr/bin/env python3
"""Deterministic generator of a CloudTrail + VPC flow log dataset in the S3 delivery layout, for
bench/hunt/run.sh. Plants records of one target instance among look-alike decoys and writes a manifest
with the exact expected results for the selectors it names.

  python3 generate.py --out DIR [--ct-mb 120] [--flow-mb 80] [--full] [--seed 1]

--full is the issue's size: 2 GB of CloudTrail in 4,700 objects and 3 GB of flow logs in 1,000 objects
(sizes are uncompressed). The default is a 200 MB dataset.
"""
import argparse
import gzip
import json
import os
import random
import uuid

ACCOUNT = "111122223333"
REGIONS = ["us-east-1", "eu-west-1"]
TARGET = {"instance": "i-0feedface0000001", "ip": "10.0.3.8", "role": "web-node", "eni": "eni-0feed00000000001"}
# Look-alikes that a correct hunt must never match.
DECOY_INSTANCES = ["i-0feedface00000011", "i-0feedface000000", "i-0feedface0000002"]
DECOY_IPS = ["10.0.3.80", "110.0.3.8", "10.0.3.81", "10.0.3.9"]
OUTSIDE_IP = "198.51.100.23"  # the attacker using the stolen role session
EVENTS = [("ec2.amazonaws.com", "DescribeInstances"), ("s3.amazonaws.com", "GetObject"),
          ("sts.amazonaws.com", "GetCallerIdentity"), ("ssm.amazonaws.com", "UpdateInstanceInformation"),
          ("iam.amazonaws.com", "ListRoles"), ("kms.amazonaws.com", "Decrypt"), ("ec2.amazonaws.com", "StopInstances")]


def rand_ip(rng):
    return "10.%d.%d.%d" % (rng.randrange(1, 250), rng.randrange(0, 255), rng.randrange(1, 255))


def identity(rng, kind, instance=None):
    if kind == "role":
        return {"type": "AssumedRole", "principalId": "AROAEXAMPLE%04d:%s" % (rng.randrange(10000), instance),
                "arn": "arn:aws:sts::%s:assumed-role/%s/%s" % (ACCOUNT, TARGET["role"] if instance == TARGET["instance"] else "other-role", instance),
                "accountId": ACCOUNT, "accessKeyId": "ASIA%016d" % rng.randrange(10**16),
                "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROAEXAMPLE",
                                                     "arn": "arn:aws:iam::%s:role/%s" % (ACCOUNT, TARGET["role"]),
                                                     "accountId": ACCOUNT, "userName": TARGET["role"]},
                                   "attributes": {"creationDate": "2024-03-01T00:00:00Z", "mfaAuthenticated": "false"},
                                   "ec2RoleDelivery": "2.0"}}
    return {"type": "IAMUser", "principalId": "AIDAEXAMPLE%05d" % rng.randrange(100000),
            "arn": "arn:aws:iam::%s:user/user%d" % (ACCOUNT, rng.randrange(50)), "accountId": ACCOUNT,
            "accessKeyId": "AKIA%016d" % rng.randrange(10**16), "userName": "user%d" % rng.randrange(50)}


def record(rng, when, region, plant):
    """plant: None (background), 'by', 'by-outside', 'on', or 'decoy'."""
    source, name = rng.choice(EVENTS)
    ip = rand_ip(rng)
    params = {"instancesSet": {"items": [{"instanceId": "i-%017x" % rng.getrandbits(68)}]},
              "filterSet": {}, "maxResults": rng.randrange(5, 1000)}
    ident = identity(rng, "user")
    if plant in ("by", "by-outside"):
        ident = identity(rng, "role", TARGET["instance"])
        ip = TARGET["ip"] if plant == "by" else OUTSIDE_IP
    elif plant == "on":
        params = {"instancesSet": {"items": [{"instanceId": TARGET["instance"]}]}}
    elif plant == "decoy":
        ident = identity(rng, "role", rng.choice(DECOY_INSTANCES))
        ip = rng.choice(DECOY_IPS)
        params = {"instancesSet": {"items": [{"instanceId": rng.choice(DECOY_INSTANCES)}]},
                  "privateIpAddress": rng.choice(DECOY_IPS)}
    return {"eventVersion": "1.09", "userIdentity": ident, "eventTime": when, "eventSource": source,
            "eventName": name, "awsRegion": region, "sourceIPAddress": ip,
            "userAgent": "aws-cli/2.15.%d Python/3.11.8 Linux/6.1 exe/x86_64.amzn.2023 prompt/off" % rng.randrange(40),
            "requestParameters": params,
            "responseElements": None if rng.random() < 0.7 else {"requestId": str(uuid.UUID(int=rng.getrandbits(128)))},
            "requestID": str(uuid.UUID(int=rng.getrandbits(128))), "eventID": str(uuid.UUID(int=rng.getrandbits(128))),
            "readOnly": True, "eventType": "AwsApiCall", "managementEvent": True, "recipientAccountId": ACCOUNT,
            "eventCategory": "Management",
            "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                           "clientProvidedHostHeader": "%s.%s.amazonaws.com" % (source.split(".")[0], region)}}


def write_gz(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(gzip.compress(data, compresslevel=6, mtime=0))


def gen_cloudtrail(out, rng, total_bytes, objects, manifest):
    per_object = total_bytes // objects
    by, by_outside, on = set(), set(), set()
    role_records = 0  # records with a role session's identity: what the Sigma rules fire on (see run.sh)
    outside_times = []
    for i in range(objects):
        day = 1 + i * 3 // objects
        region = REGIONS[i % len(REGIONS)]
        hour, minute = (i * 7) % 24, (i * 5) % 60
        records, size = [], 0
        while size < per_object:
            when = "2024-03-%02dT%02d:%02d:%02dZ" % (day, hour, minute, rng.randrange(60))
            roll = rng.random()
            plant = None
            if roll < 0.002:
                plant = "by"
            elif roll < 0.0025:
                plant = "by-outside"
            elif roll < 0.004:
                plant = "on"
            elif roll < 0.01:
                plant = "decoy"
            r = record(rng, when, region, plant)
            if r["userIdentity"]["type"] == "AssumedRole":
                role_records += 1
            if plant == "by":
                by.add(r["eventID"])
            elif plant == "by-outside":
                by.add(r["eventID"])
                by_outside.add(r["eventID"])
                outside_times.append(when)
            elif plant == "on":
                on.add(r["eventID"])
            text = json.dumps(r, separators=(",", ":"))
            records.append(text)
            size += len(text) + 1
        body = ('{"Records":[' + ",".join(records) + "]}").encode()
        key = "cloudtrail/AWSLogs/%s/CloudTrail/%s/2024/03/%02d/%s_CloudTrail_%s_202403%02dT%02d%02dZ_%016x.json.gz" % (
            ACCOUNT, region, day, ACCOUNT, region, day, hour, minute, rng.getrandbits(64))
        write_gz(os.path.join(out, key), body)
        manifest["cloudtrail_bytes"] += len(body)
        manifest["cloudtrail_objects"] += 1
        manifest["cloudtrail_records"] += len(records)
    manifest["expected"]["cloudtrail_by"] = len(by)
    manifest["expected"]["sigma_role_records"] = role_records
    manifest["expected"]["cloudtrail_on"] = len(on)
    manifest["expected"]["exfiltration_events"] = len(by_outside)
    manifest["expected"]["exfiltration_first"] = min(outside_times) if outside_times else None
    manifest["expected"]["exfiltration_last"] = max(outside_times) if outside_times else None
    with open(os.path.join(out, "expected_event_ids.txt"), "w") as f:
        f.write("".join(x + "\n" for x in sorted(by | on)))


HEADER = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"


def gen_flows(out, rng, total_bytes, objects, manifest):
    per_object = total_bytes // objects
    aggregates = {}
    matched = 0
    base = 1709251200  # 2024-03-01T00:00:00Z
    for i in range(objects):
        day = 1 + i * 3 // objects
        region = REGIONS[i % len(REGIONS)]
        eni = "eni-%017x" % rng.getrandbits(68)
        lines = [HEADER]
        size = len(HEADER) + 1
        t0 = base + (day - 1) * 86400 + (i * 97) % 86000
        while size < per_object:
            roll = rng.random()
            src, dst = rand_ip(rng), rand_ip(rng)
            own_eni = eni
            if roll < 0.003:
                src = TARGET["ip"]
                own_eni = TARGET["eni"]
            elif roll < 0.006:
                dst = TARGET["ip"]
                own_eni = TARGET["eni"]
            elif roll < 0.02:
                src = rng.choice(DECOY_IPS)
            sport, dport = rng.randrange(1024, 65535), rng.choice([22, 80, 443, 3306, 5432, rng.randrange(1024, 65535)])
            proto = rng.choice([6, 6, 6, 17, 1])
            packets = rng.randrange(1, 5000)
            nbytes = packets * rng.randrange(40, 1500)
            start = t0 + rng.randrange(0, 600)
            end = start + rng.randrange(1, 60)
            action = "ACCEPT" if rng.random() < 0.9 else "REJECT"
            line = "2 %s %s %s %s %d %d %d %d %d %d %d %s OK" % (ACCOUNT, own_eni, src, dst, sport, dport, proto, packets, nbytes, start, end, action)
            if TARGET["ip"] in (src, dst):
                matched += 1
                direction, peer = ("egress", dst) if src == TARGET["ip"] else ("ingress", src)
                k = (peer, dport, proto, direction, action)
                a = aggregates.setdefault(k, [0, 0, 0])
                a[0] += nbytes
                a[1] += packets
                a[2] += 1
            lines.append(line)
            size += len(line) + 1
        body = ("\n".join(lines) + "\n").encode()
        key = "flowlogs/AWSLogs/%s/vpcflowlogs/%s/2024/03/%02d/%s_vpcflowlogs_%s_fl-%08x_202403%02dT%04dZ_%08x.log.gz" % (
            ACCOUNT, region, day, ACCOUNT, region, rng.getrandbits(32), day, i % 2400, rng.getrandbits(32))
        write_gz(os.path.join(out, key), body)
        manifest["flow_bytes"] += len(body)
        manifest["flow_objects"] += 1
    manifest["expected"]["flow_matched_records"] = matched
    manifest["expected"]["flow_aggregates"] = len(aggregates)
    manifest["expected"]["flow_bytes"] = sum(a[0] for a in aggregates.values())


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True)
    p.add_argument("--ct-mb", type=int, default=120)
    p.add_argument("--flow-mb", type=int, default=80)
    p.add_argument("--ct-objects", type=int, default=0)
    p.add_argument("--flow-objects", type=int, default=0)
    p.add_argument("--full", action="store_true", help="2 GB CloudTrail in 4,700 objects, 3 GB flow logs in 1,000")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    if a.full:
        a.ct_mb, a.flow_mb, a.ct_objects, a.flow_objects = 2000, 3000, 4700, 1000
    ct_objects = a.ct_objects or max(1, a.ct_mb * 4700 // 2000)
    flow_objects = a.flow_objects or max(1, a.flow_mb * 1000 // 3000)
    rng = random.Random(a.seed)
    manifest = {"seed": a.seed, "selectors": {"instance": TARGET["instance"], "ip": TARGET["ip"]},
                "cloudtrail_bytes": 0, "cloudtrail_objects": 0, "cloudtrail_records": 0,
                "flow_bytes": 0, "flow_objects": 0, "expected": {}}
    gen_cloudtrail(a.out, rng, a.ct_mb * 1000 * 1000, ct_objects, manifest)
    gen_flows(a.out, rng, a.flow_mb * 1000 * 1000, flow_objects, manifest)
    with open(os.path.join(a.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    print(json.dumps(manifest, indent=2))


if __name__ == "__main__":
    main()
