// ByteReader and ByteWriter: bounds-checked little- and big-endian access to byte buffers, used by
// every wire and storage codec.
//
// ByteReader never reads past its span: a read that does not fit sets a sticky failure flag and
// returns zero / an empty view, so a decoder can read a whole structure and check ok() once.
// ByteWriter appends to a caller-owned std::vector<uint8_t>. Neither is thread-safe.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace edgesql {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

inline ByteView AsBytes(std::string_view s) {
  return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}
inline std::string_view AsChars(ByteView b) {
  return std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
}

class ByteReader {
 public:
  explicit ByteReader(ByteView data) : data_(data) {}

  bool ok() const { return ok_; }
  size_t offset() const { return pos_; }
  size_t remaining() const { return ok_ ? data_.size() - pos_ : 0; }
  bool AtEnd() const { return remaining() == 0; }
  ByteView data() const { return data_; }
  void Fail() { ok_ = false; }

  uint8_t U8() { return static_cast<uint8_t>(Le(1)); }
  uint16_t U16Le() { return static_cast<uint16_t>(Le(2)); }
  uint32_t U32Le() { return static_cast<uint32_t>(Le(4)); }
  uint64_t U64Le() { return Le(8); }
  uint16_t U16Be() { return static_cast<uint16_t>(Be(2)); }
  uint32_t U32Be() { return static_cast<uint32_t>(Be(4)); }
  // Unsigned little-endian integer of 1..8 bytes.
  uint64_t Le(size_t n) {
    if (!Need(n)) return 0;
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(data_[pos_ + i]) << (8 * i);
    pos_ += n;
    return v;
  }
  uint64_t Be(size_t n) {
    if (!Need(n)) return 0;
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v = (v << 8) | data_[pos_ + i];
    pos_ += n;
    return v;
  }
  ByteView Take(size_t n) {
    if (!Need(n)) return {};
    ByteView v = data_.subspan(pos_, n);
    pos_ += n;
    return v;
  }
  void Skip(size_t n) { Take(n); }
  // Moves to an absolute offset within the buffer (LOGIN7 uses offset/length pairs).
  void Seek(size_t pos) {
    if (pos > data_.size()) ok_ = false;
    if (ok_) pos_ = pos;
  }

 private:
  bool Need(size_t n) {
    if (!ok_ || data_.size() - pos_ < n) {
      ok_ = false;
      return false;
    }
    return true;
  }

  ByteView data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

class ByteWriter {
 public:
  explicit ByteWriter(Bytes* out) : out_(out) {}

  size_t size() const { return out_->size(); }
  void U8(uint8_t v) { out_->push_back(v); }
  void U16Le(uint16_t v) { Le(v, 2); }
  void U32Le(uint32_t v) { Le(v, 4); }
  void U64Le(uint64_t v) { Le(v, 8); }
  void U16Be(uint16_t v) { Be(v, 2); }
  void U32Be(uint32_t v) { Be(v, 4); }
  void Le(uint64_t v, size_t n) {
    for (size_t i = 0; i < n; ++i) out_->push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void Be(uint64_t v, size_t n) {
    for (size_t i = n; i > 0; --i) out_->push_back(static_cast<uint8_t>(v >> (8 * (i - 1))));
  }
  void Append(ByteView b) { out_->insert(out_->end(), b.begin(), b.end()); }
  void Append(std::string_view s) { Append(AsBytes(s)); }
  // Overwrites bytes already written (length prefixes known only after the body).
  void PatchU16Le(size_t at, uint16_t v) {
    (*out_)[at] = static_cast<uint8_t>(v);
    (*out_)[at + 1] = static_cast<uint8_t>(v >> 8);
  }
  void PatchU32Le(size_t at, uint32_t v) {
    for (size_t i = 0; i < 4; ++i) (*out_)[at + i] = static_cast<uint8_t>(v >> (8 * i));
  }

 private:
  Bytes* out_;
};

}  // namespace edgesql
