// Legacy key names to current ones, one line at a time. The key is replaced where it stands and
// the rest of the line is kept as written; comments are never touched (the reader ignores
// them, and a commented-out line is the owner's text).
#include <sys/stat.h>

#include <algorithm>
#include <optional>

#include "cnt/config.hpp"
#include "cnt/store.hpp"
#include "cnt/update_config.hpp"

namespace cnt::config {
namespace {

using V = std::string_view;

bool blank(char c) { return c == ' ' || c == '\t'; }
bool digits(V s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// One config line cut where its key is: indent, key, and the rest (" = value").
struct Line {
    V indent, key, rest;
};
std::optional<Line> cut(V line) {
    size_t k = 0;
    while (k < line.size() && blank(line[k])) ++k;
    if (k == line.size() || line[k] == '#' || line[k] == '\n' || line[k] == '\r')
        return std::nullopt;
    size_t e = k;
    while (e < line.size() && !blank(line[e]) && line[e] != '=' && line[e] != '\r' &&
           line[e] != '\n')
        ++e;
    return Line{line.substr(0, k), line.substr(k, e - k), line.substr(e)};
}
// The value of a " = value" rest, trimmed ("" without '=').
V value_of(V rest) {
    auto eq = rest.find('=');
    if (eq == V::npos) return {};
    V v = rest.substr(eq + 1);
    while (!v.empty() && blank(v.front())) v.remove_prefix(1);
    while (!v.empty() && (blank(v.back()) || v.back() == '\r' || v.back() == '\n'))
        v.remove_suffix(1);
    return v;
}

struct Rewriter {
    std::string file;
    std::string backend;          // the last lxc.rootfs.backend of the file
    std::optional<unsigned> net;  // the interface un-indexed lxc.network.* keys address
    unsigned next_net = 0;        // one past the highest interface index seen
    Update out;
    int lineno = 0;

    void note(V from, V to) {
        out.changes.push_back(
            cat(file, ":", lineno, ": ", from, to.empty() ? " removed" : " -> ", to));
    }
    void seen_index(V idx) {
        if (digits(idx) && idx.size() < 6)
            next_net = std::max(next_net, unsigned(std::stoul(std::string(idx))) + 1);
    }
    // The new key for a legacy one ("" to drop the line); nullopt: keep the line.
    Result<std::optional<std::string>> rename(V key, V value);
    Result<std::optional<std::string>> network(V rest, V value);
    Result<void> line(V text);
};

Result<std::optional<std::string>> Rewriter::network(V sub, V value) {
    std::optional<unsigned> idx;
    auto dot = sub.find('.');
    if (dot != V::npos && digits(sub.substr(0, dot))) {
        seen_index(sub.substr(0, dot));
        idx = unsigned(std::stoul(std::string(sub.substr(0, dot))));
        sub = sub.substr(dot + 1);
    }
    std::string k(sub);
    if (k == "ipv4" || k == "ipv6") k += ".address";
    if (!idx) {
        if (k == "type" && value.empty()) {  // LXC 2: every interface removed
            net.reset();
            return std::optional<std::string>("lxc.net");
        }
        if (k == "type") net = next_net++;
        if (!net)
            return error(file, ":", lineno, ": lxc.network.", sub,
                         ": no interface yet (lxc.network.type must come first)");
        idx = net;
    }
    return std::optional<std::string>(cat("lxc.net.", *idx, ".", k));
}

Result<std::optional<std::string>> Rewriter::rename(V key, V value) {
    if (key == "lxc.kmsg" || key == "lxc.pivotdir" || key == "lxc.rootfs.backend")
        return std::optional<std::string>("");
    if (key == "lxc.rootfs") return std::optional<std::string>("lxc.rootfs.path");
    if (key == "lxc.network") {
        net.reset();
        return std::optional<std::string>("lxc.net");
    }
    if (auto r = renamed_key(key); !r.empty()) return std::optional<std::string>(r);
    if (key.starts_with("lxc.limit."))
        return std::optional<std::string>(cat("lxc.prlimit.", key.substr(10)));
    if (key.starts_with("lxc.network.")) return network(key.substr(12), value);
    if (key.starts_with("lxc.net.")) {
        V rest = key.substr(8);
        seen_index(rest.substr(0, rest.find('.')));
    }
    return std::optional<std::string>();
}

Result<void> Rewriter::line(V text) {
    ++lineno;
    auto l = cut(text);
    if (!l) return out.text.append(text), Result<void>{};
    CNT_ASSIGN(to, rename(l->key, value_of(l->rest)));
    if (!to) return out.text.append(text), Result<void>{};
    note(l->key, *to);
    if (to->empty()) return {};  // dropped (the backup keeps it)
    std::string rest(l->rest);
    if (*to == "lxc.rootfs.path" && !backend.empty()) {
        // The backend becomes the path's "type:" prefix.
        V v = value_of(l->rest);
        if (!v.empty()) rest.insert(static_cast<size_t>(v.data() - l->rest.data()), backend + ":");
    }
    out.text += cat(l->indent, *to, rest);
    return {};
}

std::vector<V> lines_of(V text) {
    std::vector<V> out;
    for (size_t pos = 0; pos < text.size();) {
        size_t e = text.find('\n', pos);
        e = e == V::npos ? text.size() : e + 1;
        out.push_back(text.substr(pos, e - pos));
        pos = e;
    }
    return out;
}

// Both texts load to the same config, and the new one without a deprecation warning.
Result<void> same_config(V before, V after, const std::string& file) {
    Config a, b;
    Diagnostics da, db;
    load_string(std::string(before), "", a, da);
    load_string(std::string(after), "", b, db);
    for (const auto& i : db.items)
        if (i.message.find("deprecated") != std::string::npos)
            return error(file, ": the rewrite still holds a legacy key: ", i.message);
    if (!(a == b)) return error(file, ": the rewrite would not load as the original does");
    return {};
}

}  // namespace

Result<Update> update_legacy(std::string_view text, const std::string& file) {
    Rewriter r{file, {}, {}, 0, {}, 0};
    for (auto l : lines_of(text))
        if (auto c = cut(l); c && c->key == "lxc.rootfs.backend") r.backend = value_of(c->rest);
    for (auto l : lines_of(text)) CNT_TRY(r.line(l));
    CNT_TRY(same_config(text, r.out.text, file));
    return std::move(r.out);
}

Result<Update> update_file(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return sys_error(cat("reading \"", path, "\""));
    if (!S_ISREG(st.st_mode)) return error("\"", path, "\" is not a regular file");
    CNT_ASSIGN(text, store::read_file(path));
    CNT_ASSIGN(u, update_legacy(text, path));
    if (u.changes.empty()) return u;
    CNT_TRY(store::write_atomic(path + ".backup", text, st.st_mode & 07777));
    CNT_TRY(store::write_atomic(path, u.text, st.st_mode & 07777));
    return u;
}

}  // namespace cnt::config
