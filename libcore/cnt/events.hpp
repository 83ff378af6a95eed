// State changes seen through inotify on the run dirs: what cnt-wait and cnt-monitor use.
// The monitor and cnt-freeze write <run_dir>/state by rename(2) on every change and the
// monitor removes it on stop, so IN_MOVED_TO / IN_CLOSE_WRITE / IN_DELETE are the events.
#pragma once
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "cnt/error.hpp"
#include "cnt/fd.hpp"
#include "cnt/state.hpp"
#include "cnt/store.hpp"

namespace cnt {
class Container;
}

namespace cnt::events {

// Block until the container is in one of `states` (true) or the timeout passes (false).
// A negative timeout waits forever. Never polls: it sleeps on inotify of the run dir, or of
// its nearest existing ancestor while the run dir does not exist yet.
Result<bool> wait_for(const Container& c, const std::vector<State>& states,
                      std::chrono::milliseconds timeout);

struct Change {
    std::string name;
    State state;
};

// Every container of one lxcpath: its run dirs come and go, their state files change.
class Watch {
  public:
    static Result<Watch> open(const std::string& lxcpath);
    // Changes since the last call (only real transitions), waiting up to `timeout` for one
    // (negative: forever). Empty on timeout.
    Result<std::vector<Change>> next(std::chrono::milliseconds timeout);

  private:
    Watch() = default;
    void rescan();
    void add_container(const std::string& name);
    std::string lxcpath_, base_;  // base_: <rundir>/<hash of lxcpath>
    unique_fd ino_;
    std::map<int, std::string> wd_name_;  // container run dir watches
    int base_wd_ = -1;
    std::vector<int> ancestor_wds_;  // while base_ does not exist
    std::map<std::string, State> last_;
    std::vector<Change> pending_;
};

}  // namespace cnt::events
