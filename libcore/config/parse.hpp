// Value parsers shared by the key registry rows (internal to libcore/config).
// Each returns nullopt (or an error string) instead of throwing; messages are the "reason" part
// of "file:line: key: reason".
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cnt/text.hpp"

namespace cnt::config::detail {

inline bool is_blank(char c) { return c == ' ' || c == '\t'; }
using cnt::trim;
std::vector<std::string> split_blanks(std::string_view s);

// C strtoul/strtol with base 0: leading blanks, "+", 0x.. hex, 0.. octal; no trailing garbage;
// unsigned rejects a minus sign.
std::optional<uint64_t> parse_ulong(std::string_view s);
std::optional<int64_t> parse_long(std::string_view s);
std::optional<unsigned> parse_uint(std::string_view s);  // fits in 32 bits
std::optional<bool> parse_bool01(std::string_view s);    // an unsigned number equal to 0 or 1

// A number (no range check, as LXC) or a name with the SIG prefix (case-insensitive),
// including SIGRTMIN+n / SIGRTMAX-n.
std::optional<int> parse_signal(std::string_view s);

// "/a//b/" -> "/a/b" (repeated '/' collapsed, trailing '/' removed; "/" stays).
std::string normalize_path(std::string_view s);

// The file a config value names, for the keys that name one relative to the config file that
// sets them (lxc.include, lxc.seccomp.profile; LXC takes them relative to the current
// directory, which depends on who runs the tool): `value` unchanged when it is absolute or
// `file` is empty (a --define), else joined to the directory of `file`.
std::string relative_to_file(std::string_view file, std::string_view value);
bool names_relative_file(std::string_view key);

// "auto" = 128 KiB, bytes, or number + kB/MB/GB (1024-based; single-letter suffix ignored as
// LXC does), then rounded up to a power of two and at least a page.
std::optional<uint64_t> parse_console_size(std::string_view s);

// Device cgroup rule: "a" or "<a|b|c> <maj|*>:<min|*> [rwm]"; devices.allow also takes a
// /dev path followed by access.
std::string check_device_rule(std::string_view s, bool allow_path);

// Levenshtein distance, for did-you-mean.
// With `limit`, stops as soon as the distance is sure to exceed it (returns limit + 1).
size_t edit_distance(std::string_view a, std::string_view b, size_t limit = SIZE_MAX);

}  // namespace cnt::config::detail
