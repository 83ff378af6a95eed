#include "cnt/events.hpp"

#include <dirent.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>

#include "cnt/container.hpp"
#include "cnt/dir.hpp"

namespace cnt::events {
namespace {

using clock = std::chrono::steady_clock;

// Creation, atomic replacement (rename onto "state"), plain writes, removal, a touch (freeze
// and thaw change only the cgroup, then touch "state") and the watched directory itself going
// away: everything after which the state may differ.
constexpr uint32_t kDirEvents = IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_CLOSE_WRITE |
                                IN_ATTRIB | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;

std::string parent_of(const std::string& p) {
    auto i = p.rfind('/');
    if (i == std::string::npos || i == 0) return "/";
    return p.substr(0, i);
}

bool is_dir(const std::string& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// Watch `path` if it exists, else its nearest existing ancestor, so the creation of the next
// level down wakes us up. Returns the watch of `path` itself, or -1 when an ancestor is watched.
// A level made between the check and the watch sent its event before anyone listened: the
// next level is looked at again once the watch is in place (`mkdir -p` races this).
int watch_chain(int ino, const std::string& path) {
    for (;;) {
        std::string p = path;
        while (!is_dir(p) && p != "/") p = parent_of(p);
        int wd = ::inotify_add_watch(ino, p.c_str(), kDirEvents);
        if (p == path) return wd;
        auto slash = path.find('/', p == "/" ? 1 : p.size() + 1);
        if (!is_dir(path.substr(0, slash))) return -1;
    }
}

// Drain whatever is queued; returns false on timeout. Negative ms: wait forever.
Result<bool> wait_readable(int fd, int ms) {
    pollfd pfd{fd, POLLIN, 0};
    for (;;) {
        int n = ::poll(&pfd, 1, ms);
        if (n < 0) {
            if (errno == EINTR) continue;
            return sys_error("waiting for inotify events");
        }
        return n > 0;
    }
}

int remaining_ms(clock::time_point deadline, bool forever) {
    if (forever) return -1;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
    return std::max<long>(0, left.count());
}

// The state file checked against init and the cgroup (FROZEN lives there), as cnt-info says.
State state_of(const store::Paths& p) {
    auto c = Container::open(p.name, p.lxcpath);
    return c ? c->state() : State::stopped;
}

}  // namespace

Result<bool> wait_for(const Container& c, const std::vector<State>& states,
                      std::chrono::milliseconds timeout) {
    unique_fd ino(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
    if (!ino) return sys_error("inotify_init1");
    const bool forever = timeout.count() < 0;
    const auto deadline = clock::now() + (forever ? std::chrono::milliseconds(0) : timeout);
    const std::string run_dir = c.paths().run_dir();
    for (;;) {
        // Watch first, then look: a change between the two still wakes the poll below.
        watch_chain(ino.get(), run_dir);
        if (std::find(states.begin(), states.end(), c.state()) != states.end()) return true;
        int ms = remaining_ms(deadline, forever);
        if (ms == 0) return false;
        CNT_ASSIGN(ready, wait_readable(ino.get(), ms));
        if (!ready) return false;
        char buf[4096];
        while (::read(ino.get(), buf, sizeof buf) > 0) {
        }
    }
}

Result<Watch> Watch::open(const std::string& lxcpath) {
    Watch w;
    w.lxcpath_ = lxcpath;
    w.base_ = parent_of(store::Paths{lxcpath, "x"}.run_dir());
    w.ino_.reset(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
    if (!w.ino_) return sys_error("inotify_init1");
    w.rescan();
    w.pending_.clear();  // what exists now is the starting point, not a change
    return w;
}

void Watch::add_container(const std::string& name) {
    store::Paths p{lxcpath_, name};
    int wd = ::inotify_add_watch(ino_.get(), p.run_dir().c_str(), kDirEvents);
    if (wd >= 0) wd_name_[wd] = name;
    State now = state_of(p);
    auto it = last_.find(name);
    State before = it == last_.end() ? State::stopped : it->second;
    if (now != before) pending_.push_back({name, now});
    last_[name] = now;
}

void Watch::rescan() {
    if (base_wd_ < 0) base_wd_ = watch_chain(ino_.get(), base_);
    // Containers whose run dir vanished are stopped.
    for (auto& [name, st] : last_) {
        if (!is_dir(store::Paths{lxcpath_, name}.run_dir()) && st != State::stopped) {
            st = State::stopped;
            pending_.push_back({name, st});
        }
    }
    if (base_wd_ < 0) return;
    DirReader d(base_);
    if (!d) return;
    while (const dirent* e = d.next()) {
        std::string n = e->d_name;
        if (is_dir(base_ + "/" + n)) add_container(n);
    }
}

Result<std::vector<Change>> Watch::next(std::chrono::milliseconds timeout) {
    const bool forever = timeout.count() < 0;
    const auto deadline = clock::now() + (forever ? std::chrono::milliseconds(0) : timeout);
    while (pending_.empty()) {
        CNT_ASSIGN(ready, wait_readable(ino_.get(), remaining_ms(deadline, forever)));
        if (!ready) break;
        alignas(inotify_event) char buf[8192];
        bool full_rescan = false;
        std::vector<std::string> touched;
        ssize_t n;
        while ((n = ::read(ino_.get(), buf, sizeof buf)) > 0) {
            for (char* p = buf; p < buf + n;) {
                auto* ev = reinterpret_cast<inotify_event*>(p);
                p += sizeof(inotify_event) + ev->len;
                if (ev->mask & IN_IGNORED) {
                    if (ev->wd == base_wd_) base_wd_ = -1;
                    wd_name_.erase(ev->wd);
                    full_rescan = true;
                    continue;
                }
                auto it = wd_name_.find(ev->wd);
                if (it != wd_name_.end())
                    touched.push_back(it->second);
                else
                    full_rescan = true;  // the base dir or an ancestor changed
            }
        }
        if (full_rescan) rescan();
        for (const auto& name : touched) {
            State now = state_of(store::Paths{lxcpath_, name});
            if (last_[name] != now) {
                last_[name] = now;
                pending_.push_back({name, now});
            }
        }
        if (!forever && remaining_ms(deadline, false) == 0) break;
    }
    return std::exchange(pending_, {});
}

}  // namespace cnt::events
