// A config loaded from text, with its diagnostics: what the config tests assert on.
#pragma once
#include <string>

#include "cnt/config.hpp"

namespace test {

struct Loaded {
    cnt::config::Config cfg;
    cnt::config::Diagnostics d;
    bool ok = false;
};

inline Loaded load(const std::string& text) {
    Loaded l;
    l.ok = cnt::config::load_string(text, "config", l.cfg, l.d);
    return l;
}

}  // namespace test
