// Cgroups: a container's cgroups on any host, v1, v2 or hybrid (v1 controllers + a v2 leaf
// for freeze/kill/device programs), found by probing /proc/self/mountinfo once.
// Call sites never ask which version they run on.
#pragma once
#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "cnt/config.hpp"
#include "cnt/error.hpp"

namespace cnt::cgroup {

enum class FreezerState { thawed, freezing, frozen };

struct Stats {
    uint64_t cpu_ns = 0;        // CPU use
    uint64_t blkio_bytes = 0;   // BlkIO use
    uint64_t memory_bytes = 0;  // Memory use
    uint64_t kmem_bytes = 0;    // KMem use (0 where the kernel has none)
    bool has_cpu = false, has_blkio = false, has_memory = false, has_kmem = false;
};

// Where a container's cgroup sits in one hierarchy (for lxc.mount.auto cgroup forms).
struct Placement {
    std::string label;       // v1: "memory", "cpu,cpuacct", "name=systemd"; "" for cgroup2
    std::string mountpoint;  // the hierarchy's mount on the host: "/sys/fs/cgroup/memory"
    std::string path;        // the container's inner cgroup directory, below mountpoint
};

// Where a container's cgroups are: what the run state records of a Group (save) so that other
// tools can reopen it or clean up after it. How a state file writes it is internal
// (cgroup/saved.hpp).
struct Saved {
    struct V1 {
        std::string controllers;  // its hierarchy's: "cpu,cpuacct", "memory", "name=systemd"
        std::string path;         // the container's cgroup in that hierarchy
        std::string top;          // the topmost directory made for it ("": none)
        bool operator==(const V1&) const = default;
    };
    std::string kind;   // the host's: "v1", "v2", "hybrid"
    std::string inner;  // the inner directory's name ("": a state written before inner cgroups)
    std::vector<V1> v1;
    std::string v2;      // the container's cgroup2 directory ("": none)
    std::string v2_top;  // the topmost cgroup2 directory made for it
    // No directory recorded (never started, or nothing found on disk).
    bool empty() const { return v1.empty() && v2.empty(); }
    bool operator==(const Saved&) const = default;
};

struct SelfJoin;  // how a new process joins the group by itself (internal: cgroup/self_join.hpp)

// The cgroups of one container (every hierarchy it lives in). In each hierarchy two
// directories: the container's cgroup, which carries the limits, device rules, freezer and
// accounting, and the inner one below it (".cnt", lxc.cgroup.dir.container.inner), where its
// processes live and init makes its cgroup namespace. A cgroup namespace shows its root and
// what is below, never above: a container that mounts cgroupfs itself (or gets it through
// lxc.mount.auto) sees the inner cgroup as "/", and the files holding its limits are out of
// its reach. Limits, freeze, kill, stats and destroy act on the container's cgroup and its
// whole subtree; joining (start and attach) goes to the inner one.
//
// One class for every host: v1, v2 and hybrid hosts differ only in which hierarchies are
// mounted, so each operation uses the hierarchy that has what it needs (the cgroup2 directory
// for freeze and kill when there is one, else the v1 freezer). A Group is a move-only handle;
// dropping it closes its descriptors and leaves the cgroups in place (destroy() removes them).
class Group {
  public:
    // Make the container's cgroups below the caller's own (or lxc.cgroup.dir*), with their
    // limits (complete). The host's hierarchies are probed once per process.
    static Result<Group> create(const std::string& container, const config::CgroupSettings& s);
    // The same in two steps, so that a start can clone init between them and make the rest
    // while init builds its filesystem: begin() makes only what clone3 places the new process
    // in (the cgroup2 directory and its inner one, clone_fd; nothing on a v1-only host),
    // complete() the rest. A failed begin() leaves nothing behind.
    static Result<Group> begin(const std::string& container, const config::CgroupSettings& s);
    // Reopen a running container's cgroups from what save() wrote. The saved state names
    // every directory and the host's kind, so nothing is probed (a short tool's fast path).
    static Result<Group> reopen(const Saved& saved);

    // The second step of begin: make the v1 directories, write the limits (apply) and make
    // the inner v1 directories. The order is the kernel's: a v1 devices cgroup refuses an "a"
    // rule once it has children, and a new v1 cpuset copies nothing (cnt copies its parent's
    // cpus/mems when it makes it), so the inner cgroups come after the limits. On failure
    // destroy() removes what was made.
    Result<void> complete(const config::CgroupSettings& s);
    // Write lxc.cgroup.* / lxc.cgroup2.* (translated where needed) and device rules to the
    // container's cgroup (complete() does it once; this is for writing them again).
    Result<void> apply(const config::CgroupSettings& s);
    // What a process about to be made runs to move itself into the inner cgroup of every
    // hierarchy (SelfJoin).
    Result<SelfJoin> self_join() const;
    // An O_DIRECTORY fd of the inner v2 directory for clone3(CLONE_INTO_CGROUP), or -1.
    int clone_fd() const;
    Result<void> freeze(std::chrono::milliseconds timeout);
    Result<void> thaw(std::chrono::milliseconds timeout);
    Result<FreezerState> freezer_state() const;
    // Every pid in the group and below it (for stop, ps, stats).
    Result<std::vector<pid_t>> pids() const;
    // SIGKILL everything (cgroup.kill where present, else thaw + kill each pid, repeated).
    Result<void> kill_all();
    // True when the group surely holds no process (cgroup2's "populated 0"); false when it
    // holds some or nothing tells (v1 only).
    bool surely_empty() const;
    Result<Stats> stats() const;
    // Remove every directory the group made (bounded retries while the kernel empties them).
    Result<void> destroy();
    // Recorded in the run dir's state file so other tools can reopen the group.
    Saved save() const;
    // Every hierarchy the group lives in, v1 ones first, cgroup2 last; the path is the inner
    // cgroup (what the container may see and write). Known for a group made by create or
    // begin (empty for one reopened from its saved state).
    std::vector<Placement> placements() const;

    // The directories and descriptors (internal: cgroup/group.hpp, which makes groups).
    struct Dirs;
    explicit Group(std::unique_ptr<Dirs> d);
    Group(Group&&) noexcept;
    Group& operator=(Group&&) noexcept;
    ~Group();

  private:
    std::unique_ptr<Dirs> d_;
};

// An idmapped container's inner cgroups (Group::placements) given to its root (host ids `uid`,
// `gid`): each directory with its cgroup.procs / tasks (and cgroup2's cgroup.subtree_control,
// cgroup.threads), so that its init can make and fill cgroups below. The container's limits
// are in the parent, which stays host root's.
Result<void> give_inner(const std::vector<Placement>& where, uid_t uid, gid_t gid);

// After a stop (whoever did the teardown, and however far it got): kill what still runs in
// the cgroups a container recorded (Group::save) and remove them. Success when they are gone
// already; otherwise the error names what could not be killed or removed.
Result<void> remove_leftovers(const Saved& saved);

// The cgroups of a container found on disk, as Group::save() would have recorded them, for a
// run-state file that is lost or corrupt: <caller's cgroup>/<lxc.cgroup.dir...>/cnt.payload.
// <name> in each hierarchy (on cgroup2 also below the caller's ancestors, where a start from a
// busy cgroup puts it). Empty when there is none. Only what is found is named, each as its
// own top directory (the parents may be shared).
Result<Saved> find_saved(const std::string& container, const config::CgroupSettings& s);

}  // namespace cnt::cgroup
