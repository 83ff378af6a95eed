// Unit tests of libcore/listing: columns, JSON, the defined containers.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "cnt/listing.hpp"
#include "cnt/store.hpp"

namespace fs = std::filesystem;

TEST_CASE("json strings are escaped", "[listing]") {
    using cnt::listing::json_string;
    CHECK(json_string("web1") == "\"web1\"");
    CHECK(json_string("a\"b\\c\n") == "\"a\\\"b\\\\c\\n\"");
    CHECK(json_string(std::string("\x01", 1)) == "\"\\u0001\"");
}

TEST_CASE("listing columns and json", "[listing]") {
    namespace ls = cnt::listing;
    ls::Info i;
    i.name = "web1";
    i.state = cnt::State::running;
    i.pid = 42;
    i.ram_bytes = 1024 * 1024 * 3 / 2;
    i.autostart = true;
    i.groups = {"onboot", "web"};
    i.ipv4 = {"10.0.3.5", "10.0.3.6"};
    CHECK(ls::column_value(i, "NAME") == "web1");
    CHECK(ls::column_value(i, "STATE") == "RUNNING");
    CHECK(ls::column_value(i, "PID") == "42");
    CHECK(ls::column_value(i, "RAM") == "1.50MB");
    CHECK(ls::column_value(i, "SWAP") == "-");
    CHECK(ls::column_value(i, "AUTOSTART") == "1");
    CHECK(ls::column_value(i, "GROUPS") == "onboot,web");
    CHECK(ls::column_value(i, "IPV4") == "10.0.3.5, 10.0.3.6");
    CHECK(ls::column_value(i, "IPV6") == "-");
    CHECK(ls::column_value(i, "UNPRIVILEGED") == "false");
    CHECK(ls::valid_column("INTERFACE"));
    CHECK_FALSE(ls::valid_column("interface"));
    auto j = ls::info_json(i);
    CHECK(j.find("\"name\": \"web1\"") != std::string::npos);
    CHECK(j.find("\"pid\": 42") != std::string::npos);
    CHECK(j.find("\"swap\": null") != std::string::npos);
    CHECK(j.find("\"groups\": [\"onboot\", \"web\"]") != std::string::npos);
    CHECK(ls::info_json(std::vector<ls::Info>{}) == "[]");

    ls::Need n;
    ls::add_need(n, "NAME");
    CHECK_FALSE((n.state || n.config || n.memory || n.addresses));
    ls::add_need(n, "GROUPS");
    CHECK(n.config);
}

TEST_CASE("defined containers are the dirs with a config", "[listing]") {
    auto dir = fs::temp_directory_path() / ("cnt-unit-ls-" + std::to_string(::getpid()));
    fs::create_directories(dir / "b");
    fs::create_directories(dir / "a");
    fs::create_directories(dir / "noconfig");
    std::ofstream(dir / "b" / "config") << "\n";
    std::ofstream(dir / "a" / "config") << "\n";
    auto names = cnt::listing::defined_names(dir.string());
    fs::remove_all(dir);
    CHECK(names == std::vector<std::string>{"a", "b"});
}
