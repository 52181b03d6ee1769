#include "base/debug_log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "base/strings.h"
#include "base/terminal_text.h"

namespace cordon {
namespace {

std::atomic<unsigned> enabled_topics{0};

struct TopicName {
  DebugTopic topic;
  std::string_view name;
};
constexpr TopicName kTopics[] = {
    {DebugTopic::kHttp, "http"}, {DebugTopic::kRetry, "retry"}, {DebugTopic::kJournal, "journal"}};

std::string_view NameOf(DebugTopic topic) {
  for (const TopicName& t : kTopics)
    if (t.topic == topic) return t.name;
  return "?";
}

std::string WallClock() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::snprintf(text, sizeof(text), "%02d:%02d:%02d.%03d", utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millis));
  return text;
}

bool IsSigningParameter(std::string_view name) {
  constexpr std::string_view kSigning[] = {"X-Amz-Signature", "X-Amz-Credential", "X-Amz-Security-Token",
                                           "Signature", "AWSAccessKeyId"};
  for (std::string_view s : kSigning)
    if (EqualsIgnoreCase(name, s)) return true;
  return false;
}

}  // namespace

Status EnableDebug(std::string_view topics) {
  unsigned bits = 0;
  for (const std::string& word : Split(topics, ',')) {
    const std::string_view name = Trim(word);
    if (name.empty()) continue;
    if (name == "all") {
      for (const TopicName& t : kTopics) bits |= static_cast<unsigned>(t.topic);
      continue;
    }
    bool known = false;
    for (const TopicName& t : kTopics) {
      if (t.name == name) {
        bits |= static_cast<unsigned>(t.topic);
        known = true;
      }
    }
    if (!known)
      return MakeError(ErrorKind::kInvalidArgument, "--debug: unknown topic '" + std::string(name) +
                                                        "'; use all, or some of http,retry,journal");
  }
  enabled_topics.store(bits);
  return Ok();
}

bool DebugEnabled(DebugTopic topic) { return (enabled_topics.load() & static_cast<unsigned>(topic)) != 0; }

void DebugLine(DebugTopic topic, std::string_view text) {
  if (!DebugEnabled(topic)) return;
  std::string line = "cordon debug " + std::string(NameOf(topic)) + " " + WallClock() + ": ";
  // One record per line: a newline inside the text would let it forge another debug line.
  for (char c : NeutralizeControls(text)) line += c == '\n' ? ' ' : c;
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stderr);  // one write, so threads do not interleave lines
}

std::string RedactUrl(std::string_view url) {
  const size_t query_start = url.find('?');
  if (query_start == std::string_view::npos) return std::string(url);
  std::string out(url.substr(0, query_start + 1));
  bool first = true;
  for (const std::string& pair : Split(url.substr(query_start + 1), '&')) {
    if (!first) out += '&';
    first = false;
    const size_t eq = pair.find('=');
    const std::string_view name = std::string_view(pair).substr(0, eq);
    out += IsSigningParameter(name) && eq != std::string::npos ? std::string(name) + "=REDACTED" : pair;
  }
  return out;
}

}  // namespace cordon
