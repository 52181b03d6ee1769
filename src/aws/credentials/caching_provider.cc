#include "aws/credentials/caching_provider.h"

namespace cordon::aws {

std::optional<Credentials> CachingProvider::Cached() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cached_;
}

void CachingProvider::Invalidate() {
  std::lock_guard<std::mutex> lock(mu_);
  cached_.reset();
}

bool CachingProvider::ExpiresWithin(const Credentials& creds, std::chrono::seconds window) const {
  return creds.expiration && *creds.expiration - clock_->Now() <= window;
}

Result<Credentials> CachingProvider::Get() {
  std::optional<Credentials> current = Cached();
  if (current && !ExpiresWithin(*current, windows_.advisory)) return *current;

  // In the advisory window one caller refreshes while the others keep the old credentials; in the
  // mandatory window (or with nothing cached) everyone waits for the refresher.
  bool advisory = current && !ExpiresWithin(*current, windows_.mandatory);
  std::unique_lock<std::mutex> refresh(refresh_mu_, std::defer_lock);
  if (advisory) {
    if (!refresh.try_lock()) return *current;
  } else {
    refresh.lock();
  }
  // Another caller may have refreshed while we were getting the lock.
  current = Cached();
  if (current && !ExpiresWithin(*current, advisory ? windows_.advisory : windows_.mandatory)) return *current;
  bool usable = current && !ExpiresWithin(*current, windows_.mandatory);

  Result<Credentials> fresh = inner_->Get();
  if (!fresh) {
    if (usable) return *current;  // a failed advisory refresh is not the caller's problem yet
    return fresh;
  }
  std::lock_guard<std::mutex> lock(mu_);
  cached_ = *fresh;
  return fresh;
}

}  // namespace cordon::aws
