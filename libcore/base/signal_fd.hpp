// Signals read from a descriptor, so that a poll loop (the monitor's, a terminal relay's) can
// handle them with its other descriptors.
#pragma once
#include <signal.h>

#include <span>

#include "cnt/fd.hpp"

namespace cnt {

// Signals blocked and delivered through a signalfd while this object lives; the old mask comes
// back at destruction (a signal still pending then gets its normal disposition).
class SignalFd {
  public:
    explicit SignalFd(std::span<const int> sigs);
    ~SignalFd();
    SignalFd(const SignalFd&) = delete;
    SignalFd& operator=(const SignalFd&) = delete;
    int fd() const { return fd_.get(); }
    // The next pending signal, 0 when none is.
    int take();

  private:
    unique_fd fd_;
    sigset_t old_{};
    bool blocked_ = false;
};

}  // namespace cnt
