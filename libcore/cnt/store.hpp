// Containers on disk and at run time: names, paths, locks, atomic state files.
#pragma once
#include <sys/stat.h>

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cnt/error.hpp"
#include "cnt/fd.hpp"

namespace cnt::store {

// Empty, ".", "..", '/', leading '-' or '.', control characters, over 64 bytes: rejected,
// and the message says which rule failed.
Result<void> validate_name(std::string_view name);

struct Paths {
    std::string lxcpath;  // without trailing '/'
    std::string name;

    std::string dir() const { return lxcpath + "/" + name; }
    std::string config() const { return dir() + "/config"; }
    std::string rootfs() const { return dir() + "/rootfs"; }
    std::string partial() const { return dir() + "/partial"; }
    // Made by cnt-destroy before it deletes anything, removed just before the config: left
    // behind, it says a destroy died or failed half-way, and only cnt-destroy may use the
    // container.
    std::string destroying() const { return dir() + "/destroying"; }
    std::string logfile() const { return dir() + "/" + name + ".log"; }
    // /run/cnt/<hash of lxcpath>/<name>: short enough for a unix socket path, one per lxcpath.
    std::string run_dir() const;
    std::string lock_file() const { return run_dir() + "/lock"; }
    std::string state_file() const { return run_dir() + "/state"; }
    std::string socket() const { return run_dir() + "/command"; }
};

// A container is defined when <dir>/config exists.
bool defined(const Paths& p);
// The same, but a stat(2) failure other than "no such file" is an error naming the config.
Result<bool> check_defined(const Paths& p);

// mkdir -p with mode for the missing parts.
Result<void> mkdirs(const std::string& path, unsigned mode = 0755);

// The container's lock: an OFD write lock on run_dir()/lock held for the tool's whole run.
// Releasing it after the container's run dir was removed (destroy) also removes the
// per-lxcpath run dir when no other container's directory is left in it.
class Lock {
  public:
    enum class Mode { wait, try_once };
    // wait: at most `bound` when it is not negative (then "busy", naming how long it waited).
    static Result<Lock> acquire(const Paths& p, Mode mode = Mode::wait,
                                std::chrono::milliseconds bound = std::chrono::milliseconds(-1));
    Lock() = default;
    Lock(Lock&&) = default;
    Lock& operator=(Lock&& o) noexcept {
        if (this != &o) {
            release();
            fd_ = std::move(o.fd_);
            paths_ = std::move(o.paths_);
        }
        return *this;
    }
    ~Lock() { release(); }
    bool held() const { return bool(fd_); }
    void release();
    int fd() const { return fd_.get(); }

  private:
    Lock(unique_fd fd, Paths p) : fd_(std::move(fd)), paths_(std::move(p)) {}
    unique_fd fd_;
    Paths paths_;
};

// Write a file by writing a temp name in the same directory then rename(2); durable: the
// data is fsync'ed before the rename and the directory after it (survives a power cut).
Result<void> write_atomic(const std::string& path, std::string_view content, unsigned mode = 0644);
// The same for a file of the run dir, which needs no durability: an existing file is replaced
// with renameat2(RENAME_EXCHANGE) and the old one unlinked. A rename over it makes ext4 write
// the new data out first (auto_da_alloc), 0.2-0.5 ms of every start; readers still see the
// old content or the new, never neither.
Result<void> write_volatile(const std::string& path, std::string_view content, unsigned mode);
Result<std::string> read_file(const std::string& path);
// The same, path relative to an open directory (AT_FDCWD or a dir fd, as openat(2)).
Result<std::string> read_file_at(int dirfd, const std::string& path);
// Everything up to EOF (a pipe until its writers are gone).
Result<std::string> read_fd(int fd);

// An input file (a config and its includes, a seccomp profile, cnt.conf, a run-state file):
// only a regular file is read, and at most max_bytes of it. A FIFO or a device is refused
// without blocking or reading it (opened O_NONBLOCK, then fstat). The errors name the file:
// "PATH: not a regular file", "PATH: larger than N bytes" (err 0 in both), or the system
// error of open/read. /proc and cgroup files are not input: read them with read_file.
constexpr size_t kMaxInputBytes = 16u << 20;
// `st`, when given, receives the file's fstat (its identity, for caches and cycle checks).
Result<std::string> read_input(const std::string& path, size_t max_bytes = kMaxInputBytes,
                               struct ::stat* st = nullptr);
// The same check for a file already open (fstat): regular and within max_bytes.
Result<void> check_input(int fd, const std::string& path, size_t max_bytes = kMaxInputBytes,
                         struct ::stat* st = nullptr);

// Remove `path` and everything below it, as a root-owned tree the container could have filled
// with traps: symlinks are removed, never followed; a directory or file that is a mount point
// (its mount ID differs from its parent's) is left alone with everything under it, and its path
// is appended to `kept`. Paths that cannot be removed because something below was kept are not
// errors. A missing `path` is not an error. Other failures are returned (the first one) after
// removing everything else that could be removed.
Result<void> remove_tree(const std::string& path, std::vector<std::string>& kept);
// The same for the entry `name` (one component) of the open directory `parent`; `path` names
// it in errors and in `kept`.
Result<void> remove_tree_at(int parent, const std::string& name, const std::string& path,
                            std::vector<std::string>& kept);

// The creation marker <dir>/partial: created and OFD-locked by cnt-create for its whole run.
// A marker that exists but is not locked means the creator died half-way.
class Partial {
  public:
    static Result<Partial> create(const Paths& p);
    Partial() = default;
    // Unlink the marker (creation finished) and drop the lock.
    void finish();

  private:
    Partial(unique_fd fd, std::string path) : fd_(std::move(fd)), path_(std::move(path)) {}
    unique_fd fd_;
    std::string path_;
};

// Remove a half-made container's directory, the partial marker last (with the directory):
// while anything is left, the marker stays, so the next tool still sees a half-made container
// and finishes the removal. Mount points are kept (appended to `kept`), as remove_tree does.
Result<void> remove_half_created(const Paths& p, std::vector<std::string>& kept);
// What removes one tree (remove_tree's contract): a user's container has its rootfs removed
// by the container's root (container/user.hpp). Empty: remove_tree.
using Remover = std::function<Result<void>(const std::string&, std::vector<std::string>&)>;
Result<void> remove_half_created(const Paths& p, std::vector<std::string>& kept, const Remover& rm);

// Call with the container's Lock held, before looking at the container: if a creator died and
// left <dir>/partial unlocked, remove the half-created container (as LXC does) and return true.
// A marker still locked by a running cnt-create gives an error ("is being created").
Result<bool> recover_partial(const Paths& p);
// An error when <dir>/destroying is there: a cnt-destroy died or failed half-way, part of the
// container is gone, and cnt-destroy (again) finishes it. `step` names what was refused.
Result<void> check_not_half_destroyed(const Paths& p, std::string_view step);
Result<bool> recover_partial(const Paths& p, const Remover& rm);

// The executable of template `t` for cnt-create: an absolute path as is, else
// <sysconf::template_dir()>/cnt-<t>. Error when it does not exist or is not executable.
Result<std::string> template_path(const std::string& t);

// "key=value" lines, for state files. for_each_kv calls fn(key, value) for each line that has
// an '=', in file order; append_kv adds the line "<prefix><key>=<value>".
using KeyValues = std::map<std::string, std::string>;
template <class Fn>
void for_each_kv(std::string_view text, Fn&& fn) {
    while (!text.empty()) {
        auto e = text.find('\n');
        auto line = text.substr(0, e);
        text.remove_prefix(e == std::string_view::npos ? text.size() : e + 1);
        auto eq = line.find('=');
        if (eq != std::string_view::npos) fn(line.substr(0, eq), line.substr(eq + 1));
    }
}
inline void append_kv(std::string& out, std::string_view prefix, std::string_view key,
                      std::string_view value) {
    out.append(prefix).append(key).append(1, '=').append(value).append(1, '\n');
}
std::string format_kv(const KeyValues& kv);
KeyValues parse_kv(std::string_view text);

// The start time of a process (field 22 of /proc/PID/stat): with the pid, identifies it even
// after the pid is reused. 0 when the process does not exist.
unsigned long long process_start_time(pid_t pid);
// One read of /proc/PID/stat: its state letter ('R', 'S', 'Z'...) and start time; nullopt
// when there is no such process.
struct ProcStat {
    char state = 0;
    unsigned long long start = 0;
};
std::optional<ProcStat> process_stat(pid_t pid);
// Field N of a /proc/PID/stat line, numbered as in proc(5) (3 is the state, 22 the start time),
// for N >= 3: counted after the last ')', as the command name may hold spaces and ')'.
std::optional<std::string_view> stat_field(std::string_view stat, int n);

}  // namespace cnt::store
