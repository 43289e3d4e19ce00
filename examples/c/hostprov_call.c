/*
 * Runs one operation on a request read from standard input and prints the envelope: what a
 * panel worker does, usable from shell scripts and queue runners.
 *
 *   cc -Wall -Werror -I include examples/c/hostprov_call.c -L target/debug -lhostprov \
 *      -Wl,-rpath,target/debug -o hostprov_call
 *   echo '{"provider":"logicboxes", ...}' | ./hostprov_call create
 *
 * Exits 0 when the envelope says "ok":true, 1 when it does not, 2 on a usage error.
 * Every string hostprov returns is released with hostprov_string_free(), never with free().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostprov.h"

/* hostprov refuses requests above 1 MiB; one more byte lets it say so. */
#define MAX_REQUEST (1024 * 1024 + 1)

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s OPERATION < request.json\n", argv[0]);
        return 2;
    }
    char *request = malloc(MAX_REQUEST + 1);
    if (request == NULL) {
        fprintf(stderr, "out of memory\n");
        return 2;
    }
    size_t length = fread(request, 1, MAX_REQUEST, stdin);
    if (ferror(stdin)) {
        fprintf(stderr, "cannot read the request from standard input\n");
        free(request);
        return 2;
    }
    request[length] = '\0';

    char *envelope = hostprov_call(argv[1], request);
    free(request);
    int ok = strncmp(envelope, "{\"ok\":true", 10) == 0;
    printf("%s\n", envelope);
    hostprov_string_free(envelope);
    return ok ? 0 : 1;
}
