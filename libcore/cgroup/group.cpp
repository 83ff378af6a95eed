#include "cgroup/group.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <thread>

#include "cgroup/fsio.hpp"
#include "cnt/dir.hpp"
#include "cnt/log.hpp"
#include "cnt/scope.hpp"
#include "cnt/store.hpp"
#include "cnt/text.hpp"

namespace cnt::cgroup {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

bool Dir::has(std::string_view c) const {
    return std::find(controllers.begin(), controllers.end(), c) != controllers.end();
}

std::string Dir::label() const {
    std::string s;
    for (const auto& c : controllers) s += (s.empty() ? "" : ",") + c;
    return s;
}

namespace {

std::vector<std::string> split_path(const std::string& rel) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos < rel.size()) {
        size_t e = rel.find('/', pos);
        if (e == std::string::npos) e = rel.size();
        if (e > pos) out.push_back(rel.substr(pos, e - pos));
        pos = e + 1;
    }
    return out;
}

// A new v1 cpuset starts with empty cpus/mems and refuses tasks until they are set
// (unless the parent has cgroup.clone_children): copy the parent's.
// A failure is the start's error: the cpuset would refuse init later, with ENOSPC.
Result<void> inherit_cpuset(const std::string& parent, const std::string& child) {
    for (const char* f : {"cpuset.cpus", "cpuset.mems"}) {
        auto mine = store::read_file(child + "/" + f);
        if (mine && mine->find_first_not_of(" \n") != std::string::npos) continue;
        auto theirs = store::read_file(parent + "/" + f);
        if (!theirs)
            return std::unexpected(
                std::move(theirs.error()).within(cat("cgroup: copying ", f, " into ", child)));
        std::string v = *theirs;
        while (!v.empty() && v.back() == '\n') v.pop_back();
        if (v.empty()) continue;
        if (int e = write_at(AT_FDCWD, child + "/" + f, v))
            return errno_error(e, cat("cgroup: copying ", f, " into ", child));
    }
    return {};
}

// cgroup2: a controller is usable in a child only when the parent lists it in
// cgroup.subtree_control. A non-root cgroup that holds processes refuses (EBUSY: the "no
// internal processes" rule). Returns false when some controller could not be enabled that way.
bool enable_controllers(const std::string& dir) {
    auto avail = store::read_file(dir + "/cgroup.controllers");
    if (!avail) return true;
    bool ok = true;
    for (auto word : words(*avail))
        if (int e = write_at(AT_FDCWD, dir + "/cgroup.subtree_control", cat("+", word))) {
            log::debug("cgroup: enabling ", word, " in ", dir, ": ", std::strerror(e));
            if (e == EBUSY) ok = false;
        }
    return ok;
}

// Depth-first rmdir; EBUSY while the kernel still tears down exiting tasks, or while the
// group has children (then they go first: the usual leaf needs no directory scan).
int rmdir_tree(const std::string& path) {
    if (::rmdir(path.c_str()) == 0 || errno == ENOENT) return 0;
    if (errno != EBUSY && errno != ENOTEMPTY) return errno;
    auto subs = subdirs(path);
    if (subs.empty() && errno == ENOENT) return 0;
    for (const auto& s : subs)
        if (int e = rmdir_tree(s)) return e;
    if (::rmdir(path.c_str()) != 0 && errno != ENOENT) return errno;
    return 0;
}

// The inner cgroup below the container's d.path: where its processes live and its cgroup
// namespace is rooted, so that nothing inside can name the cgroup holding the limits. d.path
// is new (make_dirs), so the inner directory is too. cgroup2: the controllers are handed down
// to it (the container may use them below its "/").
Result<void> make_inner(Dir& d, const std::string& name, bool v2) {
    std::string in = d.path + "/" + name;
    if (v2) (void)enable_controllers(d.path);
    if (::mkdir(in.c_str(), 0755) != 0) return sys_error(cat("creating cgroup ", in));
    d.inner = in;
    if (d.has("cpuset")) CNT_TRY(inherit_cpuset(d.path, in));
    return {};
}

// mkdir base/rel component by component; the leaf must be new (a stale leaf without
// processes, left by a crash, is removed first). top = the first directory made.
Result<void> make_dirs(const std::string& base, const std::string& rel, bool cpuset, bool v2,
                       std::string& leaf, std::string& top) {
    auto parts = split_path(rel);
    std::string cur = base;
    for (size_t i = 0; i < parts.size(); ++i) {
        std::string next = cur + "/" + parts[i];
        bool last = i + 1 == parts.size();
        if (v2) (void)enable_controllers(cur);
        if (::mkdir(next.c_str(), 0755) != 0) {
            if (errno != EEXIST) return sys_error(cat("creating cgroup ", next));
            if (last) {
                if (rmdir_tree(next) != 0 || ::mkdir(next.c_str(), 0755) != 0)
                    return errno_error(EEXIST, cat("creating cgroup ", next));
                if (top.empty()) top = next;
            }
        } else if (top.empty()) {
            top = next;
        }
        if (cpuset)
            if (auto r = inherit_cpuset(cur, next); !r) return r;
        cur = next;
    }
    leaf = cur;
    return {};
}

void collect_pids(const std::string& dir, std::vector<pid_t>& out) {
    if (auto procs = store::read_file(dir + "/cgroup.procs")) {
        for (auto w : words(*procs)) {
            pid_t p = 0;
            if (std::from_chars(w.data(), w.data() + w.size(), p).ec == std::errc{} && p > 0)
                out.push_back(p);
        }
    }
    // Every subdirectory, dotted ones too: the inner cgroup is ".cnt", and a container may
    // hide its own sub-cgroups behind a leading dot.
    for (const auto& s : subdirs(dir)) collect_pids(s, out);
}

// v1 freezer: a child cgroup frozen on its own (the container can do that to its own
// sub-cgroups) stays frozen when its parent thaws, and its killed tasks never exit. Thaw
// every directory of the subtree.
void thaw_v1_tree(const std::string& dir) {
    if (auto st = store::read_file(dir + "/freezer.state"); st && st->rfind("THAWED", 0) != 0)
        (void)write_at(AT_FDCWD, dir + "/freezer.state", "THAWED");
    for (const auto& s : subdirs(dir)) thaw_v1_tree(s);
}

bool events_say(const std::string& text, std::string_view line) {
    size_t pos = 0;
    while (pos < text.size()) {
        size_t e = text.find('\n', pos);
        if (e == std::string::npos) e = text.size();
        if (std::string_view(text).substr(pos, e - pos) == line) return true;
        pos = e + 1;
    }
    return false;
}

}  // namespace

Group::Group(std::unique_ptr<Dirs> d) : d_(std::move(d)) {}
Group::Group(Group&&) noexcept = default;
Group& Group::operator=(Group&&) noexcept = default;
Group::~Group() = default;

const Dir* Group::Dirs::v1_for(std::string_view ctrl) const {
    for (const auto& d : v1)
        if (d.has(ctrl)) return &d;
    return nullptr;
}

namespace {
// Hierarchies we can live without: a named one (name=systemd) has no controller, and on a
// hybrid host the cgroup2 leaf only speeds up freeze/kill (a read-only or foreign-owned mount,
// as inside another container, must not stop the start).
bool optional_error(int err) { return err == EACCES || err == EPERM || err == EROFS; }
}  // namespace

Result<Group> Group::Dirs::make(const Layout& l, const std::string& rel, const std::string& inner,
                                bool relative) {
    Group g(std::make_unique<Dirs>());
    Dirs& dirs = *g.d_;
    dirs.kind = l.kind();
    dirs.inner = inner;
    scope_exit undo([&] { (void)g.destroy(); });
    // The cgroup2 directories first: clone3 places a new process in the inner one (clone_fd),
    // so they are the only ones needed before the clone. The v1 ones wait for complete().
    if (l.v2) {
        dirs.v2 = Dir{};
        std::string base = l.v2->own_dir();
        // Pure cgroup2 with our own cgroup full of processes: its controllers cannot be handed
        // down, so (unless lxc.cgroup.relative) go up to the first ancestor that can, as LXC
        // escapes towards the root. On a hybrid host the leaf is only for freeze, kill and
        // device programs (the v2 tree may still offer a controller no v1 hierarchy took,
        // such as hugetlb): it stays below the caller like the v1 directories.
        // (A user stays in its delegated subtree: the ancestors are not its own.)
        bool escape = !relative && l.v1.empty() && ::geteuid() == 0;
        while (escape && base.size() > l.v2->mountpoint.size() && !enable_controllers(base)) {
            auto up = base.substr(0, base.rfind('/'));
            log::info("cgroup: ", base, " holds processes; creating the container's cgroup below ",
                      up);
            base = up;
        }
        auto r = make_dirs(base, rel, false, true, dirs.v2->path, dirs.v2->top);
        if (r) r = make_inner(*dirs.v2, inner, true);
        if (r) {
            dirs.v2fd.reset(::open(dirs.v2->path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
            dirs.v2in.reset(::open(dirs.v2->inner.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
            if (!dirs.v2fd || !dirs.v2in) r = sys_error(cat("opening cgroup ", dirs.v2->inner));
        }
        if (!r) {
            if (l.v1.empty() || !optional_error(r.error().err))
                return std::unexpected(std::move(r.error()));
            log::info("cgroup: no cgroup2 leaf: ", r.error().message());
            dirs.v2fd.reset();
            dirs.v2in.reset();
            if (!dirs.v2->top.empty()) (void)rmdir_tree(dirs.v2->top);
            dirs.v2.reset();
        }
        if (dirs.v2) dirs.v2_mount = l.v2->mountpoint;
    }
    dirs.pending = l.v1;
    dirs.rel = rel;
    undo.dismiss();
    return g;
}

Result<void> Group::complete(const config::CgroupSettings& s) {
    auto pending = std::move(d_->pending);
    d_->pending.clear();
    for (const auto& h : pending) CNT_TRY(d_->make_v1_outer(h));
    CNT_TRY(apply(s));
    return d_->make_v1_inner();
}

namespace {
bool named_only(const std::vector<std::string>& controllers) {
    return std::all_of(controllers.begin(), controllers.end(),
                       [](const std::string& c) { return c.rfind("name=", 0) == 0; });
}
}  // namespace

// The container's cgroup in one v1 hierarchy. A named hierarchy (no controller) we cannot
// write to is skipped.
Result<void> Group::Dirs::make_v1_outer(const Hierarchy& h) {
    // Kept in the group as soon as it is made, so destroy() removes it.
    v1.push_back(Dir{h.controllers, {}, {}, {}});
    v1_mounts.push_back(h.mountpoint);
    auto r = make_dirs(h.own_dir(), rel, h.has("cpuset"), false, v1.back().path, v1.back().top);
    if (r) return {};
    if (!named_only(h.controllers) || !optional_error(r.error().err))
        return std::unexpected(std::move(r.error()));
    log::info("cgroup: skipping hierarchy ", h.label(), ": ", r.error().message());
    if (!v1.back().top.empty()) (void)rmdir_tree(v1.back().top);
    v1.pop_back();
    v1_mounts.pop_back();
    return {};
}

// The inner v1 directories, after the limits (see Group::complete).
Result<void> Group::Dirs::make_v1_inner() {
    for (size_t i = 0; i < v1.size();) {
        auto r = make_inner(v1[i], inner, false);
        if (r) {
            ++i;
            continue;
        }
        if (!named_only(v1[i].controllers) || !optional_error(r.error().err))
            return std::unexpected(std::move(r.error()));
        log::info("cgroup: skipping hierarchy ", v1[i].label(), ": ", r.error().message());
        (void)rmdir_tree(v1[i].top);
        v1.erase(v1.begin() + static_cast<long>(i));
        v1_mounts.erase(v1_mounts.begin() + static_cast<long>(i));
    }
    return {};
}

std::vector<Placement> Group::placements() const {
    std::vector<Placement> out;
    if (d_->v1_mounts.size() != d_->v1.size()) return out;
    for (size_t i = 0; i < d_->v1.size(); ++i)
        out.push_back({d_->v1[i].label(), d_->v1_mounts[i], d_->v1[i].inner});
    if (d_->v2 && !d_->v2_mount.empty()) out.push_back({"", d_->v2_mount, d_->v2->inner});
    return out;
}

Saved Group::save() const {
    Saved s{d_->kind, d_->inner, {}, {}, {}};
    for (const auto& d : d_->v1) s.v1.push_back({d.label(), d.path, d.top});
    if (d_->v2) {
        s.v2 = d_->v2->path;
        s.v2_top = d_->v2->top;
    }
    return s;
}

Result<Group> Group::Dirs::open(const Saved& saved, bool leftovers) {
    Group g(std::make_unique<Dirs>());
    Dirs& dirs = *g.d_;
    dirs.kind = saved.kind;
    // A state saved before inner cgroups existed has no "inner": its processes live in the
    // container's cgroup itself.
    dirs.inner = saved.inner;
    if (dirs.inner.find('/') != std::string::npos || dirs.inner == "." || dirs.inner == "..")
        return errno_error(EINVAL,
                           cat("bad inner cgroup name \"", dirs.inner, "\" in the run state"));
    auto inner_of = [&](const std::string& path) {
        return dirs.inner.empty() ? path : path + "/" + dirs.inner;
    };
    for (const auto& h : saved.v1) {
        Dir d{{}, h.path, inner_of(h.path), h.top};
        for (auto c : split(h.controllers, ",")) d.controllers.emplace_back(c);
        // What is already gone needs no killing; a surviving top still needs removing.
        if (leftovers && ::access(d.path.c_str(), F_OK) != 0) {
            // (top is usually the leaf itself, just found gone)
            if (!d.top.empty() && d.top != d.path && ::access(d.top.c_str(), F_OK) == 0)
                dirs.stale.push_back(d.top);
            continue;
        }
        dirs.v1.push_back(std::move(d));
    }
    if (!saved.v2.empty()) CNT_TRY(dirs.open_v2(saved, inner_of(saved.v2), leftovers));
    if (dirs.v1.empty() && !dirs.v2 && dirs.stale.empty() && !leftovers)
        return errno_error(ENOENT, "no cgroup recorded for the container");
    return g;
}

Result<void> Group::Dirs::open_v2(const Saved& saved, const std::string& in, bool leftovers) {
    v2 = Dir{{}, saved.v2, in, saved.v2_top};
    v2fd.reset(::open(v2->path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    // (a leftover's inner directory may be gone already: clone_fd() is not needed then)
    if (v2fd) v2in.reset(::open(v2->inner.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (v2fd && !v2in && !leftovers) return sys_error(cat("opening cgroup ", v2->inner));
    if (!v2fd) {
        if (!leftovers || errno != ENOENT) return sys_error(cat("opening cgroup ", v2->path));
        if (!v2->top.empty() && v2->top != v2->path && ::access(v2->top.c_str(), F_OK) == 0)
            stale.push_back(v2->top);
        v2.reset();
    }
    return {};
}

Result<SelfJoin> Group::self_join() const {
    SelfJoin j;
    for (const auto& d : d_->v1) {
        unique_fd fd(::open((d.inner + "/tasks").c_str(), O_WRONLY | O_CLOEXEC));
        if (!fd) return sys_error(cat("opening ", d.inner, "/tasks"));
        j.v1.push_back({std::move(fd), d.inner});
    }
    if (d_->v2) {
        j.v2.fd.reset(::openat(d_->v2in.get(), "cgroup.procs", O_WRONLY | O_CLOEXEC));
        if (!j.v2.fd) return sys_error(cat("opening ", d_->v2->inner, "/cgroup.procs"));
        j.v2.dir = d_->v2->inner;
    }
    return j;
}

Result<void> SelfJoin::join(bool born_in_v2) const {
    auto put = [](const File& f) -> Result<void> {
        if (::write(f.fd.get(), "0", 1) != 1) return sys_error(cat("joining cgroup ", f.dir));
        return {};
    };
    for (const auto& f : v1) CNT_TRY(put(f));
    if (v2.fd && !born_in_v2) CNT_TRY(put(v2));
    return {};
}

int Group::clone_fd() const { return d_->v2 && d_->v2in ? d_->v2in.get() : -1; }

Result<std::vector<pid_t>> Group::pids() const {
    std::vector<pid_t> out;
    // On v1, exited tasks leave cgroup.procs before they are reaped (cgroup_exit runs early in
    // do_exit), so an empty list means nothing left that a signal could still reach.
    const Dir* d = d_->v2 ? &*d_->v2 : d_->v1_for("pids");
    if (!d) d = d_->v1_for("freezer");
    if (!d && !d_->v1.empty()) d = &d_->v1.front();
    if (!d) return out;
    if (::access(d->path.c_str(), F_OK) != 0) return sys_error(cat("opening cgroup ", d->path));
    collect_pids(d->path, out);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

Result<void> Group::kill_all() {
    if (d_->v2) {
        // cgroup.kill (5.14+) kills the whole subtree in one write, new forks included.
        int e = write_at(d_->v2fd.get(), "cgroup.kill", "1");
        if (e == 0) {
            // Tasks frozen through a v1 freezer (hybrid host) cannot act on SIGKILL until thawed.
            if (const Dir* d = d_->v1_for("freezer")) thaw_v1_tree(d->path);
            return {};
        }
        if (e != ENOENT) return errno_error(e, cat("writing cgroup.kill in ", d_->v2->path));
    }
    // No cgroup.kill: freeze so nothing forks behind our back, signal every task, thaw so
    // v1-frozen tasks can act on SIGKILL. A group that forks faster than one pass kills, or
    // whose freeze times out, is only slowed down by each pass: repeat until cgroup.procs is
    // empty, against a deadline rather than a count so a slow host gets the same time.
    auto deadline = Clock::now() + 10s;
    size_t last = 0;
    for (;;) {
        bool frozen = bool(freeze(500ms));
        auto list = pids();
        if (!list) {
            if (frozen) (void)thaw(500ms);
            // The group went away under us: nothing left to kill.
            if (list.error().err == ENOENT) return {};
            return std::unexpected(std::move(list.error()));
        }
        for (pid_t p : *list) ::kill(p, SIGKILL);
        if (frozen) (void)thaw(500ms);
        if (const Dir* d = d_->v1_for("freezer")) thaw_v1_tree(d->path);
        if (list->empty()) return {};
        last = list->size();
        if (Clock::now() >= deadline) break;
        std::this_thread::sleep_for(10ms);
    }
    return errno_error(EBUSY, cat("killing the processes of the cgroup (", last, " left)"));
}

bool Group::surely_empty() const {
    if (!d_->v2) return false;
    auto ev = store::read_file_at(d_->v2fd.get(), "cgroup.events");
    return ev && events_say(*ev, "populated 0");
}

Result<void> Group::destroy() {
    d_->v2fd.reset();
    d_->v2in.reset();
    std::optional<Error> first;
    // One deadline for every hierarchy: they all empty when the last task is released, so a
    // per-directory budget would only multiply the wait by the number of hierarchies.
    auto deadline = Clock::now() + 10s;
    auto remove = [&](std::string& top) {
        if (top.empty()) return;
        // Tasks killed a moment ago may still be exiting (EBUSY until they are released).
        auto delay = 1ms;
        int e = 0;
        for (;;) {
            e = rmdir_tree(top);
            if (e != EBUSY || Clock::now() >= deadline) break;
            std::this_thread::sleep_for(delay);
            delay = std::min(delay * 2, 100ms);
        }
        if (e && !first) first = Error{e, cat("removing cgroup ", top), {}};
        if (!e) top.clear();
    };
    // The inner directory first: a cgroup with a child refuses rmdir (EBUSY), and rmdir_tree
    // would only find that out and look for the children.
    auto remove_dir = [&](Dir& d) {
        if (!d.inner.empty() && d.inner != d.path && !d.top.empty()) (void)::rmdir(d.inner.c_str());
        remove(d.top);
    };
    for (auto& d : d_->v1) remove_dir(d);
    if (d_->v2) remove_dir(*d_->v2);
    for (auto& t : d_->stale) remove(t);
    std::erase_if(d_->stale, [](const std::string& t) { return t.empty(); });
    if (first) return std::unexpected(*first);
    return {};
}

// A freeze that did not settle is undone, so the container is left running, not half frozen.
static std::unexpected<Error> freeze_timeout(bool on, std::chrono::milliseconds timeout) {
    if (on)
        return errno_error(ETIMEDOUT, cat("freezing: not frozen after ", timeout.count(),
                                          " ms (a task in uninterruptible sleep?), thawed again"));
    return errno_error(ETIMEDOUT, cat("thawing: not thawed after ", timeout.count(), " ms"));
}

Result<void> Group::Dirs::v2_freeze(bool on, std::chrono::milliseconds timeout) {
    unique_fd ev(::openat(v2fd.get(), "cgroup.events", O_RDONLY | O_CLOEXEC));
    if (!ev) return sys_error(cat("opening cgroup.events in ", v2->path));
    if (int e = write_at(v2fd.get(), "cgroup.freeze", on ? "1" : "0"))
        return errno_error(e, cat("writing cgroup.freeze in ", v2->path));
    const std::string_view want = on ? "frozen 1" : "frozen 0";
    auto deadline = Clock::now() + timeout;
    for (;;) {
        // Reading the file re-arms kernfs notification: a later change wakes poll with POLLPRI.
        char buf[512];
        ssize_t n = ::pread(ev.get(), buf, sizeof buf - 1, 0);
        if (n < 0) return sys_error(cat("reading cgroup.events in ", v2->path));
        if (events_say(std::string(buf, static_cast<size_t>(n)), want)) return {};
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left <= 0ms) break;
        pollfd p{ev.get(), POLLPRI, 0};
        if (::poll(&p, 1, static_cast<int>(left.count()) + 1) < 0 && errno != EINTR)
            return sys_error("waiting for cgroup.events");
    }
    if (on) (void)write_at(v2fd.get(), "cgroup.freeze", "0");
    return freeze_timeout(on, timeout);
}

Result<void> Group::Dirs::v1_freeze(const Dir& d, bool on, std::chrono::milliseconds timeout) {
    const std::string file = d.path + "/freezer.state";
    const char* want = on ? "FROZEN" : "THAWED";
    auto deadline = Clock::now() + timeout;
    auto delay = std::chrono::microseconds(100);
    for (;;) {
        // Writing FROZEN again retries tasks that could not be frozen on the last pass.
        if (int e = write_at(AT_FDCWD, file, want)) return errno_error(e, cat("writing ", file));
        auto st = store::read_file(file);
        if (!st) return std::unexpected(st.error());
        if (trim(*st) == want) return {};
        if (Clock::now() >= deadline) break;
        std::this_thread::sleep_for(delay);
        delay = std::min(delay * 2, std::chrono::microseconds(10000));
    }
    if (on) (void)write_at(AT_FDCWD, file, "THAWED");
    return freeze_timeout(on, timeout);
}

Result<void> Group::freeze(std::chrono::milliseconds timeout) {
    if (d_->v2) return d_->v2_freeze(true, timeout);
    if (const Dir* d = d_->v1_for("freezer")) return d_->v1_freeze(*d, true, timeout);
    return errno_error(ENOTSUP, "freezing: no freezer cgroup");
}

Result<void> Group::thaw(std::chrono::milliseconds timeout) {
    if (d_->v2) return d_->v2_freeze(false, timeout);
    if (const Dir* d = d_->v1_for("freezer")) return d_->v1_freeze(*d, false, timeout);
    return errno_error(ENOTSUP, "thawing: no freezer cgroup");
}

Result<FreezerState> Group::freezer_state() const {
    if (d_->v2) {
        CNT_ASSIGN(want, store::read_file_at(d_->v2fd.get(), "cgroup.freeze"));
        if (trim(want) != "1") return FreezerState::thawed;
        CNT_ASSIGN(ev, store::read_file_at(d_->v2fd.get(), "cgroup.events"));
        return events_say(ev, "frozen 1") ? FreezerState::frozen : FreezerState::freezing;
    }
    if (const Dir* d = d_->v1_for("freezer")) {
        CNT_ASSIGN(st, store::read_file(d->path + "/freezer.state"));
        st = trim(st);
        if (st == "FROZEN") return FreezerState::frozen;
        if (st == "FREEZING") return FreezerState::freezing;
        return FreezerState::thawed;
    }
    return errno_error(ENOTSUP, "no freezer cgroup");
}

Result<Stats> Group::stats() const {
    Stats s;
    auto num = [](const std::string& file, uint64_t& out) {
        auto t = store::read_file(file);
        return t && parse_u64(*t, out);
    };
    // "key value" lines (v2 cpu.stat, memory.stat): the value of key.
    auto field = [](const std::string& text, std::string_view key, uint64_t& out) {
        auto w = words(text);
        for (size_t i = 0; i + 1 < w.size(); i += 2)
            if (w[i] == key) return parse_u64(w[i + 1], out);
        return false;
    };
    if (const Dir* d = d_->v1_for("cpuacct")) s.has_cpu = num(d->path + "/cpuacct.usage", s.cpu_ns);
    if (!s.has_cpu && d_->v2) {
        uint64_t us = 0;
        auto t = store::read_file_at(d_->v2fd.get(), "cpu.stat");
        if (t && field(*t, "usage_usec", us)) s.cpu_ns = us * 1000, s.has_cpu = true;
    }
    if (const Dir* d = d_->v1_for("memory")) {
        s.has_memory = num(d->path + "/memory.usage_in_bytes", s.memory_bytes);
        s.has_kmem = num(d->path + "/memory.kmem.usage_in_bytes", s.kmem_bytes);
    }
    if (!s.has_memory && d_->v2) {
        if (auto t = store::read_file_at(d_->v2fd.get(), "memory.current"))
            s.has_memory = parse_u64(*t, s.memory_bytes);
        if (auto t = store::read_file_at(d_->v2fd.get(), "memory.stat"))
            s.has_kmem = field(*t, "kernel", s.kmem_bytes);
    }
    if (const Dir* d = d_->v1_for("blkio")) {
        // "<maj:min> <Op> <bytes>" lines, then "Total <bytes>". The container's processes
        // are in the inner cgroup: the _recursive file counts them (the plain one would not).
        auto t = store::read_file(d->path + "/blkio.throttle.io_service_bytes_recursive");
        if (!t) t = store::read_file(d->path + "/blkio.throttle.io_service_bytes");
        if (t) {
            for (auto line : split(*t, "\n"))
                if (line.starts_with("Total "))
                    s.has_blkio = parse_u64(line.substr(6), s.blkio_bytes);
        }
    }
    if (!s.has_blkio && d_->v2) {
        // "<maj:min> rbytes=N wbytes=N rios=N ..." per device
        if (auto t = store::read_file_at(d_->v2fd.get(), "io.stat")) {
            s.has_blkio = true;
            for (auto w : words(*t)) {
                uint64_t v = 0;
                if ((w.starts_with("rbytes=") || w.starts_with("wbytes=")) &&
                    parse_u64(w.substr(7), v))
                    s.blkio_bytes += v;
            }
        }
    }
    return s;
}

Result<void> remove_leftovers(const Saved& saved) {
    if (saved.empty()) return {};
    CNT_ASSIGN(g, Group::Dirs::open(saved, true));
    auto killed = g.kill_all();
    auto removed = g.destroy();
    // A kill that reported trouble but left nothing behind is fine; when something is left,
    // the kill's error is the cause.
    if (removed) return {};
    if (!killed) return killed;
    return removed;
}

}  // namespace cnt::cgroup
