// cnt-update-config: rewrite a legacy (LXC 0.6.3 / 1.x / 2.x) container config with the
// current key names, line by line, keeping comments, blank lines, order and spacing.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "cnt/error.hpp"

namespace cnt::config {

struct Update {
    std::string text;                  // the rewritten config
    std::vector<std::string> changes;  // "config:3: lxc.utsname -> lxc.uts.name", in order
};

// The rewrite of `text` (read from `file`, for messages). Refused, with the file:line, when a
// line cannot be placed (an un-indexed lxc.network.* key before any lxc.network.type), and
// when the result would not load as the original does (checked by loading both).
Result<Update> update_legacy(std::string_view text, const std::string& file);
// update_legacy of a file, written back in place (same mode, atomically) after a copy of the
// original to FILE.backup, as lxc-update-config does. Nothing is written when nothing changes.
Result<Update> update_file(const std::string& path);

// The current name of a key LXC 3.0 renamed; "" for any other key.
std::string_view renamed_key(std::string_view legacy);

}  // namespace cnt::config
