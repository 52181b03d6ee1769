#include "hunt/cloudtrail_reader.h"

#include <simdjson.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hunt/byte_buffer.h"
#include "hunt/json_util.h"
#include "hunt/record_locator.h"
#include "hunt/sigma/field_capture.h"
#include "hunt/sigma/object_prefilter.h"

namespace cordon::hunt {
namespace {

namespace sj = simdjson::ondemand;
using detail::FirstNonSpace;
using detail::GetString;
using detail::PaddedSpan;
using detail::RawJson;

// The parts of a record the rules and the output need.
struct ParsedRecord {
  CloudTrailEvent event;
  std::string timestamp_fallback;  // @timestamp
  // Raw JSON text of the "on" fields (views into the input buffer).
  std::string_view request_parameters;
  std::string_view response_elements;
  std::string_view resources;
};

enum class Shape { kArray, kRecordsObject, kLines, kDocument };

Shape DetectShape(std::string_view text) {
  size_t pos = text.find_first_not_of(" \t\r\n");
  if (pos == std::string_view::npos) return Shape::kDocument;
  if (text[pos] == '[') return Shape::kArray;
  if (text[pos] != '{') return Shape::kDocument;
  // {"Records": ... : the delivery object, one line or pretty-printed.
  size_t key = text.find_first_not_of(" \t\r\n", pos + 1);
  if (key != std::string_view::npos && text.substr(key, 9) == "\"Records\"") return Shape::kRecordsObject;
  // A first line that closes its object: JSON Lines.
  size_t eol = text.find('\n', pos);
  std::string_view first =
      text.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
  while (!first.empty() && (first.back() == '\r' || first.back() == ' ' || first.back() == '\t')) {
    first.remove_suffix(1);
  }
  if (!first.empty() && first.back() == '}') return Shape::kLines;
  return Shape::kDocument;
}

// Splits "arn:aws:sts::123:assumed-role/ROLE/SESSION" into ROLE and SESSION; false for other arns.
bool SplitAssumedRoleArn(std::string_view arn, std::string* role, std::string* session) {
  const std::string_view marker = ":assumed-role/";
  const size_t at = arn.find(marker);
  if (at == std::string_view::npos) return false;
  std::string_view rest = arn.substr(at + marker.size());
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return false;
  role->assign(rest.substr(0, slash));
  session->assign(rest.substr(slash + 1));
  return true;
}

std::string SimdjsonMessage(simdjson::error_code error) { return simdjson::error_message(error); }

}  // namespace

// Whole-trail Sigma (--sigma without selectors): the rules' own prefilter takes the selectors' place.
// The records holding one of the rules' triggers (sigma/object_prefilter.h) are the candidates, found in a
// delivery object without walking the others (record_locator.h), and the rules decide which are kept; an
// object that cannot be narrowed has every record a candidate.

// At most one prefilter hit per this many bytes of an object, on average (see Scan).
constexpr size_t kBytesPerHit = 64;

struct CloudTrailReader::Impl {
  Selectors selectors;
  CloudTrailOptions options;
  TokenMatcher matcher;
  // by-tokens: matched inside userIdentity.arn/principalId/accessKeyId. Role names are left out: a role
  // name is also a plausible user name, so roles have their own rule.
  std::vector<std::string> identity_tokens;
  sj::parser outer;
  sj::parser inner;
  sj::parser response_parser;  // AssumeRole responses (ReadAssumedSession)
  // --sigma with no selectors (the whole trail): the rules, not the selectors, pick the records.
  bool every_record = false;
  std::optional<sigma::RuleMatcher> sigma_matcher;
  std::vector<std::shared_ptr<const SigmaRuleInfo>> rule_infos;  // shared by the rule's matches
  std::vector<size_t> sigma_matched;
  std::optional<sigma::ObjectPrefilter> sigma_prefilter;  // whole-trail Sigma only
  std::vector<size_t> sigma_offsets;                      // the object's Sigma triggers (Scan)
  std::vector<RecordSpan> record_spans;                   // the records holding them (ScanLocated)
  sigma::FieldCapture sigma_fields;  // what correlations group by, for the rules they use

  // Per Scan().
  bool walk_all = false;  // every record is given to ProcessRecord, not only those holding a hit
  std::string_view file;
  std::string_view text;
  HuntResults* results = nullptr;

  Impl(const Selectors& s, CloudTrailOptions o) : selectors(s), options(o), matcher(s.AllTokens()) {
    for (const auto* list : {&s.instances, &s.ips, &s.enis, &s.access_keys}) {
      identity_tokens.insert(identity_tokens.end(), list->begin(), list->end());
    }
    if (o.sigma) {
      sigma_matcher.emplace(*o.sigma);
      every_record = s.empty();
      if (every_record) sigma_prefilter.emplace(*o.sigma, detail::FindLiteral);
      for (size_t i = 0; i < o.sigma->rules().size(); ++i) {
        const sigma::Rule& r = o.sigma->rules()[i];
        rule_infos.push_back(std::make_shared<const SigmaRuleInfo>(
            SigmaRuleInfo{r.id, r.title, r.level, r.author, r.file, r.falsepositives, i, r.standalone}));
      }
    }
  }

  const char* BufferEnd() const { return text.data() + text.size(); }

  void Skip(std::string unit, std::string reason) {
    results->skipped.push_back(Skipped{std::string(file), std::move(unit), 1, std::move(reason)});
  }

  void Scan(std::string_view f, std::string_view t, HuntResults* r) {
    file = f;
    text = t;
    results = r;
    // The hit list is memory the attacker sizes: capped at one hit per 64 bytes on average (a record is
    // hundreds of bytes and names the instance a few times), which the hunt's memory budget counts on.
    const size_t max_hits = text.size() / kBytesPerHit + 1024;
    std::vector<TokenMatcher::Hit> hits;
    const Shape shape = DetectShape(text);
    walk_all = false;
    if (every_record) {
      // Whole-trail Sigma: the rules' triggers in the object (object_prefilter.h) take the selectors'
      // place, so that only the records holding one are walked to and given to the rules.
      walk_all = !sigma_prefilter->Triggers(text, max_hits, &sigma_offsets);
      if (!walk_all && sigma_offsets.empty()) return;  // no record of the object can match a rule
      if (!walk_all && shape == Shape::kRecordsObject && ScanLocated()) return;
      if (!walk_all) {
        hits.reserve(sigma_offsets.size());
        for (size_t at : sigma_offsets) hits.push_back({at, 0});
      }
    } else {
      hits = matcher.FindAll(text, max_hits);
      if (hits.empty()) return;
      if (hits.size() > max_hits) {
        Skip("object", "more than " + std::to_string(max_hits) + " selector hits (one per " +
                           std::to_string(kBytesPerHit) +
                           " bytes): not CloudTrail as AWS writes it, not read");
        return;
      }
    }
    if (shape == Shape::kLines) {
      ScanLines(hits);
    } else {
      ScanDocument(hits);
    }
  }

  // A delivery object's records that hold a Sigma trigger, found without walking the others
  // (record_locator.h). False when the locator cannot follow the object: the parser then reads it.
  bool ScanLocated() {
    if (!LocateRecords(text, sigma_offsets, &record_spans)) return false;
    for (const RecordSpan& span : record_spans)
      ProcessRecord(text.substr(span.first, span.second - span.first));
    return true;
  }

  void ScanLines(const std::vector<TokenMatcher::Hit>& hits) {
    if (walk_all) {
      ScanEveryLine();
      return;
    }
    size_t done_until = 0;  // end of the last line processed
    for (const auto& hit : hits) {
      if (hit.offset < done_until) continue;
      size_t begin = text.rfind('\n', hit.offset);
      begin = begin == std::string_view::npos ? 0 : begin + 1;
      size_t end = text.find('\n', hit.offset);
      if (end == std::string_view::npos) end = text.size();
      done_until = end;
      std::string_view line = text.substr(begin, end - begin);
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
      ProcessRecord(line);
    }
  }

  void ScanEveryLine() {
    for (size_t begin = 0; begin < text.size();) {
      size_t end = text.find('\n', begin);
      if (end == std::string_view::npos) end = text.size();
      std::string_view line = text.substr(begin, end - begin);
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
        line.remove_suffix(1);
      if (FirstNonSpace(line) != '\0') ProcessRecord(line);
      begin = end + 1;
    }
  }

  // Walks the records of an array or {"Records":[...]} object, parsing only those that hold a hit.
  void ScanDocument(const std::vector<TokenMatcher::Hit>& hits) {
    sj::document doc;
    if (auto error = outer.iterate(PaddedSpan(text, BufferEnd())).get(doc)) {
      Skip("object", "invalid JSON: " + SimdjsonMessage(error));
      return;
    }
    sj::json_type type;
    if (auto error = doc.type().get(type)) {
      Skip("object", "invalid JSON: " + SimdjsonMessage(error));
      return;
    }
    if (type == sj::json_type::array) {
      sj::array records;
      if (auto error = doc.get_array().get(records)) {
        Skip("object", "invalid JSON: " + SimdjsonMessage(error));
        return;
      }
      WalkRecords(records, hits);
      return;
    }
    if (type != sj::json_type::object) {
      Skip("object", "not CloudTrail JSON: the top level is neither an object nor an array");
      return;
    }
    sj::object root;
    if (auto error = doc.get_object().get(root)) {
      Skip("object", "invalid JSON: " + SimdjsonMessage(error));
      return;
    }
    bool saw_records = false;
    for (auto field : root) {
      std::string_view key;
      if (auto error = field.unescaped_key().get(key)) {
        Skip("object", "invalid JSON: " + SimdjsonMessage(error));
        return;
      }
      if (key != "Records") continue;
      saw_records = true;
      sj::array records;
      if (auto error = field.value().get_array().get(records)) {
        Skip("object", "\"Records\" is not an array: " + SimdjsonMessage(error));
        return;
      }
      WalkRecords(records, hits);
      return;
    }
    if (!saw_records) {
      // A single record as the whole document.
      size_t begin = text.find_first_not_of(" \t\r\n");
      size_t end = text.find_last_not_of(" \t\r\n");
      ProcessRecord(text.substr(begin, end - begin + 1));
    }
  }

  void WalkRecords(sj::array& records, const std::vector<TokenMatcher::Hit>& hits) {
    size_t h = 0;
    size_t index = 0;
    for (auto element : records) {
      sj::value value;
      if (auto error = element.get(value)) {
        Skip("object", "invalid JSON at record " + std::to_string(index) + ": " + SimdjsonMessage(error) +
                           "; the rest of the object was not read");
        return;
      }
      sj::object record;
      if (value.get_object().get(record) != simdjson::SUCCESS) {
        Skip("record", "record " + std::to_string(index) + " is not a JSON object");
        ++index;
        continue;
      }
      std::string_view raw;
      if (auto error = record.raw_json().get(raw)) {
        Skip("object", "invalid JSON at record " + std::to_string(index) + ": " + SimdjsonMessage(error) +
                           "; the rest of the object was not read");
        return;
      }
      const size_t begin = static_cast<size_t>(raw.data() - text.data());
      const size_t end = begin + raw.size();
      while (h < hits.size() && hits[h].offset < begin) ++h;
      if (walk_all || (h < hits.size() && hits[h].offset < end)) {
        ProcessRecord(raw);
        while (h < hits.size() && hits[h].offset < end) ++h;
      }
      if (!walk_all && h == hits.size()) return;  // no hit further on: the rest need not be read
      ++index;
    }
  }

  void ProcessRecord(std::string_view raw) {
    if (raw.size() > options.max_record_bytes) {
      Skip("record", "record of " + std::to_string(raw.size()) + " bytes is over the limit of " +
                         std::to_string(options.max_record_bytes) + " bytes");
      return;
    }
    if (every_record) {
      // Whole-trail Sigma: the rules decide first, so a record no rule matches is never parsed twice.
      // A record no rule can match is not parsed at all (the rule index, as the selectors' prefilter), so
      // an invalid record is reported (by Parse below) only when some rule could have matched it.
      if (sigma_matcher->Match(raw, &sigma_matched) && sigma_matched.empty()) return;
    }
    ++results->candidate_records;
    ParsedRecord record;
    std::string error;
    if (!Parse(raw, &record, &error)) {
      Skip("record", error);
      return;
    }
    CloudTrailEvent& event = record.event;
    if (event.event_time.empty()) event.event_time = record.timestamp_fallback;
    if (auto t = ParseTimestamp(event.event_time)) {
      event.time = *t;
      if (!selectors.InWindow(event.time)) return;
    } else if (selectors.since || selectors.until) {
      Skip("record", "record " + (event.event_id.empty() ? std::string("without eventID") : event.event_id) +
                         " has no readable eventTime");
      return;
    }
    event.file = std::string(file);
    if (every_record) {
      AddSigmaMatches(raw, event);
      return;
    }
    if (!Classify(record)) return;
    if (sigma_matcher && sigma_matcher->Match(raw, &sigma_matched)) AddSigmaMatches(raw, event);
    results->events.push_back(std::move(event));
  }

  // Records a match of each rule in sigma_matched, with the printed fields of `event`, the record's parsed
  // form, packed once (results.h: SigmaEvent) and moved into the last match (a record's one match,
  // mostly). A rule that correlations use also keeps the values they group by (rare: matches are few, so
  // `raw` is parsed again).
  void AddSigmaMatches(std::string_view raw, const CloudTrailEvent& event) {
    if (sigma_matched.empty()) return;
    SigmaEvent packed(event);
    for (size_t k = 0; k < sigma_matched.size(); ++k) {
      const size_t i = sigma_matched[k];
      SigmaMatch& m = results->sigma_matches.emplace_back();
      m.rule = rule_infos[i];
      if (k + 1 == sigma_matched.size()) {
        m.event = std::move(packed);
      } else {
        m.event = packed;
      }
      const std::vector<std::string>& fields = options.sigma->rules()[i].capture_fields;
      if (!fields.empty()) sigma_fields.Capture(raw, fields, &m.fields);
    }
  }

  bool Parse(std::string_view raw, ParsedRecord* record, std::string* error) {
    sj::document doc;
    sj::object object;
    auto fail = [&](simdjson::error_code code) {
      *error = "invalid JSON record: " + SimdjsonMessage(code);
      return false;
    };
    if (auto code = inner.iterate(PaddedSpan(raw, BufferEnd())).get(doc)) return fail(code);
    if (auto code = doc.get_object().get(object)) return fail(code);
    CloudTrailEvent& e = record->event;
    for (auto field : object) {
      std::string_view key;
      if (auto code = field.unescaped_key().get(key)) return fail(code);
      sj::value value;
      if (auto code = field.value().get(value)) return fail(code);
      if (key == "eventID") {
        GetString(value, &e.event_id);
      } else if (key == "eventTime") {
        GetString(value, &e.event_time);
      } else if (key == "@timestamp") {
        GetString(value, &record->timestamp_fallback);
      } else if (key == "eventSource") {
        GetString(value, &e.event_source);
      } else if (key == "eventName") {
        GetString(value, &e.event_name);
      } else if (key == "awsRegion") {
        GetString(value, &e.aws_region);
      } else if (key == "sourceIPAddress") {
        GetString(value, &e.source_ip);
      } else if (key == "userAgent") {
        GetString(value, &e.user_agent);
      } else if (key == "errorCode") {
        GetString(value, &e.error_code);
      } else if (key == "vpcEndpointId") {
        GetString(value, &e.vpc_endpoint_id);
      } else if (key == "vpcEndpointAccountId") {
        GetString(value, &e.vpc_endpoint_account);
      } else if (key == "userIdentity") {
        if (auto code = ParseIdentity(value, &e)) return fail(code);
      } else if (key == "requestParameters") {
        if (auto code = RawJson(value).get(record->request_parameters)) return fail(code);
      } else if (key == "responseElements") {
        if (auto code = RawJson(value).get(record->response_elements)) return fail(code);
      } else if (key == "resources") {
        if (auto code = ParseResources(value, record)) return fail(code);
      }
    }
    if (!detail::AtEnd(doc)) {
      *error = "invalid JSON record: content after the record's end";
      return false;
    }
    // The session an AssumeRole created is for the instance's role chains (selectors); a Sigma match does
    // not print it, and over the whole trail the matches are mostly AssumeRole calls.
    if (!every_record) ReadAssumedSession(*record);
    return true;
  }

  // A successful sts AssumeRole* records the session it created in its response: what role_chains.h
  // follows. The response is a view into the padded buffer, read with its own parser (the record's
  // parser is still iterating).
  void ReadAssumedSession(ParsedRecord& record) {
    CloudTrailEvent& e = record.event;
    if (e.event_source != "sts.amazonaws.com" || e.event_name.rfind("AssumeRole", 0) != 0 ||
        !e.error_code.empty() || FirstNonSpace(record.response_elements) != '{') {
      return;
    }
    sj::document doc;
    sj::object response;
    if (response_parser.iterate(PaddedSpan(record.response_elements, BufferEnd())).get(doc) ||
        doc.get_object().get(response)) {
      return;
    }
    for (auto field : response) {
      std::string_view key;
      if (field.unescaped_key().get(key)) return;
      const bool user = key == "assumedRoleUser";
      if (!user && key != "credentials") continue;
      sj::object member;
      sj::value value;
      if (field.value().get_object().get(member) ||
          member.find_field_unordered(user ? "arn" : "accessKeyId").get(value)) {
        return;
      }
      GetString(value, user ? &e.assumed_session_arn : &e.assumed_access_key);
    }
  }

  simdjson::error_code ParseIdentity(sj::value value, CloudTrailEvent* e) {
    sj::object identity;
    if (value.get_object().get(identity) != simdjson::SUCCESS) return simdjson::SUCCESS;  // null
    for (auto field : identity) {
      std::string_view key;
      if (auto code = field.unescaped_key().get(key)) return code;
      sj::value v;
      if (auto code = field.value().get(v)) return code;
      if (key == "type") {
        GetString(v, &e->identity_type);
      } else if (key == "arn") {
        GetString(v, &e->identity_arn);
      } else if (key == "principalId") {
        GetString(v, &e->principal_id);
      } else if (key == "accessKeyId") {
        GetString(v, &e->access_key_id);
      } else if (key == "accountId") {
        GetString(v, &e->identity_account);
      } else if (key == "sessionContext") {
        sj::object context;
        if (v.get_object().get(context) != simdjson::SUCCESS) continue;
        for (auto cf : context) {
          std::string_view ck;
          if (auto code = cf.unescaped_key().get(ck)) return code;
          if (ck == "ec2RoleDelivery") {
            sj::value delivery;
            if (auto code = cf.value().get(delivery)) return code;
            GetString(delivery, &e->ec2_role_delivery);
            continue;
          }
          if (ck != "sessionIssuer") continue;
          sj::object issuer;
          if (cf.value().get_object().get(issuer) != simdjson::SUCCESS) continue;
          for (auto isf : issuer) {
            std::string_view ik;
            if (auto code = isf.unescaped_key().get(ik)) return code;
            if (ik == "userName") {
              sj::value iv;
              if (auto code = isf.value().get(iv)) return code;
              GetString(iv, &e->role_name);
            }
          }
        }
      }
    }
    return simdjson::SUCCESS;
  }

  simdjson::error_code ParseResources(sj::value value, ParsedRecord* record) {
    sj::array resources;
    if (value.get_array().get(resources) != simdjson::SUCCESS) {
      return RawJson(value).get(record->resources);  // null or an odd shape: keep its text for the rule
    }
    const char* first = nullptr;
    const char* last = nullptr;
    for (auto element : resources) {
      sj::object resource;
      if (auto code = element.get_object().get(resource)) return code;
      for (auto field : resource) {
        std::string_view key;
        if (auto code = field.unescaped_key().get(key)) return code;
        sj::value v;
        if (auto code = field.value().get(v)) return code;
        if (key == "ARN") {
          std::string arn;
          if (GetString(v, &arn)) record->event.resources.push_back(std::move(arn));
          continue;  // the ARN's text is inside [first, last) anyway
        }
        const std::string_view token = v.raw_json_token();
        if (!first) first = token.data();
        last = token.data() + token.size();
      }
    }
    // The rule searches the resources' text; the ARNs were consumed above, so search them directly too.
    if (first) record->resources = std::string_view(first, static_cast<size_t>(last - first));
    return simdjson::SUCCESS;
  }

  // Applies the exact rule. Returns false when the record does not involve the selectors.
  bool Classify(ParsedRecord& record) {
    CloudTrailEvent& e = record.event;
    std::string arn_role;
    if (SplitAssumedRoleArn(e.identity_arn, &arn_role, &e.session_name) && e.role_name.empty()) {
      e.role_name = arn_role;
    }
    for (const std::string& token : identity_tokens) {
      if (TokenMatcher::ContainsToken(e.identity_arn, token)) e.hits.push_back({token, "userIdentity.arn"});
      if (TokenMatcher::ContainsToken(e.principal_id, token))
        e.hits.push_back({token, "userIdentity.principalId"});
      if (TokenMatcher::ContainsToken(e.access_key_id, token)) {
        e.hits.push_back({token, "userIdentity.accessKeyId"});
      }
    }
    for (const std::string& role : selectors.roles) {
      if (e.role_name == role || e.identity_arn.find(":assumed-role/" + role + "/") != std::string::npos) {
        e.hits.push_back({role, "userIdentity.sessionIssuer"});
      }
    }
    for (const std::string& ip : selectors.ips) {
      if (e.source_ip == ip) e.hits.push_back({ip, "sourceIPAddress"});
    }
    e.by = !e.hits.empty();
    for (const std::string& token : matcher.tokens()) {
      if (TokenMatcher::ContainsToken(record.request_parameters, token)) {
        e.hits.push_back({token, "requestParameters"});
      }
      if (TokenMatcher::ContainsToken(record.response_elements, token)) {
        e.hits.push_back({token, "responseElements"});
      }
      bool in_resources = TokenMatcher::ContainsToken(record.resources, token);
      for (const std::string& arn : e.resources)
        in_resources = in_resources || TokenMatcher::ContainsToken(arn, token);
      if (in_resources) e.hits.push_back({token, "resources"});
    }
    return !e.hits.empty();
  }
};

CloudTrailReader::CloudTrailReader(const Selectors& selectors, CloudTrailOptions options)
    : impl_(std::make_unique<Impl>(selectors, options)) {}
CloudTrailReader::~CloudTrailReader() = default;

void CloudTrailReader::Scan(std::string_view file, std::string_view text, HuntResults* results) {
  impl_->Scan(file, text, results);
}

}  // namespace cordon::hunt
