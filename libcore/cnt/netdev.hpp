// cnt-device for network interfaces (as lxc-device add IFACE): a host interface moved into a
// running container's netns, and back into the caller's netns on del.
#pragma once
#include <sys/types.h>

#include <string>

#include "cnt/error.hpp"

namespace cnt::net {

// Whether `name` is an interface of the caller's netns.
bool is_interface(const std::string& name);
// Move `name` into the netns of `init_pid` as `inner` (the same name when empty).
Result<void> hand_in(pid_t init_pid, const std::string& name, const std::string& inner);
// Move `inner` from the netns of `init_pid` into the caller's netns as `name`.
Result<void> take_back(pid_t init_pid, const std::string& inner, const std::string& name);

}  // namespace cnt::net
