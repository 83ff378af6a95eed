#include "cli.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <iostream>

#include "cnt/log.hpp"
#include "cnt/sysconf.hpp"

#ifndef CNT_VERSION
#define CNT_VERSION "0"
#endif

namespace cnt::cli {

Tool::Tool(std::string prog, std::string usage, std::string summary)
    : prog_(std::move(prog)),
      usage_(std::move(usage)),
      summary_(std::move(summary)),
      own_("Options") {}

void Tool::print_help(std::ostream& os) const {
    os << "Usage: " << prog_ << ' ' << usage_ << "\n\n" << summary_ << "\n\n";
    if (!own_.options().empty()) os << own_ << '\n';
    po::options_description common("Common options");
    if (take_name_) common.add_options()("name,n", "NAME of the container");
    common.add_options()("lxcpath,P", "PATH holding the containers (default: lxcpath of cnt.conf)")(
        "logfile,o", "FILE to log to")(
        short_l_ ? "logpriority,l" : "logpriority",
        "LEVEL: TRACE DEBUG INFO NOTICE WARN ERROR CRIT ALERT FATAL")("quiet,q",
                                                                      "print nothing on stderr");
    if (rcfile_)
        common.add_options()(rcfile_f_ ? "rcfile,f" : "rcfile",
                             "FILE: config to load instead of the container's");
    if (defines_) common.add_options()("define,s", "KEY=VAL: set a config item for this run");
    common.add_options()("help,h", "show this help")("version", "show the version");
    os << common;
    if (!epilog_.empty()) os << '\n' << epilog_ << '\n';
}

// The options every tool takes (-P, -o, -l, -q, --help ...) and -n, -f, -s where it does.
po::options_description Tool::common_options() const {
    po::options_description common;
    common.add_options()("lxcpath,P", po::value<std::vector<std::string>>())(
        "logfile,o", po::value<std::string>())(short_l_ ? "logpriority,l" : "logpriority",
                                               po::value<std::string>())(
        "quiet,q", po::bool_switch())("help,h", po::bool_switch())("usage", po::bool_switch())(
        "version", po::bool_switch())("args", po::value<std::vector<std::string>>());
    if (take_name_) common.add_options()("name,n", po::value<std::string>());
    if (rcfile_) common.add_options()(rcfile_f_ ? "rcfile,f" : "rcfile", po::value<std::string>());
    if (defines_) common.add_options()("define,s", po::value<std::vector<std::string>>());
    return common;
}

// argv into vm_. Everything after "--" is positional: the command for start/attach/execute.
std::optional<int> Tool::read_command_line(int argc, char** argv) {
    po::options_description all;
    all.add(own_);
    all.add(common_options());
    po::positional_options_description pos;
    pos.add("args", -1);
    try {
        po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), vm_);
        po::notify(vm_);
    } catch (const std::exception& e) {
        std::cerr << prog_ << ": " << e.what() << "\n";
        std::cerr << "Try '" << prog_ << " --help' for more information.\n";
        return 1;
    }
    return std::nullopt;
}

// --help, --usage and --version are answered here (exit 0).
std::optional<int> Tool::answer_info_flags() const {
    if (vm_["help"].as<bool>()) {
        print_help(std::cout);
        return 0;
    }
    if (vm_["usage"].as<bool>()) {
        std::cout << "Usage: " << prog_ << ' ' << usage_ << '\n';
        return 0;
    }
    if (vm_["version"].as<bool>()) {
        std::cout << CNT_VERSION << '\n';
        return 0;
    }
    return std::nullopt;
}

// -n NAME (or, without -n, the first argument) and the arguments that follow.
std::optional<int> Tool::take_name_and_args() {
    if (vm_.count("args")) c_.args = vm_["args"].as<std::vector<std::string>>();
    if (take_name_) {
        if (vm_.count("name"))
            c_.name = vm_["name"].as<std::string>();
        else if (!c_.args.empty()) {
            c_.name = c_.args.front();
            c_.args.erase(c_.args.begin());
        }
        if (c_.name.empty() && need_name_) {
            std::cerr << prog_ << ": No container name specified\n";
            return 1;
        }
    }
    if (!args_ && !c_.args.empty()) {
        std::cerr << prog_ << ": unexpected argument \"" << c_.args.front() << "\"\n";
        return 1;
    }
    return std::nullopt;
}

// cnt.conf, then -P (once at most; cnt.conf's lxcpath without it), -o, -l, -q, -f and -s.
std::optional<int> Tool::take_settings() {
    // cnt.conf also gives the run dir and the log level: a file that cannot be read is an
    // error with -P too, never a silent fall back to the defaults (another run dir).
    auto settings = sysconf::load();
    if (!settings) {
        std::cerr << prog_ << ": " << settings.error().message() << '\n';
        return 1;
    }
    if (vm_.count("lxcpath")) {
        auto& v = vm_["lxcpath"].as<std::vector<std::string>>();
        if (v.size() > 1) {
            std::cerr << prog_ << ": This command only accepts 1 -P,--lxcpath arguments\n";
            return 1;
        }
        c_.lxcpath = v.front();
    } else {
        c_.lxcpath = settings->lxcpath;
    }
    while (c_.lxcpath.size() > 1 && c_.lxcpath.back() == '/') c_.lxcpath.pop_back();
    if (vm_.count("logfile")) c_.logfile = vm_["logfile"].as<std::string>();
    if (vm_.count("logpriority")) c_.loglevel = vm_["logpriority"].as<std::string>();
    c_.quiet = vm_["quiet"].as<bool>();
    if (rcfile_ && vm_.count("rcfile")) c_.rcfile = vm_["rcfile"].as<std::string>();
    if (defines_ && vm_.count("define")) c_.defines = vm_["define"].as<std::vector<std::string>>();
    return std::nullopt;
}

// Logging: stderr at ERROR (or cnt.conf's level); -l sets the file's level; -l without -o
// logs to <lxcpath>/<name>/<name>.log as LXC does.
std::optional<int> Tool::set_up_logging() {
    log::Settings ls;
    ls.prog = prog_;
    ls.container = c_.name;
    ls.quiet = c_.quiet;
    if (auto l = log::parse_level(sysconf::get().log_level)) ls.stderr_level = *l;
    log::Level file_level = log::Level::error;
    if (!c_.loglevel.empty()) {
        auto l = log::parse_level(c_.loglevel);
        if (!l) {
            std::cerr << prog_ << ": invalid log priority \"" << c_.loglevel << "\"\n";
            return 1;
        }
        file_level = *l;
    }
    log::configure(ls);
    std::string file = c_.logfile;
    if (file.empty() && !c_.loglevel.empty() && !c_.name.empty()) {
        std::string dir = c_.lxcpath + "/" + c_.name;
        struct stat st {};
        if (::stat(dir.c_str(), &st) == 0) file = dir + "/" + c_.name + ".log";
    }
    if (!file.empty() && !log::open_file(file, file_level))
        log::warn("cannot open log file \"", file, "\": ", std::strerror(errno));
    return std::nullopt;
}

std::optional<int> Tool::parse(int argc, char** argv) {
    log::Settings ls;
    ls.prog = prog_;
    log::configure(ls);  // errors until set_up_logging name the tool
    if (auto rc = read_command_line(argc, argv)) return rc;
    if (auto rc = answer_info_flags()) return rc;
    if (auto rc = take_name_and_args()) return rc;
    if (auto rc = take_settings()) return rc;
    return set_up_logging();
}

int Tool::fail(const Error& e, int code) const {
    // The log prefix already names the container: an error whose object is that container
    // (libcore's API tags errors with it for programs) must not print the name twice.
    Error shown = e;
    if (!c_.name.empty()) {
        if (shown.object == c_.name)
            shown.object.clear();
        else if (shown.object.starts_with(c_.name + ": "))
            shown.object.erase(0, c_.name.size() + 2);
    }
    log::error(shown.message());
    return code;
}

int Tool::fail_msg(const std::string& msg, int code) const {
    log::error(msg);
    return code;
}

}  // namespace cnt::cli
