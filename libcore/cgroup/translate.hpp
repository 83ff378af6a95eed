// Translation of the common limit keys between cgroup v1 and cgroup v2 files, for configs
// written for the other version. Pure logic: no I/O.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cnt/config.hpp"
#include "cnt/error.hpp"

namespace cnt::cgroup {

struct Write {
    std::string file;   // control file in the target hierarchy: "memory.max"
    std::string value;  // what to write
    size_t entry = 0;   // index of the (last) source entry it came from
    std::string note;   // "lxc.cgroup.memory.limit_in_bytes = 1G written as memory.max = 1G"
};

// Entries keyed by v1 file names ("memory.limit_in_bytes") to v2 files. An entry with no
// faithful translation is an error naming the key and its config location.
Result<std::vector<Write>> v1_to_v2(const std::vector<config::CgroupEntry>& entries);
// Entries keyed by v2 file names ("memory.max") to v1 files.
Result<std::vector<Write>> v2_to_v1(const std::vector<config::CgroupEntry>& entries);

// The kernel's own conversions (kernel/sched/core.c: weight 100 == 1024 shares).
uint64_t shares_to_weight(uint64_t shares);
uint64_t weight_to_shares(uint64_t weight);
// blkio.weight [10, 1000] <-> io.weight [1, 10000], linear over the two ranges.
uint64_t blkio_to_io_weight(uint64_t w);
uint64_t io_to_blkio_weight(uint64_t w);
// memparse as the kernel does for memory files: number with optional K/M/G/T/P/E suffix.
// "-1" (v1) and "max" (v2) are unlimited: returns false in `limited`.
bool parse_bytes(std::string_view s, uint64_t& out, bool& limited);

}  // namespace cnt::cgroup
