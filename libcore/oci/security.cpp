// process.capabilities onto lxc.cap.keep, and linux.seccomp onto an lxc.seccomp.profile (the
// version 2 text the same compiler reads).
#include "cnt/security.hpp"

#include <algorithm>
#include <set>

#include "cnt/oci.hpp"
#include "oci/json.hpp"

namespace cnt::oci {

namespace {

Result<std::set<int>> cap_set(const json& j, const char* set) {
    std::set<int> out;
    if (!j.contains(set) || j[set].is_null()) return out;
    CNT_ASSIGN(names, get_strings(j, set, "process.capabilities"));
    for (const auto& n : names) {
        std::string low;
        for (char c : n.rfind("CAP_", 0) == 0 ? n.substr(4) : n)
            low += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto cap = security::cap_from_name(low);
        // A capability this kernel does not know cannot be granted anyway (runc warns too).
        if (cap) out.insert(*cap);
    }
    return out;
}

}  // namespace

// The bounding set is what cnt keeps; the other sets must follow from it: uid 0 runs with
// effective = permitted = bounding, another uid with none (no ambient capabilities).
Result<config::Caps> parse_caps(std::string_view text, uid_t uid) {
    CNT_ASSIGN(j, parse_json(text, "process.capabilities"));
    CNT_TRY(known_keys(j, "process.capabilities",
                       {"bounding", "effective", "inheritable", "permitted", "ambient"}));
    CNT_ASSIGN(bounding, cap_set(j, "bounding"));
    for (const char* set : {"effective", "permitted", "inheritable", "ambient"}) {
        CNT_ASSIGN(s, cap_set(j, set));
        bool sub = std::includes(bounding.begin(), bounding.end(), s.begin(), s.end());
        if (!sub)
            return errno_error(
                EINVAL, cat("process.capabilities.", set, " is not within the bounding set"));
        std::string_view w(set);
        if (w == "ambient" && !s.empty())
            return error("process.capabilities.ambient is not supported");
        if ((w == "effective" || w == "permitted") && uid == 0 && s != bounding)
            return error(
                cat("process.capabilities.", set, " other than the bounding set is not supported"));
        if ((w == "effective" || w == "permitted") && uid != 0 && !s.empty())
            return error(
                cat("process.capabilities.", set, " for a uid other than 0 is not supported"));
    }
    config::Caps c;
    c.mode = config::Caps::Mode::keep;
    c.list.assign(bounding.begin(), bounding.end());
    return c;
}

namespace {

Result<std::string> action(const json& j, const std::string& key, const std::string& p,
                           int64_t errno_ret) {
    CNT_ASSIGN(a, get_string(j, key.c_str(), p));
    if (a == "SCMP_ACT_ALLOW") return std::string("allow");
    if (a == "SCMP_ACT_KILL" || a == "SCMP_ACT_KILL_THREAD" || a == "SCMP_ACT_KILL_PROCESS")
        return std::string("kill");
    if (a == "SCMP_ACT_TRAP") return std::string("trap");
    if (a == "SCMP_ACT_ERRNO") return cat("errno ", errno_ret);
    if (a == "SCMP_ACT_TRACE") return cat("trace ", errno_ret);
    return error(cat(p, ".", key, " \"", a, "\" is not supported"));
}

struct OpName {
    const char* oci;
    const char* lxc;
};
constexpr OpName kOps[] = {
    {"SCMP_CMP_NE", "!="}, {"SCMP_CMP_LT", "<"}, {"SCMP_CMP_LE", "<="},       {"SCMP_CMP_EQ", "=="},
    {"SCMP_CMP_GE", ">="}, {"SCMP_CMP_GT", ">"}, {"SCMP_CMP_MASKED_EQ", "&="}};

Result<std::string> arg(const json& a, const std::string& p) {
    CNT_TRY(known_keys(a, p, {"index", "value", "valueTwo", "op"}));
    CNT_ASSIGN(op, get_string(a, "op", p));
    const OpName* found = nullptr;
    for (const auto& o : kOps)
        if (op == o.oci) found = &o;
    if (!found) return error(cat(p, ".op \"", op, "\" is not supported"));
    auto index = a.value("index", 0U);
    auto value = a.value("value", uint64_t{0});
    auto two = a.value("valueTwo", uint64_t{0});
    // OCI's masked form is (arg & value) == valueTwo; the text's is [i,datum,&=,mask].
    if (std::string_view(found->lxc) == "&=") return cat("[", index, ",", two, ",&=,", value, "]");
    return cat("[", index, ",", value, ",", found->lxc, "]");
}

Result<std::string> rules(const json& list, int64_t def_errno) {
    std::string out;
    std::set<std::string> seen;
    for (size_t i = 0; i < list.size(); ++i) {
        const auto& r = list[i];
        std::string p = cat("linux.seccomp.syscalls[", i, "]");
        CNT_TRY(known_keys(r, p, {"names", "action", "errnoRet", "args"}));
        CNT_ASSIGN(names, get_strings(r, "names", p));
        CNT_ASSIGN(err, get_int(r, "errnoRet", p, def_errno));
        CNT_ASSIGN(act, action(r, "action", p, err));
        std::string args;
        if (r.contains("args") && r["args"].is_array())
            for (size_t k = 0; k < r["args"].size(); ++k) {
                CNT_ASSIGN(a, arg(r["args"][k], cat(p, ".args[", k, "]")));
                args += " " + a;
            }
        // A rule given twice (podman's default profile repeats one for socket) once: the
        // compiler refuses a repeated comparison, and the second copy changes nothing.
        for (const auto& n : names) {
            std::string line = cat(n, " ", act, args, "\n");
            if (seen.insert(line).second) out += line;
        }
    }
    return out;
}

}  // namespace

Result<std::string> seccomp_profile(std::string_view text) {
    CNT_ASSIGN(j, parse_json(text, "linux.seccomp"));
    const std::string p = "linux.seccomp";
    CNT_TRY(known_keys(j, p,
                       {"defaultAction", "defaultErrnoRet", "architectures", "flags",
                        "listenerPath", "listenerMetadata", "syscalls"}));
    CNT_ASSIGN(listener, get_string(j, "listenerPath", p));
    if (!listener.empty()) return error(cat(p, ".listenerPath is not supported"));
    CNT_ASSIGN(flags, get_strings(j, "flags", p));
    for (const auto& f : flags)
        if (f != "SECCOMP_FILTER_FLAG_SPEC_ALLOW")
            return error(cat(p, ".flags ", f, " is not supported"));
    CNT_ASSIGN(def_errno, get_int(j, "defaultErrnoRet", p, 1));
    CNT_ASSIGN(def, action(j, "defaultAction", p, def_errno));
    // The native architecture only: the compiler adds the native one itself, and a filter for
    // other ABIs would need per-arch sections the spec does not separate.
    std::string out = cat("2\n", def == "allow" ? "denylist" : "allowlist", " ", def, "\n");
    if (j.contains("syscalls") && j["syscalls"].is_array()) {
        CNT_ASSIGN(r, rules(j["syscalls"], 1));
        out += r;
    }
    return out;
}

}  // namespace cnt::oci
