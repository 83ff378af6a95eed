// cnt-snapshot: snapshots under <dir>/snaps/snapN, made and restored with the copy machinery
// (a btrfs snapshot on btrfs, a full copy otherwise: an overlay over the live rootfs would
// follow its changes, so it is no backup).
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <ctime>

#include "cnt/bdev.hpp"
#include "cnt/config.hpp"
#include "cnt/container.hpp"
#include "cnt/dir.hpp"
#include "cnt/log.hpp"
#include "cnt/scope.hpp"
#include "container/clone_config.hpp"
#include "container/clones.hpp"
#include "container/copy.hpp"

namespace cnt {
namespace {

using namespace std::chrono_literals;

std::string snaps_dir(const store::Paths& p) { return p.dir() + "/snaps"; }

// The N of every snapN in <dir>/snaps, sorted.
std::vector<int> snap_numbers(const store::Paths& p) {
    std::vector<int> out;
    DirReader d(snaps_dir(p));
    if (!d) return out;
    while (const dirent* e = d.next()) {
        std::string_view n = e->d_name;
        if (n.substr(0, 4) != "snap" || n.size() == 4) continue;
        int v = 0;
        auto r = std::from_chars(n.data() + 4, n.data() + n.size(), v);
        if (r.ec == std::errc{} && r.ptr == n.data() + n.size()) out.push_back(v);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string now_stamp() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y:%m:%d %H:%M:%S", &tm);
    return buf;
}

// Whether `snap` names a snapshot of ours: snapN, nothing else (never a path).
Result<store::Paths> snap_paths(const store::Paths& p, const std::string& snap) {
    auto nums = snap_numbers(p);
    for (int n : nums)
        if (snap == cat("snap", n)) return store::Paths{snaps_dir(p), snap};
    return error("no snapshot \"", snap, "\" (cnt-snapshot -L lists them)");
}

CopyOptions snapshot_options(const store::Paths& from, const std::string& name) {
    CopyOptions o;
    o.new_name = name;
    o.keep_name = true;
    o.keep_mac = true;
    config::Config cfg;
    config::Diagnostics d;
    if (config::load_file(from.config(), cfg, d))
        if (auto s = bdev::parse(cfg.rootfs.backend, cfg.rootfs.path))
            o.snapshot = s->kind == bdev::Kind::btrfs;
    return o;
}

Result<void> rename_dir(const std::string& from, const std::string& to) {
    if (::rename(from.c_str(), to.c_str()) != 0)
        return sys_error(cat("renaming \"", from, "\" to \"", to, "\""));
    return {};
}

void remove_dir(const std::string& dir) {
    std::vector<std::string> kept;
    auto r = store::remove_tree(dir, kept);
    if (!r || !kept.empty())
        log::error("\"", dir, "\" could not be removed",
                   r ? std::string() : ": " + r.error().message());
}

// The snapshot copied beside the container (.NAME.restore), then swapped in: the snapshots
// move over, the container's directory becomes .NAME.backup, the copy takes its name. Until
// that last rename, a failure leaves the container as it was; the backup goes at the end.
Result<void> restore_in_place(Container& c, Container& snap) {
    const store::Paths& p = c.paths();
    store::Paths tmp{p.lxcpath, "." + p.name + ".restore"},
        bak{p.lxcpath, "." + p.name + ".backup"};
    struct stat st {};
    if (::lstat(bak.dir().c_str(), &st) == 0)
        return error("\"", bak.dir(),
                     "\" exists: the state an earlier restore kept; remove it first");
    if (::lstat(tmp.dir().c_str(), &st) == 0) remove_dir(tmp.dir());
    CopyOptions o = snapshot_options(snap.paths(), tmp.name);
    CNT_TRY(copying::copy_into(snap, tmp, o));
    Undo undo;
    undo.push([d = tmp.dir()] { remove_dir(d); });
    CNT_TRY(rename_dir(snaps_dir(p), tmp.dir() + "/snaps"));
    undo.push([&] { (void)rename_dir(tmp.dir() + "/snaps", snaps_dir(p)); });
    CNT_TRY(rename_dir(p.dir(), bak.dir()));
    undo.push([&] { (void)rename_dir(bak.dir(), p.dir()); });
    CNT_TRY(rename_dir(tmp.dir(), p.dir()));
    undo.dismiss();
    CNT_ASSIGN(text, store::read_input(p.config()));
    clone::Rewrite r{tmp.dir(), p.dir(), p.name, std::nullopt, true, true};
    auto w = store::write_atomic(p.config(), clone::rewrite(text, r), 0640);
    if (!w)
        return error(w.error().message(), " (the state before the restore is in \"", bak.dir(),
                     "\")");
    remove_dir(bak.dir());
    return {};
}

}  // namespace

Result<void> Container::restore_snapshot(const std::string& snap, const std::string& new_name) {
    CNT_ASSIGN(sp, snap_paths(paths_, snap));
    CNT_ASSIGN(sc, Container::open(sp.name, sp.lxcpath));
    if (!new_name.empty() && new_name != name()) {
        CopyOptions o = snapshot_options(sp, new_name);
        o.new_lxcpath = paths_.lxcpath;
        o.keep_name = o.keep_mac = false;
        CNT_TRY(sc.copy(o));
        std::vector<std::string> kept;
        (void)store::remove_tree(sp.run_dir(), kept);
        return {};
    }
    CNT_ASSIGN(lock, store::Lock::acquire(paths_, store::Lock::Mode::wait, 10s));
    if (state() != State::stopped)
        return error("is running: stop it before restoring a snapshot over it");
    CNT_TRY(clones::check_none(paths_, "restore over"));
    CNT_TRY(restore_in_place(*this, sc));
    std::vector<std::string> kept;
    (void)store::remove_tree(sp.run_dir(), kept);
    return {};
}

Result<std::string> Container::snapshot(const std::string& comment_file) {
    std::string comment;
    if (!comment_file.empty()) {
        CNT_ASSIGN(text, store::read_input(comment_file, 1 << 20));
        comment = std::move(text);
    }
    auto nums = snap_numbers(paths_);
    std::string name = cat("snap", nums.empty() ? 0 : nums.back() + 1);
    CNT_TRY(store::mkdirs(snaps_dir(paths_), 0755));
    CopyOptions o = snapshot_options(paths_, name);
    o.new_lxcpath = snaps_dir(paths_);
    CNT_TRY(copy(o));
    store::Paths sp{snaps_dir(paths_), name};
    CNT_TRY(store::write_atomic(sp.dir() + "/ts", now_stamp() + "\n"));
    if (!comment.empty()) CNT_TRY(store::write_atomic(sp.dir() + "/comment", comment));
    // The snapshot's lock file (taken by the copy) is not kept in the run dir.
    std::vector<std::string> kept;
    (void)store::remove_tree(sp.run_dir(), kept);
    return name;
}

Result<std::vector<SnapshotInfo>> Container::snapshots() const {
    CNT_ASSIGN(is_defined, store::check_defined(paths_));
    if (!is_defined) return error("doesn't exist");
    std::vector<SnapshotInfo> out;
    for (int n : snap_numbers(paths_)) {
        SnapshotInfo i{cat("snap", n), snaps_dir(paths_), {}, {}};
        std::string d = i.dir + "/" + i.name;
        if (auto ts = store::read_input(d + "/ts", 256)) i.timestamp = *ts;
        while (!i.timestamp.empty() && i.timestamp.back() == '\n') i.timestamp.pop_back();
        if (auto c = store::read_input(d + "/comment", 1 << 20)) i.comment = *c;
        out.push_back(std::move(i));
    }
    return out;
}

Result<void> Container::destroy_snapshot(const std::string& snap) {
    std::vector<std::string> names;
    if (snap == "ALL") {
        for (int n : snap_numbers(paths_)) names.push_back(cat("snap", n));
    } else {
        CNT_ASSIGN(sp, snap_paths(paths_, snap));
        names.push_back(sp.name);
    }
    for (const auto& n : names) {
        CNT_ASSIGN(c, Container::open(n, snaps_dir(paths_)));
        CNT_TRY(c.destroy(DestroyOptions{}));
    }
    if (snap_numbers(paths_).empty()) (void)::rmdir(snaps_dir(paths_).c_str());
    return {};
}

}  // namespace cnt
