// How a cgroup::Saved is written in a state file: the run state's "cgroup.<key>=<value>"
// lines (container/run_state_file.cpp) and cnt-oci's state.json ("cgroup" object). Keys:
//   kind, inner        the host's kind, the inner directory's name
//   v1.N               the container's cgroup in the Nth v1 hierarchy (N from 0, no gap)
//   v1.N.ctrl          that hierarchy's controllers ("cpu,cpuacct", "name=systemd")
//   v1.N.top           the topmost directory made there (removed recursively by destroy)
//   v2, v2.top         the same for the cgroup2 tree (absent without a cgroup2 directory)
#pragma once
#include "cnt/cgroup.hpp"
#include "cnt/store.hpp"

namespace cnt::cgroup {

store::KeyValues saved_keys(const Saved& s);
// Keys it does not know are ignored; a missing one is an empty value.
Saved saved_from_keys(const store::KeyValues& kv);

}  // namespace cnt::cgroup
