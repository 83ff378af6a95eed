#include "cgroup/layout.hpp"

#include <unistd.h>

#include <algorithm>

#include "cnt/store.hpp"

namespace cnt::cgroup {
namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    size_t pos = 0;
    while (pos <= s.size()) {
        size_t e = s.find(sep, pos);
        if (e == std::string_view::npos) e = s.size();
        out.push_back(s.substr(pos, e - pos));
        pos = e + 1;
    }
    return out;
}

// mountinfo escapes blanks, tabs, newlines and backslashes as \ooo.
std::string unescape(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 3 < s.size() &&
            std::all_of(s.begin() + i + 1, s.begin() + i + 4,
                        [](char c) { return c >= '0' && c <= '7'; })) {
            out +=
                static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
            i += 3;
        } else {
            out += s[i];
        }
    }
    return out;
}

// Mount options of a v1 cgroup superblock that are not controller names.
bool is_controller_option(std::string_view o) {
    static constexpr std::string_view kNot[] = {"rw",
                                                "ro",
                                                "clone_children",
                                                "noprefix",
                                                "xattr",
                                                "cpuset_v2_mode",
                                                "favordynmods",
                                                "nsdelegate",
                                                "memory_recursiveprot",
                                                "memory_localevents"};
    if (o.empty() || o.rfind("release_agent=", 0) == 0) return false;
    return std::find(std::begin(kNot), std::end(kNot), o) == std::end(kNot);
}

std::string join(const std::vector<std::string>& v, char sep) {
    std::string s;
    for (const auto& x : v) {
        if (!s.empty()) s += sep;
        s += x;
    }
    return s;
}

}  // namespace

std::string Hierarchy::own_dir() const {
    std::string rel = own;
    if (root != "/" && rel.rfind(root, 0) == 0 &&
        (rel.size() == root.size() || rel[root.size()] == '/'))
        rel = rel.substr(root.size());
    if (rel.empty() || rel == "/") return mountpoint;
    return mountpoint + rel;
}

bool Hierarchy::has(std::string_view ctrl) const {
    return std::find(controllers.begin(), controllers.end(), ctrl) != controllers.end();
}

std::string Hierarchy::label() const {
    return v2 ? std::string("unified") : join(controllers, ',');
}

std::string_view Layout::kind() const {
    if (!v1.empty() && v2) return "hybrid";
    if (v2) return "v2";
    if (!v1.empty()) return "v1";
    return "none";
}

const Hierarchy* Layout::v1_for(std::string_view ctrl) const {
    for (const auto& h : v1)
        if (h.has(ctrl)) return &h;
    return nullptr;
}

std::optional<MountLine> parse_mountinfo_line(std::string_view line) {
    // id parent maj:min root mountpoint opts [optional...] - fstype source superopts
    auto f = split(line, ' ');
    auto dash = std::find(f.begin(), f.end(), std::string_view("-"));
    if (f.size() < 10 || dash == f.end() || dash - f.begin() < 6 || f.end() - dash < 4)
        return std::nullopt;
    MountLine m;
    m.dev = std::string(f[2]);
    m.root = unescape(f[3]);
    m.mountpoint = unescape(f[4]);
    m.opts = std::string(f[5]);
    m.fstype = std::string(dash[1]);
    m.superopts = std::string(dash[3]);
    return m;
}

Layout parse_mountinfo(std::string_view text) {
    Layout l;
    for (auto line : split(text, '\n')) {
        // Blanks inside fields are escaped (\040): " - " is the separator, and only cgroup
        // lines are worth splitting (a host has tens of other mounts).
        if (line.find(" - cgroup") == std::string_view::npos) continue;
        auto m = parse_mountinfo_line(line);
        if (!m) continue;
        if (m->fstype == "cgroup2") {
            if (!l.v2) l.v2 = Hierarchy{true, {}, m->mountpoint, m->root, {}};
        } else if (m->fstype == "cgroup") {
            Hierarchy h{false, {}, m->mountpoint, m->root, {}};
            for (auto o : split(m->superopts, ','))
                if (is_controller_option(o)) h.controllers.emplace_back(o);
            if (h.controllers.empty()) continue;
            std::sort(h.controllers.begin(), h.controllers.end());
            bool dup = std::any_of(l.v1.begin(), l.v1.end(), [&](const Hierarchy& x) {
                return x.controllers == h.controllers;
            });
            if (!dup) l.v1.push_back(std::move(h));
        }
    }
    return l;
}

void assign_own(Layout& l, std::string_view proc_cgroup) {
    for (auto line : split(proc_cgroup, '\n')) {
        // hierarchy-id:controller-list:path (the path may itself contain ':')
        auto c1 = line.find(':');
        if (c1 == std::string_view::npos) continue;
        auto c2 = line.find(':', c1 + 1);
        if (c2 == std::string_view::npos) continue;
        auto ctrls = line.substr(c1 + 1, c2 - c1 - 1);
        std::string path(line.substr(c2 + 1));
        if (line.substr(0, c1) == "0" && ctrls.empty()) {
            if (l.v2) l.v2->own = path;
            continue;
        }
        std::vector<std::string> cs;
        for (auto c : split(ctrls, ','))
            if (!c.empty()) cs.emplace_back(c);
        std::sort(cs.begin(), cs.end());
        for (auto& h : l.v1)
            if (h.controllers == cs) h.own = path;
    }
    std::erase_if(l.v1, [](const Hierarchy& h) { return h.own.empty(); });
    if (l.v2 && l.v2->own.empty()) l.v2.reset();
}

Result<Layout> probe() {
    auto mi = store::read_file("/proc/self/mountinfo");
    if (!mi) return std::unexpected(mi.error());
    auto pc = store::read_file("/proc/self/cgroup");
    if (!pc) return std::unexpected(pc.error());
    Layout l = parse_mountinfo(*mi);
    if (l.kind() == "none" && ::geteuid() == 0) {
        CNT_ASSIGN(mounted, reach_host_hierarchies());
        if (mounted) {
            mi = store::read_file("/proc/self/mountinfo");
            if (!mi) return std::unexpected(mi.error());
            l = parse_mountinfo(*mi);
        }
    }
    assign_own(l, *pc);
    return l;
}

}  // namespace cnt::cgroup
