// How the monitor shows in ps.
#pragma once
#include <string>

namespace cnt::proc {

// Name the process `[cnt monitor] <lxcpath> <name>` in ps (argv memory) and "cnt-monitor"
// in /proc/PID/comm. Returns the process's start time (/proc/self/stat field 22, read with
// the argv bounds), 0 when it could not be read.
unsigned long long set_process_name(const std::string& lxcpath, const std::string& name);

}  // namespace cnt::proc
