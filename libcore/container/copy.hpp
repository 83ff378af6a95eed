// Inside libcore: the copy without its locks and checks, for cnt-snapshot (snapshot.cpp).
#pragma once
#include "cnt/container.hpp"

namespace cnt::copying {

// A copy of `src` (stopped, or a btrfs snapshot) at `to`, whose name need not be a valid
// container name; the caller holds what locks it needs. All or nothing.
Result<void> copy_into(Container& src, const store::Paths& to, const CopyOptions& o);

}  // namespace cnt::copying
