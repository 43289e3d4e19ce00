/*
 * A minimal C client: checks the connection to a LogicBoxes account, then suspends and
 * unsuspends a customer, printing each envelope.
 *
 *   cc -Wall -Werror -I include examples/c/hostprov_client.c -L target/debug -lhostprov \
 *      -Wl,-rpath,target/debug -o hostprov_client
 *   ./hostprov_client http://127.0.0.1:PORT 99
 *
 * Every string hostprov returns is owned by the caller and released with
 * hostprov_string_free(), exactly once, never with free().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostprov.h"

/* Runs one operation, prints its envelope, and reports whether it succeeded. */
static int run(const char *operation, const char *request) {
    char *envelope = hostprov_call(operation, request);
    int ok = strstr(envelope, "\"ok\":true") != NULL;
    printf("%s -> %s\n", operation, envelope);
    hostprov_string_free(envelope);
    return ok;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s SANDBOX_URL CUSTOMER_ID\n", argv[0]);
        return 2;
    }
    printf("hostprov %s (ABI %u)\n", hostprov_version(), hostprov_abi_version());

    char request[2048];
    int n = snprintf(request, sizeof request,
                     "{\"provider\":\"logicboxes\",\"product\":\"customer\","
                     "\"account\":{\"auth_userid\":\"100000\",\"api_key\":\"sandbox-key\","
                     "\"base_url\":\"%s/logicboxes\"},"
                     "\"service\":{\"customer_id\":\"%s\",\"reason\":\"Overdue invoice\"}}",
                     argv[1], argv[2]);
    if (n < 0 || (size_t)n >= sizeof request) {
        fprintf(stderr, "arguments too long\n");
        return 2;
    }
    int ok = run("test_connection", request) && run("suspend", request) && run("unsuspend", request);
    return ok ? 0 : 1;
}
