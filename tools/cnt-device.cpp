// cnt-device: hand a host device node to a running container, or take it back, as lxc-device.
#include "cli.hpp"
#include "cnt/container.hpp"

int main(int argc, char** argv) {
    cnt::cli::Tool tool("cnt-device", "-n NAME add|del DEVICE [DEST]",
                        "Add a host device node to a running container (made at DEST, default "
                        "the same path, with its device cgroup rule), or remove it.");
    tool.with_args();
    if (auto rc = tool.parse(argc, argv)) return *rc;
    const auto& a = tool.common().args;
    if (a.size() < 2) return tool.fail_msg("expected add|del DEVICE [DEST]");
    if (a.size() > 3) return tool.fail_msg("unexpected argument \"" + a[3] + "\"");
    if (a[0] != "add" && a[0] != "del")
        return tool.fail_msg("unknown command \"" + a[0] + "\" (add or del)");
    auto c = cnt::Container::open(tool.common().name, tool.common().lxcpath);
    if (!c) return tool.fail(c.error());
    if (!c->defined())
        return tool.fail_msg("No such container: " + tool.common().lxcpath + ":" +
                             tool.common().name);
    std::string dest = a.size() == 3 ? a[2] : std::string();
    auto r = a[0] == "add" ? c->device_add(a[1], dest) : c->device_del(a[1], dest);
    if (!r) return tool.fail(r.error());
    return 0;
}
