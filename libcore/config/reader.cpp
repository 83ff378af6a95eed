// The lxc.conf line reader: LXC 5's line rules, lxc.include of files and directories, legacy
// (LXC 1.x/2.x) key names mapped onto current ones, and every problem collected with file:line.
#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "cnt/config.hpp"
#include "cnt/dir.hpp"
#include "cnt/store.hpp"
#include "config/lines.hpp"
#include "config/parse.hpp"
#include "config/registry.hpp"

namespace cnt::config {
namespace {

using detail::trim;
using V = std::string_view;

// Bounds on what one load may make the reader do, whatever the files hold (issue #19): a
// 10,000-deep include chain would overflow the stack, and includes that each include the
// next file twice would read 2^depth files.
constexpr size_t kMaxIncludeDepth = 32;      // files open at once (the config and its includes)
constexpr size_t kMaxFilesRead = 4096;       // files read by one load, includes of includes too
constexpr size_t kMaxBytesRead = 64u << 20;  // their text summed up

struct Frame {
    dev_t dev;
    ino_t ino;
    std::string path;
};

struct Reader {
    Config& cfg;
    Diagnostics& d;
    std::vector<Frame> stack;            // the files being read (depth, include cycles)
    std::optional<unsigned> legacy_net;  // interface that un-indexed lxc.network.* keys address
    std::string legacy_backend;          // lxc.rootfs.backend
    size_t files_read = 0, bytes_read = 0;

    void apply(V key, V value, const Location& where, const std::string& file);
    // row, sub: find_row(key) when the caller has looked it up already.
    void apply_modern(V key, V value, const Location& where, const detail::KeyRow* row = nullptr,
                      V sub = {});
    bool legacy(V key, V value, const Location& where);
    void include(V value, const Location& where, const std::string& file);
    void replay(const detail::Lines& lines, const std::string& file);
    // known: the file's stat(2) when the caller has it (an include).
    void read_file(const std::string& path, const Location& from,
                   const struct stat* known = nullptr);
    bool within_bounds(const std::string& path, const struct stat& st, const Location& from);
    std::shared_ptr<const detail::Lines> lines_of(const std::string& path, const Location& from,
                                                  const struct stat* known, struct stat& st);
    void unknown(V key, const Location& where);
};

void Reader::unknown(V key, const Location& where) {
    // Candidates: every key name, net keys rewritten to the index the user typed.
    std::string net_prefix = "lxc.net.0.";
    if (key.rfind("lxc.net.", 0) == 0) {
        auto dot = key.find('.', 8);
        if (dot != V::npos) net_prefix = std::string(key.substr(0, dot + 1));
    }
    std::string best;
    size_t best_d = SIZE_MAX;
    // A name whose length differs by more than `near` cannot be near (the distance is at least
    // that difference): skipped, so a long key costs no quadratic distance per name.
    const size_t near = std::max<size_t>(2, key.size() / 8);
    static const std::vector<std::string> names = detail::all_key_names();
    for (auto name : names) {
        if (name.rfind("lxc.net.0.", 0) == 0) name = net_prefix + name.substr(10);
        if (std::max(key.size(), name.size()) - std::min(key.size(), name.size()) > near) continue;
        size_t dist = detail::edit_distance(key, name, std::min(best_d, near + 1));
        if (dist < best_d) best_d = dist, best = name;
    }
    std::string msg = cat("unknown key \"", key, "\"");
    if (best_d <= near) msg += cat(" (did you mean \"", best, "\"?)");
    d.error(where, msg);
}

void Reader::apply_modern(V key, V value, const Location& where, const detail::KeyRow* row, V sub) {
    if (!row) row = detail::find_row(key, sub);
    if (!row) return unknown(key, where);
    // A net key whose subkey is unknown gets the did-you-mean treatment too.
    if (row->name == "lxc.net.") {
        auto dot = sub.find('.');
        if (dot != V::npos && !detail::find_net_row(sub.substr(dot + 1)) &&
            std::all_of(sub.begin(), sub.begin() + dot,
                        [](char c) { return c >= '0' && c <= '9'; }))
            return unknown(key, where);
    }
    detail::KeyCtx ctx{key, sub, where, &d};
    auto why = row->parse(value, cfg, ctx);
    if (!why.empty()) d.error(where, cat(key, ": ", why));
}

// Keys LXC 3.0 removed. LXC 5 rejects them; cnt maps them and warns with the new name.
struct Renamed {
    V old_key, new_key;
};
constexpr Renamed kRenamed[] = {
    {"lxc.utsname", "lxc.uts.name"},
    {"lxc.pts", "lxc.pty.max"},
    {"lxc.tty", "lxc.tty.max"},
    {"lxc.devttydir", "lxc.tty.dir"},
    {"lxc.id_map", "lxc.idmap"},
    {"lxc.aa_profile", "lxc.apparmor.profile"},
    {"lxc.aa_allow_incomplete", "lxc.apparmor.allow_incomplete"},
    {"lxc.se_context", "lxc.selinux.context"},
    {"lxc.mount", "lxc.mount.fstab"},
    {"lxc.seccomp", "lxc.seccomp.profile"},
    {"lxc.console", "lxc.console.path"},
    {"lxc.haltsignal", "lxc.signal.halt"},
    {"lxc.rebootsignal", "lxc.signal.reboot"},
    {"lxc.stopsignal", "lxc.signal.stop"},
    {"lxc.syslog", "lxc.log.syslog"},
    {"lxc.loglevel", "lxc.log.level"},
    {"lxc.logfile", "lxc.log.file"},
    {"lxc.init_cmd", "lxc.init.cmd"},
    {"lxc.init_uid", "lxc.init.uid"},
    {"lxc.init_gid", "lxc.init.gid"},
    {"lxc.network", "lxc.net"},
};

bool Reader::legacy(V key, V value, const Location& where) {
    auto deprecated = [&](V old_key, V new_key) {
        d.warn(where, cat("deprecated key \"", old_key, "\", use \"", new_key, "\""));
    };
    if (key == "lxc.kmsg" || key == "lxc.pivotdir") {
        d.warn(where, cat("obsolete key \"", key, "\" ignored"));
        return true;
    }
    if (key == "lxc.rootfs") {
        deprecated(key, "lxc.rootfs.path");
        std::string v(value);
        if (!legacy_backend.empty() && !v.empty()) v = legacy_backend + ":" + v;
        apply_modern("lxc.rootfs.path", v, where);
        return true;
    }
    if (key == "lxc.rootfs.backend") {
        deprecated(key, "lxc.rootfs.path = <type>:<path>");
        legacy_backend = std::string(value);
        if (!cfg.rootfs.path.empty()) cfg.rootfs.backend = legacy_backend;
        return true;
    }
    for (auto& r : kRenamed)
        if (key == r.old_key) {
            deprecated(key, r.new_key);
            if (key == "lxc.network") legacy_net.reset();
            apply_modern(r.new_key, value, where);
            return true;
        }
    if (key.rfind("lxc.limit.", 0) == 0) {
        auto k = cat("lxc.prlimit.", key.substr(10));
        deprecated(key, k);
        apply_modern(k, value, where);
        return true;
    }
    if (key.rfind("lxc.network.", 0) != 0) return false;
    // lxc.network.[<N>.]<k>: ipv4/ipv6 became ipv4.address/ipv6.address.
    V rest = key.substr(12);
    std::optional<unsigned> idx;
    auto dot = rest.find('.');
    if (dot != V::npos && dot > 0 && std::all_of(rest.begin(), rest.begin() + dot, [](char c) {
            return c >= '0' && c <= '9';
        })) {
        idx = static_cast<unsigned>(std::stoul(std::string(rest.substr(0, dot))));
        rest = rest.substr(dot + 1);
    }
    std::string sub(rest);
    if (sub == "ipv4" || sub == "ipv6") sub += ".address";
    if (!idx) {
        if (sub == "type") {
            if (value.empty()) {
                // LXC 2: an empty type removes every interface.
                deprecated(key, "lxc.net");
                cfg.networks.clear();
                legacy_net.reset();
                return true;
            }
            // As LXC 2: each type line opens a new interface after the last one.
            legacy_net = cfg.networks.empty() ? 0u : cfg.networks.back().index + 1;
        } else if (!legacy_net) {
            d.error(where, cat(key, ": no interface yet (lxc.network.type must come first)"));
            return true;
        }
        idx = legacy_net;
    }
    auto modern = cat("lxc.net.", *idx, ".", sub);
    deprecated(key, modern);
    apply_modern(modern, value, where);
    return true;
}

void Reader::include(V value, const Location& where, const std::string& file) {
    if (value.empty()) return;
    cfg.includes.emplace_back(value);
    // Better than LXC: a relative include is relative to the including file, not to the cwd.
    std::string path = detail::relative_to_file(file, value);
    struct stat st {};
    bool dir_syntax = path.back() == '/';
    if (stat(path.c_str(), &st) != 0) {
        if (dir_syntax) {
            d.warn(where, cat("lxc.include: directory \"", path, "\" does not exist"));
            return;
        }
        d.error(where, cat("lxc.include: \"", path, "\": ", std::strerror(errno)));
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (dir_syntax) {
            d.error(where, cat("lxc.include: \"", path, "\": Not a directory"));
            return;
        }
        read_file(path, where, &st);
        return;
    }
    DirReader dir(path);
    if (!dir) {
        d.error(where, cat("lxc.include: \"", path, "\": ", std::strerror(errno)));
        return;
    }
    std::vector<std::string> names;
    while (const dirent* e = dir.next()) {
        std::string n = e->d_name;
        if (n.size() >= 6 && n.compare(n.size() - 5, 5, ".conf") == 0) names.push_back(n);
    }
    // Better than LXC (raw readdir order): sorted, so the result does not depend on the fs.
    std::sort(names.begin(), names.end());
    std::string base = path.back() == '/' ? path : path + "/";
    for (auto& n : names) read_file(base + n, where);
}

// The lines of `path`: an included file from the cache when it has not changed, else read
// (a regular file within store::kMaxInputBytes) and split. nullptr after an error. `st`
// receives the file's stat.
std::shared_ptr<const detail::Lines> Reader::lines_of(const std::string& path, const Location& from,
                                                      const struct stat* known, struct stat& st) {
    bool included = !stack.empty();
    if (included && (known || ::stat(path.c_str(), &st) == 0)) {
        if (known) st = *known;
        if (S_ISREG(st.st_mode))
            if (auto hit = detail::cached_lines(path, st)) return hit;
    }
    auto text = store::read_input(path, store::kMaxInputBytes, &st);
    if (!text) {
        Error e = std::move(text.error());
        if (e.object == path) e.object.clear();  // said once, below
        bool top = from.line == 0 && from.file == path;
        d.error(from, cat(top ? "cannot read \"" : "lxc.include: \"", path, "\": ", e.message()));
        return nullptr;
    }
    auto lines = std::make_shared<detail::Lines>();
    lines->text = std::move(*text);
    detail::split_lines(*lines);
    if (included) detail::cache_lines(path, st, lines);
    return lines;
}

bool Reader::within_bounds(const std::string& path, const struct stat& st, const Location& from) {
    for (const auto& f : stack)
        if (f.dev == st.st_dev && f.ino == st.st_ino) {
            std::string chain;
            for (const auto& s : stack) chain += s.path + " -> ";
            d.error(from, cat("lxc.include: include cycle: ", chain, path));
            return false;
        }
    if (stack.size() >= kMaxIncludeDepth) {
        d.error(from, cat("lxc.include: \"", path, "\": includes nested deeper than ",
                          kMaxIncludeDepth, " files"));
        return false;
    }
    if (++files_read > kMaxFilesRead) {
        if (files_read == kMaxFilesRead + 1)
            d.error(from, cat("lxc.include: \"", path, "\": more than ", kMaxFilesRead,
                              " files included"));
        return false;
    }
    bytes_read += static_cast<size_t>(st.st_size);
    if (bytes_read > kMaxBytesRead) {
        d.error(from, cat("lxc.include: \"", path, "\": the included files hold more than ",
                          kMaxBytesRead, " bytes"));
        return false;
    }
    return true;
}

void Reader::read_file(const std::string& path, const Location& from, const struct stat* known) {
    struct stat st {};
    auto lines = lines_of(path, from, known, st);
    if (!lines || !within_bounds(path, st, from)) return;
    stack.push_back({st.st_dev, st.st_ino, path});
    replay(*lines, path);
    stack.pop_back();
}

void Reader::apply(V key, V value, const Location& where, const std::string& file) {
    if (key == "lxc.include") return include(value, where, file);
    V sub;
    const detail::KeyRow* row = detail::find_row(key, sub);
    if (row && key.rfind("lxc.network", 0) != 0 && key != "lxc.rootfs.backend" &&
        key.rfind("lxc.limit.", 0) != 0)
        return apply_modern(key, value, where, row, sub);
    if (legacy(key, value, where)) return;
    apply_modern(key, value, where);
}

void Reader::replay(const detail::Lines& lines, const std::string& file) {
    using K = detail::Line::Kind;
    for (const auto& l : lines.lines) {
        Location where{file, l.lineno};
        switch (l.kind) {
            case K::entry:
                apply(lines.key(l), lines.value(l), where, file);
                break;
            case K::not_lxc:
                d.warn(where, "ignored: not an lxc.* line");
                break;
            case K::no_equals:
                d.error(where, cat("invalid configuration line (no '='): ", lines.key(l)));
                break;
            case K::too_long:
                d.error(where, cat("line longer than ", detail::kMaxLineBytes, " bytes"));
                break;
            case K::nul:
                d.error(where, "NUL byte: not a text file (the rest is not read)");
                break;
        }
    }
}

}  // namespace

bool load_file(const std::string& path, Config& cfg, Diagnostics& diags) {
    Reader r{cfg, diags, {}, {}, {}};
    r.read_file(path, Location{path, 0});
    return !diags.has_errors();
}

bool load_string(const std::string& text, const std::string& file, Config& cfg,
                 Diagnostics& diags) {
    Reader r{cfg, diags, {}, {}, {}};
    struct stat st {};
    if (!file.empty() && ::stat(file.c_str(), &st) == 0)
        r.stack.push_back({st.st_dev, st.st_ino, file});
    detail::Lines lines;
    lines.text = text;
    detail::split_lines(lines);
    r.replay(lines, file);
    return !diags.has_errors();
}

bool set_item(Config& cfg, const std::string& key, const std::string& value, const Location& where,
              Diagnostics& diags) {
    size_t before = diags.items.size();
    Reader r{cfg, diags, {}, {}, {}};
    r.apply(trim(key), value, where, where.file);
    for (size_t i = before; i < diags.items.size(); ++i)
        if (diags.items[i].severity == Diagnostic::Severity::error) return false;
    return true;
}

std::optional<std::string> get_item(const Config& cfg, const std::string& key) {
    std::string_view sub;
    const detail::KeyRow* row = detail::find_row(key, sub);
    if (!row) return std::nullopt;
    detail::KeyCtx ctx{key, sub, {}, nullptr};
    return row->print(cfg, ctx);
}

std::vector<std::string> known_keys() { return detail::all_key_names(); }

Result<MountFields> split_mount_entry(const std::string& line) {
    // fstab(5): blank-separated fields, and \ooo octal escapes (\040 = space) inside a field.
    std::vector<std::string> f;
    size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && detail::is_blank(line[i])) ++i;
        if (i >= line.size()) break;
        std::string field;
        while (i < line.size() && !detail::is_blank(line[i])) {
            if (line[i] == '\\' && i + 3 < line.size() + 0 && line[i + 1] >= '0' &&
                line[i + 1] <= '3' && line[i + 2] >= '0' && line[i + 2] <= '7' &&
                line[i + 3] >= '0' && line[i + 3] <= '7') {
                field += static_cast<char>((line[i + 1] - '0') * 64 + (line[i + 2] - '0') * 8 +
                                           (line[i + 3] - '0'));
                i += 4;
            } else {
                field += line[i++];
            }
        }
        f.push_back(std::move(field));
    }
    if (f.size() < 4)
        return error("mount entry \"", line,
                     "\": needs at least 4 fields (source target fstype options)");
    if (f.size() > 6) return error("mount entry \"", line, "\": more than 6 fields");
    MountFields m{f[0], f[1], f[2], f[3], 0, 0};
    if (f.size() > 4) {
        auto n = detail::parse_long(f[4]);
        if (!n) return error("mount entry \"", line, "\": dump field is not a number");
        m.dump = static_cast<int>(*n);
    }
    if (f.size() > 5) {
        auto n = detail::parse_long(f[5]);
        if (!n) return error("mount entry \"", line, "\": pass field is not a number");
        m.pass = static_cast<int>(*n);
    }
    return m;
}

}  // namespace cnt::config

namespace cnt::config {
// The current name of a key LXC 3.0 renamed ("" for any other key): the reader's table, used
// by cnt-update-config (config/update.cpp) too.
std::string_view renamed_key(std::string_view legacy) {
    for (auto& r : kRenamed)
        if (legacy == r.old_key) return r.new_key;
    return {};
}
}  // namespace cnt::config
