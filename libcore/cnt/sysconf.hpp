// /etc/cnt/cnt.conf (or $CNT_CONF): the suite's own INI settings, read with inih.
#pragma once
#include <string>
#include <vector>

#include "cnt/error.hpp"

namespace cnt::sysconf {

struct Settings {
    std::string lxcpath = "/var/lib/cnt";            // [paths] lxcpath
    std::string default_config;                      // [paths] default_config
    std::string template_dir;                        // [paths] template_dir ("" = search)
    std::string rundir = "/run/cnt";                 // [paths] rundir
    std::string log_level = "ERROR";                 // [log] level
    std::vector<std::string> delegate;               // [cgroup] delegate (cnt-delegate --boot)
    std::string source;                              // the file that was read ("" = defaults)
};

// Read once per process: $CNT_CONF if set (must exist), else CNT_SYSCONFDIR/cnt.conf if it
// exists, else built-in defaults.
Result<Settings> load();  // read on the first call, then the same result
const Settings& get();  // load() result cached; defaults when loading failed
// Parse a given file (tests).
Result<Settings> load_file(const std::string& path);

// Directory of the running executable (/proc/self/exe), for finding data next to the build.
std::string exe_dir();
// Where templates live: template_dir, else <exe>/../share/cnt/templates, else <exe>/../templates,
// else CNT_PREFIX/share/cnt/templates.
std::string template_dir();
// The default container config: default_config, else CNT_SYSCONFDIR/default.conf, else
// <exe>/../config/default.conf (build tree). "" when none exists.
std::string default_config();

}  // namespace cnt::sysconf
