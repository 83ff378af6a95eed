// cnt-freeze: freeze every process of a running container.
#include "freeze_main.hpp"

int main(int argc, char** argv) { return cnt::cli::freeze_main(argc, argv, true); }
