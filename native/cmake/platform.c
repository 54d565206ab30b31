/* Compiled at configure time by CMakeLists.txt, which reads the platform's name back out of
 * the result (file(STRINGS)) for the folder the library goes to: the name mm4j_platform()
 * reports, from the same header. main uses the string so no linker drops it. */
#include "mmap4j_platform.h"

static const char probe[] = "MM4J_PLATFORM[" MM4J_PLATFORM "]";

int main(int argc, char **argv) {
    (void) argv;
    return probe[argc];
}
