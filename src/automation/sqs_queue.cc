#include "automation/sqs_queue.h"

#include <cstdlib>

namespace cordon::automation {

Result<std::vector<QueueMessage>> SqsQueue::Receive(int max, int wait_seconds, int visibility_seconds) {
  // AttributeNames is the older spelling of MessageSystemAttributeNames; SQS accepts both, and
  // emulators that only know the older one still return the receive count.
  Json input = {{"QueueUrl", url_},
                {"MaxNumberOfMessages", max},
                {"WaitTimeSeconds", wait_seconds},
                {"AttributeNames", {"ApproximateReceiveCount"}},
                {"MessageSystemAttributeNames", {"ApproximateReceiveCount"}}};
  if (visibility_seconds >= 0) input["VisibilityTimeout"] = visibility_seconds;
  auto out = client_->Call("sqs", "ReceiveMessage", std::move(input));
  if (!out) return MakeError(out.error());
  std::vector<QueueMessage> messages;
  auto list = out->find("Messages");
  if (list == out->end() || !list->is_array()) return messages;
  for (const Json& m : *list) {
    QueueMessage message;
    message.message_id = m.value("MessageId", "");
    message.receipt_handle = m.value("ReceiptHandle", "");
    message.body = m.value("Body", "");
    if (auto attrs = m.find("Attributes"); attrs != m.end() && attrs->is_object())
      message.receive_count = std::atoi(attrs->value("ApproximateReceiveCount", "0").c_str());
    messages.push_back(std::move(message));
  }
  return messages;
}

Status SqsQueue::Delete(const QueueMessage& message) {
  auto out =
      client_->Call("sqs", "DeleteMessage", {{"QueueUrl", url_}, {"ReceiptHandle", message.receipt_handle}});
  if (!out) return MakeError(out.error());
  return Ok();
}

Status SqsQueue::Extend(const QueueMessage& message, int seconds) {
  auto out = client_->Call(
      "sqs", "ChangeMessageVisibility",
      {{"QueueUrl", url_}, {"ReceiptHandle", message.receipt_handle}, {"VisibilityTimeout", seconds}});
  if (!out) return MakeError(out.error());
  return Ok();
}

Status SqsQueue::Release(const QueueMessage& message) { return Extend(message, 0); }

Result<int> SqsQueue::VisibilityTimeout() {
  auto out = client_->Call("sqs", "GetQueueAttributes",
                           {{"QueueUrl", url_}, {"AttributeNames", {"VisibilityTimeout"}}});
  if (!out) return MakeError(out.error());
  std::string value = out->value("Attributes", Json::object()).value("VisibilityTimeout", "");
  if (value.empty()) return MakeError(ErrorKind::kParse, "the queue did not say its VisibilityTimeout");
  return std::atoi(value.c_str());
}

}  // namespace cordon::automation
