#include <gtest/gtest.h>

#include "cloud/activity.h"
#include "cloud/instance_inventory.h"

namespace cordon::cloud {
namespace {

bool Has(const std::vector<std::string>& v, const std::string& s) {
  for (const auto& x : v)
    if (x.find(s) != std::string::npos) return true;
  return false;
}

TEST(MetadataOptions, Imdsv1Allowed) {
  MetadataOptions m;
  m.http_tokens = "optional";
  m.http_endpoint = "enabled";
  EXPECT_TRUE(m.imdsv1_allowed());
  m.http_tokens = "required";
  EXPECT_FALSE(m.imdsv1_allowed());
  m.http_tokens = "optional";
  m.http_endpoint = "disabled";
  EXPECT_FALSE(m.imdsv1_allowed());
}

TEST(InventoryJson, FailedPartsAreRecordedInPlace) {
  InstanceInventory inv;
  inv.instance.id = "i-1";
  inv.volumes.error = "AccessDenied";
  inv.auto_scaling.error = "boom";
  inv.network_interfaces.items.push_back(NetworkInterface{});
  Json j = ToJson(inv);
  EXPECT_EQ(j["volumes"], (Json{{"error", "AccessDenied"}}));
  EXPECT_EQ(j["auto_scaling"], (Json{{"error", "boom"}}));
  EXPECT_TRUE(j["network_interfaces"].is_array());
  EXPECT_TRUE(j["auto_scaling"].is_object());
  EXPECT_TRUE(j["instance_profile"].is_null());
  EXPECT_EQ(j["format"], "cordon-inventory/1");
}

TEST(InventoryJson, StableKeysEvenWhenEmpty) {
  Json a = ToJson(InstanceInventory{});
  for (const char* key : {"instance", "metadata_options", "attributes", "network_interfaces", "elastic_ips",
                          "exposure", "auto_scaling", "classic_load_balancers", "target_groups",
                          "instance_profile", "volumes", "instance_store", "ssm"})
    EXPECT_TRUE(a.contains(key)) << key;
}

TEST(Findings, HighlightsWhatAResponderNeeds) {
  InstanceInventory inv;
  inv.metadata_options.http_tokens = "optional";
  OpenRule r;
  r.group_id = "sg-1";
  r.protocol = "tcp";
  r.from_port = r.to_port = 22;
  r.cidr = "0.0.0.0/0";
  inv.exposure.items.push_back(r);
  inv.target.state = "terminated";
  inv.instance.state = "terminated";
  auto f = Findings(inv);
  EXPECT_TRUE(Has(f, "IMDSv1 allowed"));
  EXPECT_TRUE(Has(f, "0.0.0.0/0 → tcp/22"));
  EXPECT_TRUE(Has(f, "terminated"));
}

TEST(ParseLookupEvents, ReadsSummaryAndRecord) {
  Json out = Json::parse(R"({"Events": [{"EventId": "e1", "EventName": "RunInstances", "ReadOnly": "false",
     "EventTime": "2026-01-01T10:00:00+00:00", "Username": "alice", "EventSource": "ec2.amazonaws.com",
     "CloudTrailEvent": "{\"sourceIPAddress\": \"203.0.113.7\", \"errorCode\": \"AccessDenied\"}"},
     {"EventId": "e2", "EventName": "GetObject", "ReadOnly": "true", "CloudTrailEvent": "not json"}]})");
  auto events = ParseLookupEvents(out, "resource");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].source_ip, "203.0.113.7");
  EXPECT_EQ(events[0].error_code, "AccessDenied");
  EXPECT_FALSE(events[0].read_only);
  EXPECT_TRUE(events[1].read_only);
  EXPECT_EQ(events[1].source_ip, "");
  EXPECT_EQ(events[1].matched, "resource");
}

}  // namespace
}  // namespace cordon::cloud
