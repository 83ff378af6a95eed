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

Result<std::vector<Write>> v1_to_v2(const std::vector<config::CgroupEntry>& entries) {
    static constexpr const char* P = "lxc.cgroup.";
    std::vector<Write> out;
    // The memory limit currently in effect, for memsw (memory + swap) -> swap alone.
    uint64_t mem_limit = 0;
    bool have_mem_limit = false;
    bool mem_unlimited = false;
    std::optional<std::string> quota, period;
    size_t cpu_last = 0;
    for (size_t i = 0; i < entries.size(); ++i) {
        const auto& e = entries[i];
        std::string v(trim(e.value));
        if (std::find(std::begin(kSame), std::end(kSame), e.key) != std::end(kSame)) {
            out.push_back({e.key, v, i, note(P, e, e.key, v)});
        } else if (e.key == "memory.limit_in_bytes") {
            uint64_t b = 0;
            bool lim = true;
            if (!parse_bytes(v, b, lim)) return untranslatable(e, P, "not a byte count");
            have_mem_limit = lim;
            mem_limit = b;
            mem_unlimited = !lim;
            std::string w = lim ? std::to_string(b) : "max";
            out.push_back({"memory.max", w, i, note(P, e, "memory.max", w)});
        } else if (e.key == "memory.memsw.limit_in_bytes") {
            uint64_t b = 0;
            bool lim = true;
            if (!parse_bytes(v, b, lim)) return untranslatable(e, P, "not a byte count");
            std::string w;
            if (!lim) {
                w = "max";
            } else if (!have_mem_limit) {
                // v1 memsw counts memory + swap; v2 memory.swap.max counts swap alone.
                return untranslatable(
                    e, P,
                    mem_unlimited
                        ? "memory + swap limit with unlimited memory has no cgroup2 equivalent"
                        : "needs lxc.cgroup.memory.limit_in_bytes before it to compute "
                          "memory.swap.max");
            } else if (b < mem_limit) {
                return untranslatable(e, P, "memory + swap limit below the memory limit");
            } else {
                w = std::to_string(b - mem_limit);
            }
            out.push_back({"memory.swap.max", w, i, note(P, e, "memory.swap.max", w)});
        } else if (e.key == "cpu.shares") {
            uint64_t s = 0;
            if (!parse_num(v, s)) return untranslatable(e, P, "not a number");
            auto w = std::to_string(shares_to_weight(s));
            out.push_back({"cpu.weight", w, i, note(P, e, "cpu.weight", w)});
        } else if (e.key == "cpu.cfs_quota_us" || e.key == "cpu.cfs_period_us") {
            uint64_t n = 0;
            if (v != "-1" && !parse_num(v, n)) return untranslatable(e, P, "not a number");
            (e.key == "cpu.cfs_quota_us" ? quota : period) = v;
            cpu_last = i;
        } else if (e.key == "blkio.weight") {
            uint64_t w = 0;
            if (!parse_num(v, w)) return untranslatable(e, P, "not a number");
            auto s = std::to_string(blkio_to_io_weight(w));
            out.push_back({"io.weight", s, i, note(P, e, "io.weight", s)});
        } else {
            return untranslatable(e, P, "no cgroup v1 hierarchy for it and no cgroup2 equivalent");
        }
    }
    if (quota || period) {
        // cpu.max is "<quota|max> <period>", both in microseconds, one write.
        std::string q = !quota || *quota == "-1" ? "max" : *quota;
        std::string p = period ? *period : "100000";
        if (p == "-1") return untranslatable(entries[cpu_last], P, "a period of -1 is invalid");
        std::string w = q + " " + p;
        out.push_back({"cpu.max", w, cpu_last,
                       cat("lxc.cgroup.cpu.cfs_quota_us/cfs_period_us written as cpu.max = ", w)});
        std::stable_sort(out.begin(), out.end(),
                         [](const Write& a, const Write& b) { return a.entry < b.entry; });
    }
    return out;
}

Result<std::vector<Write>> v2_to_v1(const std::vector<config::CgroupEntry>& entries) {
    static constexpr const char* P = "lxc.cgroup2.";
    std::vector<Write> out;
    uint64_t mem_max = 0;
    bool have_mem_max = false;
    bool mem_unlimited = false;
    for (size_t i = 0; i < entries.size(); ++i) {
        const auto& e = entries[i];
        std::string v(trim(e.value));
        if (std::find(std::begin(kSame), std::end(kSame), e.key) != std::end(kSame)) {
            out.push_back({e.key, v, i, note(P, e, e.key, v)});
        } else if (e.key == "memory.max") {
            uint64_t b = 0;
            bool lim = true;
            if (!parse_bytes(v, b, lim)) return untranslatable(e, P, "not a byte count");
            have_mem_max = lim;
            mem_max = b;
            mem_unlimited = !lim;
            std::string w = lim ? std::to_string(b) : "-1";
            out.push_back({"memory.limit_in_bytes", w, i, note(P, e, "memory.limit_in_bytes", w)});
        } else if (e.key == "memory.swap.max") {
            uint64_t b = 0;
            bool lim = true;
            if (!parse_bytes(v, b, lim)) return untranslatable(e, P, "not a byte count");
            std::string w;
            if (!lim)
                w = "-1";
            else if (have_mem_max)
                w = std::to_string(mem_max + b);
            else
                return untranslatable(
                    e, P,
                    mem_unlimited ? "a swap limit with unlimited memory has no cgroup v1 equivalent"
                                  : "needs lxc.cgroup2.memory.max before it to compute "
                                    "memory.memsw.limit_in_bytes");
            out.push_back({"memory.memsw.limit_in_bytes", w, i,
                           note(P, e, "memory.memsw.limit_in_bytes", w)});
        } else if (e.key == "cpu.weight") {
            uint64_t w = 0;
            if (!parse_num(v, w) || w < 1 || w > 10000)
                return untranslatable(e, P, "not a weight in [1, 10000]");
            auto s = std::to_string(weight_to_shares(w));
            out.push_back({"cpu.shares", s, i, note(P, e, "cpu.shares", s)});
        } else if (e.key == "cpu.max") {
            auto sp = v.find(' ');
            std::string q = v.substr(0, sp);
            std::string p =
                sp == std::string::npos ? "100000" : std::string(trim(v.substr(sp + 1)));
            uint64_t n = 0;
            if ((q != "max" && !parse_num(q, n)) || !parse_num(p, n))
                return untranslatable(e, P, "expected \"<quota|max> [period]\"");
            q = q == "max" ? "-1" : q;
            // Period first: a quota is checked against the period in place.
            out.push_back({"cpu.cfs_period_us", p, i, note(P, e, "cpu.cfs_period_us", p)});
            out.push_back({"cpu.cfs_quota_us", q, i, note(P, e, "cpu.cfs_quota_us", q)});
        } else if (e.key == "io.weight") {
            // "N" or "default N"; per-device weights ("8:0 N") have no blkio.weight equivalent.
            std::string n = v.rfind("default ", 0) == 0 ? std::string(trim(v.substr(8))) : v;
            uint64_t w = 0;
            if (!parse_num(n, w))
                return untranslatable(e, P, "only a default weight translates to blkio.weight");
            auto s = std::to_string(io_to_blkio_weight(w));
            out.push_back({"blkio.weight", s, i, note(P, e, "blkio.weight", s)});
        } else {
            return untranslatable(e, P, "no cgroup2 controller for it and no cgroup v1 equivalent");
        }
    }
    return out;
}

}  // namespace cnt::cgroup
