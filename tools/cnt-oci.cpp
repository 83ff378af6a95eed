// cnt-oci: an OCI runtime with runc's command line (containerd's runc shim, podman's conmon),
// on libcore (libcore/oci). Global options, then a command and its own options.
#include <signal.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>

#include "cnt/log.hpp"
#include "cnt/oci.hpp"
#include "oci/json.hpp"

#ifndef CNT_VERSION
#define CNT_VERSION "0"
#endif

namespace po = boost::program_options;
using cnt::oci::json;

namespace {

struct Global {
    std::string root = "/run/cnt-oci";
    std::string log;
    std::string log_format = "text";
    bool debug = false;
};
Global g;

// runc's form: the message on stderr, and in --log as a text or JSON line (containerd and
// conmon read the JSON one back).
int fail(const std::string& msg, int code = 1) {
    std::cerr << "cnt-oci: " << msg << "\n";
    if (g.log.empty()) return code;
    std::ofstream f(g.log, std::ios::app);
    char t[64];
    std::time_t now = std::time(nullptr);
    std::strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    if (g.log_format == "json")
        f << json({{"level", "error"}, {"msg", msg}, {"time", t}}).dump() << "\n";
    else
        f << "time=\"" << t << "\" level=error msg=\"" << msg << "\"\n";
    return code;
}
int fail(const cnt::Error& e) { return fail(e.message()); }

const char* kUsage =
    "Usage: cnt-oci [--root DIR] [--log FILE] [--log-format text|json] [--debug] COMMAND ...\n"
    "\n"
    "An OCI runtime (runc's command line) on cnt's libcore.\n"
    "\n"
    "Commands:\n"
    "  create [--bundle DIR] [--pid-file F] [--console-socket S] ID\n"
    "  start ID            run the process of a created container\n"
    "  run [--bundle DIR] [--detach] [--pid-file F] ID\n"
    "  state ID            the OCI state JSON\n"
    "  kill ID [SIGNAL] [--all]\n"
    "  delete [--force] ID\n"
    "  exec [--process F | ARGS...] [--tty] [--detach] [--pid-file F] ID\n"
    "  ps [--format table|json] ID\n"
    "  pause ID / resume ID\n"
    "  list [--format table|json] [--quiet]\n"
    "  events --stats ID   one JSON object of cgroup statistics\n"
    "  update --resources F ID\n"
    "  spec                write a default config.json\n"
    "  features            what cnt-oci supports (JSON)\n"
    "\n"
    "Global options:\n"
    "  --root DIR          state directory (default /run/cnt-oci)\n"
    "  --log FILE          also log errors to FILE\n"
    "  --log-format F      text or json (for --log)\n"
    "  --debug             more log output\n"
    "  --systemd-cgroup    not supported: an error\n"
    "  --version, --help\n";

struct Cmd {
    po::options_description opts{"Options"};
    std::vector<std::string> pos;
    po::variables_map vm;
    bool has(const char* k) const { return vm.count(k) && !vm[k].defaulted(); }
    std::string str(const char* k) const { return vm.count(k) ? vm[k].as<std::string>() : ""; }
    bool flag(const char* k) const { return vm.count(k) && vm[k].as<bool>(); }
};

// Parse a command's arguments; runc's single-dash long options (-bundle) are taken too.
bool parse_cmd(Cmd& c, std::vector<std::string> args) {
    for (auto& a : args)
        if (a.size() > 2 && a[0] == '-' && a[1] != '-' && a.find('=') != 1 &&
            c.opts.find_nothrow(a.substr(1, a.find('=') - 1), false))
            a = "-" + a;
    po::options_description all;
    all.add(c.opts);
    all.add_options()("help,h", po::bool_switch())("_pos", po::value<std::vector<std::string>>());
    po::positional_options_description p;
    p.add("_pos", -1);
    try {
        po::store(po::command_line_parser(args).options(all).positional(p).run(), c.vm);
        po::notify(c.vm);
    } catch (const std::exception& e) {
        fail(e.what());
        return false;
    }
    if (c.vm.count("_pos")) c.pos = c.vm["_pos"].as<std::vector<std::string>>();
    return true;
}

int need_id(const Cmd& c, std::string& id) {
    if (c.pos.empty()) return fail("missing the container id");
    id = c.pos[0];
    return 0;
}

int signal_of(std::string s) {
    if (s.empty()) return SIGTERM;
    if (std::isdigit(static_cast<unsigned char>(s[0]))) return std::atoi(s.c_str());
    if (s.rfind("SIG", 0) == 0) s = s.substr(3);
    for (int i = 1; i < NSIG; ++i)
        if (const char* n = sigabbrev_np(i); n && s == n) return i;
    return -1;
}

int cmd_create(std::vector<std::string> args, bool run) {
    Cmd c;
    c.opts.add_options()("bundle,b", po::value<std::string>()->default_value("."))(
        "pid-file", po::value<std::string>())("console-socket", po::value<std::string>())(
        "no-pivot", po::bool_switch())("no-new-keyring", po::bool_switch())(
        "preserve-fds", po::value<int>()->default_value(0))("detach,d", po::bool_switch())(
        "keep", po::bool_switch());
    if (!parse_cmd(c, std::move(args))) return 1;
    std::string id;
    if (int r = need_id(c, id)) return r;
    cnt::oci::CreateOptions o;
    o.bundle = c.str("bundle");
    o.pid_file = c.str("pid-file");
    o.console_socket = c.str("console-socket");
    o.no_pivot = c.flag("no-pivot");
    o.preserve_fds = c.vm["preserve-fds"].as<int>();
    if (o.preserve_fds) return fail("--preserve-fds is not supported");
    if (!run) {
        auto r = cnt::oci::create(g.root, id, o);
        return r ? 0 : fail(r.error());
    }
    auto r = cnt::oci::run(g.root, id, o, c.flag("detach"));
    return r ? *r : fail(r.error());
}

int cmd_simple(const std::string& name, std::vector<std::string> args) {
    Cmd c;
    if (!parse_cmd(c, std::move(args))) return 1;
    std::string id;
    if (int r = need_id(c, id)) return r;
    cnt::Result<void> r;
    if (name == "start")
        r = cnt::oci::start(g.root, id);
    else if (name == "pause")
        r = cnt::oci::pause(g.root, id);
    else
        r = cnt::oci::resume(g.root, id);
    return r ? 0 : fail(r.error());
}

int cmd_state(std::vector<std::string> args) {
    Cmd c;
    if (!parse_cmd(c, std::move(args))) return 1;
    std::string id;
    if (int r = need_id(c, id)) return r;
    auto st = cnt::oci::read_state(g.root, id);
    if (!st) return fail(st.error());
    std::cout << json::parse(cnt::oci::state_json(*st, st->status())).dump(2) << "\n";
    return 0;
}

int cmd_kill(std::vector<std::string> args) {
    Cmd c;
    c.opts.add_options()("all,a", po::bool_switch());
    if (!parse_cmd(c, std::move(args))) return 1;
    std::string id;
    if (int r = need_id(c, id)) return r;
    int sig = signal_of(c.pos.size() > 1 ? c.pos[1] : "");
    if (sig <= 0 || sig >= NSIG) return fail("invalid signal \"" + c.pos[1] + "\"");
    auto r = cnt::oci::kill(g.root, id, sig, c.flag("all"));
    return r ? 0 : fail(r.error());
}

int cmd_delete(std::vector<std::string> args) {
    Cmd c;
    c.opts.add_options()("force,f", po::bool_switch());
    if (!parse_cmd(c, std::move(args))) return 1;
    std::string id;
    if (int r = need_id(c, id)) return r;
    auto r = cnt::oci::remove(g.root, id, c.flag("force"));
    return r ? 0 : fail(r.error());
}

int cmd_ps(std::vector<std::string> args) {
    Cmd c;
    c.opts.add_options()("format,f", po::value<std::string>()->default_value("table"));
    if (!parse_cmd(c, std::move(args))) return 1;
    std::string id;
    if (int r = need_id(c, id)) return r;
    auto p = cnt::oci::pids(g.root, id);
    if (!p) return fail(p.error());
    if (c.str("format") == "json") {
        std::cout << json(*p).dump() << "\n";
        return 0;
    }
    std::cout << "PID CMD\n";
    for (pid_t pid : *p) {
        std::ifstream f("/proc/" + std::to_string(pid) + "/comm");
        std::string comm;
        std::getline(f, comm);
        std::cout << pid << " " << comm << "\n";
    }
    return 0;
}

int cmd_list(std::vector<std::string> args) {
    Cmd c;
    c.opts.add_options()("format,f", po::value<std::string>()->default_value("table"))(
        "quiet,q", po::bool_switch());
    if (!parse_cmd(c, std::move(args))) return 1;
    json all = json::array();
    if (!c.flag("quiet") && c.str("format") != "json")
        std::cout << "ID\tPID\tSTATUS\tBUNDLE\tCREATED\n";
    for (const auto& id : cnt::oci::list_ids(g.root)) {
        auto st = cnt::oci::read_state(g.root, id);
        if (!st) continue;
        std::string status = st->status();
        pid_t pid = status == "stopped" ? 0 : st->pid;
        if (c.flag("quiet"))
            std::cout << id << "\n";
        else if (c.str("format") == "json")
            all.push_back({{"ociVersion", cnt::oci::kSpecVersion},
                           {"id", id},
                           {"pid", pid},
                           {"status", status},
                           {"bundle", st->bundle},
                           {"created", st->created}});
        else
            std::cout << id << "\t" << pid << "\t" << status << "\t" << st->bundle << "\t"
                      << st->created << "\n";
    }
    if (c.str("format") == "json" && !c.flag("quiet")) std::cout << all.dump() << "\n";
    return 0;
}

int cmd_events(std::vector<std::string> args) {
    Cmd c;
    c.opts.add_options()("stats", po::bool_switch())("interval", po::value<std::string>());
    if (!parse_cmd(c, std::move(args))) return 1;
    std::string id;
    if (int r = need_id(c, id)) return r;
    if (!c.flag("stats")) return fail("events: only --stats is supported");
    auto s = cnt::oci::stats_json(g.root, id);
    if (!s) return fail(s.error());
    std::cout << *s << "\n";
    return 0;
}

int cmd_update(std::vector<std::string> args) {
    Cmd c;
    c.opts.add_options()("resources,r", po::value<std::string>());
    if (!parse_cmd(c, std::move(args))) return 1;
    std::string id;
    if (int r = need_id(c, id)) return r;
    if (!c.has("resources")) return fail("update: only --resources FILE is supported");
    auto r = cnt::oci::update(g.root, id, c.str("resources"));
    return r ? 0 : fail(r.error());
}

int cmd_spec(std::vector<std::string> args) {
    Cmd c;
    c.opts.add_options()("bundle,b", po::value<std::string>()->default_value("."))(
        "rootless", po::bool_switch());
    if (!parse_cmd(c, std::move(args))) return 1;
    if (c.flag("rootless")) return fail("spec --rootless is not supported");
    std::string file = c.str("bundle") + "/config.json";
    if (::access(file.c_str(), F_OK) == 0) return fail("File " + file + " exists. Remove it first");
    std::ofstream f(file);
    f << cnt::oci::default_spec();
    f.close();
    return f ? 0 : fail("writing " + file + ": " + std::strerror(errno));
}

int cmd_exec(std::vector<std::string> args) {
    Cmd c;
    c.opts.add_options()("process,p", po::value<std::string>())("tty,t", po::bool_switch())(
        "detach,d", po::bool_switch())("pid-file", po::value<std::string>())(
        "console-socket", po::value<std::string>())("cwd", po::value<std::string>())(
        "env,e", po::value<std::vector<std::string>>())("user,u", po::value<std::string>())(
        "preserve-fds", po::value<int>()->default_value(0));
    // The command after the id is not ours to parse: split there.
    size_t k = 0;
    for (; k < args.size() && args[k].size() > 1 && args[k][0] == '-'; ++k) {
        const po::option_description* d = nullptr;
        for (const auto& od : c.opts.options())
            if (args[k] == "--" + od->long_name() || args[k] == "-" + od->long_name() ||
                args[k] == od->canonical_display_name(po::command_line_style::allow_dash_for_short))
                d = od.get();
        if (d && d->semantic()->min_tokens() > 0) ++k;
    }
    std::vector<std::string> command;
    if (k < args.size()) command.assign(args.begin() + static_cast<long>(k) + 1, args.end());
    if (k < args.size()) args.resize(k + 1);
    if (!parse_cmd(c, std::move(args))) return 1;
    std::string id;
    if (int r = need_id(c, id)) return r;
    cnt::oci::ExecOptions o;
    o.process_file = c.str("process");
    o.args = command;
    if (!o.args.empty() && o.args[0] == "--") o.args.erase(o.args.begin());
    o.tty = c.flag("tty");
    o.detach = c.flag("detach");
    o.pid_file = c.str("pid-file");
    o.console_socket = c.str("console-socket");
    o.cwd = c.str("cwd");
    o.user = c.str("user");
    if (c.vm.count("env")) o.env = c.vm["env"].as<std::vector<std::string>>();
    if (c.vm["preserve-fds"].as<int>()) return fail("--preserve-fds is not supported");
    if (o.process_file.empty() && o.args.empty()) return fail("exec: no command");
    auto r = cnt::oci::exec(g.root, id, o);
    return r ? *r : fail(r.error());
}

int dispatch(const std::string& cmd, std::vector<std::string> args) {
    if (cmd == "create") return cmd_create(std::move(args), false);
    if (cmd == "run") return cmd_create(std::move(args), true);
    if (cmd == "start" || cmd == "pause" || cmd == "resume") return cmd_simple(cmd, args);
    if (cmd == "state") return cmd_state(std::move(args));
    if (cmd == "kill") return cmd_kill(std::move(args));
    if (cmd == "delete") return cmd_delete(std::move(args));
    if (cmd == "ps") return cmd_ps(std::move(args));
    if (cmd == "list") return cmd_list(std::move(args));
    if (cmd == "events") return cmd_events(std::move(args));
    if (cmd == "update") return cmd_update(std::move(args));
    if (cmd == "exec") return cmd_exec(std::move(args));
    if (cmd == "spec") return cmd_spec(std::move(args));
    if (cmd == "features") return std::cout << cnt::oci::features(), 0;
    return fail("unknown command \"" + cmd + "\" (see --help)");
}

// The global options, up to the command word.
int parse_global(int argc, char** argv, int& i) {
    po::options_description o;
    o.add_options()("root", po::value<std::string>(&g.root))("log", po::value<std::string>(&g.log))(
        "log-format", po::value<std::string>(&g.log_format))("debug", po::bool_switch(&g.debug))(
        "systemd-cgroup", po::bool_switch())("rootless", po::value<std::string>())(
        "criu", po::value<std::string>())("help,h", po::bool_switch())("version,v",
                                                                       po::bool_switch());
    std::vector<std::string> head;
    for (i = 1; i < argc && argv[i][0] == '-'; ++i) {
        std::string a = argv[i];
        if (a.size() > 2 && a[1] != '-') a = "-" + a;  // runc's -root
        head.push_back(a);
        bool takes = a.find('=') == std::string::npos &&
                     (a == "--root" || a == "--log" || a == "--log-format" || a == "--rootless" ||
                      a == "--criu");
        if (takes && i + 1 < argc) head.push_back(argv[++i]);
    }
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(head).options(o).run(), vm);
        po::notify(vm);
    } catch (const std::exception& e) {
        return fail(e.what(), 2);
    }
    if (g.log_format != "text" && g.log_format != "json")
        return fail("--log-format: text or json", 2);
    if (vm["help"].as<bool>()) return std::cout << kUsage, -1;
    if (vm["version"].as<bool>())
        return std::cout << "cnt-oci version " << CNT_VERSION
                         << "\nspec: " << cnt::oci::kSpecVersion << "\n",
               -1;
    if (vm["systemd-cgroup"].as<bool>())
        return fail("--systemd-cgroup is not supported: cnt-oci uses the cgroupfs driver");
    if (vm.count("rootless") && vm["rootless"].as<std::string>() == "true")
        return fail("--rootless=true is not supported");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    int i = 0;
    int rc = parse_global(argc, argv, i);
    if (rc) return rc < 0 ? 0 : rc;
    if (i >= argc) return std::cerr << kUsage, 1;
    cnt::log::Settings ls;
    ls.prog = "cnt-oci";
    if (g.debug) ls.stderr_level = cnt::log::Level::debug;
    cnt::log::configure(ls);
    std::vector<std::string> args(argv + i + 1, argv + argc);
    for (const auto& a : args)
        if (a == "--help" || a == "-h") return std::cout << kUsage, 0;
    return dispatch(argv[i], std::move(args));
}
