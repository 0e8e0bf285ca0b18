// ParseCache: parsed batches by their text, so that the statements drivers send again and again
// (sp_executesql texts, prepared statements, ORM queries) are parsed once.
//
// A parsed tree is immutable and shared (shared_ptr<const Batch>); statements keep pointing into
// it while they run, so eviction never invalidates a running request. Parse errors are not
// cached. Bounded by entry count and by total text size; least recently used entries go first.
// A tree takes about 25 times the memory of its text (measured: 300 multi-row INSERTs of 1,000
// rows, 16 MB of text, held 400 MB), so only texts of statements that come back are worth it:
// texts longer than max_entry_bytes (one-off batches of literals, scripts) are parsed and not
// kept. Thread-safe.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.h"
#include "tsql/statement.h"

namespace edgesql::engine {

class ParseCache {
 public:
  ParseCache(size_t max_entries, size_t max_text_bytes, size_t max_entry_bytes)
      : max_entries_(max_entries), max_bytes_(max_text_bytes), max_entry_bytes_(max_entry_bytes) {}

  // The process-wide cache the engine uses.
  static ParseCache& Global();

  Result<std::shared_ptr<const tsql::Batch>> Get(std::string_view text, bool quoted_identifier);

 private:
  struct Entry {
    std::shared_ptr<const tsql::Batch> batch;
    std::list<std::string>::iterator lru;
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  const size_t max_entries_;
  const size_t max_bytes_;
  const size_t max_entry_bytes_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry, Hash, std::equal_to<>> map_;
  std::list<std::string> lru_;  // keys, most recent first
  size_t bytes_ = 0;
};

}  // namespace edgesql::engine
