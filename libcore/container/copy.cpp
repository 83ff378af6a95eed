// cnt-copy: a new container from an existing one (full copy, snapshot clone, rename), all or
// nothing: the new directory carries the creation marker (store::Partial) until it is done.
#include "container/copy.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cnt/bdev.hpp"
#include "cnt/config.hpp"
#include "cnt/container.hpp"
#include "cnt/log.hpp"
#include "cnt/scope.hpp"
#include "container/clone_config.hpp"
#include "container/clones.hpp"
#include "ns/userns.hpp"

namespace cnt {
namespace {

using namespace std::chrono_literals;

// What is copied of the container's directory besides its store: hook scripts, fstab files...
// but not the store, the config (rewritten), snapshots, logs or markers.
std::vector<std::string> not_copied(const std::string& name) {
    return {"config",  "rootfs",        "delta0", "olwork",  "rootdev",    "snaps",
            "partial", "lxc_snapshots", "ts",     "comment", name + ".log"};
}

Result<bdev::Spec> source_spec(const store::Paths& p) {
    config::Config cfg;
    config::Diagnostics d;
    if (!config::load_file(p.config(), cfg, d) || d.has_errors())
        return error("its config \"", p.config(), "\" cannot be read (cnt-info --check)");
    if (cfg.rootfs.path.empty()) return error("it has no rootfs (lxc.rootfs.path is empty)");
    return bdev::parse(cfg.rootfs.backend, cfg.rootfs.path);
}

// The new container's store, laid out as cnt-create -B lays it out.
bdev::Spec layout(bdev::Kind k, const std::string& dir) {
    bdev::Spec s{k, dir + "/rootfs", {}};
    if (k == bdev::Kind::overlay) s.upper = dir + "/delta0";
    if (k == bdev::Kind::loop) s.path = dir + "/rootdev";
    return s;
}

Result<void> make_mount_point(const bdev::Spec& s, const std::string& dir) {
    std::string m = dir + "/rootfs";
    if (bdev::needs_mount(s.kind) && s.path != m && ::mkdir(m.c_str(), 0755) != 0)
        return sys_error(cat("creating \"", m, "\""));
    return {};
}

bdev::Params params_for(const bdev::Spec& from, const CopyOptions& o) {
    bdev::Params p;
    struct stat st {};
    if (o.fssize)
        p.fssize = o.fssize;
    else if (from.kind == bdev::Kind::loop && ::stat(from.path.c_str(), &st) == 0)
        p.fssize = static_cast<uint64_t>(st.st_size);
    return p;
}

// A full copy: a new store of the kind asked (the source's; dir for an overlay), filled by
// copy_tree from the source's root (its merged view for an overlay or an image).
Result<bdev::Spec> full_copy(const bdev::Spec& from, const std::string& dir, const CopyOptions& o) {
    bdev::Kind k = from.kind == bdev::Kind::overlay ? bdev::Kind::dir : from.kind;
    if (!o.backend.empty()) {
        CNT_ASSIGN(b, bdev::parse_kind(o.backend));
        k = b;
    }
    bdev::Spec to = layout(k, dir);
    CNT_TRY(bdev::create(to, params_for(from, o)));
    CNT_TRY(make_mount_point(to, dir));
    CNT_ASSIGN(in, bdev::open_root(from));
    // An overlay made by a copy holds the tree in its lower layer, as cnt-create's.
    bdev::Spec target = to;
    if (k == bdev::Kind::overlay) target.kind = bdev::Kind::dir;
    CNT_ASSIGN(out, bdev::open_root(target));
    CNT_TRY(bdev::copy_tree(in.get(), out.get()));
    return to;
}

// A snapshot clone; a running source is frozen for it (only btrfs gets here running).
Result<bdev::Spec> snapshot_copy(Container& src, const bdev::Spec& from, const std::string& dir,
                                 const CopyOptions& o, bool live) {
    bdev::Kind natural = from.kind == bdev::Kind::btrfs ? bdev::Kind::btrfs : bdev::Kind::overlay;
    if (!o.backend.empty()) {
        CNT_ASSIGN(b, bdev::parse_kind(o.backend));
        if (b != natural)
            return error("a snapshot (-s) of a ", bdev::name(from.kind), " rootfs is ",
                         bdev::name(natural), ", not ", bdev::name(b));
    }
    if (live) CNT_TRY(src.freeze(10s));
    scope_exit thaw([&] {
        if (live)
            if (auto r = src.unfreeze(10s); !r) log::error("thawing: ", r.error().message());
    });
    CNT_ASSIGN(to, bdev::snapshot(from, dir));
    CNT_TRY(make_mount_point(to, dir));
    return to;
}

// The name is free (a creator's leftovers removed, as cnt-create does).
Result<void> claim(const store::Paths& p) {
    CNT_TRY(store::recover_partial(p));
    CNT_ASSIGN(exists, store::check_defined(p));
    if (exists) return error("Container already exists");
    struct stat st {};
    if (::lstat(p.dir().c_str(), &st) == 0 &&
        !(S_ISDIR(st.st_mode) && ::rmdir(p.dir().c_str()) == 0))
        return error("\"", p.dir(),
                     "\" exists but holds no config; remove it or choose another name");
    return {};
}

void remove_created(const store::Paths& p) {
    std::vector<std::string> kept;
    auto r = store::remove_half_created(p, kept);
    if (!r) log::error("cleaning up: ", r.error().message());
    for (const auto& k : kept) log::error("cleaning up: mount point \"", k, "\" kept");
    if (!r || !kept.empty())
        log::error("cleaning up: \"", p.dir(),
                   "\" stays, marked half-created (cnt-destroy removes it)");
}

Result<void> write_config(const store::Paths& from, const store::Paths& to,
                          const bdev::Spec& rootfs, const CopyOptions& o) {
    CNT_ASSIGN(text, store::read_input(from.config()));
    clone::Rewrite r{from.dir(),  to.dir(),   to.name,    rootfs.str(),
                     o.keep_name, o.keep_mac, o.ephemeral};
    CNT_TRY(store::write_atomic(to.config(), clone::rewrite(text, r), 0640));
    if (::chmod(to.config().c_str(), 0640) != 0)
        return sys_error(cat("chmod \"", to.config(), "\""));
    config::Config cfg;
    config::Diagnostics d;
    if (!config::load_file(to.config(), cfg, d) || d.has_errors())
        return error("the copy's config \"", to.config(), "\" is invalid");
    return {};
}

Result<void> copy_dir_files(const store::Paths& from, const store::Paths& to) {
    CNT_ASSIGN(in, bdev::open_root(bdev::Spec{bdev::Kind::dir, from.dir(), {}}));
    CNT_ASSIGN(out, bdev::open_root(bdev::Spec{bdev::Kind::dir, to.dir(), {}}));
    auto r = bdev::copy_tree(in.get(), out.get(), not_copied(from.name));
    if (!r)
        return std::unexpected(std::move(r.error().within(cat("copying \"", from.dir(), "\""))));
    return {};
}

Result<void> copy_locked(Container& src, const store::Paths& to, const bdev::Spec& from,
                         const CopyOptions& o, bool live) {
    CNT_TRY(claim(to));
    CNT_TRY(store::mkdirs(to.lxcpath, 0755));
    if (::mkdir(to.dir().c_str(), 0770) != 0) return sys_error(cat("creating \"", to.dir(), "\""));
    Undo undo;
    undo.push([&to] { remove_created(to); });
    CNT_ASSIGN(partial, store::Partial::create(to));
    CNT_TRY(copy_dir_files(src.paths(), to));
    bdev::Spec spec;
    if (o.snapshot) {
        CNT_ASSIGN(s, snapshot_copy(src, from, to.dir(), o, live));
        spec = std::move(s);
    } else {
        CNT_ASSIGN(s, full_copy(from, to.dir(), o));
        spec = std::move(s);
    }
    CNT_TRY(write_config(src.paths(), to, spec, o));
    if (spec.kind == bdev::Kind::overlay) CNT_TRY(clones::record(src.paths(), to));
    if (::unlink(to.partial().c_str()) != 0 && errno != ENOENT)
        return sys_error(cat("removing the creation marker \"", to.partial(), "\""));
    partial.finish();
    undo.dismiss();
    return {};
}

// -R: the directory renamed (one rename(2): nothing half-done), then its config's paths.
Result<void> rename_locked(const store::Paths& from, const store::Paths& to, const CopyOptions& o) {
    CNT_TRY(claim(to));
    CNT_TRY(clones::check_none(from, "rename"));
    CNT_TRY(store::mkdirs(to.lxcpath, 0755));
    CNT_ASSIGN(text, store::read_input(from.config()));
    if (::rename(from.dir().c_str(), to.dir().c_str()) != 0) {
        if (errno == EXDEV)
            return error("renaming \"", from.dir(), "\" to \"", to.dir(),
                         "\": another filesystem (cnt-copy, then cnt-destroy)");
        return sys_error(cat("renaming \"", from.dir(), "\" to \"", to.dir(), "\""));
    }
    clone::Rewrite r{from.dir(), to.dir(), to.name, std::nullopt, o.keep_name, true};
    if (auto w = store::write_atomic(to.config(), clone::rewrite(text, r), 0640); !w) {
        (void)::rename(to.dir().c_str(), from.dir().c_str());
        return w;
    }
    (void)::rename((to.dir() + "/" + from.name + ".log").c_str(), to.logfile().c_str());
    std::vector<std::string> kept;
    (void)store::remove_tree(from.run_dir(), kept);
    return {};
}

}  // namespace

namespace copying {

Result<void> copy_into(Container& src, const store::Paths& to, const CopyOptions& o) {
    CNT_TRY(store::check_not_half_destroyed(src.paths(), "copy"));
    CNT_ASSIGN(from, source_spec(src.paths()));
    return copy_locked(src, to, from, o, false);
}

}  // namespace copying

Result<Container> Container::copy(const CopyOptions& o) {
    if (ns::unprivileged()) return error("cnt-copy needs root");
    CNT_ASSIGN(dst, open(o.new_name, o.new_lxcpath.empty() ? paths_.lxcpath : o.new_lxcpath));
    if (dst.paths().dir() == paths_.dir()) return error("the copy would be the container itself");
    CNT_ASSIGN(src_lock, store::Lock::acquire(paths_, store::Lock::Mode::wait, 10s));
    CNT_ASSIGN(is_defined, store::check_defined(paths_));
    if (!is_defined) return error("doesn't exist");
    bool live = state() != State::stopped;
    if (o.rename) {
        if (live) return error("is running: stop it before renaming it");
        CNT_ASSIGN(dst_lock, store::Lock::acquire(dst.paths()));
        CNT_TRY(rename_locked(paths_, dst.paths(), o));
        return dst;
    }
    CNT_ASSIGN(from, source_spec(paths_));
    if (live && !(o.snapshot && bdev::snapshots_live(from.kind)))
        return error("is running: only a btrfs snapshot (-s) copies a running container ",
                     "consistently (frozen for it); stop it first");
    // A running source is frozen for its snapshot: freeze takes the lock itself.
    if (live) src_lock.release();
    CNT_ASSIGN(dst_lock, store::Lock::acquire(dst.paths()));
    CNT_TRY(copy_locked(*this, dst.paths(), from, o, live));
    return dst;
}

}  // namespace cnt
