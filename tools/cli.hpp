// The options every cnt tool shares (LXC's common options), on Boost.Program_options.
// A tool declares its own options on opts(), calls parse(), then one libcore function.
#pragma once
#include <boost/program_options.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cnt/error.hpp"

namespace cnt::cli {

namespace po = boost::program_options;

struct Common {
    std::string name;                  // -n NAME or the first positional argument
    std::string lxcpath;               // -P (default from cnt.conf), trailing '/' stripped
    std::string logfile;               // -o
    std::string loglevel;              // -l
    bool quiet = false;                // -q
    std::string rcfile;                // --rcfile (or -f where the tool says so)
    std::vector<std::string> defines;  // -s/--define KEY=VAL (tools that allow it)
    std::vector<std::string> args;     // positionals after the name (and everything after --)
};

class Tool {
  public:
    // usage: "-n NAME [-s KEY=VAL]... [-- COMMAND]"; summary: one line for --help.
    Tool(std::string prog, std::string usage, std::string summary);

    po::options_description& opts() { return own_; }
    Tool& name_optional() {
        need_name_ = false;
        return *this;
    }
    Tool& no_name() {
        need_name_ = false;
        take_name_ = false;
        return *this;
    }
    Tool& rcfile_as_f() {
        rcfile_f_ = true;
        return *this;
    }  // -f/--rcfile (start, execute)
    Tool& with_defines() {
        defines_ = true;
        return *this;
    }  // -s/--define
    Tool& with_args() {
        args_ = true;
        return *this;
    }  // keep positionals/after --
    Tool& no_rcfile() {
        rcfile_ = false;
        return *this;
    }
    // The tool's own -l (cnt-config -l lists, as lxc-config): --logpriority has no short form.
    Tool& own_short_l() {
        short_l_ = false;
        return *this;
    }
    Tool& epilog(std::string text) {
        epilog_ = std::move(text);
        return *this;
    }

    // Parses argv and sets up logging. nullopt: go on; a value: exit with it (help: 0).
    std::optional<int> parse(int argc, char** argv);

    const Common& common() const { return c_; }
    const po::variables_map& vm() const { return vm_; }
    bool has(const char* opt) const { return vm_.count(opt) > 0 && !vm_[opt].defaulted(); }

    // Print "prog: name: message" once and return the exit code (1 by default).
    int fail(const Error& e, int code = 1) const;
    // Same for a plain message.
    int fail_msg(const std::string& msg, int code = 1) const;
    const std::string& prog() const { return prog_; }
    void print_help(std::ostream& os) const;

  private:
    // parse()'s steps, in order; each returns an exit code when the tool must stop there.
    po::options_description common_options() const;
    std::optional<int> read_command_line(int argc, char** argv);
    std::optional<int> answer_info_flags() const;
    std::optional<int> take_name_and_args();
    std::optional<int> take_settings();
    std::optional<int> set_up_logging();

    std::string prog_, usage_, summary_, epilog_;
    po::options_description own_;
    bool need_name_ = true, take_name_ = true, rcfile_ = true, rcfile_f_ = false, defines_ = false,
         args_ = false, short_l_ = true;
    Common c_;
    po::variables_map vm_;
};

}  // namespace cnt::cli
