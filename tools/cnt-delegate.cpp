// cnt-delegate: give a normal user a delegated cgroup subtree (cnt.user.<UID> in every
// hierarchy), remove it, list them, or apply cnt.conf's list at boot. Root only.
#include <unistd.h>

#include <charconv>
#include <iostream>

#include "cli.hpp"
#include "cnt/delegate.hpp"
#include "cnt/log.hpp"
#include "cnt/sysconf.hpp"
#include "cnt/users.hpp"

namespace {

namespace cg = cnt::cgroup;

void print(const cg::Delegation& d) {
    auto u = cnt::users::by_uid(d.uid);
    std::string missing, wrong;
    size_t ok = 0;
    for (const auto& x : d.dirs) {
        if (!x.present)
            missing += (missing.empty() ? "" : ",") + x.label;
        else if (x.owner != d.uid)
            wrong += (wrong.empty() ? "" : ",") + x.label;
        else
            ++ok;
    }
    std::cout << d.uid << ' ' << (u ? u->name : "-") << ' ' << ok << '/' << d.dirs.size();
    if (d.complete()) std::cout << " complete";
    if (!missing.empty()) std::cout << " missing:" << missing;
    if (!wrong.empty()) std::cout << " not-owned:" << wrong;
    std::cout << '\n';
}

int add(const cnt::cli::Tool& tool, const std::string& who) {
    auto u = cnt::users::find(who);
    if (!u) return tool.fail(u.error());
    if (u->uid == 0) return tool.fail_msg(who + ": root needs no delegation");
    auto d = cg::delegate(u->uid, u->gid);
    if (!d) return tool.fail(std::move(d.error()).within(u->name));
    cnt::log::info(u->name, ": delegated ", cg::user_base(u->uid), " in ", d->dirs.size(),
                   " hierarchies");
    return 0;
}

int remove(const cnt::cli::Tool& tool, const std::string& who) {
    // A uid whose user is gone from /etc/passwd can still be undelegated.
    uid_t uid = 0;
    auto [end, ec] = std::from_chars(who.data(), who.data() + who.size(), uid);
    if (who.empty() || ec != std::errc() || end != who.data() + who.size()) {
        auto u = cnt::users::find(who);
        if (!u) return tool.fail(u.error());
        uid = u->uid;
    }
    if (uid == 0) return tool.fail_msg(who + ": root has no delegation");
    if (auto r = cg::undelegate(uid); !r) return tool.fail(std::move(r.error()).within(who));
    return 0;
}

int boot(const cnt::cli::Tool& tool) {
    int rc = 0;
    for (const auto& who : cnt::sysconf::get().delegate)
        if (add(tool, who) != 0) rc = 1;
    return rc;
}

int list(const cnt::cli::Tool& tool) {
    auto all = cg::list_delegations();
    if (!all) return tool.fail(all.error());
    for (const auto& d : *all) print(d);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    namespace po = cnt::cli::po;
    cnt::cli::Tool tool(
        "cnt-delegate", "USER... | --remove USER... | --list | --boot",
        "Give USER a delegated cgroup subtree, cnt.user.<UID>, at the root of every\n"
        "cgroup hierarchy, so that the user can run containers (root only).");
    tool.no_name().no_rcfile().with_args();
    tool.opts().add_options()("remove,r", po::bool_switch(),
                              "remove the delegation (refused while it holds processes)")(
        "list,L", po::bool_switch(), "list the delegations: UID USER FOUND/HIERARCHIES [state]")(
        "boot", po::bool_switch(), "delegate to every user of cnt.conf's [cgroup] delegate");
    tool.epilog("USER is a name or a uid of /etc/passwd.");
    if (auto rc = tool.parse(argc, argv)) return *rc;
    const auto& vm = tool.vm();
    const auto& users = tool.common().args;
    bool rm = vm["remove"].as<bool>(), ls = vm["list"].as<bool>(), bt = vm["boot"].as<bool>();
    if (rm + ls + bt > 1) return tool.fail_msg("--remove, --list and --boot exclude each other");
    if (ls || bt) {
        if (!users.empty()) return tool.fail_msg("--list and --boot take no USER");
    } else if (users.empty()) {
        return tool.fail_msg("no USER given (try --help)");
    }
    if (::geteuid() != 0 && !ls) return tool.fail_msg("must be run as root");
    if (ls) return list(tool);
    if (bt) return boot(tool);
    int rc = 0;
    for (const auto& u : users)
        if ((rm ? remove(tool, u) : add(tool, u)) != 0) rc = 1;
    return rc;
}
