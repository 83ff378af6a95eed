// cnt-copy: copy, snapshot-clone or rename a container (lxc-copy).
#include <iostream>

#include "cli.hpp"
#include "cnt/bdev.hpp"
#include "cnt/container.hpp"

namespace po = cnt::cli::po;

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
        "rename,R", "rename the container instead of copying it");
    tool.no_rcfile();
    if (auto rc = tool.parse(argc, argv)) return *rc;
    const auto& c = tool.common();
    if (!tool.vm().count("newname")) return tool.fail_msg("no new name given (-N NEWNAME)");

    cnt::CopyOptions o;
    o.new_name = tool.vm()["newname"].as<std::string>();
    if (tool.vm().count("newpath")) o.new_lxcpath = tool.vm()["newpath"].as<std::string>();
    if (tool.vm().count("backingstorage"))
        o.backend = tool.vm()["backingstorage"].as<std::string>();
    o.snapshot = tool.has("snapshot");
    o.keep_name = tool.has("keepname");
    o.keep_mac = tool.has("keepmac");
    o.rename = tool.has("rename");
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
    if (c.quiet) return 0;
    if (o.rename)
        std::cout << "Renamed " << c.name << " to " << o.new_name << '\n';
    else
        std::cout << "Created " << c.name << " as " << (o.snapshot ? "snapshot " : "copy ")
                  << o.new_name << '\n';
    return 0;
}
