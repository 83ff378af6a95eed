// lxc.namespace.share.<ns>: namespaces a container joins instead of creating them.
#pragma once
#include <sys/types.h>

#include <string>
#include <vector>

#include "cnt/config.hpp"
#include "cnt/error.hpp"
#include "cnt/fd.hpp"
#include "ns/ns.hpp"

namespace cnt::ns {

struct SharedNs {
    const char* name;  // "net"
    int flag;          // CLONE_NEWNET
    unique_fd fd;      // the namespace to join (an nsfs fd)
};

// The opened namespaces, in the kernel's joining order: user first (joining it grants the
// capabilities the other setns calls check against), then the rest.
class Shared {
  public:
    // Resolve every lxc.namespace.share.<ns> value: a pid, a /proc/PID/ns/<ns> path, a
    // container name (in `lxcpath`) or /lxcpath/name. A container that is not running, or a
    // pid that does not exist, is an error naming the key. Nothing configured: no I/O.
    static Result<Shared> open(const config::Namespaces& ns, const std::string& lxcpath);
    bool empty() const { return list_.empty(); }
    int mask() const;  // CLONE_NEW* of every shared namespace

    // clone_child() for a container with shared namespaces. Returns like fork(): pid 0 in
    // init. A shared user namespace must be joined before init's own namespaces are made (so
    // that they belong to it), and a process cannot leave a user namespace again: a helper
    // process joins every shared namespace and clones init as the monitor's child
    // (CLONE_PARENT), then exits. Otherwise the monitor joins the shared pid and time
    // namespaces just around the clone (they apply to children), and init joins the others.
    Result<Child> clone_init(int flags, int cgroup_fd) const;

    // In init, right after clone_init: join the shared namespaces the clone did not (none
    // when a shared user namespace made clone_init join them all first).
    Result<void> join_in_child() const;

    // pid and time namespaces name where the *children* of the caller live: the monitor
    // joins them just around clone(2) and goes back to its own afterwards.
    class ForChildren {
      public:
        explicit ForChildren(const Shared& s);
        ~ForChildren();
        ForChildren(const ForChildren&) = delete;
        ForChildren& operator=(const ForChildren&) = delete;
        Result<void> status() const { return status_; }

      private:
        unique_fd own_pid_, own_time_;
        pid_t owner_;  // the child of clone(2) also runs the destructor: it must not go back
        Result<void> status_;
    };

  private:
    std::vector<SharedNs> list_;
};

// The CLONE_NEW* mask of the namespaces configured as shared (no I/O).
int shared_mask(const config::Namespaces& ns);

}  // namespace cnt::ns
