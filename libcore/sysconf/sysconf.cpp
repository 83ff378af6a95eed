#include "cnt/sysconf.hpp"

#include <ini.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "cnt/store.hpp"

#ifndef CNT_SYSCONFDIR
#define CNT_SYSCONFDIR "/etc/cnt"
#endif
#ifndef CNT_PREFIX
#define CNT_PREFIX "/usr/local"
#endif

namespace cnt::sysconf {
namespace {

bool exists(const std::string& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0;
}

// "alice, bob carol": blanks and commas separate; repeated keys add to the list.
void add_words(std::vector<std::string>& out, const std::string& v) {
    size_t pos = 0;
    while ((pos = v.find_first_not_of(" \t,", pos)) != std::string::npos) {
        size_t e = v.find_first_of(" \t,", pos);
        out.push_back(v.substr(pos, e == std::string::npos ? e : e - pos));
        pos = e;
    }
}

struct ParseState {
    Settings* s;
    std::string error;
};

int handler(void* user, const char* section, const char* name, const char* value) {
    auto* st = static_cast<ParseState*>(user);
    std::string sec = section, key = name, val = value;
    Settings& s = *st->s;
    if (sec == "paths" && key == "lxcpath")
        s.lxcpath = val;
    else if (sec == "paths" && key == "default_config")
        s.default_config = val;
    else if (sec == "paths" && key == "template_dir")
        s.template_dir = val;
    else if (sec == "paths" && key == "rundir")
        s.rundir = val;
    else if (sec == "log" && key == "level")
        s.log_level = val;
    else if (sec == "cgroup" && key == "delegate")
        add_words(s.delegate, val);
    else {
        if (st->error.empty())
            st->error = cat("unknown setting \"", key, "\" in section [", sec, "]");
        return 0;
    }
    return 1;
}

std::optional<Result<Settings>> g_cache;

}  // namespace

// cnt.conf is a few lines; a bigger file is not one.
constexpr size_t kMaxConfBytes = 1u << 20;

Result<Settings> load_file(const std::string& path) { return load_file(path, Settings{}); }

Result<Settings> load_file(const std::string& path, Settings base) {
    // Read here, not by inih: only a regular file, bounded (a FIFO would block inih's fopen).
    auto text = store::read_input(path, kMaxConfBytes);
    if (!text) {
        const Error& e = text.error();
        return errno_error(e.err, cat("reading ", path, e.step.empty() ? "" : ": ", e.step));
    }
    if (auto nul = text->find('\0'); nul != std::string::npos)
        return error(path, ":",
                     1 + std::count(text->begin(), text->begin() + static_cast<long>(nul), '\n'),
                     ": NUL byte: not a text file");
    Settings s = std::move(base);
    ParseState st{&s, {}};
    int rc = ini_parse_string(text->c_str(), handler, &st);
    if (rc < 0) return errno_error(ENOMEM, cat("parsing ", path));
    if (rc > 0) {
        // inih returns the line of the first error.
        return error(path, ":", rc, ": ",
                     st.error.empty() ? std::string("syntax error") : st.error);
    }
    while (s.lxcpath.size() > 1 && s.lxcpath.back() == '/') s.lxcpath.pop_back();
    s.source = path;
    return s;
}

// A normal user's settings live in their home, as LXC's (~/.config/lxc/lxc.conf): the
// system's cnt.conf names root's lxcpath and run dir, which the user cannot write.
static Result<Settings> read() {
    const bool user = ::geteuid() != 0;
    Settings base = user ? user_defaults() : Settings{};
    if (const char* env = std::getenv("CNT_CONF"); env && *env) return load_file(env, base);
    std::string file = CNT_SYSCONFDIR "/cnt.conf";
    if (user) file = user_config_dir().empty() ? "" : user_config_dir() + "/cnt.conf";
    if (!file.empty() && exists(file)) return load_file(file, base);
    return base;
}

static const Result<Settings>& cached() {
    if (!g_cache) g_cache = read();
    return *g_cache;
}

Result<Settings> load() { return cached(); }

const Settings& get() {
    static const Settings defaults;
    return cached() ? *cached() : defaults;
}

std::string exe_dir() {
    char buf[PATH_MAX];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return ".";
    std::string p(buf, static_cast<size_t>(n));
    auto slash = p.rfind('/');
    return slash == std::string::npos ? "." : p.substr(0, slash);
}

std::string template_dir() {
    const auto& s = get();
    if (!s.template_dir.empty()) return s.template_dir;
    std::string d = exe_dir();
    for (const char* rel : {"/../share/cnt/templates", "/../templates"})
        if (exists(d + rel)) return d + rel;
    return CNT_PREFIX "/share/cnt/templates";
}

std::string default_config() {
    const auto& s = get();
    if (!s.default_config.empty()) return s.default_config;
    // A user's containers need the user's own id maps: the system's default.conf has none.
    if (::geteuid() != 0) {
        std::string mine = user_config_dir() + "/default.conf";
        return !user_config_dir().empty() && exists(mine) ? mine : "";
    }
    std::string sys = CNT_SYSCONFDIR "/default.conf";
    if (exists(sys)) return sys;
    std::string local = exe_dir() + "/../config/default.conf";
    if (exists(local)) return local;
    return "";
}

}  // namespace cnt::sysconf
