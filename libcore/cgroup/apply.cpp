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

// What the entries of one version leave to the later steps of an apply: the entries only
// the other version's hierarchy has, and the device rules for a cgroup2 program.
struct Plan {
    std::vector<config::CgroupEntry> to_v2, to_v1;
    std::vector<DeviceRule> bpf_rules;
};

Result<void> write_entry(const Dir& d, const std::string& file, const std::string& value,
                         const std::string& key, const config::Location& where) {
    if (int e = write_at(AT_FDCWD, d.path + "/" + file, value))
        return std::unexpected(
            Error{e, cat(key, ": writing \"", value, "\" to ", d.path, "/", file), where.str()});
    return {};
}

Result<DeviceRule> device_rule(const config::CgroupEntry& e) {
    auto rule = parse_device_rule(e.value, e.key == "devices.allow");
    if (!rule) return std::unexpected(std::move(rule.error()).within(e.where.str()));
    return rule;
}

// lxc.cgroup.devices.*: the v1 devices controller, else a cgroup2 device program.
Result<void> v1_device_entry(const Group::Dirs& g, const config::CgroupEntry& e, Plan& plan) {
    CNT_ASSIGN(rule, device_rule(e));
    if (const Dir* d = g.v1_for("devices")) {
        // The v1 files take "type major:minor access"; a path was resolved above.
        return write_entry(*d, e.key, device_rule_text(rule), "lxc.cgroup." + e.key, e.where);
    }
    if (!g.v2) return entry_error(ENOENT, "lxc.cgroup.", e, "no devices cgroup");
    if (plan.bpf_rules.empty())
        log::warn(
            "lxc.cgroup.devices.*: no cgroup v1 devices controller, rules enforced by a cgroup2 "
            "device program");
    plan.bpf_rules.push_back(rule);
    return {};
}

// lxc.cgroup.*: each to the v1 hierarchy with its controller; the others are for v1_to_v2.
Result<void> write_v1_entries(const Group::Dirs& g, const std::vector<config::CgroupEntry>& v1,
                              Plan& plan) {
    for (const auto& e : v1) {
        if (skip_device_rule(e.key)) continue;
        if (is_device_key(e.key)) {
            CNT_TRY(v1_device_entry(g, e, plan));
        } else if (const Dir* d = g.v1_for(controller_of(e.key))) {
            CNT_TRY(write_entry(*d, e.key, e.value, "lxc.cgroup." + e.key, e.where));
        } else if (g.v2) {
            plan.to_v2.push_back(e);
        } else {
            return entry_error(
                ENOENT, "lxc.cgroup.", e,
                cat("no cgroup hierarchy has the ", controller_of(e.key), " controller"));
        }
    }
    return {};
}

// lxc.cgroup2.*: each to the cgroup2 directory when it has the controller (or the file); the
// others are for v2_to_v1. Device rules always go to a program.
Result<void> write_v2_entries(const Group::Dirs& g, const std::vector<config::CgroupEntry>& v2,
                              Plan& plan) {
    std::vector<std::string> v2_ctrls;
    if (g.v2 && !v2.empty())
        if (auto t = store::read_file_at(g.v2fd.get(), "cgroup.controllers")) {
            for (auto c : words(*t)) v2_ctrls.emplace_back(c);
        }
    for (const auto& e : v2) {
        if (skip_device_rule(e.key)) continue;
        if (is_device_key(e.key)) {
            // cgroup2 has no device files: LXC's syntax compiled to a BPF program, always
            // (also on hybrid hosts, where lxc.cgroup.devices.* uses the v1 controller).
            CNT_ASSIGN(rule, device_rule(e));
            plan.bpf_rules.push_back(rule);
            continue;
        }
        std::string ctrl = controller_of(e.key);
        bool here = g.v2 && (ctrl == "cgroup" ||
                             std::find(v2_ctrls.begin(), v2_ctrls.end(), ctrl) != v2_ctrls.end() ||
                             ::faccessat(g.v2fd.get(), e.key.c_str(), F_OK, 0) == 0);
        if (here)
            CNT_TRY(write_entry(*g.v2, e.key, e.value, "lxc.cgroup2." + e.key, e.where));
        else if (!g.v1.empty())
            plan.to_v1.push_back(e);
        else
            return entry_error(ENOENT, "lxc.cgroup2.", e,
                               cat("no cgroup hierarchy has the ", ctrl, " controller"));
    }
    return {};
}

// lxc.cgroup.* that only the cgroup2 tree has, as cgroup2 files (each write said once).
Result<void> write_as_v2(const Group::Dirs& g, const std::vector<config::CgroupEntry>& to_v2) {
    if (to_v2.empty()) return {};
    CNT_ASSIGN(writes, v1_to_v2(to_v2));
    for (const auto& w : writes) {
        log::warn(w.note);
        CNT_TRY(write_entry(*g.v2, w.file, w.value, "lxc.cgroup." + to_v2[w.entry].key,
                            to_v2[w.entry].where));
    }
    return {};
}

// lxc.cgroup2.* that only a v1 hierarchy has, as v1 files.
Result<void> write_as_v1(const Group::Dirs& g, const std::vector<config::CgroupEntry>& to_v1) {
    if (to_v1.empty()) return {};
    CNT_ASSIGN(writes, v2_to_v1(to_v1));
    for (const auto& w : writes) {
        const auto& e = to_v1[w.entry];
        const Dir* d = g.v1_for(controller_of(w.file));
        if (!d)
            return entry_error(
                ENOENT, "lxc.cgroup2.", e,
                cat("no cgroup hierarchy has the ", controller_of(w.file), " controller"));
        log::warn(w.note);
        CNT_TRY(write_entry(*d, w.file, w.value, "lxc.cgroup2." + e.key, e.where));
    }
    return {};
}

// The rules meant for a cgroup2 device program: compiled and attached to the cgroup2
// directory (replacing an earlier apply's), or on a v1-only host written to the v1 devices
// controller in their order.
Result<void> write_device_program(const Group::Dirs& g, const std::vector<DeviceRule>& rules) {
    if (rules.empty()) return {};
    if (g.v2) return attach_device_program(g.v2fd.get(), build_device_program(reduce_rules(rules)));
    const Dir* d = g.v1_for("devices");
    if (!d)
        return errno_error(ENOTSUP,
                           "lxc.cgroup2.devices.*: no cgroup2 hierarchy for the device program "
                           "and no cgroup v1 devices controller");
    for (const auto& r : rules)
        CNT_TRY(write_entry(*d, r.allow ? "devices.allow" : "devices.deny", device_rule_text(r),
                            "lxc.cgroup2.devices", {}));
    return {};
}

}  // namespace

// In order: each version's entries where the host has them, then those only the other
// version has (translated), then the device program.
Result<void> Group::apply(const config::CgroupSettings& s) {
    Plan plan;
    CNT_TRY(write_v1_entries(*d_, s.v1, plan));
    CNT_TRY(write_v2_entries(*d_, s.v2, plan));
    CNT_TRY(write_as_v2(*d_, plan.to_v2));
    CNT_TRY(write_as_v1(*d_, plan.to_v1));
    return write_device_program(*d_, plan.bpf_rules);
}

}  // namespace cnt::cgroup
