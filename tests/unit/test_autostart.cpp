// Unit tests of libcore/autostart: lxc.group lists.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "cnt/autostart.hpp"

namespace fs = std::filesystem;

TEST_CASE("autostart group lists keep the NULL group", "[autostart]") {
    using cnt::autostart::split_groups;
    using V = std::vector<std::string>;
    CHECK(split_groups("onboot,") == V{"onboot", ""});
    CHECK(split_groups(",a") == V{"", "a"});
    CHECK(split_groups("a,,b") == V{"a", "", "b"});
    CHECK(split_groups("") == V{""});
    CHECK(split_groups("web") == V{"web"});
}
