// The line layer of the lxc.conf reader: a file's text split into lines by LXC 5's rules,
// with the bounds a hostile file meets (line length, NUL bytes), and a per-process cache of
// the included files (cnt-ls reads common.conf once, not once per container).
#pragma once
#include <sys/stat.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cnt::config::detail {

constexpr size_t kMaxLineBytes = 1u << 20;

struct Line {
    // entry: key = value; not_lxc: ignored with a warning; no_equals: an error quoting the
    // line (key); too_long: over kMaxLineBytes, skipped with an error; nul: a NUL byte, the
    // rest of the file is not read (binary data, as an include of /dev/zero would give).
    enum class Kind : uint8_t { entry, not_lxc, no_equals, too_long, nul };
    Kind kind = Kind::entry;
    int lineno = 0;
    uint32_t key_pos = 0, key_len = 0, value_pos = 0, value_len = 0;
};

struct Lines {
    std::string text;
    std::vector<Line> lines;  // comments and blank lines are left out
    std::string_view key(const Line& l) const { return {text.data() + l.key_pos, l.key_len}; }
    std::string_view value(const Line& l) const { return {text.data() + l.value_pos, l.value_len}; }
};

// Split out.text (at most 4 GiB) into out.lines.
void split_lines(Lines& out);

// The lines of an included file, read and split once per process: nullptr when `path` is not
// cached with this identity (device, inode, size, mtime, ctime, from stat(2)).
std::shared_ptr<const Lines> cached_lines(const std::string& path, const struct ::stat& st);
// Keep them (while the cache holds less than its bound, 64 MiB of text).
void cache_lines(const std::string& path, const struct ::stat& st, std::shared_ptr<const Lines> l);

}  // namespace cnt::config::detail
