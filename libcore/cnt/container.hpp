// The public API: what the tools call, and what programs can use (as Containment/libcontainer).
#pragma once
#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "cnt/cgroup.hpp"
#include "cnt/config.hpp"
#include "cnt/error.hpp"
#include "cnt/state.hpp"
#include "cnt/store.hpp"

namespace cnt {

struct CreateOptions {
    std::string template_name;               // "busybox", "none", or an absolute path
    std::vector<std::string> template_args;  // after --
    std::string config_file;                 // -f; "" = the default config
    bool quiet = false;                      // template output to /dev/null
    std::string backend = "dir";             // -B: dir, overlay, btrfs, loop
    std::string dir;                         // --dir: the dir backend's rootfs elsewhere
    uint64_t fssize = 1ull << 30;            // --fssize: a loop image's size
    std::string fstype = "ext4";             // --fstype: a loop image's filesystem
};

struct DestroyOptions {
    bool force = false;           // -f: hard stop a running container first
    bool include_rootfs = false;  // also delete a rootfs that lives outside <lxcpath>/<name>
    std::vector<std::string>* notes = nullptr;  // if set: what was kept on purpose, and why
};

// cnt-copy (lxc-copy's options).
struct CopyOptions {
    std::string new_name;     // -N
    std::string new_lxcpath;  // -p; "" = the source's
    bool snapshot = false;    // -s: overlay on dir and overlay, a btrfs snapshot on btrfs
    std::string backend;      // -B; "" = the source's (dir for an overlay source)
    bool keep_name = false;   // -K: keep the hostname
    bool keep_mac = false;    // -M: keep the MAC addresses
    uint64_t fssize = 0;      // -L: a new loop image's size (0: the source image's, or 1G)
    bool rename = false;      // -R
    bool ephemeral = false;   // -e: the copy gets lxc.ephemeral = 1 (destroyed when it stops)
};

// cnt-snapshot: <dir>/snaps/snapN, each a container of its own (config, rootfs) with `ts`
// and, when given, `comment`.
struct SnapshotInfo {
    std::string name;       // snapN
    std::string dir;        // <dir>/snaps
    std::string timestamp;  // "YYYY:MM:DD HH:MM:SS" (UTC), as lxc-snapshot lists it
    std::string comment;
};

struct StartOptions {
    bool daemonize = true;             // -d (default) / -F
    std::vector<std::string> command;  // after --; else lxc.init.cmd; else /sbin/init
    std::string rcfile;                // -f
    std::vector<std::string> defines;  // -s KEY=VAL
    std::string pidfile;               // -p
    bool close_fds = false;            // -C: close inherited descriptors at once
    std::string logfile;               // -o (monitor's log)
    std::string loglevel;              // -l
    bool execute = false;              // cnt-execute: our init as pid 1 runs the command
    // Daemon mode, for a tool whose work ends with the start: once the container runs, the
    // calling process exits with status 0 instead of returning. The monitor then takes over
    // this process's memory rather than a copy of it (proc/shared_mm.hpp: a fork costs this
    // start 3 ms on the VMs measured). Failures still return.
    bool exit_when_running = false;
    // Foreground mode (daemonize=false): filled with init's raw wait status (waitpid) when
    // the container has stopped, so cnt-execute can exit with the command's status.
    int* exit_status = nullptr;
};

struct StopOptions {
    std::chrono::seconds timeout{60};  // -t; negative = forever
    bool kill = false;                 // -k
    bool nowait = false;               // -W
    bool reboot = false;               // -r
    bool nokill = false;               // --nokill
};
enum class StopOutcome { stopped, not_running, timed_out /* --nokill */, rebooted, signalled };

struct AttachOptions {
    std::vector<std::string> command;  // empty: the login shell of uid in the container
    bool clear_env = false;
    std::vector<std::string> keep_vars;  // --keep-var
    std::vector<std::string> set_vars;   // -v NAME=VAL
    std::optional<uid_t> uid;
    std::optional<gid_t> gid;
    int namespaces = 0;  // CLONE_NEW* mask to join; 0 = all of init's
    // -e: what the command keeps of the caller's instead of taking the container's, by
    // lxc-attach's names: CAP the capability bounding set, CGROUP the caller's cgroups (it
    // does not join the container's), LSM the caller's seccomp filter and no_new_privs (cnt
    // sets no LSM label). The container's credentials are always taken.
    enum Elevate : unsigned {
        kElevateCap = 1,
        kElevateCgroup = 2,
        kElevateLsm = 4,
        kElevateAll = 7
    };
    unsigned elevated = 0;
    // Give the command a new pty of the container's devpts and relay stdin/stdout to it
    // (cnt-attach sets this when both are terminals, as lxc-attach does).
    bool terminal = false;
};

class Container {
  public:
    // No I/O beyond validating the name; works for defined and undefined containers.
    static Result<Container> open(std::string name, std::string lxcpath);
    // cnt-create: config, template, all-or-nothing.
    static Result<Container> create(const std::string& name, const std::string& lxcpath,
                                    const CreateOptions& o);

    // cnt-copy: a new container from this one, all-or-nothing (copy.cpp).
    Result<Container> copy(const CopyOptions& o);
    // cnt-snapshot (snapshot.cpp). snapshot() returns the new snapshot's name. restore: over
    // this container (new_name empty or its own; refused while it runs; the current state is
    // kept until the restored one is in place) or as a new container.
    Result<std::string> snapshot(const std::string& comment_file);
    Result<std::vector<SnapshotInfo>> snapshots() const;
    Result<void> restore_snapshot(const std::string& snap, const std::string& new_name);
    Result<void> destroy_snapshot(const std::string& snap);  // "ALL": every one

    const std::string& name() const { return paths_.name; }
    const store::Paths& paths() const { return paths_; }
    bool defined() const { return store::defined(paths_); }
    // Its directory exists (defined, or being created): only then may a tool make its run dir.
    bool present() const;

    // Load <dir>/config (or rcfile) then apply defines. Diagnostics collect every problem.
    Result<config::Config> load_config(const std::string& rcfile = {},
                                       const std::vector<std::string>& defines = {},
                                       config::Diagnostics* diags = nullptr) const;

    Result<void> start(const StartOptions& o);
    Result<StopOutcome> stop(const StopOptions& o);
    Result<void> freeze(std::chrono::milliseconds timeout);
    Result<void> unfreeze(std::chrono::milliseconds timeout);
    // One cgroup value of the running container, by its v1 or v2 file name (translated where
    // the host has only the other version), as lxc-cgroup; set checks it as a config value.
    Result<std::string> cgroup_get(const std::string& key) const;
    Result<void> cgroup_set(const std::string& key, const std::string& value);
    // A host device node made at dest (default: the same path) in the running container, with
    // its device cgroup rule, or removed with the rule; as lxc-device (container/device.cpp).
    Result<void> device_add(const std::string& host_path, const std::string& dest = {});
    Result<void> device_del(const std::string& host_path, const std::string& dest = {});
    Result<void> destroy(const DestroyOptions& o);
    // Exit status of the command (128+N for a signal, 127 when it cannot exec).
    Result<int> attach(const AttachOptions& o);
    // For a tool that attaches (cnt-attach, early in main): unless the process already runs
    // from a sealed memfd copy of its binary, exec argv from one (CVE-2019-5736: the
    // container's root may reach an attached process's /proc/PID/exe). The copy is the
    // container's monitor's, made once; a private one when no monitor answers. Returns at once
    // when the container is not running; otherwise only on failure.
    Result<void> reexec_sealed(char* const* argv) const;

    State state() const;
    // The state that a run state read before says, checked against the live processes.
    static State state_of(const std::optional<RunState>& rs);
    pid_t init_pid() const;  // 0 when not running
    Result<std::vector<pid_t>> processes() const;
    Result<cgroup::Stats> stats() const;
    std::optional<RunState> run_state() const;
    // The same with the reason when the file exists but cannot be used (corrupt, not a
    // regular file, an I/O error); run_state() takes those for "not running".
    Result<std::optional<RunState>> read_run_state() const;

  private:
    // stop() when the run-state file cannot be used (stop_unreadable.cpp).
    Result<StopOutcome> stop_unreadable(Error why, const StopOptions& o);
    // The device cgroup rule of device_add / device_del (device.cpp).
    Result<void> device_rule(const RunState& rs, const std::string& rule, bool allow);
    explicit Container(store::Paths p) : paths_(std::move(p)) {}
    store::Paths paths_;
};

}  // namespace cnt
