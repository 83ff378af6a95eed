// cnt-bench: times whole commands side by side, the way `hyperfine -N` does: each sample is one
// posix_spawn + wait4 of the command itself (no shell in the sample, the executable's path
// resolved before the clock starts), the cases run round-robin so a slow phase of a shared
// machine hits every case alike, and the report gives median, min, max and the ratio of each
// median to the floor's. Setup and teardown commands run through /bin/sh, outside the timing.
//
//   cnt-bench [--runs N] [--warmup N] [--floor NAME] [--sequential] [--gap MS] [--no-env]
//             [--csv FILE] [--env LABEL=SHELLCMD]... [--file CASEFILE]...
//             [--case NAME [--setup CMD] [--teardown CMD] -- ARGV...]...
//
// "{i}" in ARGV, setup or teardown is replaced by the run index (0-based): with --sequential
// and --runs N, `--case start -- cnt-start -d -n s{i}` starts N containers one by one, and the
// report adds the median of the first and last quarter of the runs, which must be equal when the
// cost per container stays flat. A case whose command fails is reported with its exit status and
// first stderr line, and the other cases go on.
// --gap MS sleeps before each timed sample (after its setup): every sample then starts after a
// quiet spell, as a command typed by an admin does, and not in the wake of the one before it
// (whose deferred kernel work, RCU grace periods among it, a back-to-back sample may ride on).
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "stats.hpp"

extern char** environ;

namespace {

struct Case {
    std::string name;
    std::vector<std::string> argv;
    std::string setup, teardown;
    std::vector<double> samples;  // seconds, in run order
    // CPU seconds of each sample, user + system, from wait4's rusage: the command and the
    // descendants it waited for (a daemon's monitor is not among them). What the command made
    // the machine do; a busy neighbour inflates it far less than the wall time. Only the sum
    // is exact: with tick-based accounting the kernel splits it into user and system by
    // sampling at HZ, which says nothing for a command of a few ms.
    std::vector<double> cpu;
    std::string failure;  // set once a run failed; the case then stops
};

Case make_case(std::string name) {
    Case c;
    c.name = std::move(name);
    return c;
}

struct Options {
    int runs = 10;
    int warmup = 1;
    bool sequential = false;
    int gap_ms = 0;
    bool no_env = false;
    std::string floor;
    std::string csv;
    std::vector<std::pair<std::string, std::string>> env;
    std::vector<Case> cases;
};

[[noreturn]] void die(const std::string& msg) {
    std::cerr << "cnt-bench: " << msg << "\n";
    std::exit(2);
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
        s.replace(pos, from.size(), to);
    return s;
}

// Splits a case file's `run =` value into words: blanks separate, '...' and "..." quote,
// backslash escapes one character. No expansion of any kind: the sample has no shell.
std::vector<std::string> split_words(const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    bool in_word = false;
    char quote = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char ch = s[i];
        if (quote) {
            if (ch == quote)
                quote = 0;
            else if (ch == '\\' && quote == '"' && i + 1 < s.size())
                cur += s[++i];
            else
                cur += ch;
        } else if (ch == '\'' || ch == '"') {
            quote = ch;
            in_word = true;
        } else if (ch == '\\' && i + 1 < s.size()) {
            cur += s[++i];
            in_word = true;
        } else if (ch == ' ' || ch == '\t') {
            if (in_word) out.push_back(cur), cur.clear(), in_word = false;
        } else {
            cur += ch;
            in_word = true;
        }
    }
    if (quote) die("unterminated quote in: " + s);
    if (in_word) out.push_back(cur);
    return out;
}

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// Case file:   [name]  then  run = ARGV words,  setup = SHELLCMD,  teardown = SHELLCMD.
void read_case_file(const std::string& path, Options& o) {
    std::ifstream in(path);
    if (!in) die(path + ": " + std::strerror(errno));
    std::string line;
    int lineno = 0;
    Case* cur = nullptr;
    while (std::getline(in, line)) {
        ++lineno;
        line = trim(line);
        if (line.empty() || line[0] == '#') continue;
        auto where = path + ":" + std::to_string(lineno) + ": ";
        if (line.front() == '[') {
            if (line.back() != ']') die(where + "expected [name]");
            o.cases.push_back(make_case(trim(line.substr(1, line.size() - 2))));
            cur = &o.cases.back();
            continue;
        }
        auto eq = line.find('=');
        if (!cur || eq == std::string::npos) die(where + "expected [name] or key = value");
        auto key = trim(line.substr(0, eq)), val = trim(line.substr(eq + 1));
        if (key == "run")
            cur->argv = split_words(val);
        else if (key == "setup")
            cur->setup = val;
        else if (key == "teardown")
            cur->teardown = val;
        else
            die(where + "unknown key " + key);
    }
}

int to_int(const std::string& s, const char* what) {
    char* end = nullptr;
    long v = std::strtol(s.c_str(), &end, 10);
    if (s.empty() || *end || v < 0 || v > 1000000) die(std::string("bad ") + what + ": " + s);
    return int(v);
}

void usage() {
    std::cout
        << "usage: cnt-bench [--runs N] [--warmup N] [--floor NAME] [--sequential] [--gap MS] "
           "[--no-env]\n"
           "                 [--csv FILE] [--env LABEL=SHELLCMD]... [--file CASEFILE]...\n"
           "                 [--case NAME [--setup CMD] [--teardown CMD] -- ARGV...]...\n"
           "Times whole commands (posix_spawn + wait, no shell), cases interleaved round-robin;\n"
           "prints median, min, max and the ratio to the floor (default: the first case; --floor - "
           "for none).\n"
           "{i} in a case's commands is the run index. --gap MS: a quiet spell before each "
           "sample.\n"
           "Case file: [name], run =, setup =, teardown =.\n";
}

Options parse(int argc, char** argv) {
    Options o;
    if (const char* r = std::getenv("BENCH_RUNS"); r && *r) o.runs = to_int(r, "BENCH_RUNS");
    std::vector<std::string> a(argv + 1, argv + argc);
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto next = [&](const char* opt) -> std::string {
            if (i + 1 >= a.size()) die(std::string(opt) + " needs a value");
            return a[++i];
        };
        const auto& s = a[i];
        if (s == "-h" || s == "--help")
            usage(), std::exit(0);
        else if (s == "--runs")
            o.runs = to_int(next("--runs"), "--runs");
        else if (s == "--warmup")
            o.warmup = to_int(next("--warmup"), "--warmup");
        else if (s == "--floor")
            o.floor = next("--floor");
        else if (s == "--sequential")
            o.sequential = true;
        else if (s == "--gap")
            o.gap_ms = to_int(next("--gap"), "--gap");
        else if (s == "--no-env")
            o.no_env = true;
        else if (s == "--csv")
            o.csv = next("--csv");
        else if (s == "--file")
            read_case_file(next("--file"), o);
        else if (s == "--env") {
            auto v = next("--env");
            auto eq = v.find('=');
            if (eq == std::string::npos) die("--env wants LABEL=SHELLCMD");
            o.env.emplace_back(v.substr(0, eq), v.substr(eq + 1));
        } else if (s == "--case") {
            o.cases.push_back(make_case(next("--case")));
        } else if (s == "--setup" || s == "--teardown") {
            if (o.cases.empty()) die(s + " before --case");
            (s == "--setup" ? o.cases.back().setup : o.cases.back().teardown) = next(s.c_str());
        } else if (s == "--") {
            if (o.cases.empty()) die("-- before --case");
            // The command runs to the next --case (or the end).
            while (i + 1 < a.size() && a[i + 1] != "--case") o.cases.back().argv.push_back(a[++i]);
        } else {
            die("unknown argument " + s + " (see --help)");
        }
    }
    if (o.runs < 1) die("--runs must be at least 1");
    if (o.cases.empty()) die("no cases (see --help)");
    for (auto& c : o.cases)
        if (c.argv.empty()) die("case " + c.name + " has no command");
    if (o.floor == "-") {
        // no floor: no ratio column values
    } else if (!o.floor.empty()) {
        bool found = false;
        for (auto& c : o.cases) found |= c.name == o.floor;
        if (!found) die("--floor " + o.floor + ": no such case");
    } else {
        o.floor = o.cases.front().name;
    }
    return o;
}

// PATH lookup done once, before timing, as hyperfine -N resolves the program before it spawns.
std::optional<std::string> resolve(const std::string& prog) {
    if (prog.find('/') != std::string::npos)
        return access(prog.c_str(), X_OK) == 0 ? std::optional(prog) : std::nullopt;
    const char* path = std::getenv("PATH");
    std::stringstream ss(path ? path : "/usr/local/bin:/usr/bin:/bin");
    std::string dir;
    while (std::getline(ss, dir, ':')) {
        auto full = (dir.empty() ? "." : dir) + "/" + prog;
        struct stat st;
        if (stat(full.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(full.c_str(), X_OK) == 0)
            return full;
    }
    return std::nullopt;
}

double now() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

// Spawns argv with stdin/stdout on /dev/null and stderr on err_fd; returns the wait status
// and the wall time from just before posix_spawn to just after wait4.
struct RunResult {
    int status = 0;
    double seconds = 0, cpu = 0;
    int spawn_errno = 0;
};
RunResult spawn_wait(const std::string& exe, const std::vector<std::string>& args, int err_fd) {
    std::vector<char*> av;
    for (auto& s : args) av.push_back(const_cast<char*>(s.c_str()));
    av.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    if (err_fd >= 0) posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
    RunResult r;
    pid_t pid;
    double t0 = now();
    int rc = posix_spawn(&pid, exe.c_str(), &fa, nullptr, av.data(), environ);
    struct rusage ru {};
    if (rc == 0) {
        while (wait4(pid, &r.status, 0, &ru) < 0 && errno == EINTR) {
        }
    }
    r.seconds = now() - t0;
    auto secs = [](const timeval& tv) { return double(tv.tv_sec) + double(tv.tv_usec) * 1e-6; };
    r.cpu = secs(ru.ru_utime) + secs(ru.ru_stime);
    posix_spawn_file_actions_destroy(&fa);
    r.spawn_errno = rc;
    return r;
}

// Setup/teardown through the shell; their output goes to our stderr so failures are visible.
int shell(const std::string& cmd) {
    if (cmd.empty()) return 0;
    std::vector<std::string> args{"/bin/sh", "-c", cmd};
    std::vector<char*> av;
    for (auto& s : args) av.push_back(const_cast<char*>(s.c_str()));
    av.push_back(nullptr);
    pid_t pid;
    if (posix_spawn(&pid, "/bin/sh", nullptr, nullptr, av.data(), environ) != 0) return 127;
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

std::string shell_line(const std::string& cmd) {
    std::string out;
    if (FILE* p = popen((cmd + " 2>&1").c_str(), "r")) {
        char buf[512];
        if (fgets(buf, sizeof buf, p)) out = buf;
        pclose(p);
    }
    return trim(out);
}

std::string first_line_of(int fd) {
    char buf[512] = {};
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0) return "";
    std::string s(buf, std::size_t(n));
    return trim(s.substr(0, s.find('\n')));
}

std::string describe_status(int st) {
    if (WIFEXITED(st)) return "exit " + std::to_string(WEXITSTATUS(st));
    if (WIFSIGNALED(st)) return std::string("signal ") + strsignal(WTERMSIG(st));
    return "status " + std::to_string(st);
}

std::string cgroup_layout() {
    struct statfs fs;
    constexpr long cgroup2_magic = 0x63677270, tmpfs_magic = 0x01021994;
    if (statfs("/sys/fs/cgroup", &fs) != 0) return "none";
    if (long(fs.f_type) == cgroup2_magic) return "cgroup2 only (unified)";
    if (long(fs.f_type) == tmpfs_magic) {
        struct statfs u;
        if (statfs("/sys/fs/cgroup/unified", &u) == 0 && long(u.f_type) == cgroup2_magic)
            return "hybrid (v1 controllers, cgroup2 at /sys/fs/cgroup/unified)";
        return "cgroup v1 only";
    }
    return "unknown";
}

void print_env(const Options& o) {
    utsname u{};
    uname(&u);
    double load[3] = {};
    getloadavg(load, 3);
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    time_t t = time(nullptr);
    char date[64];
    strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S %Z", localtime(&t));
    std::printf("date:     %s\n", date);
    std::printf("kernel:   %s %s %s\n", u.sysname, u.release, u.machine);
    std::printf("cgroups:  %s\n", cgroup_layout().c_str());
    std::printf("cpus:     %u online, load %.2f %.2f %.2f\n", std::thread::hardware_concurrency(),
                load[0], load[1], load[2]);
    for (auto& [label, cmd] : o.env)
        std::printf("%-9s %s\n", (label + ":").c_str(), shell_line(cmd).c_str());
    std::printf("method:   %d runs per case%s, %d warmup, posix_spawn + wait4, stdout to /dev/null",
                o.runs, o.sequential ? " in sequence" : " interleaved round-robin",
                o.sequential ? 0 : o.warmup);
    if (o.gap_ms) std::printf(", %d ms quiet before each sample", o.gap_ms);
    std::printf("\n");
}

bool uses_index(const Case& c) {
    auto has = [](const std::string& s) { return s.find("{i}") != std::string::npos; };
    bool any = has(c.setup) || has(c.teardown);
    for (auto& a : c.argv) any |= has(a);
    return any;
}

// One run of a case: setup, the timed spawn, teardown. Marks the case failed on any error.
void run_once(Case& c, const std::string& exe, int index, int err_fd, bool keep, int gap_ms) {
    auto idx = std::to_string(index);
    if (int rc = shell(replace_all(c.setup, "{i}", idx)); rc != 0) {
        c.failure = "setup exited " + std::to_string(rc);
        return;
    }
    std::vector<std::string> args;
    for (auto& a : c.argv) args.push_back(replace_all(a, "{i}", idx));
    if (ftruncate(err_fd, 0) != 0) {
    }
    if (gap_ms) {
        timespec gap{gap_ms / 1000, (gap_ms % 1000) * 1000000L};
        while (nanosleep(&gap, &gap) != 0 && errno == EINTR) {
        }
    }
    auto r = spawn_wait(exe, args, err_fd);
    if (r.spawn_errno)
        c.failure = std::string("spawn: ") + std::strerror(r.spawn_errno);
    else if (!WIFEXITED(r.status) || WEXITSTATUS(r.status) != 0) {
        auto msg = first_line_of(err_fd);
        c.failure = describe_status(r.status) + (msg.empty() ? "" : ": " + msg);
    } else if (keep) {
        c.samples.push_back(r.seconds);
        c.cpu.push_back(r.cpu);
    }
    if (int rc = shell(replace_all(c.teardown, "{i}", idx)); rc != 0 && c.failure.empty())
        c.failure = "teardown exited " + std::to_string(rc);
}

}  // namespace

int main(int argc, char** argv) {
    Options o = parse(argc, argv);
    std::vector<std::string> exes;
    std::vector<int> err_fds;
    for (auto& c : o.cases) {
        auto exe = resolve(c.argv[0]);
        if (!exe) c.failure = "not available (" + c.argv[0] + " not found)";
        exes.push_back(exe.value_or(""));
        int fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
        if (fd < 0) die(std::string("O_TMPFILE in /tmp: ") + std::strerror(errno));
        err_fds.push_back(fd);
    }
    if (!o.no_env) print_env(o);
    std::fflush(stdout);

    if (o.sequential) {
        // Each case in turn, all its runs: N containers started one by one, then stopped.
        for (std::size_t k = 0; k < o.cases.size(); ++k)
            for (int r = 0; r < o.runs && o.cases[k].failure.empty(); ++r)
                run_once(o.cases[k], exes[k], r, err_fds[k], true, o.gap_ms);
    } else {
        for (int r = -o.warmup; r < o.runs; ++r)
            for (std::size_t k = 0; k < o.cases.size(); ++k)
                if (o.cases[k].failure.empty())
                    run_once(o.cases[k], exes[k], r < 0 ? 0 : r, err_fds[k], r >= 0, o.gap_ms);
    }

    const Case* floor = nullptr;
    for (auto& c : o.cases)
        if (c.name == o.floor) floor = &c;
    auto fs = cnt::bench::summarize(floor && floor->failure.empty() ? floor->samples
                                                                    : std::vector<double>{});

    bool indexed = std::any_of(o.cases.begin(), o.cases.end(), uses_index);
    auto ftrend = floor && floor->failure.empty() && !o.sequential
                      ? cnt::bench::trend(floor->samples)
                      : std::nullopt;
    std::size_t w = 8;
    for (auto& c : o.cases) w = std::max(w, c.name.size());
    if (!o.no_env) std::printf("\n");
    std::printf("%-*s %5s %10s %10s %10s %9s %8s\n", int(w), "case", "runs", "median ms", "min ms",
                "max ms", "x floor", "cpu ms");
    for (auto& c : o.cases) {
        if (!c.failure.empty()) {
            std::printf("%-*s %5s   %s\n", int(w), c.name.c_str(), "-", c.failure.c_str());
            continue;
        }
        auto s = cnt::bench::summarize(c.samples);
        auto ratio = cnt::bench::ratio(s, fs);
        char rbuf[32] = "-";
        if (ratio) std::snprintf(rbuf, sizeof rbuf, "%.2f", *ratio);
        std::printf("%-*s %5zu %10.2f %10.2f %10.2f %9s %8.2f", int(w), c.name.c_str(), s.n,
                    s.median * 1e3, s.min * 1e3, s.max * 1e3, rbuf,
                    cnt::bench::median(c.cpu) * 1e3);
        // In a table where some case counts up ({i}: container s0, s1, ...), every case shows how
        // it moved from the first quarter of the runs to the last; a case interleaved with the
        // floor also shows its ratio to the floor in each quarter, which takes out what the
        // whole machine (the kernel included) did meanwhile.
        if (indexed)
            if (auto t = cnt::bench::trend(c.samples)) {
                std::printf("   first/last quarter %.2f/%.2f ms", t->first * 1e3, t->last * 1e3);
                if (ftrend && &c != floor)
                    if (auto r = cnt::bench::trend_ratio(*t, *ftrend))
                        std::printf(" (x floor %.2f/%.2f)", r->first, r->last);
            }
        std::printf("\n");
    }

    if (!o.csv.empty()) {
        std::ofstream out(o.csv);
        out << "case,run,seconds,cpu\n";
        for (auto& c : o.cases)
            for (std::size_t i = 0; i < c.samples.size(); ++i)
                out << c.name << "," << i << "," << c.samples[i] << "," << c.cpu[i] << "\n";
        if (!out) die(o.csv + ": write failed");
    }
    bool any_failed = false;
    for (auto& c : o.cases) any_failed |= !c.failure.empty();
    return any_failed ? 1 : 0;
}
