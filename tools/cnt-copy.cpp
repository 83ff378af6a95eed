// cnt-copy: copy, snapshot-clone or rename a container (lxc-copy).
#include <iostream>
#include <random>

#include "cli.hpp"
#include "cnt/bdev.hpp"
#include "cnt/container.hpp"

namespace po = cnt::cli::po;

namespace {

// NAME-XXXXXX, as lxc-copy names an ephemeral clone.
std::string ephemeral_name(const std::string& name) {
    std::random_device rd;
    std::string n = name.substr(0, 57) + "-";
    static constexpr char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    for (int i = 0; i < 6; ++i) n += chars[rd() % (sizeof chars - 1)];
    return n;
}

// Started in the background; a clone that does not start is destroyed at once.
int start_ephemeral(const cnt::cli::Tool& tool, cnt::Container& c) {
    auto r = c.start(cnt::StartOptions{});
    if (!r) {
        (void)c.destroy(cnt::DestroyOptions{});
        return tool.fail(r.error());
    }
    if (!tool.common().quiet) std::cout << "Started ephemeral container " << c.name() << '\n';
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    cnt::cli::Tool tool("cnt-copy",
                        "-n NAME -N NEWNAME [-p NEWPATH] [-s] [-B BACKEND] [-K] [-M] [-L SIZE] | "
                        "-n NAME -N NEWNAME -R",
                        "Copy a container: a full copy, a snapshot clone (-s), or a rename (-R).");
    tool.opts().add_options()("newname,N", po::value<std::string>(), "NEWNAME of the copy")(
        "newpath,p", po::value<std::string>(), "NEWPATH: the lxcpath of the copy")(
        "snapshot,s", "a snapshot clone: overlay on a dir or overlay rootfs, btrfs snapshot")(
        "backingstorage,B", po::value<std::string>(),
        "BACKEND of the copy: dir, overlay, btrfs, loop")(
        "keepname,K", "keep the hostname (lxc.uts.name)")("keepmac,M", "keep the MAC addresses")(
        "fssize,L", po::value<std::string>(), "SIZE of a new loop image (K, M, G, T)")(
        "rename,R", "rename the container instead of copying it")(
        "ephemeral,e", "start an overlay clone (-N, else NAME-XXXXXX) destroyed when it stops");
    tool.no_rcfile();
    if (auto rc = tool.parse(argc, argv)) return *rc;
    const auto& c = tool.common();
    cnt::CopyOptions o;
    o.ephemeral = tool.has("ephemeral");
    if (tool.vm().count("newname"))
        o.new_name = tool.vm()["newname"].as<std::string>();
    else if (o.ephemeral)
        o.new_name = ephemeral_name(c.name);
    else
        return tool.fail_msg("no new name given (-N NEWNAME)");
    if (tool.vm().count("newpath")) o.new_lxcpath = tool.vm()["newpath"].as<std::string>();
    if (tool.vm().count("backingstorage"))
        o.backend = tool.vm()["backingstorage"].as<std::string>();
    o.snapshot = tool.has("snapshot") || o.ephemeral;
    o.keep_name = tool.has("keepname");
    o.keep_mac = tool.has("keepmac");
    o.rename = tool.has("rename");
    if (o.ephemeral && (o.rename || !o.backend.empty()))
        return tool.fail_msg("-e starts an overlay clone: -R and -B are for copies");
    if (o.rename && (o.snapshot || !o.backend.empty()))
        return tool.fail_msg("-R renames: -s and -B are for copies");
    if (tool.vm().count("fssize")) {
        auto n = cnt::bdev::parse_size(tool.vm()["fssize"].as<std::string>());
        if (!n) return tool.fail(n.error());
        o.fssize = *n;
    }
    auto src = cnt::Container::open(c.name, c.lxcpath);
    if (!src) return tool.fail(src.error());
    auto r = src->copy(o);
    if (!r) return tool.fail(r.error());
    if (o.ephemeral) return start_ephemeral(tool, *r);
    if (c.quiet) return 0;
    if (o.rename)
        std::cout << "Renamed " << c.name << " to " << o.new_name << '\n';
    else
        std::cout << "Created " << c.name << " as " << (o.snapshot ? "snapshot " : "copy ")
                  << o.new_name << '\n';
    return 0;
}
