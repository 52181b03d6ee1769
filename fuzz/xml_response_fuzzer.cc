// libFuzzer target for the XML response readers (ec2, query and rest-xml protocols): any bytes as the
// body of a 200 or an error response to a real operation of each. The parse is deterministic, never
// crashes, and an error response always becomes an Error with a message (never an empty one that
// would leave the responder guessing).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "aws/model/service_model.h"
#include "aws/protocol/protocol.h"
#include "fuzz_check.h"

namespace {

struct Operation {
  const char* service;
  const char* name;
};
// One operation per XML protocol, each with nested lists, structures and timestamps in its output.
constexpr Operation kOperations[] = {
    {"ec2", "DescribeInstances"},
    {"autoscaling", "DescribeAutoScalingGroups"},
    {"s3", "ListObjectsV2"},
};

cordon::aws::OperationRef Ref(const Operation& operation) {
  const cordon::aws::ServiceModel* service = *cordon::aws::ServiceModel::Get(operation.service);
  return cordon::aws::OperationRef{service, operation.name, *service->Operation(operation.name)};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const cordon::aws::OperationRef refs[] = {Ref(kOperations[0]), Ref(kOperations[1]),
                                                   Ref(kOperations[2])};
  const cordon::aws::OperationRef& op = refs[data[0] % 3];
  cordon::aws::HttpResponse response;
  response.status = 200;
  response.body.assign(reinterpret_cast<const char*>(data) + 1, size - 1);

  auto first = cordon::aws::ParseResponse(op, response);
  auto second = cordon::aws::ParseResponse(op, response);
  CORDON_FUZZ_CHECK(first.has_value() == second.has_value());
  if (first) CORDON_FUZZ_CHECK(*first == *second);

  response.status = 400;
  const cordon::Error error = cordon::aws::ParseErrorResponse(op, response);
  CORDON_FUZZ_CHECK(!error.message.empty());
  (void)cordon::aws::IsErrorInDisguise(op, response);  // only "does not crash" to check here
  return 0;
}
