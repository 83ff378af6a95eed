// cnt-oci: an OCI runtime (runc's command line) on libcore. A bundle's config.json is mapped
// onto the same config::Config that lxc.conf keys fill, and the container's init is the same
// start::init_main that cnt-start runs; only the process around it differs: `create` clones
// init and exits, so init is reparented to the caller (containerd's shim, podman's conmon).
#pragma once
#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cnt/cgroup.hpp"
#include "cnt/config.hpp"
#include "cnt/error.hpp"
#include "cnt/store.hpp"

namespace cnt::oci {

inline constexpr const char* kSpecVersion = "1.1.0";

struct Hook {
    std::string path;
    std::vector<std::string> args, env;
    int timeout = 0;  // seconds, 0 = none
};
struct Hooks {
    std::vector<Hook> prestart, create_runtime, create_container, start_container, poststart,
        poststop;
};
struct Device {  // linux.devices and the default ones
    std::string path;
    char type = 'c';  // c, b, p (u = c)
    unsigned major = 0, minor = 0;
    unsigned mode = 0666;
    uid_t uid = 0;
    gid_t gid = 0;
};

// config.json, mapped. What init does itself after pivot_root (the OCI steps lxc.conf has no
// key for) is kept beside the Config.
struct Spec {
    std::string version;  // ociVersion
    std::string bundle;   // absolute
    config::Config cfg;
    std::vector<std::string> args;
    bool terminal = false;
    unsigned short rows = 0, cols = 0;  // process.consoleSize
    std::optional<unsigned> umask;
    std::string domainname;
    std::vector<std::string> masked, readonly;  // maskedPaths, readonlyPaths
    // With a user namespace /dev is cnt's autodev (made by the creating process, where the
    // nodes can be made); the spec's other mounts below /dev follow it, mounted by init after
    // pivot_root: fstab lines.
    std::vector<std::string> late_mounts;
    // linux.sysctl: written by init before readonlyPaths makes /proc/sys read-only.
    std::vector<std::pair<std::string, std::string>> sysctl;
    std::vector<Device> devices;    // default devices then linux.devices
    unsigned long propagation = 0;  // rootfsPropagation: MS_SHARED...
    std::optional<unsigned long> personality;
    std::string seccomp;  // the filter as an lxc.seccomp.profile (version 2 text); "" = none
    bool new_netns = false;
    Hooks hooks;
    std::map<std::string, std::string> annotations;
};

// Read `bundle`/config.json. An error names the field ("linux.intelRdt is not supported").
Result<Spec> load_spec(const std::string& bundle);
// The same from text (unit tests); `bundle` makes relative paths absolute.
Result<Spec> parse_spec(std::string_view json, const std::string& bundle);
// A process object (exec --process) in place of the spec's own (init, caps, terminal...).
Result<void> apply_process(std::string_view json, Spec& s);
// linux.resources (also `update --resources`): cgroup entries in lxc.cgroup.* form.
Result<config::CgroupSettings> parse_resources(std::string_view json);
// linux.seccomp (JSON text) as an lxc.seccomp.profile version 2 text.
Result<std::string> seccomp_profile(std::string_view json);
// process.capabilities (JSON text) for a process running as `uid`.
Result<config::Caps> parse_caps(std::string_view json, uid_t uid);

// `spec`: a default config.json (runc's, with cnt's defaults).
std::string default_spec();
// `features`: what this runtime supports (runc 1.1's JSON).
std::string features();

// ---- the state directory (<root>/<id>) ---------------------------------------------------
struct State {
    std::string id, bundle;
    pid_t pid = 0;
    unsigned long long pid_start = 0;  // /proc/PID/stat start time of init
    bool started = false;
    std::string created;  // RFC 3339
    cgroup::Saved cgroup;
    std::map<std::string, std::string> annotations;
    // What `status` says, from the process and the freezer: created, running, paused, stopped.
    std::string status() const;
    bool alive() const;
};
Result<void> validate_id(const std::string& id);
std::string state_dir(const std::string& root, const std::string& id);
Result<State> read_state(const std::string& root, const std::string& id);
Result<void> write_state(const std::string& root, const State& st);
// The OCI state JSON (`state`, and hooks' stdin).
std::string state_json(const State& st, const std::string& status);
std::vector<std::string> list_ids(const std::string& root);

// ---- the commands ------------------------------------------------------------------------
struct CreateOptions {
    std::string bundle = ".";
    std::string pid_file;
    std::string console_socket;
    int preserve_fds = 0;
    bool no_pivot = false;
    // run: this process stays init's parent (started at once by start()).
    bool stay_parent = false;
};
// Returns init's pid.
Result<pid_t> create(const std::string& root, const std::string& id, const CreateOptions& o);
Result<void> start(const std::string& root, const std::string& id);
// `run`: create, start, wait (foreground): returns the exit code for the tool (128+N).
Result<int> run(const std::string& root, const std::string& id, const CreateOptions& o,
                bool detach);
Result<void> kill(const std::string& root, const std::string& id, int sig, bool all);
Result<void> remove(const std::string& root, const std::string& id, bool force);
Result<void> pause(const std::string& root, const std::string& id);
Result<void> resume(const std::string& root, const std::string& id);
Result<std::vector<pid_t>> pids(const std::string& root, const std::string& id);
Result<std::string> stats_json(const std::string& root, const std::string& id);
Result<void> update(const std::string& root, const std::string& id, const std::string& file);

struct ExecOptions {
    std::string process_file;  // --process
    std::vector<std::string> args;
    bool tty = false, detach = false;
    std::string pid_file, console_socket, cwd, user;
    std::vector<std::string> env;
};
// Returns the command's exit code (0 with detach).
Result<int> exec(const std::string& root, const std::string& id, const ExecOptions& o);

// Run one list of hooks with the state JSON on their stdin; the first failure is the error.
Result<void> run_hooks(const std::vector<Hook>& hooks, const std::string& state, const char* which);

}  // namespace cnt::oci
