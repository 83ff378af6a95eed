// /etc/cnt/cnt.conf (or $CNT_CONF): the suite's own INI settings, read with inih.
#pragma once
#include <sys/types.h>

#include <string>
#include <vector>

#include "cnt/error.hpp"

namespace cnt::sysconf {

struct Settings {
    std::string lxcpath = "/var/lib/cnt";  // [paths] lxcpath
    std::string default_config;            // [paths] default_config
    std::string template_dir;              // [paths] template_dir ("" = search)
    std::string rundir = "/run/cnt";       // [paths] rundir
    std::string log_level = "ERROR";       // [log] level
    std::vector<std::string> delegate;     // [cgroup] delegate (cnt-delegate --boot)
    std::string source;                    // the file that was read ("" = defaults)
};

// Read once per process: $CNT_CONF if set (must exist), else CNT_SYSCONFDIR/cnt.conf (root) or
// ~/.config/cnt/cnt.conf (any other user) if it exists, else built-in defaults. A user's
// defaults are LXC's: lxcpath ~/.local/share/cnt, run dir $XDG_RUNTIME_DIR/cnt (else
// ~/.cache/cnt/run), default config ~/.config/cnt/default.conf.
Result<Settings> load();  // read on the first call, then the same result
const Settings& get();    // load() result cached; defaults when loading failed
// Parse a given file (tests); base: the values of keys the file does not set.
Result<Settings> load_file(const std::string& path);
Result<Settings> load_file(const std::string& path, Settings base);

// Directory of the running executable (/proc/self/exe), for finding data next to the build.
std::string exe_dir();
// Where templates live: template_dir, else <exe>/../share/cnt/templates, else <exe>/../templates,
// else CNT_PREFIX/share/cnt/templates.
std::string template_dir();
// The default container config: default_config, else CNT_SYSCONFDIR/default.conf, else
// <exe>/../config/default.conf (build tree); for a user other than root only
// ~/.config/cnt/default.conf (it holds the user's id maps). "" when none exists.
std::string default_config();

// ---- a normal user's places (libcore/sysconf/user.cpp) ----
// The caller's home: $HOME when it is a directory the caller owns (setpriv and su without -l
// keep root's), else the home field of /etc/passwd for the euid. "" when neither.
std::string home();
// uid's name in /etc/passwd ("" when it has none).
std::string user_name(uid_t uid);
// $XDG_CONFIG_HOME/cnt or ~/.config/cnt ("" without a home).
std::string user_config_dir();
// Where templates keep downloads (exported to them as CNT_CACHE_DIR): /var/cache/cnt for root,
// $XDG_CACHE_HOME/cnt or ~/.cache/cnt for a user.
std::string cache_dir();
// The built-in settings for a user other than root (see load()).
Settings user_defaults();

}  // namespace cnt::sysconf
