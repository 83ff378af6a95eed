// cnt-destroy: delete a container (its config, rootfs and directory), nothing outside it.
#include <iostream>

#include "cli.hpp"
#include "cnt/container.hpp"
#include "cnt/log.hpp"

int main(int argc, char** argv) {
    cnt::cli::Tool tool("cnt-destroy", "-n NAME [-f] [--include-rootfs]",
                        "Destroy a container: delete its directory and rootfs.");
    tool.opts().add_options()("force,f", "hard-stop the container first if it is running")(
        "include-rootfs", "also delete a rootfs that lies outside <lxcpath>/NAME");
    tool.no_rcfile();
    if (auto rc = tool.parse(argc, argv)) return *rc;
    const auto& c = tool.common();

    auto ct = cnt::Container::open(c.name, c.lxcpath);
    if (!ct) return tool.fail(ct.error());
    std::vector<std::string> notes;
    cnt::DestroyOptions o;
    o.force = tool.has("force");
    o.include_rootfs = tool.has("include-rootfs");
    o.notes = &notes;
    auto r = ct->destroy(o);
    for (const auto& n : notes) cnt::log::error(n);
    if (!r) return tool.fail(r.error());
    if (!c.quiet) std::cout << "Destroyed container " << c.name << '\n';
    return 0;
}
