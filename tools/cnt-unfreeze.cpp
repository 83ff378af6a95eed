// cnt-unfreeze: thaw a frozen container (a container that is not running is left alone).
#include "freeze_main.hpp"

int main(int argc, char** argv) { return cnt::cli::freeze_main(argc, argv, false); }
