#include <catch2/catch.hpp>

#include "cnt/text.hpp"

using namespace cnt;

TEST_CASE("trim drops blanks and line ends at both ends only", "[text]") {
    CHECK(trim("  a b \t\r\n") == "a b");
    CHECK(trim("\ta") == "a");
    CHECK(trim(" \t\r\n ").empty());
    CHECK(trim("").empty());
    CHECK(trim("xxaxx", "x") == "a");
}

TEST_CASE("split and words skip empty words", "[text]") {
    CHECK(split("a,,b,", ",") == std::vector<std::string_view>{"a", "b"});
    CHECK(words(" a\tb\n") == std::vector<std::string_view>{"a", "b"});
}
