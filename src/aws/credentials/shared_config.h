// The AWS CLI's shared files, ~/.aws/config and ~/.aws/credentials, merged into profiles as botocore
// merges them.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/credentials/environment.h"
#include "aws/credentials/ini_file.h"
#include "base/error.h"

namespace cordon::aws {

// A named group of settings: a profile, an [sso-session x] or a [services x] section.
struct Profile {
  std::string name;
  ConfigValues values;  // keys lowercased

  // A plain (non sub-section) value. `key` is matched case-insensitively.
  std::optional<std::string> Get(std::string_view key) const;
  bool Has(std::string_view key) const;
  // A setting inside the sub-section `section` (e.g. "s3", "addressing_style"); `key` is exact.
  std::optional<std::string> GetSub(std::string_view section, std::string_view key) const;
};

// Both files, parsed. Profiles are merged as botocore's Session.full_config merges them:
//   - in the config file, [default] and [profile NAME] are profiles (the section name is split as a
//     shell would split it, so [profile "my name"] is "my name"); [sso-session NAME] and
//     [services NAME] are kept apart; any other section is ignored, as botocore ignores it;
//   - in the credentials file, every [NAME] is the profile NAME (no "profile " prefix);
//   - a profile in both files has the config file's keys overlaid key by key by the credentials file's.
// A missing file is the same as an empty one.
class SharedConfig {
 public:
  SharedConfig() = default;

  const Profile* Find(std::string_view profile) const;
  // A plain value of a profile, or nullopt when the profile or the key is missing.
  std::optional<std::string> Get(std::string_view profile, std::string_view key) const;
  const Profile* FindSsoSession(std::string_view name) const;
  const Profile* FindServices(std::string_view name) const;
  std::vector<std::string> ProfileNames() const;

  // The profile as each file alone defines it (the credential providers need to know which file a
  // static key came from, as botocore's SharedCredentialProvider and ConfigProvider do).
  const Profile* FindInConfigFile(std::string_view profile) const;
  const Profile* FindInCredentialsFile(std::string_view profile) const;

  const std::string& config_path() const { return config_path_; }
  const std::string& credentials_path() const { return credentials_path_; }
  // "/home/u/.aws/config or /home/u/.aws/credentials", for error messages.
  std::string DescribeFiles() const;

 private:
  friend Result<SharedConfig> ParseSharedConfig(std::string_view, std::string_view, std::string_view,
                                                std::string_view);
  using ProfileMap = std::map<std::string, Profile, std::less<>>;
  ProfileMap profiles_;
  ProfileMap config_profiles_;
  ProfileMap credentials_profiles_;
  ProfileMap sso_sessions_;
  ProfileMap services_;
  std::string config_path_;
  std::string credentials_path_;
};

// The files' locations: AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE (with "~" and $VARS expanded
// from `env`), else $HOME/.aws/config and $HOME/.aws/credentials. Empty when neither is available.
std::string ConfigFilePath(const Environment& env);
std::string CredentialsFilePath(const Environment& env);

// Reads and parses both files. A file that does not exist, or is not a regular file, counts as empty.
// Errors: kInvalidArgument for a malformed file (naming the file and line), kIo for a file that exists
// but cannot be read (botocore silently skips those; a responder should not silently get other
// credentials).
Result<SharedConfig> LoadSharedConfig(const Environment& env);

// Parses file contents already in memory; the paths only name the files in errors and messages.
Result<SharedConfig> ParseSharedConfig(std::string_view config_text, std::string_view config_path,
                                       std::string_view credentials_text, std::string_view credentials_path);

// Which profile the user selected: the --profile flag, else AWS_DEFAULT_PROFILE, else AWS_PROFILE
// (botocore's order), else "default".
struct ProfileSelection {
  std::string name = "default";
  bool from_flag = false;  // --profile: the CLI then skips environment-variable credentials
  bool named = false;      // chosen by flag or variable; a named profile must exist
};
ProfileSelection SelectProfile(const Environment& env, std::optional<std::string> flag);

}  // namespace cordon::aws
