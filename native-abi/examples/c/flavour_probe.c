/* Prints the library flavour that fits this CPU (used by CMake to pick the library to link). */
#include <stdio.h>
#include "sbecore.h"
int main(void) { puts(sbe_recommended_flavour()); return 0; }
