// A growable byte buffer that is never zero-filled and always keeps read padding after its end.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

namespace cordon::hunt {

// Extra bytes kept allocated (and zeroed by Finish()) after the contents, so simdjson may read past the end
// (simdjson::SIMDJSON_PADDING is 64).
inline constexpr size_t kReadPadding = 64;

// Workers reuse one ByteBuffer per thread for decompressed objects: growing it only when an object is
// larger than any before, without zero-filling, keeps decompression at memory speed. Not thread-safe.
class ByteBuffer {
 public:
  ByteBuffer() = default;
  ByteBuffer(const ByteBuffer&) = delete;
  ByteBuffer& operator=(const ByteBuffer&) = delete;

  char* data() { return data_.get(); }
  const char* data() const { return data_.get(); }
  size_t size() const { return size_; }
  // Bytes that may be written from data(), excluding the padding.
  size_t capacity() const { return capacity_; }
  std::string_view view() const { return std::string_view(data_.get(), size_); }

  // The capacity (plus padding) Reserve(n) allocates on an empty buffer: what a memory budget counts.
  static size_t CapacityFor(size_t n) {
    return n == 0 ? 0 : n + std::min(n / 4, size_t{16} << 20) + kReadPadding;
  }

  // Makes capacity() >= n, keeping the first size() bytes. Grows with headroom (a quarter, at most
  // 16 MiB): the objects of one log are of similar sizes, so growing to the exact size would reallocate,
  // and page-fault the fresh memory in again, for most objects larger than any before.
  void Reserve(size_t n) {
    if (n <= capacity_) return;
    n += std::min(n / 4, size_t{16} << 20);
    auto bigger = std::make_unique_for_overwrite<char[]>(n + kReadPadding);
    if (size_ > 0) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    capacity_ = n;
  }
  void Clear() { size_ = 0; }
  void Append(std::string_view bytes) {
    if (size_ + bytes.size() > capacity_) Reserve(std::max(size_ + bytes.size(), capacity_ * 2));
    if (!bytes.empty()) std::memcpy(data_.get() + size_, bytes.data(), bytes.size());
    size_ += bytes.size();
  }
  // Sets the size after bytes were written into data() directly (n <= capacity()), and zeroes the padding.
  void SetSize(size_t n) {
    size_ = n;
    if (data_) std::memset(data_.get() + size_, 0, kReadPadding);
  }
  // Drops the allocation when it grew past `keep` bytes (bounds what an idle worker holds on to).
  void ShrinkTo(size_t keep) {
    if (capacity_ > keep) {
      data_.reset();
      capacity_ = 0;
      size_ = 0;
    }
  }

 private:
  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace cordon::hunt
