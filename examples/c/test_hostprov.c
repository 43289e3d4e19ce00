/*
 * C tests of the hostprov ABI, run by `cargo test` (tests/clients.rs) with -Wall -Werror and
 * under valgrind and ASan/UBSan. Usage: test_hostprov SANDBOX_URL CUSTOMER_ID SITELOCK_PLAN_ID
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

#define BATCH_ORDERS 5
#define MALFORMED_AT 2 /* the malformed item's place in the batch */

/* What the progress callback saw, through its user pointer. */
struct progress_log {
    uint32_t done[BATCH_ORDERS + 2], total[BATCH_ORDERS + 2];
    int calls;
};

static void record_progress(uint32_t done, uint32_t total, void *user) {
    struct progress_log *log = user;
    if (log->calls < BATCH_ORDERS + 2) {
        log->done[log->calls] = done;
        log->total[log->calls] = total;
    }
    log->calls++;
}

/* Copies the envelope's `"order_id":"…"` into id (size bytes); 0 when there is none. */
static int order_id_of(const char *envelope, char *id, size_t size) {
    const char *key = "\"order_id\":\"";
    const char *at = strstr(envelope, key);
    if (at == NULL) return 0;
    at += strlen(key);
    size_t len = strcspn(at, "\"");
    if (len == 0 || len >= size) return 0;
    memcpy(id, at, len);
    id[len] = '\0';
    return 1;
}

static char *sitelock_request(const char *url, const char *service) {
    static char buf[2048];
    snprintf(buf, sizeof buf,
             "{\"provider\":\"logicboxes\",\"product\":\"sitelock\","
             "\"account\":{\"auth_userid\":\"100000\",\"api_key\":\"sandbox-key\",\"base_url\":\"%s/logicboxes\"},"
             "\"service\":%s}",
             url, service);
    return buf;
}

/* A batch of suspends with one malformed item: the others are suspended, that one alone fails,
 * results come in input order, progress is reported (done, total) after each item. */
static void batch_of_suspends(const char *url, const char *customer, const char *plan) {
    char ids[BATCH_ORDERS][32], service[256];
    for (int i = 0; i < BATCH_ORDERS; i++) {
        snprintf(service, sizeof service, "{\"domain\":\"c-batch-%d.example\",\"customer_id\":\"%s\",\"plan_id\":\"%s\"}",
                 i, customer, plan);
        char *created = hostprov_create(sitelock_request(url, service));
        int placed = order_id_of(created, ids[i], sizeof ids[i]);
        if (!placed) fprintf(stderr, "envelope: %s\n", created);
        CHECK(placed, "a SiteLock order is placed");
        hostprov_string_free(created);
        if (!placed) return;
    }

    static char batch[16384];
    size_t used = (size_t)snprintf(batch, sizeof batch, "{\"requests\":[");
    for (int item = 0, order = 0; item < BATCH_ORDERS + 1; item++) {
        if (item == MALFORMED_AT) {
            snprintf(service, sizeof service, "{\"order_id\":[\"not\",\"an\",\"id\"]}");
        } else {
            snprintf(service, sizeof service, "{\"order_id\":\"%s\",\"reason\":\"Overdue invoice\"}", ids[order++]);
        }
        used += (size_t)snprintf(batch + used, sizeof batch - used, "%s{\"operation\":\"suspend\",\"request\":%s}",
                                 item == 0 ? "" : ",", sitelock_request(url, service));
    }
    snprintf(batch + used, sizeof batch - used, "],\"options\":{\"concurrency\":3}}");

    struct progress_log log = {.calls = 0};
    char *answer = hostprov_batch_with_progress(batch, record_progress, &log);
    const char *head = "{\"ok\":true,\"api_version\":1,\"operation\":\"batch\",\"results\":[";
    CHECK(strncmp(answer, head, strlen(head)) == 0, "the batch envelope");
    /* Each order's result, in input order, with the malformed item's error between the 2nd and 3rd. */
    const char *previous = answer, *malformed = strstr(answer, "\"code\":\"invalid_request\"");
    CHECK(malformed != NULL, "the malformed item is invalid_request");
    for (int i = 0; i < BATCH_ORDERS; i++) {
        char needle[96];
        snprintf(needle, sizeof needle, "\"order_id\":\"%s\",\"status\":\"suspended\"", ids[i]);
        const char *at = strstr(answer, needle);
        CHECK(at != NULL && at > previous, "each order suspended, in input order");
        if (i == MALFORMED_AT && at != NULL) CHECK(malformed != NULL && malformed < at && malformed > previous,
                                                   "the malformed item's error in its place");
        if (at != NULL) previous = at;
    }
    CHECK(strstr(answer, "service.order_id") != NULL, "the malformed item's message names the field");
    const char *error = answer;
    int errors = 0;
    while ((error = strstr(error, "\"ok\":false")) != NULL) errors++, error++;
    CHECK(errors == 1, "that item alone fails");
    hostprov_string_free(answer);

    CHECK(log.calls == BATCH_ORDERS + 1, "progress after each item");
    for (int i = 0; i < log.calls && i < BATCH_ORDERS + 1; i++) {
        CHECK(log.done[i] == (uint32_t)i + 1 && log.total[i] == BATCH_ORDERS + 1, "progress (done, total) in order");
    }
    for (int i = 0; i < BATCH_ORDERS; i++) {
        snprintf(service, sizeof service, "{\"order_id\":\"%s\"}", ids[i]);
        expect(hostprov_details(sitelock_request(url, service)), "\"status\":\"suspended\"", "the provider has the order suspended");
    }

    /* Without a callback, and refused as a whole. */
    expect(hostprov_batch_with_progress("{\"requests\":[]}", NULL, NULL), "\"results\":[]", "no callback, no items");
    expect(hostprov_batch("{\"requests\":[],\"options\":{\"concurrency\":17}}"), "\"code\":\"invalid_request\"",
           "concurrency above the maximum");
    expect(hostprov_batch(NULL), "\"operation\":\"batch\"", "NULL batch");
}

/* Copies the string value of the n-th (from 1) `"key":"…"` into out; false when absent. */
static int string_field(const char *envelope, const char *key, int n, char *out, size_t size) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    const char *start = envelope;
    for (int i = 0; i < n && start != NULL; i++) {
        start = strstr(i == 0 ? start : start + 1, pattern);
    }
    if (start == NULL) return 0;
    start += strlen(pattern);
    const char *end = strchr(start, '"');
    if (end == NULL || (size_t)(end - start) >= size) return 0;
    memcpy(out, start, (size_t)(end - start));
    out[end - start] = '\0';
    return 1;
}

/* A LogicBoxes request for a family product; `service` is the inside of the service object. */
static char *family_request(const char *url, const char *product, const char *service) {
    static char buf[2048];
    snprintf(buf, sizeof buf,
             "{\"provider\":\"logicboxes\",\"product\":\"%s\","
             "\"account\":{\"auth_userid\":\"100000\",\"api_key\":\"sandbox-key\","
             "\"base_url\":\"%s/logicboxes\",\"panel_url\":\"%s/logicboxes\"},"
             "\"service\":{%s}}",
             product, url, url, service);
    return buf;
}

/* Each family of hosting, servers and e-mail: the edition it is ordered in, its create
 * options (the inside of JSON objects), and how its package changes. */
static const struct family {
    const char *product;
    const char *edition;
    const char *create_options;
    const char *change; /* "plan", "seats", or NULL where the change call is not confirmed */
} FAMILIES[] = {
    {"single_domain_hosting", "", "\"enable_ssl\":true", "plan"},
    {"multi_domain_hosting", "\"region\":\"uk\"", "", "plan"},
    {"reseller_hosting", "", "\"add_dedicated_ip\":true", "plan"},
    {"vps", "", "\"os\":\"alma_8\",\"addons\":[\"cpanel\"]", "plan"},
    {"dedicated_server", "\"platform\":\"windows\",\"region\":\"in\"", "\"os\":\"windows_2022\"", "plan"},
    {"managed_server", "", "\"os\":\"ubuntu_22\"", "plan"},
    {"business_email", "", "\"seats\":2", "seats"},
    {"enterprise_email", "\"region\":\"in\"", "\"seats\":2", "seats"},
    {"google_workspace", "", "\"seats\":2", "seats"},
    {"cloud_hosting", "", "", NULL},
};

/* `{a,b}` of two object insides, either of which may be empty. */
static const char *object(char *out, size_t size, const char *a, const char *b) {
    snprintf(out, size, "{%s%s%s}", a, a[0] && b[0] ? "," : "", b);
    return out;
}

/* create (twice: one order) → details → suspend → unsuspend → renew → client_area_url →
 * change_package → terminate, for one family; unconfirmed calls must say so. */
static void family_lifecycle(const char *url, const char *customer, const struct family *f, size_t n) {
    char service[1024], options[256], plan[32] = "", new_plan[32] = "", order_id[32] = "", what[128];
    int seats = f->change != NULL && strcmp(f->change, "seats") == 0;
    char edition[128];
    object(edition, sizeof edition, f->edition, "");

    snprintf(service, sizeof service, "\"options\":%s", edition);
    char *plans = hostprov_plans(family_request(url, f->product, service));
    string_field(plans, "plan_id", 1, plan, sizeof plan);
    string_field(plans, "plan_id", 2, new_plan, sizeof new_plan); /* the bigger one */
    hostprov_string_free(plans);
    snprintf(what, sizeof what, "%s: plans", f->product);
    CHECK(seats || plan[0] != '\0', what);

    snprintf(service, sizeof service,
             "\"domain\":\"c-family-%zu.example\",\"customer_id\":\"%s\",\"months\":12,%s%s%s\"options\":%s",
             n, customer, plan[0] ? "\"plan_id\":\"" : "", plan, plan[0] ? "\"," : "",
             object(options, sizeof options, f->edition, f->create_options));
    for (int attempt = 0; attempt < 2; attempt++) {
        char *created = hostprov_create(family_request(url, f->product, service));
        snprintf(what, sizeof what, "%s: create%s", f->product, attempt ? " again finds the same order" : "");
        CHECK(strstr(created, attempt ? "\"reconciled\":true" : "\"status\":\"active\"") != NULL, what);
        if (!attempt) string_field(created, "order_id", 1, order_id, sizeof order_id);
        hostprov_string_free(created);
    }

    const char *fields = "\"client_ip\":\"203.0.113.9\",\"months\":12,\"auto_renew\":false";
    int confirmed = f->change != NULL;
    struct { char *(*call)(const char *); const char *name; const char *needle; int offered; } steps[] = {
        {hostprov_details, "details", "\"status\":\"active\"", confirmed},
        {hostprov_suspend, "suspend", "\"status\":\"suspended\"", 1},
        {hostprov_unsuspend, "unsuspend", "\"status\":\"active\"", 1},
        {hostprov_renew, "renew", "\"ok\":true", 1},
        {hostprov_client_area_url, "client_area_url", "ManageServiceServletForAPI", confirmed},
        {hostprov_change_package, "change_package", seats ? "\"seats\":5" : "\"dry_run\":false", confirmed},
        {hostprov_terminate, "terminate", "\"status\":\"terminated\"", confirmed},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        int change = steps[i].call == hostprov_change_package;
        snprintf(service, sizeof service, "\"order_id\":\"%s\",%s%s%s%s\"options\":%s", order_id, fields,
                 change && !seats ? ",\"new_plan_id\":\"" : "", change && !seats ? new_plan : "",
                 change && !seats ? "\"," : ",",
                 object(options, sizeof options, f->edition, change && seats ? "\"seats\":5" : ""));
        snprintf(what, sizeof what, "%s: %s", f->product, steps[i].name);
        expect(steps[i].call(family_request(url, f->product, service)), steps[i].offered ? steps[i].needle : "not confirmed", what);
    }
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s SANDBOX_URL CUSTOMER_ID SITELOCK_PLAN_ID\n", argv[0]);
        return 2;
    }
    const char *url = argv[1], *customer = argv[2], *plan = argv[3];

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
    expect(hostprov_suspend("{\"provider\":\"logicboxes\",\"product\":\"shared_hosting\"}"), "\"code\":\"unknown_product\"",
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

    batch_of_suspends(url, customer, plan);

    /* Every hosting, server and e-mail family, table-driven. */
    for (size_t i = 0; i < sizeof FAMILIES / sizeof FAMILIES[0]; i++) family_lifecycle(url, customer, &FAMILIES[i], i);

    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
