// The reader's line splitting and its include cache.
#include "config/lines.hpp"

#include <unordered_map>

#include "config/parse.hpp"

namespace cnt::config::detail {
namespace {

using V = std::string_view;

// One piece of a line (between '\r's) that is not blank or a comment.
void add_piece(Lines& out, V line, int lineno) {
    Line l;
    l.lineno = lineno;
    auto pos = [&](V part) { return static_cast<uint32_t>(part.data() - out.text.data()); };
    if (line.rfind("lxc.", 0) != 0) {
        l.kind = Line::Kind::not_lxc;
        out.lines.push_back(l);
        return;
    }
    auto eq = line.find('=');
    if (eq == V::npos) {
        l.kind = Line::Kind::no_equals;
        l.key_pos = pos(line);
        l.key_len = static_cast<uint32_t>(std::min<size_t>(line.size(), 200));
        out.lines.push_back(l);
        return;
    }
    V key = line.substr(0, eq);
    while (!key.empty() && is_blank(key.back())) key.remove_suffix(1);
    V value = trim(line.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front())
        value = value.substr(1, value.size() - 2);
    l.key_pos = pos(key);
    l.key_len = static_cast<uint32_t>(key.size());
    l.value_pos = pos(value);
    l.value_len = static_cast<uint32_t>(value.size());
    out.lines.push_back(l);
}

// One '\n' line: LXC also splits it on '\r' (a CRLF line is the line plus an empty one).
// false at a NUL byte: the file is not text, nothing after it is read.
bool split_line(Lines& out, V whole, int lineno) {
    size_t p = 0;
    while (p <= whole.size()) {
        // A plain scan: find_first_of with a two-character set calls memchr once per
        // character of the line (a third of cnt-ls -f's instructions with an include).
        size_t e = p;
        while (e < whole.size() && whole[e] != '\r' && whole[e] != '\0') ++e;
        if (e < whole.size() && whole[e] == '\0') {
            out.lines.push_back({Line::Kind::nul, lineno});
            return false;
        }
        V line = whole.substr(p, e - p);
        p = e + 1;
        while (!line.empty() && is_blank(line.front())) line.remove_prefix(1);
        if (!line.empty() && line[0] != '#') add_piece(out, line, lineno);
    }
    return true;
}

}  // namespace

void split_lines(Lines& out) {
    const std::string& text = out.text;
    int lineno = 0;
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t nl = text.find('\n', pos);
        if (nl == std::string::npos) nl = text.size();
        ++lineno;
        V whole(text.data() + pos, nl - pos);
        pos = nl + 1;
        if (whole.size() > kMaxLineBytes)
            out.lines.push_back({Line::Kind::too_long, lineno});
        else if (!split_line(out, whole, lineno))
            return;
        if (nl == text.size()) break;
    }
}

namespace {

constexpr size_t kMaxCachedBytes = 64u << 20;

struct Cached {
    dev_t dev;
    ino_t ino;
    off_t size;
    timespec mtime, ctime;
    std::shared_ptr<const Lines> lines;
    bool same(const struct ::stat& st) const {
        return dev == st.st_dev && ino == st.st_ino && size == st.st_size &&
               mtime.tv_sec == st.st_mtim.tv_sec && mtime.tv_nsec == st.st_mtim.tv_nsec &&
               ctime.tv_sec == st.st_ctim.tv_sec && ctime.tv_nsec == st.st_ctim.tv_nsec;
    }
};

struct Cache {
    std::unordered_map<std::string, Cached> files;
    size_t bytes = 0;
};
Cache& cache() {
    static Cache c;
    return c;
}

}  // namespace

std::shared_ptr<const Lines> cached_lines(const std::string& path, const struct ::stat& st) {
    auto& files = cache().files;
    auto it = files.find(path);
    if (it == files.end() || !it->second.same(st)) return nullptr;
    return it->second.lines;
}

void cache_lines(const std::string& path, const struct ::stat& st, std::shared_ptr<const Lines> l) {
    Cache& c = cache();
    if (auto it = c.files.find(path); it != c.files.end()) {
        c.bytes -= it->second.lines->text.size();
        c.files.erase(it);
    }
    if (c.bytes + l->text.size() > kMaxCachedBytes) return;
    c.bytes += l->text.size();
    c.files.emplace(path,
                    Cached{st.st_dev, st.st_ino, st.st_size, st.st_mtim, st.st_ctim, std::move(l)});
}

}  // namespace cnt::config::detail
