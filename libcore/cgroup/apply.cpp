// lxc.cgroup.* / lxc.cgroup2.* entries: each goes to the hierarchy that has its controller,
// translated to the other version's file when only that one has it, and device rules go to
// the v1 devices controller or to a cgroup2 device program.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

#include "cgroup/devices.hpp"
#include "cgroup/fsio.hpp"
#include "cgroup/group.hpp"
#include "cgroup/translate.hpp"
#include "cnt/log.hpp"
#include "cnt/store.hpp"
#include "cnt/text.hpp"

namespace cnt::cgroup {
namespace {

std::string controller_of(const std::string& key) { return key.substr(0, key.find('.')); }
bool is_device_key(const std::string& key) {
    return key == "devices.allow" || key == "devices.deny";
}

// A user's container: the kernel lets only root write v1 device rules or load a device
// program, and the user namespace confines devices already (no mknod; a host node bound in
// keeps its host owner and mode, unmapped inside). The rules are skipped, said once.
bool skip_device_rule(const std::string& key) {
    if (!is_device_key(key) || ::geteuid() == 0) return false;
    static bool said = false;
    if (!said) log::info("cgroup: device rules skipped: a user's container cannot set them");
    said = true;
    return true;
}

std::unexpected<Error> entry_error(int err, const char* prefix, const config::CgroupEntry& e,
                                   std::string why) {
    return std::unexpected(
        Error{err, cat(prefix, e.key, " = ", e.value, ": ", why), e.where.str()});
}

}  // namespace

Result<void> FsGroup::write_entry(const Dir& d, const std::string& file, const std::string& value,
                                  const std::string& key, const config::Location& where) {
    if (int e = write_at(AT_FDCWD, d.path + "/" + file, value))
        return std::unexpected(
            Error{e, cat(key, ": writing \"", value, "\" to ", d.path, "/", file), where.str()});
    return {};
}

Result<void> FsGroup::apply(const config::CgroupSettings& s) {
    std::vector<DeviceRule> bpf_rules;
    bool want_bpf = false;
    std::vector<config::CgroupEntry> to_v2, to_v1;

    for (const auto& e : s.v1) {
        const std::string key = "lxc.cgroup." + e.key;
        if (skip_device_rule(e.key)) continue;
        if (is_device_key(e.key)) {
            auto rule = parse_device_rule(e.value, e.key == "devices.allow");
            if (!rule) return std::unexpected(std::move(rule.error()).within(e.where.str()));
            if (const Dir* d = v1("devices")) {
                // The v1 files take "type major:minor access"; a path was resolved above.
                CNT_TRY(write_entry(*d, e.key, device_rule_text(*rule), key, e.where));
            } else if (v2_) {
                if (!want_bpf)
                    log::warn(
                        "lxc.cgroup.devices.*: no cgroup v1 devices controller, rules enforced by "
                        "a cgroup2 device program");
                bpf_rules.push_back(*rule);
                want_bpf = true;
            } else {
                return entry_error(ENOENT, "lxc.cgroup.", e, "no devices cgroup");
            }
            continue;
        }
        if (const Dir* d = v1(controller_of(e.key)))
            CNT_TRY(write_entry(*d, e.key, e.value, key, e.where));
        else if (v2_)
            to_v2.push_back(e);
        else
            return entry_error(
                ENOENT, "lxc.cgroup.", e,
                cat("no cgroup hierarchy has the ", controller_of(e.key), " controller"));
    }

    std::vector<std::string> v2_ctrls;
    if (v2_ && !s.v2.empty())
        if (auto t = store::read_file_at(v2fd_.get(), "cgroup.controllers")) {
            for (auto c : words(*t)) v2_ctrls.emplace_back(c);
        }
    for (const auto& e : s.v2) {
        const std::string key = "lxc.cgroup2." + e.key;
        if (skip_device_rule(e.key)) continue;
        if (is_device_key(e.key)) {
            // cgroup2 has no device files: LXC's syntax compiled to a BPF program, always
            // (also on hybrid hosts, where lxc.cgroup.devices.* uses the v1 controller).
            auto rule = parse_device_rule(e.value, e.key == "devices.allow");
            if (!rule) return std::unexpected(std::move(rule.error()).within(e.where.str()));
            bpf_rules.push_back(*rule);
            want_bpf = true;
            continue;
        }
        std::string ctrl = controller_of(e.key);
        bool here = v2_ && (ctrl == "cgroup" ||
                            std::find(v2_ctrls.begin(), v2_ctrls.end(), ctrl) != v2_ctrls.end() ||
                            ::faccessat(v2fd_.get(), e.key.c_str(), F_OK, 0) == 0);
        if (here)
            CNT_TRY(write_entry(*v2_, e.key, e.value, key, e.where));
        else if (!v1_.empty())
            to_v1.push_back(e);
        else
            return entry_error(ENOENT, "lxc.cgroup2.", e,
                               cat("no cgroup hierarchy has the ", ctrl, " controller"));
    }

    if (!to_v2.empty()) {
        CNT_ASSIGN(writes, v1_to_v2(to_v2));
        for (const auto& w : writes) {
            log::warn(w.note);
            CNT_TRY(write_entry(*v2_, w.file, w.value, "lxc.cgroup." + to_v2[w.entry].key,
                                to_v2[w.entry].where));
        }
    }
    if (!to_v1.empty()) {
        CNT_ASSIGN(writes, v2_to_v1(to_v1));
        for (const auto& w : writes) {
            const auto& e = to_v1[w.entry];
            const Dir* d = v1(controller_of(w.file));
            if (!d)
                return entry_error(
                    ENOENT, "lxc.cgroup2.", e,
                    cat("no cgroup hierarchy has the ", controller_of(w.file), " controller"));
            log::warn(w.note);
            CNT_TRY(write_entry(*d, w.file, w.value, "lxc.cgroup2." + e.key, e.where));
        }
    }
    if (want_bpf && !v2_) {
        // A v1-only host: the same rules go to the v1 devices controller, in their order.
        const Dir* d = v1("devices");
        if (!d)
            return errno_error(ENOTSUP,
                               "lxc.cgroup2.devices.*: no cgroup2 hierarchy for the device "
                               "program and no cgroup v1 devices controller");
        for (const auto& r : bpf_rules)
            CNT_TRY(write_entry(*d, r.allow ? "devices.allow" : "devices.deny", device_rule_text(r),
                                "lxc.cgroup2.devices", {}));
        return {};
    }
    if (want_bpf) {
        auto prog = build_device_program(reduce_rules(bpf_rules));
        CNT_TRY(attach_device_program(v2fd_.get(), prog));
    }
    return {};
}

}  // namespace cnt::cgroup
