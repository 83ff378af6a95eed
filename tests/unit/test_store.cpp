#include <catch2/catch.hpp>

#include "cnt/store.hpp"

using cnt::store::validate_name;

TEST_CASE("container names", "[store]") {
    CHECK(validate_name("web1"));
    CHECK(validate_name("a.b_c-d"));
    CHECK(validate_name(std::string(64, 'x')));
    CHECK_FALSE(validate_name(std::string(65, 'x')));
    CHECK_FALSE(validate_name(""));
    CHECK_FALSE(validate_name("."));
    CHECK_FALSE(validate_name(".."));
    CHECK_FALSE(validate_name("a/b"));
    CHECK_FALSE(validate_name("-x"));
    CHECK_FALSE(validate_name(".hidden"));
    CHECK_FALSE(validate_name("a\nb"));
    CHECK(validate_name("a/b").error().message().find("'/'") != std::string::npos);
}

TEST_CASE("key=value state files round-trip", "[store]") {
    cnt::store::KeyValues kv{{"init_pid", "42"}, {"state", "RUNNING"}};
    CHECK(cnt::store::parse_kv(cnt::store::format_kv(kv)) == kv);
}
