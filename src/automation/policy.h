// The watch policy: which events `cordon watch` acts on and what it does with each, read from a JSON
// file (docs/watch-policy.md). The first matching rule wins; an exempt instance is only triaged.
//
//   {"case_prefix": "AUTO", "exempt_tag": "cordon:exempt",
//    "rules": [{"name": "high-ec2", "when": {"source": "guardduty", "min_severity": 7,
//                                            "finding_types": ["UnauthorizedAccess:EC2/*"]}, "do":
//                                            "contain"},
//              {"name": "owner-tag", "when": {"tag": {"incident-response": "contain"}},
//               "do": "contain+capture-memory"}]}
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "automation/event.h"
#include "base/error.h"

namespace cordon::automation {

enum class Action { kIgnore, kTriage, kContain, kContainCaptureMemory };

std::string_view ActionName(Action action);

struct Rule {
  std::string name;
  EventKind source = EventKind::kGuardDutyFinding;  // kGuardDutyFinding, kSecurityHubFinding, kTagChange
  double min_severity = 0;                          // findings only (0-10)
  std::vector<std::string> finding_types;           // globs ('*' matches anything); empty: any type
  std::map<std::string, std::string> tags;          // tag changes: every pair set, one of them by the event
  Action action = Action::kContain;
};

struct Policy {
  std::string case_prefix = "AUTO";
  std::string exempt_tag = "cordon:exempt";
  std::vector<Rule> rules;

  bool CapturesMemory() const;
};

// The policy without a file: contain every GuardDuty finding on an instance, and every tag change
// that sets trigger_key=trigger_value.
Policy DefaultPolicy(const std::string& trigger_key, const std::string& trigger_value);

// Parses a policy file's text. kInvalidArgument naming `path`, the line when it can be found, and
// the field: "policy.json line 6: rules[0].when.min_severity must be a number from 0 to 10".
// Unknown fields are refused (a typo must not silently widen or narrow what is contained).
[[nodiscard]] Result<Policy> ParsePolicy(std::string_view text, const std::string& path);

// Reads and parses the file (kInvalidArgument when it cannot be read).
[[nodiscard]] Result<Policy> LoadPolicy(const std::string& path);

struct Decision {
  Action action = Action::kIgnore;
  std::string rule;  // the matching rule's name; empty when none matched
  std::string why;   // for kIgnore: why nothing is done
};

// What to do with `event` (the exempt tag is checked later, against the live instance). Pure.
Decision Decide(const Policy& policy, const Event& event);

// '*' matches any run of characters, everything else itself (finding types such as "Backdoor:EC2/*").
bool GlobMatch(std::string_view pattern, std::string_view text);

}  // namespace cordon::automation
