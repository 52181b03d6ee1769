#include "aws/paging/paginator.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cordon::aws {
namespace {

struct PaginationCase {
  const char* name;
  const char* config;              // the paginator config
  const char* input;               // the first request
  std::vector<const char*> pages;  // the responses, in order
  const char* requests;            // every request botocore sent, the first included
  const char* full_result;         // build_full_result(), null when botocore raised
  bool fails;                      // botocore raised PaginationError after the last request
};

// Generated at authoring time with botocore 1.43.11's own botocore.paginate.Paginator: a fake
// operation returned `pages` in turn and recorded its keyword arguments (`requests`), and
// `full_result` is paginate(**input).build_full_result(). Configs are botocore's (paginators-1.json
// with paginators-1.sdk-extras.json merged), except the hand-made "counts and strings" one.
const PaginationCase
    kCases
        [] =
            {
                {"ec2 DescribeInstances",
                 R"js({"input_token": "NextToken", "output_token": "NextToken", "limit_key": "MaxResults", "result_key": "Reservations"})js",
                 R"js({"Filters": [{"Name": "tag:x", "Values": ["y"]}]})js",
                 {R"js({"Reservations": [{"ReservationId": "r-1", "Instances": [{"InstanceId": "i-1"}]}], "NextToken": "t1"})js",
                  R"js({"Reservations": [], "NextToken": "t2"})js",
                  R"js({"Reservations": [{"ReservationId": "r-2", "Instances": [{"InstanceId": "i-2"}, {"InstanceId": "i-3"}]}]})js"},
                 R"js([{"Filters": [{"Name": "tag:x", "Values": ["y"]}]}, {"Filters": [{"Name": "tag:x", "Values": ["y"]}], "NextToken": "t1"}, {"Filters": [{"Name": "tag:x", "Values": ["y"]}], "NextToken": "t2"}])js",
                 R"js({"Reservations": [{"ReservationId": "r-1", "Instances": [{"InstanceId": "i-1"}]}, {"ReservationId": "r-2", "Instances": [{"InstanceId": "i-2"}, {"InstanceId": "i-3"}]}]})js",
                 false},
                {"s3 ListObjectsV2",
                 R"js({"more_results": "IsTruncated", "limit_key": "MaxKeys", "output_token": "NextContinuationToken", "input_token": "ContinuationToken", "result_key": ["Contents", "CommonPrefixes"], "non_aggregate_keys": ["RequestCharged", "Prefix"]})js",
                 R"js({"Bucket": "b", "Prefix": "logs/"})js",
                 {R"js({"IsTruncated": true, "Contents": [{"Key": "logs/a"}], "Name": "b", "Prefix": "logs/", "KeyCount": 1, "NextContinuationToken": "c1"})js",
                  R"js({"IsTruncated": true, "Contents": [{"Key": "logs/b"}], "CommonPrefixes": [{"Prefix": "logs/x/"}], "Name": "b", "Prefix": "logs/", "KeyCount": 2, "NextContinuationToken": "c2", "ContinuationToken": "c1"})js",
                  R"js({"IsTruncated": false, "Contents": [{"Key": "logs/c"}], "Name": "b", "Prefix": "logs/", "KeyCount": 1, "ContinuationToken": "c2", "NextContinuationToken": "ignored"})js"},
                 R"js([{"Bucket": "b", "Prefix": "logs/"}, {"Bucket": "b", "Prefix": "logs/", "ContinuationToken": "c1"}, {"Bucket": "b", "Prefix": "logs/", "ContinuationToken": "c2"}])js",
                 R"js({"Contents": [{"Key": "logs/a"}, {"Key": "logs/b"}, {"Key": "logs/c"}], "CommonPrefixes": [{"Prefix": "logs/x/"}], "RequestCharged": null, "Prefix": "logs/"})js",
                 false},
                {"s3 ListObjects (NextMarker || Contents[-1].Key)",
                 R"js({"more_results": "IsTruncated", "limit_key": "MaxKeys", "output_token": "NextMarker || Contents[-1].Key", "input_token": "Marker", "result_key": ["Contents", "CommonPrefixes"], "non_aggregate_keys": ["RequestCharged", "Prefix"]})js",
                 R"js({"Bucket": "b"})js",
                 {R"js({"IsTruncated": true, "Contents": [{"Key": "a"}, {"Key": "b"}], "Marker": "", "Prefix": "", "RequestCharged": "requester"})js",
                  R"js({"IsTruncated": true, "Contents": [{"Key": "c"}], "NextMarker": "m2", "Prefix": "other"})js",
                  R"js({"IsTruncated": false, "Contents": [{"Key": "d"}]})js"},
                 R"js([{"Bucket": "b"}, {"Bucket": "b", "Marker": "b"}, {"Bucket": "b", "Marker": "m2"}])js",
                 R"js({"Contents": [{"Key": "a"}, {"Key": "b"}, {"Key": "c"}, {"Key": "d"}], "RequestCharged": "requester", "Prefix": ""})js",
                 false},
                {"s3 ListObjectVersions (two tokens)",
                 R"js({"more_results": "IsTruncated", "limit_key": "MaxKeys", "output_token": ["NextKeyMarker", "NextVersionIdMarker"], "input_token": ["KeyMarker", "VersionIdMarker"], "result_key": ["Versions", "DeleteMarkers", "CommonPrefixes"], "non_aggregate_keys": ["RequestCharged", "Prefix"]})js",
                 R"js({"Bucket": "b"})js",
                 {R"js({"IsTruncated": true, "Versions": [{"Key": "a", "VersionId": "1"}], "NextKeyMarker": "a", "NextVersionIdMarker": "1"})js",
                  R"js({"IsTruncated": true, "DeleteMarkers": [{"Key": "b"}], "NextKeyMarker": "b"})js",
                  R"js({"IsTruncated": false, "Versions": [{"Key": "c", "VersionId": "3"}], "DeleteMarkers": [{"Key": "c"}]})js"},
                 R"js([{"Bucket": "b"}, {"Bucket": "b", "KeyMarker": "a", "VersionIdMarker": "1"}, {"Bucket": "b", "KeyMarker": "b"}])js",
                 R"js({"Versions": [{"Key": "a", "VersionId": "1"}, {"Key": "c", "VersionId": "3"}], "DeleteMarkers": [{"Key": "b"}, {"Key": "c"}], "RequestCharged": null, "Prefix": null})js",
                 false},
                {"iam GetAccountAuthorizationDetails (more_results)",
                 R"js({"input_token": "Marker", "limit_key": "MaxItems", "more_results": "IsTruncated", "output_token": "Marker", "result_key": ["UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"]})js",
                 R"js({"Filter": ["Role"]})js",
                 {R"js({"UserDetailList": [], "RoleDetailList": [{"RoleName": "r1"}], "Policies": [], "IsTruncated": true, "Marker": "m1"})js",
                  R"js({"RoleDetailList": [{"RoleName": "r2"}], "GroupDetailList": [{"GroupName": "g"}], "IsTruncated": false, "Marker": "stale"})js"},
                 R"js([{"Filter": ["Role"]}, {"Filter": ["Role"], "Marker": "m1"}])js",
                 R"js({"UserDetailList": [], "RoleDetailList": [{"RoleName": "r1"}, {"RoleName": "r2"}], "Policies": [], "GroupDetailList": [{"GroupName": "g"}]})js",
                 false},
                {"iam GetGroup (non-aggregate object)",
                 R"js({"input_token": "Marker", "limit_key": "MaxItems", "more_results": "IsTruncated", "output_token": "Marker", "result_key": "Users", "non_aggregate_keys": ["Group"]})js",
                 R"js({"GroupName": "admins"})js",
                 {R"js({"Group": {"GroupName": "admins", "Arn": "arn:1"}, "Users": [{"UserName": "u1"}], "IsTruncated": true, "Marker": "m"})js",
                  R"js({"Group": {"GroupName": "admins", "Arn": "arn:changed"}, "Users": [{"UserName": "u2"}], "IsTruncated": false})js"},
                 R"js([{"GroupName": "admins"}, {"GroupName": "admins", "Marker": "m"}])js",
                 R"js({"Users": [{"UserName": "u1"}, {"UserName": "u2"}], "Group": {"GroupName": "admins", "Arn": "arn:1"}})js",
                 false},
                {"athena GetQueryResults (nested keys)",
                 R"js({"input_token": "NextToken", "output_token": "NextToken", "limit_key": "MaxResults", "result_key": "ResultSet.Rows", "non_aggregate_keys": ["ResultSet.ResultSetMetadata", "UpdateCount"]})js",
                 R"js({"QueryExecutionId": "q"})js",
                 {R"js({"ResultSet": {"Rows": [{"Data": [{"VarCharValue": "h"}]}], "ResultSetMetadata": {"ColumnInfo": [{"Name": "h"}]}}, "UpdateCount": 0, "NextToken": "n1"})js", R"js({"ResultSet": {"Rows": [{"Data": [{"VarCharValue": "v"}]}], "ResultSetMetadata": {"ColumnInfo": []}}, "UpdateCount": 0})js"},
                 R"js([{"QueryExecutionId": "q"}, {"QueryExecutionId": "q", "NextToken": "n1"}])js",
                 R"js({"ResultSet": {"Rows": [{"Data": [{"VarCharValue": "h"}]}, {"Data": [{"VarCharValue": "v"}]}], "ResultSetMetadata": {"ColumnInfo": [{"Name": "h"}]}}, "UpdateCount": 0})js",
                 false},
                {"athena GetQueryResults (first page without rows)",
                 R"js({"input_token": "NextToken", "output_token": "NextToken", "limit_key": "MaxResults", "result_key": "ResultSet.Rows", "non_aggregate_keys": ["ResultSet.ResultSetMetadata", "UpdateCount"]})js",
                 R"js({"QueryExecutionId": "q"})js",
                 {R"js({"ResultSet": {"ResultSetMetadata": {"ColumnInfo": [{"Name": "h"}]}}, "NextToken": "n1"})js",
                  R"js({"ResultSet": {"Rows": [{"Data": []}]}, "NextToken": "n2"})js",
                  R"js({"ResultSet": {"Rows": [{"Data": [{"VarCharValue": "v"}]}]}})js"},
                 R"js([{"QueryExecutionId": "q"}, {"QueryExecutionId": "q", "NextToken": "n1"}, {"QueryExecutionId": "q", "NextToken": "n2"}])js",
                 R"js({"ResultSet": {"Rows": [{"Data": []}, {"Data": [{"VarCharValue": "v"}]}], "ResultSetMetadata": {"ColumnInfo": [{"Name": "h"}]}}, "UpdateCount": null})js",
                 false},
                {"ec2 SearchTransitGatewayRoutes (more_results false with a token)",
                 R"js({"input_token": "NextToken", "limit_key": "MaxResults", "more_results": "AdditionalRoutesAvailable", "output_token": "NextToken", "result_key": "Routes"})js",
                 R"js({"TransitGatewayRouteTableId": "tgw-rtb-1", "Filters": []})js",
                 {R"js({"Routes": [{"DestinationCidrBlock": "10.0.0.0/16"}], "AdditionalRoutesAvailable": false, "NextToken": "t"})js"},
                 R"js([{"TransitGatewayRouteTableId": "tgw-rtb-1", "Filters": []}])js",
                 R"js({"Routes": [{"DestinationCidrBlock": "10.0.0.0/16"}]})js",
                 false},
                {"logs FilterLogEvents (empty-string token ends)",
                 R"js({"input_token": "nextToken", "output_token": "nextToken", "limit_key": "limit", "result_key": ["events", "searchedLogStreams"]})js",
                 R"js({"logGroupName": "g"})js",
                 {R"js({"events": [{"message": "a"}], "searchedLogStreams": [{"logStreamName": "s"}], "nextToken": "n1"})js",
                  R"js({"events": [], "searchedLogStreams": [], "nextToken": ""})js"},
                 R"js([{"logGroupName": "g"}, {"logGroupName": "g", "nextToken": "n1"}])js",
                 R"js({"events": [{"message": "a"}], "searchedLogStreams": [{"logStreamName": "s"}]})js",
                 false},
                {"counts and strings sum or concatenate",
                 R"js({"input_token": "NextToken", "output_token": "NextToken", "result_key": ["Items", "Count", "Text", "Ratio", "Meta"]})js",
                 R"js({})js",
                 {R"js({"Items": [1], "Count": 2, "Text": "ab", "Ratio": 0.5, "Meta": {"v": 1}, "NextToken": "x"})js",
                  R"js({"Items": [2, 3], "Count": 3, "Text": "cd", "Ratio": 1, "Meta": {"v": 2}, "NextToken": "y"})js",
                  R"js({"Count": 0, "Text": "", "Meta": {"v": 3}})js"},
                 R"js([{}, {"NextToken": "x"}, {"NextToken": "y"}])js",
                 R"js({"Items": [1, 2, 3], "Count": 5, "Text": "abcd", "Ratio": 1.5, "Meta": {"v": 1}})js",
                 false},
                {"repeated token",
                 R"js({"input_token": "NextToken", "output_token": "NextToken", "limit_key": "MaxResults", "result_key": "Snapshots"})js",
                 R"js({"OwnerIds": ["self"]})js",
                 {R"js({"Snapshots": [{"SnapshotId": "snap-1"}], "NextToken": "same"})js",
                  R"js({"Snapshots": [{"SnapshotId": "snap-2"}], "NextToken": "same"})js",
                  R"js({"Snapshots": [{"SnapshotId": "snap-3"}], "NextToken": "same"})js"},
                 R"js([{"OwnerIds": ["self"]}, {"OwnerIds": ["self"], "NextToken": "same"}])js",
                 R"js(null)js",
                 true},
                {"token None is dropped",
                 R"js({"input_token": "NextToken", "output_token": "NextToken", "limit_key": "MaxResults", "result_key": "Volumes"})js",
                 R"js({})js",
                 {R"js({"Volumes": [{"VolumeId": "v-1"}], "NextToken": "t"})js",
                  R"js({"Volumes": [{"VolumeId": "v-2"}], "NextToken": "None"})js",
                  R"js({"Volumes": [{"VolumeId": "v-3"}]})js"},
                 R"js([{}, {"NextToken": "t"}, {}])js",
                 R"js({"Volumes": [{"VolumeId": "v-1"}, {"VolumeId": "v-2"}, {"VolumeId": "v-3"}]})js",
                 false},
};

TEST(PaginatorTest, MatchesBotocorePageByPage) {
  for (const PaginationCase& c : kCases) {
    SCOPED_TRACE(c.name);
    const Json config = Json::parse(c.config);
    const Json requests = Json::parse(c.requests);
    Json input = Json::parse(c.input);
    Json full;
    size_t sent = 0;
    bool failed = false;
    for (const char* text : c.pages) {
      ASSERT_LT(sent, requests.size()) << "asked for more pages than botocore did";
      EXPECT_EQ(input, requests[sent]) << "request " << sent;
      ++sent;
      Json page = Json::parse(text);
      MergePage(config, &full, page);
      auto next = NextPageInput(config, input, page);
      if (!next) {
        failed = true;
        EXPECT_EQ(next.error().kind, ErrorKind::kService);
        break;
      }
      if (next->is_null()) break;
      input = std::move(*next);
    }
    EXPECT_EQ(sent, requests.size());
    EXPECT_EQ(failed, c.fails);
    if (!c.fails) {
      Json expected = Json::parse(c.full_result);
      EXPECT_EQ(full, expected) << "got " << full.dump() << "\nwant " << expected.dump();
    }
  }
}

TEST(PaginatorTest, RepeatedTokenNamesTheToken) {
  Json config =
      Json::parse(R"({"input_token": "NextToken", "output_token": "NextToken", "result_key": "Items"})");
  auto next =
      NextPageInput(config, Json::parse(R"({"NextToken": "t"})"), Json::parse(R"({"NextToken": "t"})"));
  ASSERT_FALSE(next.has_value());
  EXPECT_EQ(next.error().message, "the same next token was received twice: NextToken=\"t\"");
}

TEST(PaginatorTest, MissingOrEmptyTokenEndsPagination) {
  Json config =
      Json::parse(R"({"input_token": "NextToken", "output_token": "NextToken", "result_key": "Items"})");
  EXPECT_EQ(*NextPageInput(config, Json::object(), Json::parse(R"({"Items": [1]})")), Json());
  EXPECT_EQ(*NextPageInput(config, Json::object(), Json::parse(R"({"NextToken": ""})")), Json());
  EXPECT_EQ(*NextPageInput(config, Json::object(), Json::parse(R"({"NextToken": null})")), Json());
  EXPECT_EQ(*NextPageInput(config, Json::object(), Json()), Json());
}

TEST(PaginatorTest, BadConfigIsAnError) {
  auto no_tokens = NextPageInput(Json::parse(R"({"result_key": "Items"})"), Json::object(), Json::object());
  ASSERT_FALSE(no_tokens.has_value());
  EXPECT_EQ(no_tokens.error().kind, ErrorKind::kInvalidArgument);
  auto bad_expression =
      NextPageInput(Json::parse(R"({"input_token": "T", "output_token": "T[", "result_key": "I"})"),
                    Json::object(), Json::object());
  ASSERT_FALSE(bad_expression.has_value());
  EXPECT_EQ(bad_expression.error().kind, ErrorKind::kInvalidArgument);
}

TEST(PaginatorTest, MergeStartsFromAnEmptyObjectToo) {
  Json config = Json::parse(R"({"input_token": "M", "output_token": "M", "result_key": "Items"})");
  Json full = Json::object();
  MergePage(config, &full, Json::parse(R"({"Items": [1], "M": "x", "Other": 1})"));
  MergePage(config, &full, Json::parse(R"({"Items": [2]})"));
  EXPECT_EQ(full, Json::parse(R"({"Items": [1, 2]})"));
}

}  // namespace
}  // namespace cordon::aws
