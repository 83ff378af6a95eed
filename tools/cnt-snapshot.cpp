// cnt-snapshot: make, list, restore and destroy a container's snapshots (lxc-snapshot).
#include <iostream>

#include "cli.hpp"
#include "cnt/container.hpp"

namespace po = cnt::cli::po;

namespace {

int list(const cnt::cli::Tool& tool, const cnt::Container& c, bool comments) {
    auto snaps = c.snapshots();
    if (!snaps) return tool.fail(snaps.error());
    if (snaps->empty()) std::cout << "No snapshots\n";
    for (const auto& s : *snaps) {
        std::cout << s.name << " (" << s.dir << ") " << s.timestamp << '\n';
        if (comments && !s.comment.empty())
            std::cout << s.comment << (s.comment.back() == '\n' ? "" : "\n");
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    cnt::cli::Tool tool("cnt-snapshot",
                        "-n NAME [-c COMMENTFILE] | -L [-C] | -r SNAP [-N NEWNAME] | -d SNAP|ALL",
                        "Snapshot a container, list, restore or destroy its snapshots.");
    tool.opts().add_options()("comment,c", po::value<std::string>(),
                              "COMMENTFILE: a comment kept with the new snapshot")(
        "list,L", "list the snapshots")("showcomments,C", "with -L: show the comments")(
        "restore,r", po::value<std::string>(), "SNAP: restore it (over the container, stopped)")(
        "newname,N", po::value<std::string>(), "NEWNAME: with -r, restore as a new container")(
        "destroy,d", po::value<std::string>(), "SNAP: destroy it (ALL: every snapshot)");
    tool.no_rcfile();
    if (auto rc = tool.parse(argc, argv)) return *rc;
    const auto& com = tool.common();
    auto c = cnt::Container::open(com.name, com.lxcpath);
    if (!c) return tool.fail(c.error());
    const auto& vm = tool.vm();
    if (tool.has("list")) return list(tool, *c, tool.has("showcomments"));
    if (vm.count("destroy")) {
        auto r = c->destroy_snapshot(vm["destroy"].as<std::string>());
        return r ? 0 : tool.fail(r.error());
    }
    if (vm.count("restore")) {
        std::string nn = vm.count("newname") ? vm["newname"].as<std::string>() : "";
        auto r = c->restore_snapshot(vm["restore"].as<std::string>(), nn);
        return r ? 0 : tool.fail(r.error());
    }
    if (!c->defined()) return tool.fail_msg("doesn't exist");
    auto r = c->snapshot(vm.count("comment") ? vm["comment"].as<std::string>() : "");
    if (!r) return tool.fail(r.error());
    if (!com.quiet) std::cout << *r << '\n';
    return 0;
}
