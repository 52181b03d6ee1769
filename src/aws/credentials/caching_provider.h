// Keeps the last credentials of another provider and refreshes them before they expire.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "aws/credentials/credentials.h"
#include "base/time.h"

namespace cordon::aws {

struct RefreshWindows {
  // Within this of expiry, one caller tries to refresh; if that fails (or another caller is already
  // refreshing) the cached credentials are still returned.
  std::chrono::seconds advisory{5 * 60};
  // Within this of expiry (or past it), callers wait for a refresh, and its failure is their failure.
  std::chrono::seconds mandatory{60};
};

// Wraps `inner` (usually the default chain). Credentials without an expiration are kept for good.
// Errors are not cached: the next Get() asks `inner` again. Thread-safe; at most one call to
// inner->Get() runs at a time. `clock` must outlive this provider.
class CachingProvider : public CredentialsProvider {
 public:
  CachingProvider(std::shared_ptr<CredentialsProvider> inner, Clock* clock, RefreshWindows windows = {})
      : inner_(std::move(inner)), clock_(clock), windows_(windows) {}
  Result<Credentials> Get() override;
  std::string Name() const override { return inner_->Name(); }

  // Forgets the cached credentials, e.g. after the service rejected them as expired.
  void Invalidate();

 private:
  std::optional<Credentials> Cached() const;
  bool ExpiresWithin(const Credentials& creds, std::chrono::seconds window) const;

  std::shared_ptr<CredentialsProvider> inner_;
  Clock* clock_;
  RefreshWindows windows_;
  std::mutex refresh_mu_;  // held while calling inner_->Get()
  mutable std::mutex mu_;
  std::optional<Credentials> cached_;  // guarded by mu_
};

}  // namespace cordon::aws
