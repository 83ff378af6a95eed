// cnt-top: one sample of every running container's counters (cgroup files and the netlink
// counters of its host-side interfaces; no walk of /proc), and the table made of two samples.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cnt/error.hpp"

namespace cnt::top {

struct Sample {
    std::string name;
    uint64_t cpu_ns = 0, blkio_bytes = 0, mem_bytes = 0, kmem_bytes = 0;
    std::optional<uint64_t> swap_bytes, pids;
    uint64_t rx_bytes = 0, tx_bytes = 0;
};

struct Row {
    Sample s;
    double cpu_pct = 0;  // over the interval between two samples (100 = one CPU)
};

enum class Sort { name, cpu, blkio, memory, swap, kmem };
// lxc-top's letters: n c b m s k. nullopt for anything else.
std::optional<Sort> parse_sort(char c);

// Every running container of lxcpath, in name order.
std::vector<Sample> sample(const std::string& lxcpath);
// Rows from the samples `now` and, for the CPU %, the samples `before` taken `interval_ns`
// earlier (a container new since then shows 0 %); sorted.
std::vector<Row> rows(const std::vector<Sample>& before, const std::vector<Sample>& now,
                      uint64_t interval_ns, Sort by, bool reverse);

std::string table(const std::vector<Row>& rows, bool humanize);  // header + one line each
std::string json(const std::vector<Row>& rows);                  // a JSON array, one line

}  // namespace cnt::top
