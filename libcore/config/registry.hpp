// The key registry: one row per lxc.conf key or prefix family (STYLE idiom 2). The reader,
// set_item (--define), get_item (cnt-info -c), man/cnt.conf.5 and the completeness test all
// go through these tables. Internal to libcore; the public face is config.hpp.
#pragma once
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "cnt/config.hpp"

namespace cnt::config::detail {

struct KeyCtx {
    std::string_view key;  // the full key ("lxc.cgroup.memory.limit_in_bytes")
    std::string_view
        sub;  // for a prefix family, the part after the prefix ("memory.limit_in_bytes")
    Location where;
    Diagnostics* diags = nullptr;  // warnings (never null inside the reader)
};

// parse: "" on success, else the reason. print: LXC's getter output, nullopt = "invalid".
using ParseFn = std::string (*)(std::string_view value, Config&, const KeyCtx&);
using PrintFn = std::optional<std::string> (*)(const Config&, const KeyCtx&);
using ClearFn = void (*)(Config&, const KeyCtx&);

struct KeyRow {
    std::string_view name;  // exact key, or the prefix ending in '.' for a family
    bool prefix;            // family: name + <sub>
    ParseFn parse;
    PrintFn print;
    ClearFn clear;
    std::string_view doc;          // one line for the man page
    std::string_view example_sub;  // for families: a sample <sub> (tests, man page)
    std::string_view example;      // a valid sample value (tests, man page)
};

// lxc.net.<N>.<sub>: rows work on one interface.
using NetParseFn = std::string (*)(std::string_view value, Network&, const KeyCtx&);
using NetPrintFn = std::optional<std::string> (*)(const Network&);
using NetClearFn = void (*)(Network&);
struct NetRow {
    std::string_view sub;  // "ipv4.address"
    NetParseFn parse;
    NetPrintFn print;
    NetClearFn clear;
    std::string_view doc;
    std::string_view example;
};

std::span<const KeyRow> key_rows();
std::span<const NetRow> net_rows();
const NetRow* find_net_row(std::string_view sub);

// The row for a key (exact first, then the longest matching prefix), with ctx.sub filled.
const KeyRow* find_row(std::string_view key, std::string_view& sub);

// Every valid key name (families as "<prefix><example_sub>", net keys for index 0) - for the
// man page and did-you-mean.
std::vector<std::string> all_key_names();

}  // namespace cnt::config::detail
