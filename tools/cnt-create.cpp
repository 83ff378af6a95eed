// cnt-create: make a container from a config and a template.
#include <unistd.h>

#include <cstring>
#include <iostream>
#include <string>

#include "cli.hpp"
#include "cnt/bdev.hpp"
#include "cnt/container.hpp"
#include "cnt/store.hpp"

namespace {

// `cnt-create -t T -h` shows the template's own help (as lxc-create does): found before the
// normal option parsing, which would print ours.
std::optional<int> template_help(int argc, char** argv) {
    std::string t;
    bool help = false;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--") break;
        if (a == "-h" || a == "--help")
            help = true;
        else if ((a == "-t" || a == "--template") && i + 1 < argc)
            t = argv[++i];
        else if (a.rfind("--template=", 0) == 0)
            t = a.substr(11);
        else if (a.rfind("-t", 0) == 0 && a.size() > 2)
            t = a.substr(2);
    }
    if (!help || t.empty() || t == "none") return std::nullopt;
    auto path = cnt::store::template_path(t);
    if (!path) {
        std::cerr << "cnt-create: " << path.error().message() << '\n';
        return 1;
    }
    std::cout << "Options for template \"" << t << "\" (give them after --):\n" << std::flush;
    ::execl(path->c_str(), path->c_str(), "--help", static_cast<char*>(nullptr));
    std::cerr << "cnt-create: executing \"" << *path << "\": " << std::strerror(errno) << '\n';
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (auto rc = template_help(argc, argv)) return *rc;
    cnt::cli::Tool tool("cnt-create",
                        "-n NAME -t TEMPLATE [-f CONFIG] [-B BACKEND [--fssize SIZE] [--fstype "
                        "TYPE] [--dir DIR]] [-- TEMPLATE ARGS]",
                        "Create a container: <lxcpath>/NAME/config and rootfs/ from a template.");
    tool.opts().add_options()(
        "template,t", cnt::cli::po::value<std::string>(),
        "TEMPLATE: busybox, debian, local, an absolute path, or none (config only)")(
        "config,f", cnt::cli::po::value<std::string>(),
        "FILE: initial config (default: cnt.conf's default_config)")(
        "bdev,B", cnt::cli::po::value<std::string>(),
        "BACKEND: the rootfs's backing store: dir (default), overlay, btrfs, loop")(
        "dir", cnt::cli::po::value<std::string>(), "DIR: the rootfs directory (-B dir)")(
        "fssize", cnt::cli::po::value<std::string>(), "SIZE: the image's size (-B loop; 1G)")(
        "fstype", cnt::cli::po::value<std::string>(),
        "TYPE: the image's filesystem (-B loop; ext4, btrfs, xfs)");
    tool.no_rcfile().with_args().epilog(
        "Template options come after --; `cnt-create -t TEMPLATE -h` lists them.");
    if (auto rc = tool.parse(argc, argv)) return *rc;
    const auto& c = tool.common();

    cnt::CreateOptions o;
    if (tool.vm().count("template")) o.template_name = tool.vm()["template"].as<std::string>();
    if (tool.vm().count("config")) o.config_file = tool.vm()["config"].as<std::string>();
    if (tool.vm().count("bdev")) o.backend = tool.vm()["bdev"].as<std::string>();
    if (tool.vm().count("dir")) o.dir = tool.vm()["dir"].as<std::string>();
    if (tool.vm().count("fstype")) o.fstype = tool.vm()["fstype"].as<std::string>();
    if (tool.vm().count("fssize")) {
        auto n = cnt::bdev::parse_size(tool.vm()["fssize"].as<std::string>());
        if (!n) return tool.fail(n.error());
        o.fssize = *n;
    }
    o.template_args = c.args;
    o.quiet = c.quiet;
    auto r = cnt::Container::create(c.name, c.lxcpath, o);
    if (!r) return tool.fail(r.error());
    return 0;
}
