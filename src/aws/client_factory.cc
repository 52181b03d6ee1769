#include "aws/client_factory.h"

#include <cmath>

#include "aws/credentials/caching_provider.h"
#include "aws/credentials/chain.h"
#include "aws/credentials/client_settings.h"
#include "aws/credentials/environment.h"
#include "aws/credentials/imds_provider.h"
#include "aws/credentials/mfa_prompt.h"
#include "aws/credentials/shared_config.h"
#include "aws/http/curl_transport.h"
#include "base/json_fields.h"
#include "base/time.h"

namespace cordon::aws {
namespace {

// Credentials that are already known (the source of an AssumeRole call).
class FixedProvider : public CredentialsProvider {
 public:
  explicit FixedProvider(Credentials c) : c_(std::move(c)) {}
  Result<Credentials> Get() override { return c_; }
  std::string Name() const override { return "fixed"; }

 private:
  Credentials c_;
};

// A provider that also keeps alive what the wrapped chain borrows (the metadata transport).
class KeepAliveProvider : public CredentialsProvider {
 public:
  KeepAliveProvider(std::shared_ptr<CredentialsProvider> inner, std::shared_ptr<Transport> borrowed)
      : borrowed_(std::move(borrowed)), inner_(std::move(inner)) {}
  Result<Credentials> Get() override { return inner_->Get(); }
  std::string Name() const override { return inner_->Name(); }

 private:
  std::shared_ptr<Transport> borrowed_;  // declared first: destroyed after the chain that borrows it
  std::shared_ptr<CredentialsProvider> inner_;
};

Result<Credentials> CredentialsFromSts(const Json& out, const std::string& source) {
  if (!out.contains("Credentials")) return MakeError(ErrorKind::kParse, "STS returned no credentials");
  const Json& c = out["Credentials"];
  Credentials creds;
  creds.access_key_id = c.value("AccessKeyId", "");
  creds.secret_access_key = c.value("SecretAccessKey", "");
  creds.session_token = c.value("SessionToken", "");
  if (c.contains("Expiration")) creds.expiration = ParseTimestamp(c["Expiration"].get<std::string>());
  creds.source = source;
  return creds;
}

// AssumeRole with the base client's credentials, each time the cache asks.
class AssumedRoleProvider : public CredentialsProvider {
 public:
  AssumedRoleProvider(ClientOptions base, std::string role_arn, std::string session_name)
      : base_(std::move(base)), role_arn_(std::move(role_arn)), session_name_(std::move(session_name)) {}
  Result<Credentials> Get() override {
    auto source = base_.credentials->Get();
    if (!source) return tl::unexpected(source.error());
    ClientOptions signer = base_;
    signer.credentials = std::make_shared<FixedProvider>(*source);
    Client sts(signer);
    auto out =
        sts.Call("sts", "AssumeRole", Json{{"RoleArn", role_arn_}, {"RoleSessionName", session_name_}});
    if (!out) {
      Error e = out.error();
      e.message = "assuming " + role_arn_ + ": " + e.message;
      return tl::unexpected(e);
    }
    return CredentialsFromSts(*out, "assume-role:" + role_arn_);
  }
  std::string Name() const override { return "assume-role"; }

 private:
  ClientOptions base_;
  std::string role_arn_, session_name_;
};

// The two unsigned IAM Identity Center APIs, through `client` (endpoint overrides, retries): SSO OIDC
// CreateToken and the SSO portal's GetRoleCredentials, both in the SSO region.
SsoCaller MakeSsoCaller(const std::shared_ptr<Client>& client) {
  SsoCaller sso;
  sso.create_token = [client](const SsoRefreshRequest& request) -> Result<SsoNewToken> {
    Json input = {{"clientId", request.client_id},
                  {"clientSecret", request.client_secret},
                  {"grantType", "refresh_token"},
                  {"refreshToken", request.refresh_token}};
    CallOptions call;
    call.region = request.region;
    call.anonymous = true;
    auto out = client->Call("sso-oidc", "CreateToken", input, call);
    if (!out) return tl::unexpected(out.error());
    SsoNewToken token;
    token.access_token = Str(*out, "accessToken");
    token.expires_in = std::chrono::seconds(Int(*out, "expiresIn"));
    token.refresh_token = Str(*out, "refreshToken");
    if (token.access_token.empty() || token.expires_in.count() <= 0)
      return MakeError(ErrorKind::kParse, "SSO OIDC CreateToken returned no usable token");
    return token;
  };
  sso.get_role_credentials = [client](const SsoRoleRequest& request) -> Result<Credentials> {
    Json input = {{"roleName", request.role_name},
                  {"accountId", request.account_id},
                  {"accessToken", request.access_token}};
    CallOptions call;
    call.region = request.region;
    call.anonymous = true;
    auto out = client->Call("sso", "GetRoleCredentials", input, call);
    if (!out) return tl::unexpected(out.error());
    // Read through base/json_fields.h: a member of another type is absent, never a thrown type_error.
    const Json& c = Obj(*out, "roleCredentials");
    Credentials creds;
    creds.access_key_id = Str(c, "accessKeyId");
    creds.secret_access_key = Str(c, "secretAccessKey");
    creds.session_token = Str(c, "sessionToken");
    // expiration: epoch milliseconds (the model's ExpirationTimestampType is a long).
    if (int64_t ms = Int(c, "expiration"); ms > 0)
      creds.expiration = TimePoint(std::chrono::milliseconds(ms));
    if (creds.empty()) return MakeError(ErrorKind::kParse, "SSO GetRoleCredentials returned no credentials");
    return creds;
  };
  return sso;
}

// Timeouts and the CA bundle, from the flags, else the environment and the profile as the AWS CLI
// reads them (AWS_CA_BUNDLE, ca_bundle).
HttpOptions HttpOptionsFrom(const ClientFlags& flags, const ClientSettings& settings) {
  HttpOptions http;
  if (flags.connect_timeout) http.connect_timeout = std::chrono::seconds(*flags.connect_timeout);
  if (flags.read_timeout) http.read_timeout = std::chrono::seconds(*flags.read_timeout);
  if (flags.ca_bundle) {
    http.ca_bundle = *flags.ca_bundle;
  } else if (auto bundle = settings.CaBundle()) {
    http.ca_bundle = *bundle;
  }
  return http;
}

}  // namespace

std::shared_ptr<Client> MakeAssumedRoleClient(const Client& base, const std::string& role_arn,
                                              const std::string& session_name) {
  ClientOptions options = *base.options();
  options.credentials = std::make_shared<CachingProvider>(
      std::make_shared<AssumedRoleProvider>(*base.options(), role_arn, session_name), SystemClock::Default());
  return std::make_shared<Client>(options);
}

Result<std::shared_ptr<Client>> MakeClient(const ClientFlags& flags) {
  Environment env = Environment::FromProcess();
  auto config = LoadSharedConfig(env);
  if (!config) return tl::unexpected(config.error());
  auto shared = std::make_shared<const SharedConfig>(std::move(*config));
  ProfileSelection selection = SelectProfile(env, flags.profile);
  auto settings = std::make_shared<ClientSettings>(env, shared, selection.name);

  ClientOptions options;
  options.region = flags.region.value_or(settings->Region().value_or(""));
  auto attempts = settings->MaxAttempts();
  if (!attempts) return tl::unexpected(attempts.error());
  options.retry.max_attempts = flags.max_attempts.value_or(attempts->value_or(3));
  if (options.retry.max_attempts < 1)
    return MakeError(ErrorKind::kInvalidArgument, "--max-attempts must be at least 1");
  if (flags.max_rate) {
    if (!std::isfinite(*flags.max_rate) || *flags.max_rate <= 0)
      return MakeError(ErrorKind::kInvalidArgument,
                       "--max-rate must be a number of calls a second above 0, e.g. 10 or 0.5");
    options.max_rate = *flags.max_rate;
  }
  std::optional<std::string> endpoint_flag = flags.endpoint_url;
  options.endpoint_for = [settings, endpoint_flag](const ServiceModel& service) -> Result<std::string> {
    if (endpoint_flag) return *endpoint_flag;
    auto url = settings->EndpointUrl(service.service_id());
    if (!url) return tl::unexpected(url.error());
    return url->value_or("");
  };
  options.transport = std::make_shared<CurlTransport>(HttpOptionsFrom(flags, *settings));

  // STS for role profiles and web identity goes through a client of our own, so the same endpoint
  // overrides, retries and audit apply.
  ClientOptions sts_options = options;
  sts_options.credentials = std::make_shared<FixedProvider>(Credentials{});
  auto sts_client = std::make_shared<Client>(sts_options);
  StsCaller sts = [sts_client](const AssumeRoleRequest& request,
                               const Credentials& source) -> Result<Credentials> {
    Json input = {{"RoleArn", request.role_arn}, {"RoleSessionName", request.session_name}};
    if (request.duration_seconds > 0) input["DurationSeconds"] = request.duration_seconds;
    CallOptions call;
    call.region = request.region;
    if (!request.web_identity_token.empty()) {
      input["WebIdentityToken"] = request.web_identity_token;
      call.anonymous = true;
      auto out = sts_client->Call("sts", "AssumeRoleWithWebIdentity", input, call);
      if (!out) return tl::unexpected(out.error());
      return CredentialsFromSts(*out, "web-identity:" + request.role_arn);
    }
    if (!request.external_id.empty()) input["ExternalId"] = request.external_id;
    if (!request.serial_number.empty()) {
      input["SerialNumber"] = request.serial_number;
      input["TokenCode"] = request.token_code;
    }
    ClientOptions with_source = *sts_client->options();
    with_source.credentials = std::make_shared<FixedProvider>(source);
    Client client(with_source);
    auto out = client.Call("sts", "AssumeRole", input, call);
    if (!out) return tl::unexpected(out.error());
    return CredentialsFromSts(*out, "assume-role:" + request.role_arn);
  };

  auto imds = ResolveImdsSettings(env, shared->Find(selection.name));
  if (!imds) return tl::unexpected(imds.error());
  // IMDS and the container endpoint get their own short timeouts; the transport lives as long as
  // the credentials chain that talks through it.
  auto metadata_transport = std::make_shared<CurlTransport>(MetadataHttpOptions(*imds));

  DefaultChainOptions chain;
  chain.env = env;
  chain.config = shared;
  chain.profile_flag = flags.profile;
  chain.sts = sts;
  chain.sts_region = options.region;
  chain.sso = MakeSsoCaller(sts_client);
  chain.mfa_code = TerminalMfaCodeReader(flags.mfa_code);
  chain.metadata_transport = metadata_transport.get();
  auto provider = MakeDefaultCredentialsChain(chain);
  if (!provider) return tl::unexpected(provider.error());
  // Cached, and refreshed before expiry, so a role profile does not call STS on every request.
  options.credentials = std::make_shared<KeepAliveProvider>(
      std::make_shared<CachingProvider>(*provider, SystemClock::Default()), std::move(metadata_transport));
  return std::make_shared<Client>(options);
}

}  // namespace cordon::aws
