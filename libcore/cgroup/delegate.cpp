// cnt-delegate's cgroup work: make, list and remove `cnt.user.<UID>` at the root of every
// hierarchy. Everything below a hierarchy's root is reached through directory fds with
// O_NOFOLLOW: the user owns the subtree and may have made anything in it.
#include "cgroup/delegate.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <map>
#include <optional>

#include "cgroup/fsio.hpp"
#include "cnt/dir.hpp"
#include "cnt/fd.hpp"
#include "cnt/log.hpp"
#include "cnt/store.hpp"

namespace cnt::cgroup {
namespace {

constexpr std::string_view kPrefix = "cnt.user.";

// The files a delegation hands over. v1: join (tasks, cgroup.procs); cgroup2: also enable
// controllers for the subtree and move threads (the kernel's delegation list, cgroup-v2.rst).
constexpr const char* kV1Files[] = {"tasks", "cgroup.procs"};
constexpr const char* kV2Files[] = {"cgroup.procs", "cgroup.subtree_control", "cgroup.threads"};

// Every hierarchy of the host, whose root is visible at its mountpoint.
Result<std::vector<Hierarchy>> hierarchies() {
    CNT_ASSIGN(l, probe());
    std::vector<Hierarchy> out = l.v1;
    if (l.v2) out.push_back(*l.v2);
    if (out.empty()) return errno_error(ENOENT, "no cgroup hierarchy is mounted");
    return out;
}

Result<unique_fd> open_dir(int dirfd, const std::string& name, const std::string& shown) {
    unique_fd fd(::openat(dirfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd) return sys_error(cat("opening ", shown));
    return fd;
}

std::vector<std::string> words(std::string_view s) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos < s.size()) {
        size_t b = s.find_first_not_of(" \t\n", pos);
        if (b == std::string_view::npos) break;
        size_t e = s.find_first_of(" \t\n", b);
        if (e == std::string_view::npos) e = s.size();
        out.emplace_back(s.substr(b, e - b));
        pos = e;
    }
    return out;
}

// cgroup2: a child has the controllers its parent enables in cgroup.subtree_control. The root
// has no "no internal processes" rule, so every controller it offers can be enabled there;
// one the kernel refuses (cpu with realtime tasks outside the root) is only a warning.
void enable_root_controllers(int rootfd, const std::string& mount) {
    auto offered = store::read_file_at(rootfd, "cgroup.controllers");
    auto enabled = store::read_file_at(rootfd, "cgroup.subtree_control");
    if (!offered || !enabled) return;
    auto on = words(*enabled);
    for (const auto& c : words(*offered)) {
        if (std::find(on.begin(), on.end(), c) != on.end()) continue;
        if (int e = write_at(rootfd, "cgroup.subtree_control", "+" + c))
            log::warn(mount, "/cgroup.subtree_control: enabling ", c, ": ", std::strerror(e));
    }
}

// A new v1 cpuset has no cpus and mems and refuses tasks until they are set.
Result<void> copy_cpuset(int rootfd, int dirfd, const std::string& path) {
    for (const char* f : {"cpuset.cpus", "cpuset.mems"}) {
        auto mine = store::read_file_at(dirfd, f);
        if (mine && mine->find_first_not_of(" \n") != std::string::npos) continue;
        auto theirs = store::read_file_at(rootfd, f);
        if (!theirs) return std::unexpected(std::move(theirs.error()).within(cat("reading ", f)));
        if (int e = write_at(dirfd, f, *theirs))
            return errno_error(e, cat("writing ", path, "/", f));
    }
    return {};
}

Result<void> hand_over(int dirfd, const Hierarchy& h, const std::string& path, uid_t uid,
                       gid_t gid) {
    if (::fchown(dirfd, uid, gid) != 0) return sys_error(cat("chown ", path));
    std::vector<const char*> files(h.v2 ? std::begin(kV2Files) : std::begin(kV1Files),
                                   h.v2 ? std::end(kV2Files) : std::end(kV1Files));
    for (const char* f : files) {
        if (::fchownat(dirfd, f, uid, gid, AT_SYMLINK_NOFOLLOW) == 0) continue;
        // cgroup.threads is younger than the rest (4.14); a kernel without it has no threads.
        if (errno == ENOENT && std::string_view(f) == "cgroup.threads") continue;
        return sys_error(cat("chown ", path, "/", f));
    }
    return {};
}

Result<void> delegate_one(const Hierarchy& h, uid_t uid, gid_t gid) {
    std::string path = user_dir(h, uid);
    if (path.empty())
        return error("the mount at ", h.mountpoint, " shows cgroup ", h.root,
                     ", not the hierarchy's root");
    CNT_ASSIGN(root, open_dir(AT_FDCWD, h.mountpoint, h.mountpoint));
    if (h.v2) enable_root_controllers(root.get(), h.mountpoint);
    if (::mkdirat(root.get(), user_base(uid).c_str(), 0755) != 0 && errno != EEXIST)
        return sys_error(cat("making ", path));
    CNT_ASSIGN(dir, open_dir(root.get(), user_base(uid), path));
    if (!h.v2 && h.has("cpuset")) CNT_TRY(copy_cpuset(root.get(), dir.get(), path));
    return hand_over(dir.get(), h, path, uid, gid);
}

// The pids in dir and every cgroup below it ("label:relative path: pids" lines).
void find_busy(int dirfd, const std::string& shown, std::vector<std::string>& out) {
    if (auto procs = store::read_file_at(dirfd, "cgroup.procs")) {
        auto pids = words(*procs);
        if (!pids.empty()) {
            std::string list;
            for (size_t i = 0; i < pids.size() && i < 5; ++i) list += " " + pids[i];
            if (pids.size() > 5) list += " ...";
            out.push_back(cat(shown, " (pids", list, ")"));
        }
    }
    DirReader d = DirReader::at(dirfd);
    if (!d) return;
    while (const dirent* e = d.next()) {
        std::string n = e->d_name;
        if (e->d_type != DT_DIR) continue;
        if (auto sub = open_dir(dirfd, n, shown + "/" + n))
            find_busy(sub->get(), shown + "/" + n, out);
    }
}

// rmdir name and its sub-cgroups, depth first; symlinks are never followed (O_NOFOLLOW) and
// nothing but directories is removed (cgroupfs removes a cgroup's files with it).
Result<void> remove_tree(int parentfd, const std::string& name, const std::string& shown) {
    {
        CNT_ASSIGN(dir, open_dir(parentfd, name, shown));
        std::vector<std::string> subs;
        DirReader d = DirReader::at(dir.get());
        if (!d) return sys_error(cat("listing ", shown));
        while (const dirent* e = d.next())
            if (e->d_type == DT_DIR) subs.push_back(e->d_name);
        for (const auto& s : subs) CNT_TRY(remove_tree(dir.get(), s, shown + "/" + s));
    }
    if (::unlinkat(parentfd, name.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT)
        return sys_error(cat("removing ", shown));
    return {};
}

std::optional<uid_t> uid_of_name(std::string_view n) {
    if (n.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
    n.remove_prefix(kPrefix.size());
    uid_t v = 0;
    auto [p, ec] = std::from_chars(n.data(), n.data() + n.size(), v);
    if (n.empty() || ec != std::errc() || p != n.data() + n.size()) return std::nullopt;
    if (n.size() > 1 && n[0] == '0') return std::nullopt;
    return v;
}

}  // namespace

std::string user_base(uid_t uid) { return cat(kPrefix, uid); }

std::string user_dir(const Hierarchy& h, uid_t uid) {
    if (h.root != "/") return "";
    std::string m = h.mountpoint;
    if (m.size() > 1 && m.back() == '/') m.pop_back();
    return cat(m, "/", user_base(uid));
}

bool Delegation::complete() const {
    return !dirs.empty() && std::all_of(dirs.begin(), dirs.end(), [&](const DelegatedDir& d) {
        return d.present && d.owner == uid;
    });
}

Result<Delegation> delegate(uid_t uid, gid_t gid) {
    CNT_ASSIGN(hs, hierarchies());
    Delegation out{uid, {}};
    for (const auto& h : hs) {
        if (auto r = delegate_one(h, uid, gid); !r)
            return std::unexpected(std::move(r.error()).within(h.label()));
        out.dirs.push_back({h.label(), user_dir(h, uid), true, uid});
    }
    return out;
}

Result<void> undelegate(uid_t uid) {
    CNT_ASSIGN(hs, hierarchies());
    std::string base = user_base(uid);
    std::vector<std::pair<const Hierarchy*, unique_fd>> roots;
    std::vector<std::string> busy;
    for (const auto& h : hs) {
        CNT_ASSIGN(root, open_dir(AT_FDCWD, h.mountpoint, h.mountpoint));
        auto dir = open_dir(root.get(), base, user_dir(h, uid));
        if (!dir && dir.error().err == ENOENT) continue;
        if (!dir) return std::unexpected(std::move(dir.error()).within(h.label()));
        find_busy(dir->get(), cat(h.label(), ":/", base), busy);
        roots.emplace_back(&h, std::move(root));
    }
    if (!busy.empty()) {
        std::string list;
        for (const auto& b : busy) list += (list.empty() ? "" : ", ") + b;
        return errno_error(EBUSY, cat(base, " still holds processes: ", list,
                                      "; stop the user's containers first"));
    }
    for (auto& [h, root] : roots)
        if (auto r = remove_tree(root.get(), base, user_dir(*h, uid)); !r)
            return std::unexpected(std::move(r.error()).within(h->label()));
    return {};
}

Result<void> require_delegation(uid_t uid) {
    CNT_ASSIGN(hs, hierarchies());
    for (const auto& h : hs) {
        std::string d = user_dir(h, uid);
        struct stat st {};
        bool ok = !d.empty() && ::fstatat(AT_FDCWD, d.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                  S_ISDIR(st.st_mode) && st.st_uid == uid;
        if (!ok)
            return errno_error(EACCES, cat("no cgroup delegated to uid ", uid, " in ", h.label(),
                                           " (", d.empty() ? h.mountpoint : d,
                                           "): ask root to run: cnt-delegate ", uid));
    }
    return {};
}

Result<std::vector<Delegation>> list_delegations() {
    CNT_ASSIGN(hs, hierarchies());
    std::map<uid_t, Delegation> found;
    for (const auto& h : hs) {
        CNT_ASSIGN(root, open_dir(AT_FDCWD, h.mountpoint, h.mountpoint));
        DirReader d = DirReader::at(root.get());
        if (!d) return sys_error(cat("listing ", h.mountpoint));
        while (const dirent* e = d.next())
            if (auto uid = uid_of_name(e->d_name); uid && e->d_type == DT_DIR)
                found[*uid].uid = *uid;
    }
    std::vector<Delegation> out;
    for (auto& [uid, del] : found) {
        for (const auto& h : hs) {
            DelegatedDir dd{h.label(), user_dir(h, uid), false, 0};
            struct stat st {};
            if (!dd.path.empty() &&
                ::fstatat(AT_FDCWD, dd.path.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                S_ISDIR(st.st_mode)) {
                dd.present = true;
                dd.owner = st.st_uid;
            }
            del.dirs.push_back(std::move(dd));
        }
        out.push_back(std::move(del));
    }
    return out;
}

}  // namespace cnt::cgroup
