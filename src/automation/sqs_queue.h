// The SQS queue `cordon watch` reads: long-poll receive, delete after the case converged, and giving
// a message back. Through the embedded sqs model (json protocol), as boto3 shapes the calls.
#pragma once

#include <string>
#include <vector>

#include "aws/client.h"
#include "base/error.h"

namespace cordon::automation {

struct QueueMessage {
  std::string message_id;
  std::string receipt_handle;  // for Delete/Release; never logged (it grants deleting the message)
  std::string body;
  int receive_count = 0;  // ApproximateReceiveCount, 0 when SQS did not say
};

class SqsQueue {
 public:
  // `client` must outlive the queue. The region is the client's.
  SqsQueue(aws::Client* client, std::string url) : client_(client), url_(std::move(url)) {}

  // ReceiveMessage: up to `max` (1..10) messages, waiting up to `wait_seconds` (0..20) for the first;
  // each stays invisible to other receivers for `visibility_seconds` (< 0: the queue's own timeout). An empty
  // result is no error.
  [[nodiscard]] Result<std::vector<QueueMessage>> Receive(int max, int wait_seconds, int visibility_seconds);

  // DeleteMessage: the message is handled and must not come back.
  [[nodiscard]] Status Delete(const QueueMessage& message);

  // ChangeMessageVisibility: hidden for `seconds` more from now (the heartbeat of a long containment).
  [[nodiscard]] Status Extend(const QueueMessage& message, int seconds);

  // GetQueueAttributes: the queue's own VisibilityTimeout in seconds.
  [[nodiscard]] Result<int> VisibilityTimeout();

  // ChangeMessageVisibility to 0: the message is visible again at once (for a message received but
  // not handled because the watcher is stopping). Its receive count stays as it is.
  [[nodiscard]] Status Release(const QueueMessage& message);

  const std::string& url() const { return url_; }

 private:
  aws::Client* client_;
  std::string url_;
};

}  // namespace cordon::automation
