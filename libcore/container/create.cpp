// cnt-create: <lxcpath>/<name>/{config,rootfs/} from a config and a template, all or nothing.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <random>

#include "cnt/bdev.hpp"
#include "cnt/config.hpp"
#include "cnt/container.hpp"
#include "cnt/log.hpp"
#include "cnt/scope.hpp"
#include "cnt/sysconf.hpp"
#include "cnt/text.hpp"
#include "config/parse.hpp"
#include "container/user.hpp"
#include "ns/userns.hpp"
#include "rootfs/shift.hpp"

namespace cnt {
namespace {

// SIGINT/SIGTERM/SIGHUP during create: remember the signal, pass it on to the template, and let
// create roll back instead of dying with a half-made container on disk.
volatile sig_atomic_t g_signal = 0;
volatile sig_atomic_t g_child = 0;

void on_signal(int sig) {
    g_signal = sig;
    if (g_child > 0) ::kill(static_cast<pid_t>(g_child), sig);
}

class SignalScope {
  public:
    SignalScope() {
        g_signal = 0;
        g_child = 0;
        struct sigaction sa {};
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        // No SA_RESTART: waitpid returns EINTR and we look at the flag.
        for (size_t i = 0; i < std::size(kSignals); ++i) ::sigaction(kSignals[i], &sa, &old_[i]);
    }
    ~SignalScope() {
        for (size_t i = 0; i < std::size(kSignals); ++i)
            ::sigaction(kSignals[i], &old_[i], nullptr);
    }
    SignalScope(const SignalScope&) = delete;
    SignalScope& operator=(const SignalScope&) = delete;

    static Result<void> check() {
        if (g_signal) return error("interrupted by signal ", ::strsignal(g_signal));
        return {};
    }

  private:
    static constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction old_[std::size(kSignals)]{};
};

std::string_view key_of(std::string_view line) {
    line = trim(line);
    if (line.empty() || line.front() == '#') return {};
    auto eq = line.find('=');
    return eq == std::string_view::npos ? std::string_view{} : trim(line.substr(0, eq));
}

std::string absolute_file_line(std::string_view line, std::string_view key,
                               const std::string& file) {
    auto value = trim(line.substr(line.find('=') + 1));
    return cat(key, " = ", config::detail::relative_to_file(file, value));
}

bool is_hwaddr_key(std::string_view k) {
    if (k == "lxc.network.hwaddr") return true;
    // lxc.net.<N>.hwaddr
    if (k.rfind("lxc.net.", 0) != 0 || k.size() < 8 + 7) return false;
    if (k.substr(k.size() - 7) != ".hwaddr") return false;
    auto idx = k.substr(8, k.size() - 8 - 7);
    if (idx.empty()) return false;
    for (char c : idx)
        if (c < '0' || c > '9') return false;
    return true;
}

// Each 'x' of a MAC address becomes a random hex digit; the low nibble of the first byte
// stays even so the address is never multicast (its lowest bit is the group bit).
std::string expand_mac(std::string_view line, std::mt19937& rng) {
    std::string out(line);
    auto eq = out.find('=');
    size_t pos = out.find_first_not_of(" \t", eq + 1);
    if (pos == std::string::npos) return out;
    static constexpr char hex[] = "0123456789abcdef";
    for (size_t i = pos; i < out.size(); ++i) {
        if (out[i] != 'x' && out[i] != 'X') continue;
        unsigned v = rng() & 0xf;
        if (i == pos + 1) v &= 0xe;
        out[i] = hex[v];
    }
    return out;
}

// The saved config, as LXC writes it: the input's lines verbatim (comments and keys we do not
// know included), blank lines dropped, MAC 'x's expanded; with a rootfs, any rootfs path line
// replaced by ours at the end.
// The input config (default.conf or -f FILE) copied into the container's config, with a fresh
// MAC for each hwaddr pattern, the rootfs line replaced, and the files it names relative to
// itself (lxc.include, lxc.seccomp.profile) made absolute: the copy lives elsewhere.
std::string build_config(const std::string& input, const std::string& input_file,
                         const std::string* rootfs) {
    std::mt19937 rng(std::random_device{}());
    std::string out;
    size_t i = 0;
    while (i < input.size()) {
        size_t e = input.find('\n', i);
        if (e == std::string::npos) e = input.size();
        std::string_view line(input.data() + i, e - i);
        i = e + 1;
        if (trim(line).empty()) continue;
        auto k = key_of(line);
        if (rootfs && (k == "lxc.rootfs.path" || k == "lxc.rootfs")) continue;
        if (is_hwaddr_key(k))
            out += expand_mac(line, rng);
        else if (config::detail::names_relative_file(k))
            out += absolute_file_line(line, k, input_file);
        else
            out += line;
        out += '\n';
    }
    if (rootfs) out += cat("lxc.rootfs.path = ", *rootfs, "\n");
    return out;
}

// Validate with the config reader; the collected diagnostics become one error.
Result<void> validate(const std::string& file, const std::string& what) {
    config::Config cfg;
    config::Diagnostics d;
    if (config::load_file(file, cfg, d) && !d.has_errors()) return {};
    std::string msg;
    for (const auto& it : d.items) {
        if (it.severity != config::Diagnostic::Severity::error) continue;
        if (!msg.empty()) msg += "; ";
        msg += it.str();
    }
    return error(what, ": ", msg.empty() ? std::string("invalid config") : msg);
}

Result<void> write_config(const std::string& path, const std::string& text) {
    CNT_TRY(store::write_atomic(path, text, 0640));
    // The umask may have taken bits away; LXC's config is 0640.
    if (::chmod(path.c_str(), 0640) != 0) return sys_error(cat("chmod \"", path, "\""));
    return {};
}

std::string describe_status(int st) {
    if (WIFEXITED(st)) return cat("exited with status ", WEXITSTATUS(st));
    if (WIFSIGNALED(st)) return cat("killed by signal ", ::strsignal(WTERMSIG(st)));
    return "failed";
}

// The template's own mount namespace: private to it, slave so the host's mounts still
// propagate in; a loop image is mounted on `rootfs` there. In the forked child: exits on
// failure.
void enter_template_mounts(const bdev::Spec& store, const std::string& rootfs) {
    if (::geteuid() == 0 && ::unshare(CLONE_NEWNS) == 0) {
        (void)::mount(nullptr, "/", nullptr, MS_SLAVE | MS_REC, nullptr);
        if (store.kind == bdev::Kind::loop) {
            if (auto m = bdev::mount(store, rootfs); !m) {
                dprintf(2, "cnt-create: %s\n", m.error().message().c_str());
                _exit(126);
            }
        }
    } else if (store.kind == bdev::Kind::loop) {
        dprintf(2, "cnt-create: a private mount namespace for the template: %s\n", strerror(errno));
        _exit(126);
    }
}

void silence_stdio() {
    int fd = ::open("/dev/null", O_RDWR);
    if (fd < 0) return;
    ::dup2(fd, 0);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    if (fd > 2) ::close(fd);
}

// The forked child: becomes the template.
[[noreturn]] void exec_template(const std::string& tpl, const store::Paths& p,
                                std::vector<char*>& argv, bool quiet, bool in_userns,
                                const bdev::Spec& store, const std::string& rootfs) {
    // The rootfs we just made becomes the container root's "/".
    if (in_userns && ::chown(p.rootfs().c_str(), 0, 0) != 0) {
        dprintf(2, "cnt-create: giving \"%s\" to the container's root: %s\n", p.rootfs().c_str(),
                strerror(errno));
        _exit(126);
    }
    ::setenv("CNT_CACHE_DIR", sysconf::cache_dir().c_str(), 1);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    enter_template_mounts(store, rootfs);
    if (quiet) silence_stdio();
    ::execv(tpl.c_str(), argv.data());
    int e = errno;
    dprintf(2, "cnt-create: executing template \"%s\": %s\n", tpl.c_str(), strerror(e));
    _exit(127);
}

// The template's wait status. Never returns while the template runs: the cleanup would race
// it in the rootfs (and leave what it writes meanwhile). ENOMEM passes; anything else: kill
// it, then report.
Result<int> wait_template(pid_t pid) {
    g_child = pid;
    int st = 0;
    for (int tries = 0; ::waitpid(pid, &st, 0) < 0; ++tries) {
        if (errno == EINTR) continue;
        if (errno == ENOMEM && tries < 100) {
            ::usleep(10000);
            continue;
        }
        auto e = sys_error("waiting for the template");
        ::kill(pid, SIGKILL);
        while (::waitpid(pid, &st, 0) < 0 && (errno == EINTR || errno == ENOMEM)) {
        }
        g_child = 0;
        return e;
    }
    g_child = 0;
    return st;
}

// Run the template as LXC does: its own argv, inherited environment and cwd; as root in a
// private mount namespace (slave, so the host's mounts still propagate in) so that whatever it
// mounts vanishes with it.
// maps (a user's container): the template runs as root of a user namespace with the
// container's maps (and the caller's ids, which own the container's directory), so the rootfs
// it makes is owned by the container's ids, as lxc-usernsexec runs LXC's templates.
// store: the backing store (cnt-create -B); a loop image is mounted on `rootfs` in the
// template's namespace, so it goes (and its loop device) when the template exits.
Result<void> run_template(const std::string& tpl, const store::Paths& p,
                          const std::vector<std::string>& args, bool quiet,
                          const std::vector<config::IdMap>& maps, const bdev::Spec& store,
                          const std::string& rootfs) {
    std::vector<std::string> argv_s{tpl, "--path=" + p.dir(), "--name=" + p.name,
                                    "--rootfs=" + rootfs};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);

    pid_t pid = -1;
    if (maps.empty()) {
        pid = ::fork();
    } else {
        CNT_ASSIGN(c, ns::fork_in_userns(ns::with_caller(maps), "the template"));
        pid = c;
    }
    if (pid < 0) return sys_error("forking the template");
    if (pid == 0) exec_template(tpl, p, argv, quiet, !maps.empty(), store, rootfs);
    CNT_ASSIGN(st, wait_template(pid));
    CNT_TRY(SignalScope::check());
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return error("Failed to create container from template: \"", tpl, "\" ",
                     describe_status(st));
    return {};
}

// With lxc.idmap in the container's config, the rootfs the template made as host root is
// shifted onto the mapped range, so the container's root owns it (as lxc-usernsexec would
// have made it).
Result<void> shift_rootfs(const store::Paths& p) {
    // A user's template ran as the container's root already (see run_template).
    if (ns::unprivileged()) return {};
    config::Config cfg;
    config::Diagnostics d;
    if (!config::load_file(p.config(), cfg, d) || cfg.ns.idmaps.empty()) return {};
    CNT_ASSIGN(st, rootfs::shift_tree(p.rootfs(), cfg.ns.idmaps));
    log::info("shifted ", st.files, " files of \"", p.rootfs(), "\" onto lxc.idmap");
    return {};
}

// The name is free: no container, no half-made one. An empty directory (what a destroy whose
// last rmdir failed leaves) is removed; a directory with anything in it is not ours.
Result<void> claim_name(const store::Paths& p) {
    CNT_TRY(store::recover_partial(p, user::remover_for(p)));
    CNT_ASSIGN(exists, store::check_defined(p));
    if (exists) return error("Container already exists");
    struct stat st {};
    if (::lstat(p.dir().c_str(), &st) != 0) return {};
    if (S_ISDIR(st.st_mode) && ::rmdir(p.dir().c_str()) == 0) return {};
    return error("\"", p.dir(), "\" exists but holds no config; remove it or choose another name");
}

// The undo of a failed create (see store::remove_half_created).
void remove_created(const store::Paths& p) {
    std::vector<std::string> kept;
    auto r = store::remove_half_created(p, kept, user::remover_for(p));
    if (!r) log::error("cleaning up: ", r.error().message());
    for (const auto& k : kept) log::error("cleaning up: mount point \"", k, "\" kept");
    if (!r || !kept.empty())
        log::error("cleaning up: \"", p.dir(),
                   "\" stays, marked half-created (cnt-destroy removes it)");
}

// Where -B puts the rootfs: dir: <dir>/rootfs (or --dir); btrfs: a subvolume there; overlay:
// <dir>/rootfs below <dir>/delta0; loop: the image <dir>/rootdev.
Result<bdev::Spec> store_spec(const store::Paths& p, const CreateOptions& o) {
    CNT_ASSIGN(kind, bdev::parse_kind(o.backend));
    if (kind != bdev::Kind::dir && ns::unprivileged())
        return error("backing store \"", o.backend, "\" needs root (a user's container is a dir)");
    if (!o.dir.empty() && kind != bdev::Kind::dir)
        return error("--dir is for the dir backing store only");
    bdev::Spec s{kind, p.rootfs(), {}};
    if (kind == bdev::Kind::dir && !o.dir.empty()) {
        if (o.dir.front() != '/') return error("--dir \"", o.dir, "\": not an absolute path");
        s.path = o.dir;
    }
    if (kind == bdev::Kind::overlay) s.upper = p.dir() + "/delta0";
    if (kind == bdev::Kind::loop) s.path = p.dir() + "/rootdev";
    return s;
}

// The store made empty, and the directory a mounted one is mounted on. A --dir outside the
// container's directory is removed by the undo only when this made it.
Result<void> make_store(const bdev::Spec& spec, const CreateOptions& o, const std::string& rootfs,
                        Undo& undo) {
    CNT_TRY(bdev::create(spec, bdev::Params{o.fssize, o.fstype}));
    if (!o.dir.empty())
        undo.push([d = spec.path] {
            std::vector<std::string> kept;
            (void)store::remove_tree(d, kept);
        });
    // An overlay's template fills its lower layer, <dir>/rootfs itself.
    if (spec.kind == bdev::Kind::loop && ::mkdir(rootfs.c_str(), 0755) != 0)
        return sys_error(cat("creating \"", rootfs, "\""));
    return {};
}

Result<void> create_locked(const store::Paths& p, const CreateOptions& o) {
    CNT_TRY(claim_name(p));

    // Everything that can be checked is checked before anything is made.
    bool none = o.template_name == "none";
    std::string tpl;
    if (!none) {
        CNT_ASSIGN(t, store::template_path(o.template_name));
        tpl = std::move(t);
    }
    std::string input_file = o.config_file.empty() ? sysconf::default_config() : o.config_file;
    std::string input;
    if (!input_file.empty()) {
        CNT_ASSIGN(text, store::read_input(input_file));
        input = std::move(text);
        CNT_TRY(validate(input_file, cat("config \"", input_file, "\"")));
    }
    // A user's container: its maps are needed (and checked) before anything is made.
    std::vector<config::IdMap> maps;
    if (ns::unprivileged() && !none) {
        CNT_ASSIGN(m, user::maps_for_create(input_file));
        maps = std::move(m);
    }

    SignalScope signals;
    CNT_TRY(store::mkdirs(p.lxcpath, 0755));
    if (::mkdir(p.dir().c_str(), 0770) != 0) return sys_error(cat("creating \"", p.dir(), "\""));
    // From here on a failure removes all we made.
    Undo undo;
    undo.push([&p] { remove_created(p); });
    if (::chmod(p.dir().c_str(), 0770) != 0) return sys_error(cat("chmod \"", p.dir(), "\""));
    CNT_ASSIGN(partial, store::Partial::create(p));

    CNT_ASSIGN(spec, store_spec(p, o));
    std::string rootfs = spec.kind == bdev::Kind::dir ? spec.path : p.rootfs();
    std::string line = spec.str();
    CNT_TRY(write_config(p.config(), build_config(input, input_file, none ? nullptr : &line)));
    CNT_TRY(SignalScope::check());
    if (!none) {
        CNT_TRY(make_store(spec, o, rootfs, undo));
        CNT_TRY(run_template(tpl, p, o.template_args, o.quiet, maps, spec, rootfs));

        auto written = store::read_input(p.config());
        if (!written)
            return std::unexpected(
                std::move(written.error()).within("reading the config back after the template"));
        std::string header = cat("# Template used to create this container: ", tpl, "\n");
        if (!o.template_args.empty()) {
            header += "# Parameters passed to the template:";
            for (const auto& a : o.template_args) header += " " + a;
            header += "\n";
        }
        header += "# For additional config options, please look at cnt.conf(5)\n\n";
        CNT_TRY(write_config(p.config(), header + *written));
        CNT_TRY(validate(p.config(), "the template wrote an invalid config"));
        CNT_TRY(shift_rootfs(p));
    }
    CNT_TRY(SignalScope::check());
    // A marker left would make the container a failed creation for every later tool: then
    // this one failed (and is undone). (finish() then finds the name gone.)
    if (::unlink(p.partial().c_str()) != 0 && errno != ENOENT)
        return sys_error(cat("removing the creation marker \"", p.partial(), "\""));
    partial.finish();
    undo.dismiss();
    return {};
}

}  // namespace

Result<Container> Container::open(std::string name, std::string lxcpath) {
    CNT_TRY(store::validate_name(name));
    while (lxcpath.size() > 1 && lxcpath.back() == '/') lxcpath.pop_back();
    return Container(store::Paths{std::move(lxcpath), std::move(name)});
}

Result<Container> Container::create(const std::string& name, const std::string& lxcpath,
                                    const CreateOptions& o) {
    CNT_ASSIGN(c, open(name, lxcpath));
    if (o.template_name.empty())
        return error("A template must be specified (use \"none\" for a config without a rootfs)");
    // Held for the whole create: a second cnt-create of the same name waits here, then finds
    // the container defined; cnt-start cannot start it half-made.
    CNT_ASSIGN(lock, store::Lock::acquire(c.paths()));
    CNT_TRY(create_locked(c.paths(), o));
    return c;
}

}  // namespace cnt
