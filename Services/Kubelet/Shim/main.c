// kubus-shim: placeholder until the process runtime lands; it refuses to run so nothing pretends to work.
#include <stdio.h>

int main(void) {
    fprintf(stderr, "kubus-shim: the process runtime is not built yet\n");
    return 2;
}
