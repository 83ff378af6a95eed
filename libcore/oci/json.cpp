#include "oci/json.hpp"

namespace cnt::oci {

std::string join_path(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : cat(path, ".", key);
}

Result<json> parse_json(std::string_view text, const std::string& what) {
    try {
        return json::parse(text);
    } catch (const json::exception& e) {
        return error(cat("reading ", what, ": ", e.what()));
    }
}

Result<void> known_keys(const json& j, const std::string& path,
                        std::initializer_list<std::string_view> known) {
    if (j.is_null()) return {};
    if (!j.is_object()) return error(cat(path, " is not an object"));
    for (auto it = j.begin(); it != j.end(); ++it) {
        bool ok = false;
        for (auto k : known) ok = ok || k == it.key();
        if (!ok) return error(cat(join_path(path, it.key()), " is not supported"));
    }
    return {};
}

namespace {
std::unexpected<Error> wrong(const std::string& path, const char* key, const char* type) {
    return error(cat(join_path(path, key), " is not ", type));
}
}  // namespace

Result<std::string> get_string(const json& j, const char* key, const std::string& path) {
    if (!j.is_object() || !j.contains(key) || j[key].is_null()) return std::string();
    if (!j[key].is_string()) return wrong(path, key, "a string");
    return j[key].get<std::string>();
}

Result<int64_t> get_int(const json& j, const char* key, const std::string& path, int64_t def) {
    if (!j.is_object() || !j.contains(key) || j[key].is_null()) return def;
    if (!j[key].is_number_integer()) return wrong(path, key, "an integer");
    return j[key].get<int64_t>();
}

Result<bool> get_bool(const json& j, const char* key, const std::string& path) {
    if (!j.is_object() || !j.contains(key) || j[key].is_null()) return false;
    if (!j[key].is_boolean()) return wrong(path, key, "a boolean");
    return j[key].get<bool>();
}

Result<std::vector<std::string>> get_strings(const json& j, const char* key,
                                             const std::string& path) {
    std::vector<std::string> v;
    if (!j.is_object() || !j.contains(key) || j[key].is_null()) return v;
    if (!j[key].is_array()) return wrong(path, key, "an array");
    for (const auto& e : j[key]) {
        if (!e.is_string()) return wrong(path, key, "an array of strings");
        v.push_back(e.get<std::string>());
    }
    return v;
}

}  // namespace cnt::oci
