// Running a command through `/bin/sh -c` and waiting for it: the lxc.hook.* hooks and the
// lxc.net.N.script.up/down scripts both go through here.
#pragma once
#include <string>
#include <vector>

#include "cnt/error.hpp"

namespace cnt {

struct ShellCall {
    std::string command;           // what `sh -c` runs
    std::vector<std::string> env;  // "KEY=VALUE" set over the caller's environment
    // >= 0: a sealed cnt-exec that execs the shell (`cnt-exec --exec -1 -- /bin/sh -c ...`).
    int exec_fd = -1;
    std::string what;  // names the command in errors: `pre-start hook "/x"`
};

// Run it with no signal blocked and wait; an error says how it failed ("exited with status 3",
// "killed by signal 9") after `what`.
Result<void> run_shell(const ShellCall& c);

}  // namespace cnt
