// Small helpers for cgroup control files: each write is one write(2) (the kernel parses a
// control file write as a whole) and returns the errno for the caller's own message; reads
// go through store::read_file / read_file_at.
#pragma once
#include <string>
#include <string_view>

#include "cnt/error.hpp"

namespace cnt::cgroup {

// Write value to dirfd/file (dirfd may be AT_FDCWD with an absolute file). errno on failure.
int write_at(int dirfd, const std::string& file, std::string_view value);
// Parse a leading unsigned number; nullopt-like false on garbage.
bool parse_u64(std::string_view s, uint64_t& out);

}  // namespace cnt::cgroup
