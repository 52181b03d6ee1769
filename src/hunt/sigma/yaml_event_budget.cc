#include "hunt/sigma/yaml_event_budget.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <cstddef>
#include <sstream>
#include <string>

namespace cordon::hunt::sigma {
namespace {

struct BudgetExceeded {};

// Counts yaml-cpp's events and throws (through yaml-cpp's parser, which only forwards) past the budget.
class CountingHandler : public YAML::EventHandler {
 public:
  explicit CountingHandler(size_t budget) : budget_(budget) {}

  void OnDocumentStart(const YAML::Mark&) override { Count(); }
  void OnDocumentEnd() override { Count(); }
  void OnNull(const YAML::Mark&, YAML::anchor_t) override { Count(); }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { Count(); }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {
    Count();
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    Count();
  }
  void OnSequenceEnd() override { Count(); }
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    Count();
  }
  void OnMapEnd() override { Count(); }

 private:
  void Count() {
    if (++events_ > budget_) throw BudgetExceeded{};
  }
  size_t budget_;
  size_t events_ = 0;
};

}  // namespace

Status CheckYamlParseEnds(std::string_view text) {
  // Every event but a document's start and end consumes at least one byte (an empty value takes its ':'
  // or '-'); four per byte leaves room for implicit nulls and the document markers.
  const size_t budget = 4 * text.size() + 64;
  std::istringstream in{std::string(text)};
  CountingHandler handler(budget);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(handler)) {
    }
  } catch (const BudgetExceeded&) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "the YAML parser does not come to an end on this text (more than " +
                         std::to_string(budget) + " parse events for " + std::to_string(text.size()) +
                         " bytes; yaml-cpp 0.7 loops on a ',' where a block value starts)");
  } catch (const YAML::Exception&) {
    return Ok();  // invalid YAML: LoadAll throws the same and says where
  }
  return Ok();
}

}  // namespace cordon::hunt::sigma
