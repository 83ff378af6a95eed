// cnt-oci's config.json mapping (libcore/oci): onto config::Config, refusals by field name,
// and the OCI seccomp form translated to the profile text the seccomp compiler reads.
#include <sched.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cnt/oci.hpp"
#include "cnt/security.hpp"

namespace oci = cnt::oci;
using nlohmann::json;

namespace {

json base() { return json::parse(oci::default_spec()); }

cnt::Result<oci::Spec> parse(const json& j) { return oci::parse_spec(j.dump(), "/bundle"); }

std::string error_of(const json& j) {
    auto s = parse(j);
    REQUIRE_FALSE(s);
    return s.error().message();
}

bool has_entry(const oci::Spec& s, const std::string& key, const std::string& value) {
    for (const auto& e : s.cfg.cgroup.v1)
        if (e.key == key && e.value == value) return true;
    return false;
}

}  // namespace

TEST_CASE("oci: the default spec maps onto the lxc.conf structure", "[oci]") {
    auto s = parse(base());
    REQUIRE(s);
    CHECK(s->args == std::vector<std::string>{"sh"});
    CHECK(s->cfg.rootfs.path == "/bundle/rootfs");
    CHECK(s->cfg.rootfs.options == "ro");
    CHECK(s->cfg.uts.name == "cnt");
    CHECK(s->cfg.ns.clone == (CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS |
                              CLONE_NEWNS | CLONE_NEWCGROUP));
    CHECK(s->new_netns);
    using A = cnt::config::MountAuto;
    CHECK(s->cfg.mounts.autos.proc == A::Proc::rw);
    CHECK(s->cfg.mounts.autos.sys == A::Sys::ro);
    CHECK(s->cfg.mounts.autos.cgroup == A::Cgroup::ro);
    CHECK_FALSE(s->cfg.mounts.autodev);
    // /dev, /dev/shm, /dev/mqueue as entries (devpts is dev::setup's own).
    REQUIRE(s->cfg.mounts.entries.size() == 3);
    CHECK(s->cfg.mounts.entries[0].line ==
          "tmpfs dev tmpfs nosuid,strictatime,mode=755,size=65536k,create=dir 0 0");
    CHECK(s->cfg.security.no_new_privs);
    CHECK(s->cfg.security.caps.mode == cnt::config::Caps::Mode::keep);
    CHECK(s->cfg.security.caps.list.size() == 3);
    REQUIRE(s->cfg.init.prlimits.size() == 1);
    CHECK(s->cfg.init.prlimits[0].name == "nofile");
    CHECK(s->cfg.init.prlimits[0].resource == RLIMIT_NOFILE);
    CHECK(s->devices.size() == 6);  // the spec's default devices
    CHECK(has_entry(*s, "devices.deny", "a"));
    CHECK(has_entry(*s, "devices.allow", "c 1:3 rwm"));
}

TEST_CASE("oci: process, hooks, namespaces by path, propagation", "[oci]") {
    auto j = base();
    j["process"]["user"] = {{"uid", 1000}, {"gid", 100}, {"umask", 63}, {"additionalGids", {5}}};
    j["process"]["capabilities"] = json::object();
    j["process"]["oomScoreAdj"] = 100;
    j["linux"]["namespaces"].push_back({{"type", "network"}, {"path", "/proc/1/ns/net"}});
    j["linux"]["namespaces"].erase(1);  // the new network namespace
    j["linux"]["rootfsPropagation"] = "rslave";
    j["linux"]["sysctl"] = {{"net.ipv4.ip_forward", "1"}};
    j["hooks"] = {{"poststop", {{{"path", "/bin/true"}, {"timeout", 5}}}}};
    auto s = parse(j);
    REQUIRE(s);
    CHECK(s->cfg.init.uid == 1000);
    CHECK(s->cfg.init.gid == 100);
    CHECK(s->cfg.init.groups == std::vector<gid_t>{5});
    CHECK(s->umask == 077u);
    CHECK(s->cfg.ns.share.at("net") == "/proc/1/ns/net");
    CHECK_FALSE(s->cfg.ns.clone & CLONE_NEWNET);
    CHECK(s->propagation == (MS_SLAVE | MS_REC));
    CHECK(s->sysctl.size() == 1);
    REQUIRE(s->cfg.init.proc.size() == 1);
    CHECK(s->cfg.init.proc[0].first == "oom_score_adj");
    REQUIRE(s->hooks.poststop.size() == 1);
    CHECK(s->hooks.poststop[0].timeout == 5);
}

TEST_CASE("oci: resources become lxc.cgroup entries", "[oci]") {
    auto cg = oci::parse_resources(R"({"memory": {"limit": 1048576, "swappiness": 10},
        "cpu": {"shares": 512, "quota": 50000, "period": 100000, "cpus": "0"},
        "pids": {"limit": 0}, "hugepageLimits": [{"pageSize": "2MB", "limit": 0}],
        "blockIO": {"throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 100}]},
        "unified": {"memory.high": "max"}})");
    REQUIRE(cg);
    std::vector<std::pair<std::string, std::string>> got;
    for (const auto& e : cg->v1) got.emplace_back(e.key, e.value);
    std::vector<std::pair<std::string, std::string>> want = {
        {"memory.limit_in_bytes", "1048576"},
        {"memory.swappiness", "10"},
        {"cpu.shares", "512"},
        {"cpu.cfs_period_us", "100000"},
        {"cpu.cfs_quota_us", "50000"},
        {"cpuset.cpus", "0"},
        {"pids.max", "max"},
        {"blkio.throttle.read_bps_device", "8:0 100"},
        {"hugetlb.2MB.limit_in_bytes", "0"}};
    CHECK(got == want);
    REQUIRE(cg->v2.size() == 1);
    CHECK(cg->v2[0].key == "memory.high");
}

TEST_CASE("oci: what cnt cannot honour is refused by name", "[oci]") {
    auto with = [](const char* ptr, json v) {
        auto j = base();
        j[json::json_pointer(ptr)] = std::move(v);
        return j;
    };
    CHECK(error_of(with("/linux/intelRdt", {{"closID", "x"}})) ==
          "linux.intelRdt is not supported");
    CHECK_THAT(error_of(with("/process/apparmorProfile", "p")),
               Catch::Contains("process.apparmorProfile is not supported"));
    CHECK_THAT(error_of(with("/linux/resources/network", {{"classID", 1}})),
               Catch::Contains("linux.resources.network is not supported"));
    CHECK_THAT(error_of(with("/linux/resources/memory/kernel", 1)),
               Catch::Contains("linux.resources.memory.kernel is not supported"));
    CHECK_THAT(error_of(with("/process/capabilities/ambient", {"CAP_KILL"})),
               Catch::Contains("process.capabilities.ambient"));
    CHECK_THAT(error_of(with("/linux/cgroupsPath", "system.slice:cnt:x")),
               Catch::Contains("systemd cgroup paths are not supported"));
    CHECK_THAT(error_of(with("/ociVersion", "2.0.0")), Catch::Contains("ociVersion"));
    CHECK_THAT(error_of(with("/process/args", json::array())),
               Catch::Contains("process.args is empty"));
    CHECK_THAT(error_of(with("/linux/mountLabel", "x")), Catch::Contains("linux.mountLabel"));
    CHECK_THAT(error_of(with("/someFutureField", 1)),
               Catch::Contains("someFutureField is not supported"));
}

TEST_CASE("oci: seccomp's JSON form as an lxc.seccomp.profile", "[oci][seccomp]") {
    auto text = oci::seccomp_profile(R"({"defaultAction": "SCMP_ACT_ERRNO",
        "defaultErrnoRet": 38, "architectures": ["SCMP_ARCH_X86_64"],
        "syscalls": [
          {"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
          {"names": ["socket"], "action": "SCMP_ACT_ERRNO", "errnoRet": 22,
           "args": [{"index": 0, "value": 16, "op": "SCMP_CMP_EQ"},
                    {"index": 2, "value": 9, "op": "SCMP_CMP_EQ"}]},
          {"names": ["socket"], "action": "SCMP_ACT_ALLOW",
           "args": [{"index": 2, "value": 9, "op": "SCMP_CMP_NE"}]},
          {"names": ["socket"], "action": "SCMP_ACT_ALLOW",
           "args": [{"index": 2, "value": 9, "op": "SCMP_CMP_NE"}]},
          {"names": ["clone"], "action": "SCMP_ACT_KILL_PROCESS",
           "args": [{"index": 0, "value": 2114060288, "valueTwo": 0,
                     "op": "SCMP_CMP_MASKED_EQ"}]}]})");
    REQUIRE(text);
    CHECK(*text ==
          "2\nallowlist errno 38\n"
          "read allow\nwrite allow\n"
          "socket errno 22 [0,16,==] [2,9,==]\n"
          "socket allow [2,9,!=]\n"
          "clone kill [0,0,&=,2114060288]\n");
    // The compiler's own parser takes it as it is.
    auto p = cnt::security::seccomp::parse(*text, "oci");
    REQUIRE(p);
    CHECK(p->default_action.kind == cnt::security::seccomp::ActionKind::errno_);
    CHECK(p->default_action.value == 38);
    CHECK(p->rules.size() == 5);

    auto allow = oci::seccomp_profile(R"({"defaultAction": "SCMP_ACT_ALLOW",
        "syscalls": [{"names": ["mount"], "action": "SCMP_ACT_ERRNO"}]})");
    REQUIRE(allow);
    CHECK(*allow == "2\ndenylist allow\nmount errno 1\n");
    auto bad = oci::seccomp_profile(R"({"defaultAction": "SCMP_ACT_NOTIFY"})");
    REQUIRE_FALSE(bad);
    CHECK_THAT(bad.error().message(), Catch::Contains("linux.seccomp.defaultAction"));
    auto listener = oci::seccomp_profile(R"({"defaultAction": "SCMP_ACT_ALLOW",
        "listenerPath": "/run/x"})");
    REQUIRE_FALSE(listener);
    CHECK_THAT(listener.error().message(), Catch::Contains("listenerPath is not supported"));
}

TEST_CASE("oci: state JSON and ids", "[oci]") {
    oci::State st;
    st.id = "c1";
    st.bundle = "/b";
    st.pid = 42;
    st.annotations["a"] = "b";
    auto j = json::parse(oci::state_json(st, "running"));
    CHECK(j["ociVersion"] == oci::kSpecVersion);
    CHECK(j["pid"] == 42);
    CHECK(j["status"] == "running");
    CHECK(j["annotations"]["a"] == "b");
    CHECK(json::parse(oci::state_json(st, "stopped"))["pid"] == 0);
    CHECK(oci::validate_id("abc-1.2_x"));
    CHECK_FALSE(oci::validate_id("../x"));
    CHECK_FALSE(oci::validate_id("a/b"));
    CHECK_FALSE(oci::validate_id(""));
}
