#include "cnt/top.hpp"

#include <algorithm>
#include <cstdio>

#include "cgroup/item.hpp"
#include "cnt/container.hpp"
#include "cnt/listing.hpp"
#include "cnt/net.hpp"

namespace cnt::top {
namespace {

std::optional<uint64_t> counter(const cgroup::SavedDirs& d, const std::string& key) {
    auto v = cgroup::read_item(d, key);
    if (!v) return std::nullopt;
    try {
        return std::stoull(*v);
    } catch (...) {
        return std::nullopt;
    }
}

std::optional<Sample> one(const std::string& name, const std::string& lxcpath) {
    auto c = Container::open(name, lxcpath);
    if (!c) return std::nullopt;
    auto rs = c->run_state();
    if (!rs || !rs->init_alive()) return std::nullopt;
    Sample s;
    s.name = name;
    if (auto st = c->stats()) {
        s.cpu_ns = st->cpu_ns;
        s.blkio_bytes = st->blkio_bytes;
        s.mem_bytes = st->memory_bytes;
        s.kmem_bytes = st->kmem_bytes;
    }
    auto dirs = cgroup::saved_dirs(rs->cgroup);
    s.pids = counter(dirs, "pids.current");
    if (auto i = listing::info(name, lxcpath, {true, false, true, false}))
        s.swap_bytes = i->swap_bytes;
    if (auto links = net::host_links(net::Attached::load(rs->net)))
        for (const auto& l : *links) {
            // Counted on the host side: what the host sends is what the container receives.
            s.rx_bytes += l.tx_bytes;
            s.tx_bytes += l.rx_bytes;
        }
    return s;
}

std::string human(uint64_t v) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double d = double(v);
    int u = 0;
    while (d >= 1024 && u < 4) d /= 1024, ++u;
    char buf[32];
    std::snprintf(buf, sizeof buf, u ? "%.2f %s" : "%.0f %s", d, units[u]);
    return buf;
}

std::string opt(const std::optional<uint64_t>& v, bool humanize, bool bytes = true) {
    if (!v) return "-";
    return humanize && bytes ? human(*v) : std::to_string(*v);
}

std::string jnum(const std::optional<uint64_t>& v) { return v ? std::to_string(*v) : "null"; }

}  // namespace

std::optional<Sort> parse_sort(char c) {
    switch (c) {
        case 'n':
            return Sort::name;
        case 'c':
            return Sort::cpu;
        case 'b':
            return Sort::blkio;
        case 'm':
            return Sort::memory;
        case 's':
            return Sort::swap;
        case 'k':
            return Sort::kmem;
        default:
            return std::nullopt;
    }
}

std::vector<Sample> sample(const std::string& lxcpath) {
    std::vector<Sample> out;
    for (const auto& n : listing::defined_names(lxcpath))
        if (auto s = one(n, lxcpath)) out.push_back(std::move(*s));
    return out;
}

std::vector<Row> rows(const std::vector<Sample>& before, const std::vector<Sample>& now,
                      uint64_t interval_ns, Sort by, bool reverse) {
    std::vector<Row> out;
    for (const auto& s : now) {
        Row r{s, 0};
        auto b = std::find_if(before.begin(), before.end(),
                              [&](const Sample& x) { return x.name == s.name; });
        if (b != before.end() && interval_ns > 0 && s.cpu_ns >= b->cpu_ns)
            r.cpu_pct = double(s.cpu_ns - b->cpu_ns) * 100.0 / double(interval_ns);
        out.push_back(std::move(r));
    }
    auto key = [by](const Row& r) -> double {
        switch (by) {
            case Sort::cpu:
                return r.cpu_pct;
            case Sort::blkio:
                return double(r.s.blkio_bytes);
            case Sort::memory:
                return double(r.s.mem_bytes);
            case Sort::swap:
                return double(r.s.mem_bytes + r.s.swap_bytes.value_or(0));
            case Sort::kmem:
                return double(r.s.kmem_bytes);
            case Sort::name:
                break;
        }
        return 0;
    };
    std::stable_sort(out.begin(), out.end(), [&](const Row& a, const Row& b) {
        bool less = by == Sort::name ? a.s.name < b.s.name : key(a) < key(b);
        bool more = by == Sort::name ? b.s.name < a.s.name : key(b) < key(a);
        return reverse ? more : less;
    });
    return out;
}

std::string table(const std::vector<Row>& rows, bool humanize) {
    std::string out;
    char line[512];
    std::snprintf(line, sizeof line, "%-20s %7s %12s %12s %12s %12s %6s %12s %12s\n", "Container",
                  "CPU %", "Memory", "Swap", "KMem", "BlkIO", "Pids", "RX", "TX");
    out += line;
    for (const auto& r : rows) {
        std::snprintf(line, sizeof line, "%-20s %7.2f %12s %12s %12s %12s %6s %12s %12s\n",
                      r.s.name.c_str(), r.cpu_pct, opt(r.s.mem_bytes, humanize).c_str(),
                      opt(r.s.swap_bytes, humanize).c_str(), opt(r.s.kmem_bytes, humanize).c_str(),
                      opt(r.s.blkio_bytes, humanize).c_str(), opt(r.s.pids, false, false).c_str(),
                      opt(r.s.rx_bytes, humanize).c_str(), opt(r.s.tx_bytes, humanize).c_str());
        out += line;
    }
    return out;
}

std::string json(const std::vector<Row>& rows) {
    std::string out = "[";
    for (const auto& r : rows) {
        if (out.size() > 1) out += ",";
        char cpu[32];
        std::snprintf(cpu, sizeof cpu, "%.2f", r.cpu_pct);
        out += cat("{\"name\":", listing::json_string(r.s.name), ",\"cpu_percent\":", cpu,
                   ",\"cpu_ns\":", r.s.cpu_ns, ",\"memory\":", r.s.mem_bytes,
                   ",\"swap\":", jnum(r.s.swap_bytes), ",\"kmem\":", r.s.kmem_bytes,
                   ",\"blkio\":", r.s.blkio_bytes, ",\"pids\":", jnum(r.s.pids),
                   ",\"rx_bytes\":", r.s.rx_bytes, ",\"tx_bytes\":", r.s.tx_bytes, "}");
    }
    return out + "]";
}

}  // namespace cnt::top
