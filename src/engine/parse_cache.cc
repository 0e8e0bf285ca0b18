#include "engine/parse_cache.h"

#include "tsql/parser.h"

namespace edgesql::engine {

ParseCache& ParseCache::Global() {
  static ParseCache cache(4096, 2 << 20, 16 << 10);
  return cache;
}

Result<std::shared_ptr<const tsql::Batch>> ParseCache::Get(std::string_view text,
                                                           bool quoted_identifier) {
  // The setting changes what "..." means, so it is part of the key.
  std::string key;
  key.reserve(text.size() + 1);
  key.push_back(quoted_identifier ? 'Q' : 'q');
  key.append(text);
  {
    std::lock_guard lock(mu_);
    auto it = map_.find(key);
    if (it != map_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second.lru);
      return it->second.batch;
    }
  }
  tsql::ParseOptions options;
  options.quoted_identifier = quoted_identifier;
  EDGESQL_ASSIGN_OR_RETURN(tsql::Batch parsed, tsql::ParseBatch(text, options));
  auto batch = std::make_shared<const tsql::Batch>(std::move(parsed));
  if (key.size() > max_entry_bytes_) return batch;  // too large to be worth keeping
  std::lock_guard lock(mu_);
  if (map_.count(key) != 0) return batch;
  while (!lru_.empty() && (map_.size() >= max_entries_ || bytes_ + key.size() > max_bytes_)) {
    bytes_ -= lru_.back().size();
    map_.erase(lru_.back());
    lru_.pop_back();
  }
  lru_.push_front(key);
  bytes_ += key.size();
  map_.emplace(std::move(key), Entry{batch, lru_.begin()});
  return batch;
}

}  // namespace edgesql::engine
