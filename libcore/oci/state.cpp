// The state directory <root>/<id>: state.json (what `create` made, read back by every other
// command as untrusted input) and init's start socket.
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <memory>

#include "cgroup/saved.hpp"
#include "cnt/cgroup.hpp"
#include "cnt/dir.hpp"
#include "cnt/oci.hpp"
#include "oci/json.hpp"

namespace cnt::oci {

Result<void> validate_id(const std::string& id) {
    bool ok = !id.empty() && id.size() <= 1024 && id != "." && id != "..";
    for (char c : id)
        ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ||
                    c == '.' || c == '+');
    if (!ok) return error(cat("invalid container id \"", id, "\""));
    return {};
}

std::string state_dir(const std::string& root, const std::string& id) { return root + "/" + id; }

bool State::alive() const {
    if (pid <= 0) return false;
    auto st = store::process_stat(pid);
    return st && st->start == pid_start && st->state != 'Z';
}

std::string State::status() const {
    if (!alive()) return "stopped";
    if (!started) return "created";
    if (auto g = cgroup::Group::reopen(cgroup))
        if (auto f = g->freezer_state(); f && *f != cgroup::FreezerState::thawed) return "paused";
    return "running";
}

std::string state_json(const State& st, const std::string& status) {
    json j = {{"ociVersion", kSpecVersion},
              {"id", st.id},
              {"status", status},
              {"pid", status == "stopped" ? 0 : st.pid},
              {"bundle", st.bundle}};
    j["annotations"] = st.annotations;
    if (!st.created.empty()) j["created"] = st.created;
    return j.dump();
}

Result<State> read_state(const std::string& root, const std::string& id) {
    CNT_TRY(validate_id(id));
    std::string file = state_dir(root, id) + "/state.json";
    auto text = store::read_input(file, 1 << 20);
    if (!text) {
        if (text.error().err == ENOENT)
            return errno_error(ENOENT, cat("container \"", id, "\" does not exist"));
        return sys_error(cat("reading \"", file, "\""), text.error().err);
    }
    CNT_ASSIGN(j, parse_json(*text, file));
    State st;
    try {
        st.id = j.at("id").get<std::string>();
        st.bundle = j.at("bundle").get<std::string>();
        st.pid = j.at("pid").get<pid_t>();
        st.pid_start = j.at("pid_start").get<unsigned long long>();
        st.started = j.at("started").get<bool>();
        st.created = j.value("created", "");
        st.cgroup = cgroup::saved_from_keys(j.at("cgroup").get<store::KeyValues>());
        st.annotations = j.value("annotations", std::map<std::string, std::string>{});
    } catch (const json::exception& e) {
        return error(cat("reading \"", file, "\": ", e.what()));
    }
    if (st.id != id) return error(cat("\"", file, "\" names another container"));
    return st;
}

Result<void> write_state(const std::string& root, const State& st) {
    json j = {{"id", st.id},
              {"bundle", st.bundle},
              {"pid", st.pid},
              {"pid_start", st.pid_start},
              {"started", st.started},
              {"created", st.created},
              {"cgroup", cgroup::saved_keys(st.cgroup)},
              {"annotations", st.annotations}};
    return store::write_volatile(state_dir(root, st.id) + "/state.json", j.dump(), 0600);
}

std::vector<std::string> list_ids(const std::string& root) {
    std::vector<std::string> ids;
    DirReader d(root);
    if (!d) return ids;
    while (const dirent* e = d.next()) {
        std::string n = e->d_name;
        if (!validate_id(n)) continue;
        struct stat st {};
        if (::stat((root + "/" + n + "/state.json").c_str(), &st) == 0) ids.push_back(n);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

}  // namespace cnt::oci
