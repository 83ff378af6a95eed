// cnt.conf(5), its key list generated from the registry (make writes build/man/cnt.conf.5).
#include <string>

#include "config/registry.hpp"

namespace cnt::config {
namespace {
// groff: a leading '.' or '\'' would be a request; backslashes must be doubled.
std::string esc(std::string_view s) {
    std::string o;
    for (char c : s) {
        if (c == '\\') o += "\\e";
        else if (c == '-') o += "\\-";
        else o += c;
    }
    if (!o.empty() && (o[0] == '.' || o[0] == '\'')) o = "\\&" + o;
    return o;
}
}  // namespace

std::string registry_man_page() {
    std::string m;
    m += ".TH CNT.CONF 5 \"\" \"cnt\" \"File Formats\"\n"
         ".SH NAME\ncnt.conf \\- container configuration for the cnt tools (lxc.conf format)\n"
         ".SH DESCRIPTION\n"
         "A container's configuration lives in \\fI<lxcpath>/<name>/config\\fR.\n"
         "Each line is \\fIkey\\fR = \\fIvalue\\fR. Blanks around key and value are ignored, one pair of\n"
         "matching quotes around the value is removed, and the first \\(aq=\\(aq separates key and value.\n"
         "A line whose first non-blank character is \\(aq#\\(aq is a comment; there are no inline comments\n"
         "and no line continuations. Lines not starting with \\fBlxc.\\fR are ignored with a warning.\n"
         "An empty value resets the key (for lists: removes every entry).\n"
         "Numbers follow C rules: \\fB0x10\\fR is 16 and \\fB010\\fR is 8.\n"
         ".PP\n"
         "\\fBlxc.include\\fR reads another file in place, or every \\fI*.conf\\fR file of a directory in\n"
         "sorted order; a relative path is relative to the including file; include cycles are errors.\n"
         ".PP\n"
         "Keys of LXC 1.x and 2.x (lxc.utsname, lxc.network.*, lxc.rootfs, lxc.pts, lxc.tty, ...) are\n"
         "accepted with a warning naming the current key.\n"
         ".SH KEYS\n";
    for (const auto& r : detail::key_rows()) {
        m += ".TP\n.B " + esc(r.name);
        if (r.prefix) m += "\\fI<" + std::string(r.name == "lxc.net." ? "N>.<subkey" : "name") + ">\\fR";
        m += "\n" + esc(r.doc) + ".";
        if (!r.example.empty())
            m += " Example: \\fB" + esc(cat(r.name, r.example_sub)) + " = " + esc(r.example) + "\\fR";
        m += "\n";
    }
    m += ".SH NETWORK KEYS\nEach interface is configured with \\fBlxc.net.\\fIN\\fB.\\fIsubkey\\fR; write the type first,\n"
         "since setting it resets the interface.\n";
    for (const auto& n : detail::net_rows()) {
        m += ".TP\n.BI lxc.net. N ." + esc(n.sub) + "\n" + esc(n.doc) + ".";
        if (!n.example.empty()) m += " Example: \\fB" + esc(cat("lxc.net.0.", n.sub, " = ", n.example)) + "\\fR";
        m += "\n";
    }
    m += ".SH FILES\n.I <lxcpath>/<name>/config\n.SH SEE ALSO\n.BR cnt\\-info (1),\n.BR cnt\\-start (1)\n";
    return m;
}

}  // namespace cnt::config
