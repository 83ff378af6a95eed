// The overlay backend: "overlay:LOWER:UPPER", the workdir "olwork" beside UPPER (as LXC's);
// LOWER may itself be a ':' list (a snapshot of an overlay stacks its upper on its lower).
#include <sys/mount.h>
#include <sys/stat.h>

#include "bdev/backends.hpp"
#include "cnt/store.hpp"

namespace cnt::bdev::detail {
namespace {

Result<void> make_dir(const std::string& path) {
    if (::mkdir(path.c_str(), 0755) != 0) return sys_error(cat("creating \"", path, "\""));
    return {};
}

Result<void> create_overlay(const Spec& s, const Params&) {
    CNT_TRY(make_dir(s.path));
    CNT_TRY(make_dir(s.upper));
    return make_dir(s.work());
}

Result<unique_fd> open_overlay(const Spec& s) {
    unique_fd fs(::fsopen("overlay", FSOPEN_CLOEXEC));
    if (!fs) return sys_error("opening an overlay filesystem (fsopen)");
    const std::pair<const char*, std::string> opts[] = {
        {"source", "cnt"}, {"lowerdir", s.path}, {"upperdir", s.upper}, {"workdir", s.work()}};
    for (const auto& [k, v] : opts)
        if (::fsconfig(fs.get(), FSCONFIG_SET_STRING, k, v.c_str(), 0) != 0)
            return sys_error(cat("overlay \"", s.str(), "\": ", k, "=\"", v, "\""));
    return fs_mount(fs.get(), cat("overlay \"", s.str(), "\""));
}

Result<void> destroy_overlay(const Spec& s, const std::string& owner,
                             std::vector<std::string>& kept) {
    CNT_TRY(remove_owned(s.upper, owner, kept));
    CNT_TRY(remove_owned(s.work(), owner, kept));
    // A ':' list of lower layers is never one directory of ours.
    if (s.path.find(':') == std::string::npos) CNT_TRY(remove_owned(s.path, owner, kept));
    return {};
}

Result<Spec> snapshot_overlay(const Spec& src, const std::string& dir) {
    Spec s;
    s.kind = Kind::overlay;
    s.path = src.kind == Kind::overlay ? src.upper + ":" + src.path : src.path;
    s.upper = dir + "/delta0";
    CNT_TRY(make_dir(s.upper));
    CNT_TRY(make_dir(s.work()));
    return s;
}

}  // namespace

const Backend kOverlay{Kind::overlay, "overlay",       create_overlay,
                       open_overlay,  destroy_overlay, snapshot_overlay};

}  // namespace cnt::bdev::detail
