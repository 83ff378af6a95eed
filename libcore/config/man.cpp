// cnt.conf(5), its key list generated from the registry (make writes build/man/cnt.conf.5).
#include <string>

#include "config/registry.hpp"

namespace cnt::config {
namespace {
// groff: a leading '.' or '\'' would be a request; backslashes must be doubled.
std::string esc(std::string_view s) {
    std::string o;
    for (char c : s) {
        if (c == '\\')
            o += "\\e";
        else if (c == '-')
            o += "\\-";
        else
            o += c;
    }
    if (!o.empty() && (o[0] == '.' || o[0] == '\'')) o = "\\&" + o;
    return o;
}
}  // namespace

// What config/common.conf (included by the shipped default.conf) sets, and why.
constexpr const char* kHardening =
    ".SH HARDENING DEFAULTS\n"
    "A container made from the shipped \\fI/etc/cnt/default.conf\\fR includes \\fIcommon.conf\\fR, "
    "which sets:\n"
    ".TP\n.B lxc.cap.drop = sys_module sys_time sys_rawio mac_admin mac_override\n"
    "No kernel modules, no setting the host's clock, no raw I/O (iopl, /dev/mem), no LSM "
    "configuration.\n"
    ".TP\n.B lxc.cgroup2.devices.deny = a\n"
    "followed by \\fBallow\\fR rules for null, zero, full, random, urandom (1:3, 1:5, 1:7, 1:8, "
    "1:9), tty, console, ptmx (5:0, 5:1, 5:2), the ptys (136:*), fuse (10:229) and tun (10:200). "
    "Opening or making (mknod) any other node is refused with EPERM, also to a privileged root: "
    "the host's disks, /dev/kmsg, /dev/mem. One cgroup2 device program enforces the list on "
    "cgroup2 and hybrid hosts; on a host without cgroup2 the rules go to the v1 devices "
    "controller. Add devices with more \\fBlxc.cgroup2.devices.allow\\fR lines.\n"
    ".TP\n.B lxc.seccomp.profile = common.seccomp\n"
    "A denylist (LXC's policy format, relative to common.conf): kexec_load, kexec_file_load, "
    "init_module, finit_module, delete_module, open_by_handle_at (\\(lqshocker\\(rq), syslog, "
    "swapon, swapoff, acct, bpf, perf_event_open and lookup_dcookie fail with EPERM; keyctl, "
    "add_key and request_key with ENOSYS (the kernel keyring has no namespace; programs fall "
    "back as on a kernel without it); umount2 with MNT_FORCE with EACCES. Every other call is "
    "allowed. The filter covers the i386 and x32 entry points too, and attached processes get "
    "it as init has it.\n"
    ".PP\n"
    "Independently of common.conf, \\fBlxc.mount.auto = proc:mixed\\fR mounts /proc/sys, "
    "/proc/sysrq-trigger, /proc/bus, /proc/fs and /proc/irq read-only and masks /proc/kmsg, "
    "/proc/keys, /proc/timer_list, /proc/kcore, /proc/sched_debug, /proc/latency_stats, "
    "/proc/timer_stats, /proc/acpi, /proc/asound and /proc/scsi (OCI's defaults, and the kernel "
    "log); \\fBsys:ro\\fR and \\fBsys:mixed\\fR mask /sys/firmware. To run a container "
    "without a default, clear the key after the include (an empty value clears a list), e.g. "
    "\\fBlxc.seccomp.profile =\\fR. cnt(7), SECURITY, says what each default stops and what a "
    "privileged container can still do.\n";

// The page's fixed text, around the generated key lists.
constexpr const char* kHead =
    ".TH CNT.CONF 5 \"\" \"cnt\" \"File Formats\"\n"
    ".SH NAME\ncnt.conf \\- container configuration for the cnt tools (lxc.conf format)\n"
    ".SH DESCRIPTION\n"
    "A container's configuration lives in \\fI<lxcpath>/<name>/config\\fR.\n"
    "Each line is \\fIkey\\fR = \\fIvalue\\fR. Blanks around key and value are ignored, one "
    "pair of\n"
    "matching quotes around the value is removed, and the first \\(aq=\\(aq separates key and "
    "value.\n"
    "A line whose first non-blank character is \\(aq#\\(aq is a comment; there are no inline "
    "comments\n"
    "and no line continuations. Lines not starting with \\fBlxc.\\fR are ignored with a "
    "warning.\n"
    "An empty value resets the key (for lists: removes every entry).\n"
    "Numbers follow C rules: \\fB0x10\\fR is 16 and \\fB010\\fR is 8.\n"
    ".PP\n"
    "\\fBlxc.include\\fR reads another file in place, or every \\fI*.conf\\fR file of a "
    "directory in\n"
    "sorted order; a relative path is relative to the including file; include cycles are "
    "errors.\n"
    "Includes nest at most 32 files deep, and one config reads at most 4096 files (64 MiB).\n"
    ".PP\n"
    "Only regular files are read (a FIFO or a device such as \\fI/dev/zero\\fR is an error, "
    "never\n"
    "waited on). A file over 16 MiB, a line over 1 MiB or a NUL byte is an error naming the "
    "file and\n"
    "line (after a NUL byte the rest of the file is not read). Values are bytes: as in LXC, "
    "text that\n"
    "is not UTF-8 is kept as it is.\n"
    ".PP\n"
    "Keys of LXC 1.x and 2.x (lxc.utsname, lxc.network.*, lxc.rootfs, lxc.pts, lxc.tty, ...) "
    "are\n"
    "accepted with a warning naming the current key.\n"
    ".SH KEYS\n";

constexpr const char* kNetIntro =
    ".SH NETWORK KEYS\nEach interface is configured with "
    "\\fBlxc.net.\\fIN\\fB.\\fIsubkey\\fR; write the type first,\n"
    "since setting it resets the interface.\n";

constexpr const char* kRootfsPaths =
    ".SH PATHS IN THE ROOTFS\n"
    "The rootfs belongs to the container: any path in it may be a symlink. Every path cnt "
    "makes or\n"
    "mounts on before \\fBpivot_root\\fR (mount entry and fstab targets and "
    "\\fBcreate=dir\\fR /\n"
    "\\fBcreate=file\\fR, \\fBrelative\\fR bind sources, /proc, /sys, /sys/fs/cgroup, /dev "
    "and what\n"
    "is in it, \\fBlxc.tty.dir\\fR) is resolved inside the rootfs, as the container would see "
    "it:\n"
    "a symlink is followed, an absolute one from the rootfs\\(aq root, \\fB..\\fR stops at "
    "that\n"
    "root, and /proc\\(aqs fd links are refused. So a link can never lead out of the rootfs.\n"
    "Missing directories are made one at a time; a path through a symlink to nothing, or "
    "through\n"
    "something that is not a directory, is an error naming the config line and the path (LXC "
    "also\n"
    "refuses to start). Without autodev, an existing /dev/console, /dev/tty\\fIN\\fR or "
    "/dev/ptmx\n"
    "symlink is replaced, never followed.\n"
    ".PP\n"
    "\\fBlxc.rootfs.options\\fR: the mount flags \\fBro\\fR, \\fBnosuid\\fR, \\fBnodev\\fR,\n"
    "\\fBnoexec\\fR, the atime flags and their opposites apply to the rootfs mount itself, "
    "not to\n"
    "what is mounted on it (/dev, /proc, entries keep their own). Other words are ignored.\n"
    "\\fBro\\fR is applied last, right before \\fBpivot_root\\fR, so mount targets and /dev "
    "can\n"
    "still be made in the rootfs; LXC makes the rootfs read-only when it mounts it, and then "
    "fails\n"
    "an entry that has to create its target. With \\fBnoexec\\fR the container\\(aqs init "
    "cannot run.\n"
    ".PP\n"
    "Mount entries: the flags (\\fBro\\fR, \\fBnosuid\\fR, \\fBnodev\\fR, \\fBnoexec\\fR, "
    "...) are set\n"
    "on a bind before it becomes visible, recursively for \\fBrbind\\fR; \\fBremount\\fR is\n"
    "accepted and changes nothing (the flags are already there), as LXC mounts and then "
    "remounts.\n";

constexpr const char* kFiles =
    ".SH FILES\n.TP\n.I <lxcpath>/<name>/config\nThe container's configuration.\n"
    ".TP\n.I /etc/cnt/default.conf\nCopied into every new container; includes common.conf.\n"
    ".TP\n.I $(PREFIX)/share/cnt/config/common.conf, common.seccomp\n"
    "The hardening defaults and the default seccomp policy.\n"
    ".SH SEE ALSO\n.BR cnt (7),\n.BR cnt\\-info (1),\n.BR cnt\\-start (1)\n";

namespace {

// One .TP paragraph per registry row: the key, its doc and an example.
std::string key_section() {
    std::string m;
    for (const auto& r : detail::key_rows()) {
        m += ".TP\n.B " + esc(r.name);
        if (r.prefix)
            m += "\\fI<" + std::string(r.name == "lxc.net." ? "N>.<subkey" : "name") + ">\\fR";
        m += "\n" + esc(r.doc) + ".";
        if (!r.example.empty())
            m += " Example: \\fB" + esc(cat(r.name, r.example_sub)) + " = " + esc(r.example) +
                 "\\fR";
        m += "\n";
    }
    return m;
}

std::string net_section() {
    std::string m;
    for (const auto& n : detail::net_rows()) {
        m += ".TP\n.BI lxc.net. N ." + esc(n.sub) + "\n" + esc(n.doc) + ".";
        if (!n.example.empty())
            m += " Example: \\fB" + esc(cat("lxc.net.0.", n.sub, " = ", n.example)) + "\\fR";
        m += "\n";
    }
    return m;
}

}  // namespace

std::string registry_man_page() {
    std::string m = kHead;
    m += key_section();
    m += kNetIntro;
    m += net_section();
    m += kRootfsPaths;
    m += kHardening;
    m += kFiles;
    return m;
}

}  // namespace cnt::config
