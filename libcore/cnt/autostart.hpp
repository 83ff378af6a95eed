// cnt-autostart: act on the containers marked lxc.start.auto, by lxc.group, in lxc.start.order
// (lower first; reversed when stopping), waiting lxc.start.delay after each start.
#pragma once
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "cnt/error.hpp"

namespace cnt::autostart {

enum class Action { start, shutdown, kill, reboot };

struct Options {
    Action action = Action::start;
    bool all = false;          // -a: every group (lxc.group ignored)
    bool ignore_auto = false;  // -A: lxc.start.auto ignored
    // -g in command-line order; "" is the NULL group (containers without lxc.group).
    // Empty = {""} as lxc-autostart.
    std::vector<std::string> groups;
    std::chrono::seconds timeout{60};  // -t: shutdown/reboot wait before killing
};

struct Entry {
    std::string name;
    int order = 0;
    unsigned delay = 0;
    std::vector<std::string> groups;
};

struct Failure {
    std::string name;
    Error error;
};

// "onboot," -> {"onboot", ""}: empty items (leading, trailing, doubled comma) are the NULL group.
std::vector<std::string> split_groups(const std::string& arg);

// The containers to act on, in processing order. Containers whose config fails to load are
// reported in `failures` and left out.
std::vector<Entry> select(const std::string& lxcpath, const Options& o,
                          std::vector<Failure>& failures);

// Act on each selected container in order; `on_done(name, ok)` is called after each (for
// progress output); `sleep` waits a delay (tests pass a recorder). Returns the failures.
std::vector<Failure> run(const std::string& lxcpath, const Options& o,
                         const std::function<void(const Entry&, bool)>& on_done = {},
                         const std::function<void(std::chrono::seconds)>& sleep = {});

}  // namespace cnt::autostart
