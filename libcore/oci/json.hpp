// JSON for the OCI module (Debian's header-only nlohmann-json3): reading config.json with every
// key checked, so a field cnt cannot honour is refused by name.
#pragma once
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "cnt/error.hpp"

namespace cnt::oci {

using json = nlohmann::json;

// Parse text; the error names `what` (the file).
Result<json> parse_json(std::string_view text, const std::string& what);

// Every key of object `j` (at `path`, "linux.resources") is one of `known`; else
// "<path>.<key> is not supported". An object expected and something else found is an error.
Result<void> known_keys(const json& j, const std::string& path,
                        std::initializer_list<std::string_view> known);

// Typed getters: absent = the default; the wrong type = an error naming the field.
Result<std::string> get_string(const json& j, const char* key, const std::string& path);
Result<int64_t> get_int(const json& j, const char* key, const std::string& path, int64_t def = 0);
Result<bool> get_bool(const json& j, const char* key, const std::string& path);
Result<std::vector<std::string>> get_strings(const json& j, const char* key,
                                             const std::string& path);
std::string join_path(const std::string& path, std::string_view key);

}  // namespace cnt::oci
