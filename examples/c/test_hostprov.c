/*
 * C tests of the hostprov ABI, run by `cargo test` (tests/clients.rs) with -Wall -Werror and
 * under valgrind. Usage: test_hostprov SANDBOX_URL CUSTOMER_ID
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostprov.h"

static int passed, failed;

#define CHECK(cond, what)                                                   \
    do {                                                                    \
        if (cond) {                                                         \
            passed++;                                                       \
        } else {                                                            \
            failed++;                                                       \
            fprintf(stderr, "not ok - %s (%s:%d)\n", what, __FILE__, __LINE__); \
        }                                                                   \
    } while (0)

/* Checks that an owned envelope contains `needle`, then releases it. */
static void expect(char *envelope, const char *needle, const char *what) {
    CHECK(envelope != NULL, "never NULL");
    if (envelope == NULL) return;
    int found = strstr(envelope, needle) != NULL;
    if (!found) fprintf(stderr, "envelope: %s\n", envelope);
    CHECK(found, what);
    hostprov_string_free(envelope);
}

static char *request_for(const char *url, const char *customer, const char *api_key) {
    static char buf[2048];
    snprintf(buf, sizeof buf,
             "{\"provider\":\"logicboxes\",\"product\":\"customer\","
             "\"account\":{\"auth_userid\":\"100000\",\"api_key\":\"%s\","
             "\"base_url\":\"%s/logicboxes\",\"panel_url\":\"%s/logicboxes\"},"
             "\"service\":{\"customer_id\":\"%s\",\"client_ip\":\"203.0.113.9\"}}",
             api_key, url, url, customer);
    return buf;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s SANDBOX_URL CUSTOMER_ID\n", argv[0]);
        return 2;
    }
    const char *url = argv[1], *customer = argv[2];

    /* Versions are static strings: never freed. */
    CHECK(strcmp(hostprov_version(), "") != 0, "version is not empty");
    CHECK(hostprov_abi_version() == 1, "ABI version 1");

    /* Hostile arguments come back as envelopes. */
    expect(hostprov_create(NULL), "\"code\":\"invalid_request\"", "NULL request");
    expect(hostprov_call(NULL, "{}"), "\"code\":\"invalid_request\"", "NULL operation");
    expect(hostprov_call("reboot", "{}"), "\"code\":\"unsupported_operation\"", "unknown operation");
    expect(hostprov_suspend("\xff\xfe{"), "\"code\":\"invalid_request\"", "invalid UTF-8");
    expect(hostprov_suspend("{not json"), "\"code\":\"invalid_request\"", "not JSON");
    expect(hostprov_suspend("{\"provider\":\"enom\"}"), "\"code\":\"unknown_provider\"", "unknown provider");
    expect(hostprov_suspend("{\"provider\":\"logicboxes\",\"product\":\"vps\"}"), "\"code\":\"unknown_product\"",
           "unknown product");

    size_t big_len = 2 * 1024 * 1024;
    char *big = malloc(big_len + 1);
    memset(big, '[', big_len);
    big[big_len] = '\0';
    expect(hostprov_create(big), "larger than", "oversized request");
    memset(big, '[', 10000);
    memset(big + 10000, ']', 10000);
    big[20000] = '\0';
    expect(hostprov_create(big), "\"code\":\"invalid_request\"", "10,000-deep nesting");
    free(big);

    hostprov_string_free(NULL); /* accepted and ignored */

    /* The catalog is an envelope too. */
    expect(hostprov_catalog(), "\"provider\":\"logicboxes\"", "catalog lists logicboxes");

    /* Against the sandbox: the customer lifecycle. */
    expect(hostprov_test_connection(request_for(url, customer, "sandbox-key")), "\"ok\":true", "test_connection");
    char *refused = hostprov_test_connection(request_for(url, customer, "canary-c-key"));
    CHECK(strstr(refused, "authentication_failed") != NULL, "wrong key is authentication_failed");
    CHECK(strstr(refused, "canary-c-key") == NULL, "the api key never appears");
    hostprov_string_free(refused);
    expect(hostprov_suspend(request_for(url, customer, "sandbox-key")), "\"status\":\"suspended\"", "suspend");
    expect(hostprov_unsuspend(request_for(url, customer, "sandbox-key")), "\"status\":\"active\"", "unsuspend");
    expect(hostprov_client_area_url(request_for(url, customer, "sandbox-key")), "AutoLoginServlet?userLoginId=",
           "client_area_url");

    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
