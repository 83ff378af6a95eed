// cnt-destroy: delete a container's directory and rootfs, and nothing outside them.
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cnt/bdev.hpp"
#include "cnt/config.hpp"
#include "cnt/container.hpp"
#include "cnt/dir.hpp"
#include "cnt/log.hpp"
#include "cnt/text.hpp"
#include "container/clones.hpp"
#include "container/user.hpp"

namespace cnt {
namespace {

// The rootfs as the config gives it ("dir:/x", "/x", "overlay:...").
std::string rootfs_value(const store::Paths& p) {
    config::Config cfg;
    config::Diagnostics d;
    if (config::load_file(p.config(), cfg, d)) {
        if (cfg.rootfs.path.empty()) return {};
        return cfg.rootfs.backend.empty() ? cfg.rootfs.path
                                          : cfg.rootfs.backend + ":" + cfg.rootfs.path;
    }
    // A config the reader rejects must not keep a container from being destroyed: find the
    // rootfs line by hand (the last one wins, as when reading).
    auto text = store::read_input(p.config());
    if (!text) return {};
    std::string value;
    size_t i = 0;
    while (i < text->size()) {
        size_t e = text->find('\n', i);
        if (e == std::string::npos) e = text->size();
        auto line = trim(std::string_view(*text).substr(i, e - i));
        i = e + 1;
        auto eq = line.find('=');
        if (line.empty() || line.front() == '#' || eq == std::string_view::npos) continue;
        auto k = trim(line.substr(0, eq));
        if (k == "lxc.rootfs.path" || k == "lxc.rootfs") value = trim(line.substr(eq + 1));
    }
    return value;
}

// "." and ".." and repeated slashes resolved on the text alone.
std::string normalize(const std::string& path) {
    std::vector<std::string> parts;
    size_t i = 0;
    while (i <= path.size()) {
        size_t j = path.find('/', i);
        if (j == std::string::npos) j = path.size();
        std::string part = path.substr(i, j - i);
        if (part == "..") {
            if (!parts.empty()) parts.pop_back();
        } else if (!part.empty() && part != ".") {
            parts.push_back(part);
        }
        i = j + 1;
    }
    std::string out;
    for (const auto& p : parts) out += "/" + p;
    return out.empty() ? "/" : out;
}

bool under(const std::string& path, const std::string& dir) {
    return path == dir || path.rfind(dir + "/", 0) == 0;
}

std::string real(const std::string& path) {
    char buf[PATH_MAX];
    return ::realpath(path.c_str(), buf) ? std::string(buf) : std::string();
}

Result<std::vector<std::string>> entries(const std::string& dir) {
    DirReader d(dir);
    if (!d) return sys_error(cat("reading \"", dir, "\""));
    std::vector<std::string> names;
    while (const dirent* de = d.next()) names.push_back(de->d_name);
    return names;
}

void note(const DestroyOptions& o, std::string msg) {
    if (o.notes)
        o.notes->push_back(msg);
    else
        log::warn(msg);
}

// A container directory without a config: empty, it is what a destroy whose last rmdir failed
// left behind, and goes now; with anything in it, it is not ours to remove.
Result<void> remove_leftover(const store::Paths& p) {
    if (::rmdir(p.dir().c_str()) == 0) return {};
    if (errno == ENOENT || errno == ENOTEMPTY || errno == EEXIST || errno == ENOTDIR)
        return error("Container is not defined");
    return sys_error(cat("removing the empty directory \"", p.dir(), "\""));
}

// The run dir goes too (its lock file is ours until we return; unlinking it is fine). Its
// parent is shared by the lxcpath's other containers and stays.
Result<void> remove_run_dir(const store::Paths& p) {
    std::vector<std::string> run_kept;
    (void)store::remove_tree(p.run_dir(), run_kept);
    return {};
}

// Nothing is made (no run dir, no lock file) for a container that does not exist.
Result<void> check_dir_exists(const store::Paths& p) {
    struct stat dst {};
    if (::stat(p.dir().c_str(), &dst) == 0) return {};
    if (errno != ENOENT && errno != ENOTDIR) return sys_error(cat("checking \"", p.dir(), "\""));
    return error("Container is not defined");
}

// The deletion of one stopped, locked container's files. One pass tries everything: the
// mount points it must keep and the first error are collected and reported at the end.
class Removal {
  public:
    Removal(const store::Paths& p, const DestroyOptions& o)
        : p_(p), o_(o), dir_(p.dir()), remover_(user::remover_for(p)) {}

    Result<void> run() {
        CNT_TRY(mark_destroying());
        CNT_TRY(remove_rootfs());
        CNT_TRY(remove_all_but_config());
        return remove_config_and_dir();
    }

  private:
    // From here on part of the container may be gone: a destroy that dies or fails leaves the
    // marker, which keeps cnt-start and cnt-copy away until cnt-destroy finishes the job.
    Result<void> mark_destroying() {
        unique_fd fd(
            ::open(p_.destroying().c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
        if (!fd) return sys_error(cat("creating \"", p_.destroying(), "\""));
        return {};
    }

    // A user's rootfs belongs to its subordinate ids: removed by the container's root (in a
    // user namespace with the maps), as LXC does.
    void remove(const std::string& path) {
        keep_failure(remover_ ? remover_(path, kept_) : store::remove_tree(path, kept_));
    }
    void keep_failure(Result<void> r) {
        if (!r && !failed_) failed_ = std::move(r.error());
    }

    // A rootfs outside <lxcpath>/<name> may be anything (an admin's tree, a shared image):
    // only --include-rootfs deletes it.
    Result<void> remove_rootfs() {
        std::string value = rootfs_value(p_);
        std::string backend, rootfs = value;
        if (auto colon = value.find(':'); colon != std::string::npos && value.front() != '/') {
            backend = value.substr(0, colon);
            rootfs = value.substr(colon + 1);
        }
        if (rootfs.empty()) return {};
        // Another backing store: its parts inside <dir> go through it (a btrfs subvolume
        // deleted as one, an overlay's upper and workdir); an overlay clone's lower layer is
        // its source's and stays.
        auto spec = bdev::parse(backend, rootfs);
        if (spec && spec->kind != bdev::Kind::dir) {
            keep_failure(bdev::destroy(*spec, dir_, kept_));
            return {};
        }
        std::string n = normalize(rootfs);
        if (inside_dir(n)) return {};
        if (!backend.empty() && backend != "dir") {
            note(o_, cat("kept rootfs \"", value, "\": cnt-destroy only deletes \"dir\" rootfs"));
        } else if (!o_.include_rootfs) {
            note(o_, cat("kept rootfs \"", n, "\": it is outside \"", dir_,
                         "\" (--include-rootfs deletes it)"));
        } else if (n == "/" || under(normalize(p_.lxcpath), n)) {
            return error("refusing to delete rootfs \"", n, "\": it holds the lxcpath");
        } else {
            remove(n);
        }
        return {};
    }

    bool inside_dir(const std::string& n) const {
        if (under(n, dir_)) return true;
        std::string rr = real(n), rd = real(dir_);
        return !rr.empty() && !rd.empty() && under(rr, rd);
    }

    // Everything but the config first: if a mount point must be kept, the container stays
    // defined, so cnt-destroy can be run again once it is unmounted.
    Result<void> remove_all_but_config() {
        CNT_ASSIGN(names, entries(dir_));
        for (const auto& e : names)
            if (e != "config" && e != "destroying") remove(dir_ + "/" + e);
        if (!kept_.empty()) {
            std::string list;
            for (const auto& k : kept_) list += (list.empty() ? "\"" : ", \"") + k + "\"";
            return error("not removed: mount point", kept_.size() > 1 ? "s " : " ", list,
                         " (unmount, then destroy again)");
        }
        if (failed_) return std::unexpected(std::move(*failed_));
        return {};
    }

    // The config goes last, with the directory: a failure before leaves a defined container,
    // one after (the rmdir) an empty directory that the next cnt-destroy or cnt-create removes.
    Result<void> remove_config_and_dir() {
        // Nothing but the config and the marker is left: the marker goes first, so a failure
        // here leaves the container defined (and one killed right after, a config without a
        // rootfs, which cnt-start refuses by itself).
        if (::unlinkat(AT_FDCWD, p_.destroying().c_str(), 0) != 0 && errno != ENOENT)
            return sys_error(cat("removing \"", p_.destroying(), "\""));
        remove(dir_);
        if (failed_ && !store::defined(p_))
            return error(failed_->message(), " (the container is gone but its empty directory ",
                         "stayed: cnt-destroy again removes it)");
        if (failed_) return std::unexpected(std::move(*failed_));
        if (!kept_.empty()) return error("not removed: \"", kept_.front(), "\" is a mount point");
        return {};
    }

    const store::Paths& p_;
    const DestroyOptions& o_;
    const std::string dir_;
    const store::Remover remover_;
    std::vector<std::string> kept_;
    std::optional<Error> failed_;
};

}  // namespace

Result<void> Container::destroy(const DestroyOptions& o) {
    // stop() takes the container's lock itself: stop first, then lock and look again.
    // An unusable run-state file may hide a running container: stopped first too (-k kills
    // it through its cgroups), refused without -f.
    CNT_ASSIGN(was_defined, store::check_defined(paths_));
    auto rs = read_run_state();
    if (was_defined && (!rs || state() != State::stopped)) {
        if (!o.force)
            return rs ? std::unexpected(Error{0, "is running", name()})
                      : std::unexpected(std::move(rs.error()));
        StopOptions so;
        so.kill = true;
        CNT_TRY(stop(so));
    }
    CNT_TRY(check_dir_exists(paths_));
    CNT_ASSIGN(lock, store::Lock::acquire(paths_));
    // A half-made container (its creator died, or its cleanup failed) is removed by this.
    CNT_ASSIGN(half_made, store::recover_partial(paths_, user::remover_for(paths_)));
    if (half_made) return remove_run_dir(paths_);
    CNT_ASSIGN(is_defined, store::check_defined(paths_));
    if (!is_defined) return remove_leftover(paths_);
    if (rs = read_run_state(); !rs) return std::unexpected(std::move(rs.error()));
    if (state() != State::stopped) return std::unexpected(Error{0, "is running", name()});

    CNT_TRY(clones::check_none(paths_, "destroy"));
    CNT_TRY(Removal(paths_, o).run());
    return remove_run_dir(paths_);
}

}  // namespace cnt
