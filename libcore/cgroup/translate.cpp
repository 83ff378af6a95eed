#include "cgroup/translate.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include "cnt/text.hpp"

namespace cnt::cgroup {
namespace {

std::unexpected<Error> untranslatable(const config::CgroupEntry& e, const char* prefix,
                                      std::string why) {
    return std::unexpected(
        Error{EOPNOTSUPP, cat(prefix, e.key, " = ", e.value, ": ", why), e.where.str()});
}

bool parse_num(std::string_view s, uint64_t& out) {
    if (s.empty() || s.size() > 19) return false;
    uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + static_cast<uint64_t>(c - '0');
    }
    out = v;
    return true;
}

std::string note(const char* from_prefix, const config::CgroupEntry& e, const std::string& file,
                 const std::string& value) {
    return cat(from_prefix, e.key, " = ", e.value, " written as ", file, " = ", value);
}

// Keys written unchanged in both versions.
constexpr std::string_view kSame[] = {"cpuset.cpus", "cpuset.mems", "pids.max"};

}  // namespace

uint64_t shares_to_weight(uint64_t shares) {
    // cpu.weight 100 is the v1 default of 1024 shares; the kernel rounds to nearest and keeps
    // the weight within [1, 10000].
    uint64_t w = (shares * 100 + 512) / 1024;
    return std::clamp<uint64_t>(w, 1, 10000);
}

uint64_t weight_to_shares(uint64_t weight) {
    uint64_t s = (weight * 1024 + 50) / 100;
    return std::clamp<uint64_t>(s, 2, 262144);
}

uint64_t blkio_to_io_weight(uint64_t w) {
    w = std::clamp<uint64_t>(w, 10, 1000);
    return 1 + (w - 10) * 9999 / 990;
}

uint64_t io_to_blkio_weight(uint64_t w) {
    w = std::clamp<uint64_t>(w, 1, 10000);
    return 10 + (w - 1) * 990 / 9999;
}

bool parse_bytes(std::string_view s, uint64_t& out, bool& limited) {
    std::string t(trim(s));
    if (t == "-1" || t == "max") {
        limited = false;
        out = 0;
        return true;
    }
    if (t.empty()) return false;
    int shift = 0;
    switch (std::tolower(static_cast<unsigned char>(t.back()))) {
        case 'k':
            shift = 10;
            break;
        case 'm':
            shift = 20;
            break;
        case 'g':
            shift = 30;
            break;
        case 't':
            shift = 40;
            break;
        case 'p':
            shift = 50;
            break;
        case 'e':
            shift = 60;
            break;
        default:
            break;
    }
    if (shift) t.pop_back();
    uint64_t v = 0;
    if (!parse_num(t, v)) return false;
    if (shift && v > (UINT64_MAX >> shift)) return false;
    out = v << shift;
    limited = true;
    return true;
}

namespace {

constexpr const char* kV1 = "lxc.cgroup.";
constexpr const char* kV2 = "lxc.cgroup2.";

bool same_in_both(const std::string& key) {
    return std::find(std::begin(kSame), std::end(kSame), key) != std::end(kSame);
}

// One file and the value to write in it.
struct FileValue {
    std::string file, value;
};

// The memory limit in effect, for the swap limits: v1's memsw counts memory + swap, v2's
// memory.swap.max swap alone.
struct Memory {
    uint64_t limit = 0;
    bool limited = false;    // a limit is set
    bool unlimited = false;  // set to no limit ("-1", "max")
};

// Either version's memory limit, remembered in `m`; "" for no limit (each version's word).
Result<std::string> memory_limit(const config::CgroupEntry& e, const char* prefix,
                                 const std::string& v, Memory& m) {
    uint64_t b = 0;
    bool lim = true;
    if (!parse_bytes(v, b, lim)) return untranslatable(e, prefix, "not a byte count");
    m = {b, lim, !lim};
    return lim ? std::to_string(b) : std::string();
}

// memory.memsw.limit_in_bytes (memory + swap) as memory.swap.max (swap alone).
Result<std::string> memsw_to_swap(const config::CgroupEntry& e, const std::string& v,
                                  const Memory& m) {
    uint64_t b = 0;
    bool lim = true;
    if (!parse_bytes(v, b, lim)) return untranslatable(e, kV1, "not a byte count");
    if (!lim) return std::string("max");
    if (!m.limited)
        return untranslatable(
            e, kV1,
            m.unlimited ? "memory + swap limit with unlimited memory has no cgroup2 equivalent"
                        : "needs lxc.cgroup.memory.limit_in_bytes before it to compute "
                          "memory.swap.max");
    if (b < m.limit) return untranslatable(e, kV1, "memory + swap limit below the memory limit");
    return std::to_string(b - m.limit);
}

// A v1 entry other than the cfs ones, as its cgroup2 file.
Result<FileValue> v1_write(const config::CgroupEntry& e, const std::string& v, Memory& m) {
    if (same_in_both(e.key)) return FileValue{e.key, v};
    if (e.key == "memory.limit_in_bytes") {
        CNT_ASSIGN(w, memory_limit(e, kV1, v, m));
        return FileValue{"memory.max", w.empty() ? "max" : w};
    }
    if (e.key == "memory.memsw.limit_in_bytes") {
        CNT_ASSIGN(w, memsw_to_swap(e, v, m));
        return FileValue{"memory.swap.max", w};
    }
    uint64_t n = 0;
    if (e.key == "cpu.shares") {
        if (!parse_num(v, n)) return untranslatable(e, kV1, "not a number");
        return FileValue{"cpu.weight", std::to_string(shares_to_weight(n))};
    }
    if (e.key == "blkio.weight") {
        if (!parse_num(v, n)) return untranslatable(e, kV1, "not a number");
        return FileValue{"io.weight", std::to_string(blkio_to_io_weight(n))};
    }
    return untranslatable(e, kV1, "no cgroup v1 hierarchy for it and no cgroup2 equivalent");
}

// cpu.cfs_quota_us and cpu.cfs_period_us: one cpu.max write, "<quota|max> <period>" in
// microseconds, placed at the later of the two.
struct CpuMax {
    std::optional<std::string> quota, period;
    size_t last = 0;

    bool wants(const std::string& key) const {
        return key == "cpu.cfs_quota_us" || key == "cpu.cfs_period_us";
    }
    Result<void> take(const config::CgroupEntry& e, const std::string& v, size_t i) {
        uint64_t n = 0;
        if (v != "-1" && !parse_num(v, n)) return untranslatable(e, kV1, "not a number");
        (e.key == "cpu.cfs_quota_us" ? quota : period) = v;
        last = i;
        return {};
    }
    Result<void> add(const std::vector<config::CgroupEntry>& entries,
                     std::vector<Write>& out) const {
        if (!quota && !period) return {};
        std::string q = !quota || *quota == "-1" ? "max" : *quota;
        std::string p = period ? *period : "100000";
        if (p == "-1") return untranslatable(entries[last], kV1, "a period of -1 is invalid");
        std::string w = q + " " + p;
        out.push_back({"cpu.max", w, last,
                       cat("lxc.cgroup.cpu.cfs_quota_us/cfs_period_us written as cpu.max = ", w)});
        std::stable_sort(out.begin(), out.end(),
                         [](const Write& a, const Write& b) { return a.entry < b.entry; });
        return {};
    }
};

// memory.swap.max (swap alone) as memory.memsw.limit_in_bytes (memory + swap).
Result<std::string> swap_to_memsw(const config::CgroupEntry& e, const std::string& v,
                                  const Memory& m) {
    uint64_t b = 0;
    bool lim = true;
    if (!parse_bytes(v, b, lim)) return untranslatable(e, kV2, "not a byte count");
    if (!lim) return std::string("-1");
    if (m.limited) return std::to_string(m.limit + b);
    return untranslatable(e, kV2,
                          m.unlimited
                              ? "a swap limit with unlimited memory has no cgroup v1 equivalent"
                              : "needs lxc.cgroup2.memory.max before it to compute "
                                "memory.memsw.limit_in_bytes");
}

// io.weight: "N" or "default N"; per-device weights ("8:0 N") have no blkio.weight equivalent.
Result<std::string> io_to_blkio(const config::CgroupEntry& e, const std::string& v) {
    std::string n = v.rfind("default ", 0) == 0 ? std::string(trim(v.substr(8))) : v;
    uint64_t w = 0;
    if (!parse_num(n, w))
        return untranslatable(e, kV2, "only a default weight translates to blkio.weight");
    return std::to_string(io_to_blkio_weight(w));
}

// A v2 entry other than cpu.max, as its v1 file.
Result<FileValue> v2_write(const config::CgroupEntry& e, const std::string& v, Memory& m) {
    if (same_in_both(e.key)) return FileValue{e.key, v};
    if (e.key == "memory.max") {
        CNT_ASSIGN(w, memory_limit(e, kV2, v, m));
        return FileValue{"memory.limit_in_bytes", w.empty() ? "-1" : w};
    }
    if (e.key == "memory.swap.max") {
        CNT_ASSIGN(w, swap_to_memsw(e, v, m));
        return FileValue{"memory.memsw.limit_in_bytes", w};
    }
    if (e.key == "cpu.weight") {
        uint64_t w = 0;
        if (!parse_num(v, w) || w < 1 || w > 10000)
            return untranslatable(e, kV2, "not a weight in [1, 10000]");
        return FileValue{"cpu.shares", std::to_string(weight_to_shares(w))};
    }
    if (e.key == "io.weight") {
        CNT_ASSIGN(w, io_to_blkio(e, v));
        return FileValue{"blkio.weight", w};
    }
    return untranslatable(e, kV2, "no cgroup2 controller for it and no cgroup v1 equivalent");
}

// cpu.max "<quota|max> [period]" as cpu.cfs_period_us, then cpu.cfs_quota_us (a quota is
// checked against the period in place).
Result<std::pair<FileValue, FileValue>> cpu_max_to_cfs(const config::CgroupEntry& e,
                                                       const std::string& v) {
    auto sp = v.find(' ');
    std::string q = v.substr(0, sp);
    std::string p = sp == std::string::npos ? "100000" : std::string(trim(v.substr(sp + 1)));
    uint64_t n = 0;
    if ((q != "max" && !parse_num(q, n)) || !parse_num(p, n))
        return untranslatable(e, kV2, "expected \"<quota|max> [period]\"");
    return std::pair{FileValue{"cpu.cfs_period_us", p},
                     FileValue{"cpu.cfs_quota_us", q == "max" ? "-1" : q}};
}

}  // namespace

Result<std::vector<Write>> v1_to_v2(const std::vector<config::CgroupEntry>& entries) {
    std::vector<Write> out;
    Memory mem;
    CpuMax cpu;
    for (size_t i = 0; i < entries.size(); ++i) {
        const auto& e = entries[i];
        std::string v(trim(e.value));
        if (cpu.wants(e.key)) {
            CNT_TRY(cpu.take(e, v, i));
            continue;
        }
        CNT_ASSIGN(w, v1_write(e, v, mem));
        out.push_back({w.file, w.value, i, note(kV1, e, w.file, w.value)});
    }
    CNT_TRY(cpu.add(entries, out));
    return out;
}

Result<std::vector<Write>> v2_to_v1(const std::vector<config::CgroupEntry>& entries) {
    std::vector<Write> out;
    Memory mem;
    auto put = [&](const FileValue& w, size_t i) {
        out.push_back({w.file, w.value, i, note(kV2, entries[i], w.file, w.value)});
    };
    for (size_t i = 0; i < entries.size(); ++i) {
        const auto& e = entries[i];
        std::string v(trim(e.value));
        if (e.key == "cpu.max") {
            CNT_ASSIGN(cfs, cpu_max_to_cfs(e, v));
            put(cfs.first, i);
            put(cfs.second, i);
            continue;
        }
        CNT_ASSIGN(w, v2_write(e, v, mem));
        put(w, i);
    }
    return out;
}

}  // namespace cnt::cgroup
