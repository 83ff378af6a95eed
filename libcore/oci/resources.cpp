// linux.resources as lxc.cgroup.<file> entries (v1 names; the cgroup driver translates them
// for a cgroup2 host) and linux.resources.unified as lxc.cgroup2.<file> ones.
#include "cnt/oci.hpp"
#include "oci/json.hpp"

namespace cnt::oci {

namespace {

struct Out {
    config::CgroupSettings cg;
    void v1(std::string key, std::string value) {
        cg.v1.push_back({std::move(key), std::move(value), {"config.json", 0}});
    }
};

Result<void> memory(const json& m, Out& o) {
    const std::string p = "linux.resources.memory";
    CNT_TRY(known_keys(m, p,
                       {"limit", "reservation", "swap", "kernel", "kernelTCP", "swappiness",
                        "disableOOMKiller", "useHierarchy", "checkBeforeUpdate"}));
    for (const char* k : {"kernel", "kernelTCP"})
        if (m.contains(k) && !m[k].is_null()) return error(cat(p, ".", k, " is not supported"));
    auto num = [&](const char* k, const char* file) -> Result<void> {
        if (!m.contains(k) || m[k].is_null()) return {};
        CNT_ASSIGN(v, get_int(m, k, p));
        o.v1(file, std::to_string(v));
        return {};
    };
    CNT_TRY(num("limit", "memory.limit_in_bytes"));
    CNT_TRY(num("reservation", "memory.soft_limit_in_bytes"));
    CNT_TRY(num("swap", "memory.memsw.limit_in_bytes"));
    CNT_TRY(num("swappiness", "memory.swappiness"));
    CNT_ASSIGN(no_oom, get_bool(m, "disableOOMKiller", p));
    if (no_oom) o.v1("memory.oom_control", "1");
    return {};
}

Result<void> cpu(const json& c, Out& o) {
    const std::string p = "linux.resources.cpu";
    CNT_TRY(known_keys(c, p,
                       {"shares", "quota", "period", "realtimeRuntime", "realtimePeriod", "cpus",
                        "mems", "idle", "burst"}));
    for (const char* k : {"realtimeRuntime", "realtimePeriod", "idle", "burst"})
        if (c.contains(k) && !c[k].is_null() && c[k] != 0)
            return error(cat(p, ".", k, " is not supported"));
    if (c.contains("shares") && !c["shares"].is_null() && c["shares"] != 0) {
        CNT_ASSIGN(v, get_int(c, "shares", p));
        o.v1("cpu.shares", std::to_string(v));
    }
    // The period first: a quota is checked against the period in force.
    if (c.contains("period") && !c["period"].is_null() && c["period"] != 0) {
        CNT_ASSIGN(v, get_int(c, "period", p));
        o.v1("cpu.cfs_period_us", std::to_string(v));
    }
    if (c.contains("quota") && !c["quota"].is_null() && c["quota"] != 0) {
        CNT_ASSIGN(v, get_int(c, "quota", p));
        o.v1("cpu.cfs_quota_us", std::to_string(v));
    }
    CNT_ASSIGN(cpus, get_string(c, "cpus", p));
    if (!cpus.empty()) o.v1("cpuset.cpus", cpus);
    CNT_ASSIGN(mems, get_string(c, "mems", p));
    if (!mems.empty()) o.v1("cpuset.mems", mems);
    return {};
}

Result<void> devices(const json& d, Out& o) {
    const std::string p = "linux.resources.devices";
    if (!d.is_array()) return error(cat(p, " is not an array"));
    for (const auto& r : d) {
        CNT_TRY(known_keys(r, p, {"allow", "type", "major", "minor", "access"}));
        CNT_ASSIGN(allow, get_bool(r, "allow", p));
        CNT_ASSIGN(type, get_string(r, "type", p));
        CNT_ASSIGN(access, get_string(r, "access", p));
        CNT_ASSIGN(maj, get_int(r, "major", p, -1));
        CNT_ASSIGN(min, get_int(r, "minor", p, -1));
        if (type.empty()) type = "a";
        if (access.empty()) access = "rwm";
        auto n = [](int64_t v) { return v < 0 ? std::string("*") : std::to_string(v); };
        std::string rule = type == "a" ? "a" : cat(type, " ", n(maj), ":", n(min), " ", access);
        o.v1(allow ? "devices.allow" : "devices.deny", rule);
    }
    return {};
}

Result<void> block_io(const json& b, Out& o) {
    const std::string p = "linux.resources.blockIO";
    CNT_TRY(known_keys(
        b, p,
        {"weight", "leafWeight", "weightDevice", "throttleReadBpsDevice", "throttleWriteBpsDevice",
         "throttleReadIOPSDevice", "throttleWriteIOPSDevice"}));
    if (b.contains("leafWeight") || b.contains("weightDevice"))
        return error(cat(p, ".weightDevice/leafWeight is not supported"));
    if (b.contains("weight") && !b["weight"].is_null()) {
        CNT_ASSIGN(w, get_int(b, "weight", p));
        o.v1("blkio.weight", std::to_string(w));
    }
    const std::pair<const char*, const char*> th[] = {
        {"throttleReadBpsDevice", "blkio.throttle.read_bps_device"},
        {"throttleWriteBpsDevice", "blkio.throttle.write_bps_device"},
        {"throttleReadIOPSDevice", "blkio.throttle.read_iops_device"},
        {"throttleWriteIOPSDevice", "blkio.throttle.write_iops_device"}};
    for (auto [k, file] : th) {
        if (!b.contains(k) || !b[k].is_array()) continue;
        for (const auto& d : b[k]) {
            CNT_TRY(known_keys(d, cat(p, ".", k), {"major", "minor", "rate"}));
            o.v1(file, cat(d.value("major", 0), ":", d.value("minor", 0), " ",
                           d.value("rate", uint64_t{0})));
        }
    }
    return {};
}

Result<void> hugepages(const json& h, Out& o) {
    const std::string p = "linux.resources.hugepageLimits";
    if (!h.is_array()) return error(cat(p, " is not an array"));
    for (const auto& l : h) {
        CNT_TRY(known_keys(l, p, {"pageSize", "limit"}));
        CNT_ASSIGN(size, get_string(l, "pageSize", p));
        o.v1(cat("hugetlb.", size, ".limit_in_bytes"), std::to_string(l.value("limit", 0ULL)));
    }
    return {};
}

Result<void> unified(const json& u, Out& o) {
    if (!u.is_object()) return error("linux.resources.unified is not an object");
    for (auto it = u.begin(); it != u.end(); ++it) {
        if (!it->is_string() || it.key().find('/') != std::string::npos)
            return error(cat("linux.resources.unified.", it.key(), ": bad entry"));
        o.cg.v2.push_back({it.key(), it->get<std::string>(), {"config.json", 0}});
    }
    return {};
}

}  // namespace

Result<config::CgroupSettings> parse_resources(std::string_view text) {
    CNT_ASSIGN(r, parse_json(text, "linux.resources"));
    const std::string p = "linux.resources";
    CNT_TRY(known_keys(r, p,
                       {"memory", "cpu", "pids", "blockIO", "hugepageLimits", "devices", "unified",
                        "network", "rdma"}));
    for (const char* k : {"network", "rdma"})
        if (r.contains(k) && !r[k].is_null()) return error(cat(p, ".", k, " is not supported"));
    Out o;
    if (r.contains("devices")) CNT_TRY(devices(r["devices"], o));
    if (r.contains("memory")) CNT_TRY(memory(r["memory"], o));
    if (r.contains("cpu")) CNT_TRY(cpu(r["cpu"], o));
    if (r.contains("pids") && r["pids"].is_object()) {
        CNT_TRY(known_keys(r["pids"], p + ".pids", {"limit"}));
        int64_t l = r["pids"].value("limit", int64_t{0});
        o.v1("pids.max", l > 0 ? std::to_string(l) : std::string("max"));
    }
    if (r.contains("blockIO")) CNT_TRY(block_io(r["blockIO"], o));
    if (r.contains("hugepageLimits")) CNT_TRY(hugepages(r["hugepageLimits"], o));
    if (r.contains("unified")) CNT_TRY(unified(r["unified"], o));
    return o.cg;
}

}  // namespace cnt::oci
