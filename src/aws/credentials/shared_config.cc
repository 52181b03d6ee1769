#include "aws/credentials/shared_config.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cctype>

#include "base/read_file.h"
#include "base/strings.h"

namespace cordon::aws {
namespace {

// Python's shlex.split() in POSIX mode, which botocore applies to section names: whitespace separates
// words, quotes group, a backslash escapes outside single quotes. nullopt on an unbalanced quote (a
// section botocore then ignores).
std::optional<std::vector<std::string>> ShellSplit(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\'' || c == '"') {
      in_word = true;
      size_t close = i + 1;
      for (; close < text.size() && text[close] != c; ++close) {
        if (c == '"' && text[close] == '\\' && close + 1 < text.size() &&
            (text[close + 1] == '"' || text[close + 1] == '\\')) {
          ++close;
        }
        word += text[close];
      }
      if (close >= text.size()) return std::nullopt;
      i = close;
    } else if (c == '\\') {
      if (i + 1 >= text.size()) return std::nullopt;  // "No escaped character"
      word += text[++i];
      in_word = true;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

// botocore's _parse_section(): "profile foo" -> "foo"; anything that does not split into exactly two
// words names nothing.
std::optional<std::string> SecondWord(std::string_view section) {
  std::optional<std::vector<std::string>> words = ShellSplit(section);
  if (!words || words->size() != 2) return std::nullopt;
  return (*words)[1];
}

// os.path.expandvars() then os.path.expanduser(), with variables from `env`.
std::string ExpandPath(std::string_view path, const Environment& env) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '$' || i + 1 >= path.size()) {
      out += path[i];
      continue;
    }
    size_t name_start = i + 1, name_end;
    bool braced = path[name_start] == '{';
    if (braced) {
      size_t close = path.find('}', name_start);
      if (close == std::string_view::npos) {
        out += path[i];
        continue;
      }
      ++name_start;
      name_end = close;
    } else {
      name_end = name_start;
      while (name_end < path.size() &&
             (std::isalnum(static_cast<unsigned char>(path[name_end])) || path[name_end] == '_')) {
        ++name_end;
      }
    }
    std::optional<std::string> value = env.Get(path.substr(name_start, name_end - name_start));
    if (name_end == name_start || !value) {  // unknown variables are left as written
      out += path[i];
      continue;
    }
    out += *value;
    i = braced ? name_end : name_end - 1;
  }
  if (out == "~" || StartsWith(out, "~/")) {
    if (std::optional<std::string> home = env.GetNonEmpty("HOME")) out = *home + out.substr(1);
  }
  return out;
}

std::string FilePath(const Environment& env, std::string_view variable, std::string_view default_name) {
  if (std::optional<std::string> path = env.GetNonEmpty(variable)) return ExpandPath(*path, env);
  std::optional<std::string> home = env.GetNonEmpty("HOME");
  if (!home) return "";
  return *home + "/.aws/" + std::string(default_name);
}

// The file's contents, "" when it does not exist or is not a regular file.
Result<std::string> ReadIfExists(const std::string& path) {
  if (path.empty()) return std::string();
  struct stat st;
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::string();
  Result<std::string> text = ReadSmallFile(path);
  if (!text && text.error().kind == ErrorKind::kNotFound) return std::string();  // removed since stat()
  return text;
}

}  // namespace

std::optional<std::string> Profile::Get(std::string_view key) const {
  auto it = values.find(ToLower(key));
  if (it == values.end() || it->second.is_sub_section) return std::nullopt;
  return it->second.text;
}

bool Profile::Has(std::string_view key) const { return values.contains(ToLower(key)); }

std::optional<std::string> Profile::GetSub(std::string_view section, std::string_view key) const {
  auto it = values.find(ToLower(section));
  if (it == values.end() || !it->second.is_sub_section) return std::nullopt;
  auto sub = it->second.sub.find(key);
  if (sub == it->second.sub.end()) return std::nullopt;
  return sub->second;
}

const Profile* SharedConfig::Find(std::string_view profile) const {
  auto it = profiles_.find(profile);
  return it == profiles_.end() ? nullptr : &it->second;
}

std::optional<std::string> SharedConfig::Get(std::string_view profile, std::string_view key) const {
  const Profile* p = Find(profile);
  return p == nullptr ? std::nullopt : p->Get(key);
}

const Profile* SharedConfig::FindSsoSession(std::string_view name) const {
  auto it = sso_sessions_.find(name);
  return it == sso_sessions_.end() ? nullptr : &it->second;
}

const Profile* SharedConfig::FindServices(std::string_view name) const {
  auto it = services_.find(name);
  return it == services_.end() ? nullptr : &it->second;
}

const Profile* SharedConfig::FindInConfigFile(std::string_view profile) const {
  auto it = config_profiles_.find(profile);
  return it == config_profiles_.end() ? nullptr : &it->second;
}

const Profile* SharedConfig::FindInCredentialsFile(std::string_view profile) const {
  auto it = credentials_profiles_.find(profile);
  return it == credentials_profiles_.end() ? nullptr : &it->second;
}

std::vector<std::string> SharedConfig::ProfileNames() const {
  std::vector<std::string> names;
  for (const auto& [name, profile] : profiles_) names.push_back(name);
  return names;
}

std::string SharedConfig::DescribeFiles() const {
  std::string config = config_path_.empty() ? "(no config file)" : config_path_;
  std::string credentials = credentials_path_.empty() ? "(no credentials file)" : credentials_path_;
  return config + " or " + credentials;
}

std::string ConfigFilePath(const Environment& env) { return FilePath(env, "AWS_CONFIG_FILE", "config"); }

std::string CredentialsFilePath(const Environment& env) {
  return FilePath(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials");
}

Result<SharedConfig> ParseSharedConfig(std::string_view config_text, std::string_view config_path,
                                       std::string_view credentials_text, std::string_view credentials_path) {
  Result<std::vector<IniSection>> config_sections = ParseIni(config_text, config_path);
  if (!config_sections) return tl::unexpected(config_sections.error());
  Result<std::vector<IniSection>> credentials_sections = ParseIni(credentials_text, credentials_path);
  if (!credentials_sections) return tl::unexpected(credentials_sections.error());

  SharedConfig out;
  out.config_path_ = std::string(config_path);
  out.credentials_path_ = std::string(credentials_path);
  // botocore's build_profile_map(): a later section of the same name replaces an earlier one (only
  // possible as [default] and [profile default]).
  for (IniSection& section : *config_sections) {
    SharedConfig::ProfileMap* target = nullptr;
    std::optional<std::string> name;
    if (StartsWith(section.name, "profile")) {
      target = &out.config_profiles_;
      name = SecondWord(section.name);
    } else if (StartsWith(section.name, "sso-session")) {
      target = &out.sso_sessions_;
      name = SecondWord(section.name);
    } else if (StartsWith(section.name, "services")) {
      target = &out.services_;
      name = SecondWord(section.name);
    } else if (section.name == "default") {
      target = &out.config_profiles_;
      name = "default";
    }
    if (target == nullptr || !name) continue;
    (*target)[*name] = Profile{*name, std::move(section.values)};
  }
  for (IniSection& section : *credentials_sections)
    out.credentials_profiles_[section.name] = Profile{section.name, std::move(section.values)};

  // Session.full_config: the credentials file's keys overlay the config file's, key by key.
  out.profiles_ = out.config_profiles_;
  for (const auto& [name, profile] : out.credentials_profiles_) {
    Profile& merged = out.profiles_[name];
    merged.name = name;
    for (const auto& [key, value] : profile.values) merged.values[key] = value;
  }
  return out;
}

Result<SharedConfig> LoadSharedConfig(const Environment& env) {
  std::string config_path = ConfigFilePath(env);
  std::string credentials_path = CredentialsFilePath(env);
  Result<std::string> config_text = ReadIfExists(config_path);
  if (!config_text) return tl::unexpected(config_text.error());
  Result<std::string> credentials_text = ReadIfExists(credentials_path);
  if (!credentials_text) return tl::unexpected(credentials_text.error());
  return ParseSharedConfig(*config_text, config_path, *credentials_text, credentials_path);
}

ProfileSelection SelectProfile(const Environment& env, std::optional<std::string> flag) {
  if (flag && !flag->empty()) return ProfileSelection{*flag, true, true};
  for (std::string_view variable : {"AWS_DEFAULT_PROFILE", "AWS_PROFILE"}) {
    if (std::optional<std::string> name = env.GetNonEmpty(variable))
      return ProfileSelection{*name, false, true};
  }
  return ProfileSelection{};
}

}  // namespace cordon::aws
