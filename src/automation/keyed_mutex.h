// One mutex per key, made on first use: `cordon watch` handles events for different instances in
// parallel and events for one instance one after another (two events of one case in one process
// would otherwise meet at the case lock, which is per process and not reentrant).
#pragma once

#include <condition_variable>
#include <mutex>
#include <set>
#include <string>

namespace cordon::automation {

// Thread-safe. Keys are forgotten when nobody holds or waits for them, so memory stays bounded by
// the keys in use.
class KeyedMutex {
 public:
  // Blocks while another thread holds `key`.
  void Lock(const std::string& key);
  void Unlock(const std::string& key);

 private:
  std::mutex mu_;
  std::condition_variable released_;
  std::set<std::string> held_;
};

// Holds one key of a KeyedMutex for its lifetime.
class KeyedLock {
 public:
  KeyedLock(KeyedMutex* mutex, std::string key) : mutex_(mutex), key_(std::move(key)) { mutex_->Lock(key_); }
  ~KeyedLock() { mutex_->Unlock(key_); }
  KeyedLock(const KeyedLock&) = delete;
  KeyedLock& operator=(const KeyedLock&) = delete;

 private:
  KeyedMutex* mutex_;
  std::string key_;
};

}  // namespace cordon::automation
