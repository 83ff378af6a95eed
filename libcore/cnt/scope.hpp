// Scope guards and an undo stack: every setup step registers its undo; dismiss() on success.
#pragma once
#include <functional>
#include <utility>
#include <vector>

namespace cnt {

template <class F>
class scope_exit {
  public:
    explicit scope_exit(F f) : f_(std::move(f)) {}
    scope_exit(const scope_exit&) = delete;
    scope_exit& operator=(const scope_exit&) = delete;
    ~scope_exit() {
        if (active_) f_();
    }
    void dismiss() noexcept { active_ = false; }

  private:
    F f_;
    bool active_ = true;
};

// Undos run in reverse order of registration when the stack is destroyed, unless dismissed.
class Undo {
  public:
    Undo() = default;
    Undo(const Undo&) = delete;
    Undo& operator=(const Undo&) = delete;
    Undo(Undo&&) = default;
    Undo& operator=(Undo&&) = default;
    ~Undo() { run(); }
    void push(std::function<void()> f) { steps_.push_back(std::move(f)); }
    void run() {
        while (!steps_.empty()) {
            auto f = std::move(steps_.back());
            steps_.pop_back();
            if (f) f();
        }
    }
    void dismiss() noexcept { steps_.clear(); }
    bool empty() const noexcept { return steps_.empty(); }

  private:
    std::vector<std::function<void()>> steps_;
};

}  // namespace cnt
