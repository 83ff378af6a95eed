// What cnt-ls shows and what `cnt-ls --json` / `cnt-info --json` print: one Info per container,
// filled only as far as the asked columns need (listing 500 containers stays cheap).
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cnt/error.hpp"
#include "cnt/state.hpp"

namespace cnt::listing {

// What to compute. State is cheap (the run-state file); config means parsing it; runtime
// means cgroup stats and, for addresses, a look inside the container's network namespace.
struct Need {
    bool state = false;
    bool config = false;     // AUTOSTART GROUPS UNPRIVILEGED, -g
    bool memory = false;     // RAM SWAP
    bool addresses = false;  // INTERFACE IPV4 IPV6
    static Need all() { return {true, true, true, true}; }
};

struct Info {
    std::string name;
    State state = State::stopped;
    pid_t pid = 0;                       // 0 when not running
    std::optional<uint64_t> ram_bytes;   // cgroup memory use
    std::optional<uint64_t> swap_bytes;  // memory+swap minus memory, where the kernel has it
    bool autostart = false;
    std::vector<std::string> groups;      // lxc.group
    std::vector<std::string> interfaces;  // inside the container, lo excluded
    std::vector<std::string> ipv4, ipv6;  // running: seen inside; lo and link-local excluded
    bool unprivileged = false;            // lxc.idmap present
};

// Names of the defined containers of an lxcpath (directories holding a config), sorted.
std::vector<std::string> defined_names(const std::string& lxcpath);

// One container. Errors: the config could not be loaded (when need.config).
Result<Info> info(const std::string& name, const std::string& lxcpath, const Need& need);

// JSON object for one container / an array of them. Keys: name state pid ram swap autostart
// groups interfaces ipv4 ipv6 unprivileged (pid/ram/swap null when unknown).
std::string info_json(const Info& i);
std::string info_json(const std::vector<Info>& all);
// A JSON string literal (quotes included).
std::string json_string(const std::string& s);

// Columns of `cnt-ls -f/-F`, LXC's names. Value `-` when empty, true/false for flags.
const std::vector<std::string>& column_names();
bool valid_column(const std::string& col);
std::string column_value(const Info& i, const std::string& col);
// What a column needs computed.
void add_need(Need& need, const std::string& col);

}  // namespace cnt::listing
