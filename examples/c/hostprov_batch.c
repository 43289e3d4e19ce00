/*
 * A batch from C: suspends every customer given in one call, drawing a progress bar, then lifts
 * the suspensions in a second call. Each item answers exactly as its single call would.
 *
 *   cc -Wall -Werror -I include examples/c/hostprov_batch.c -L target/debug -lhostprov \
 *      -Wl,-rpath,target/debug -o hostprov_batch
 *   ./hostprov_batch http://127.0.0.1:PORT 1001 1002 99
 *
 * The batch envelope is owned by the caller and released with hostprov_string_free(), once.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostprov.h"

#define BAR_WIDTH 30

/* Called by hostprov on this thread after each item: redraws the bar on stderr. */
static void draw_progress(uint32_t done, uint32_t total, void *user) {
    const char *label = user;
    int filled = total == 0 ? BAR_WIDTH : (int)(BAR_WIDTH * done / total);
    fprintf(stderr, "\r%s [%.*s%.*s] %u/%u", label, filled, "##############################",
            BAR_WIDTH - filled, "..............................", done, total);
    if (done == total) fputc('\n', stderr);
}

/* Appends formatted text to buf at *used; returns 0 when it does not fit. */
static int append(char *buf, size_t size, size_t *used, const char *format, ...) {
    va_list args;
    va_start(args, format);
    int n = vsnprintf(buf + *used, size - *used, format, args);
    va_end(args);
    if (n < 0 || (size_t)n >= size - *used) return 0;
    *used += (size_t)n;
    return 1;
}

/* The batch document: one `operation` item per customer. Returns NULL when it does not fit. */
static char *batch_for(const char *operation, const char *url, char **customers, int count) {
    size_t size = 64, used = 0;
    for (int i = 0; i < count; i++) size += 320 + strlen(operation) + strlen(url) + strlen(customers[i]);
    char *doc = malloc(size);
    if (doc == NULL) return NULL;
    int ok = append(doc, size, &used, "{\"requests\":[");
    for (int i = 0; ok && i < count; i++) {
        ok = append(doc, size, &used,
                    "%s{\"operation\":\"%s\",\"request\":{\"provider\":\"logicboxes\",\"product\":\"customer\","
                    "\"account\":{\"auth_userid\":\"100000\",\"api_key\":\"sandbox-key\",\"base_url\":\"%s/logicboxes\"},"
                    "\"service\":{\"customer_id\":\"%s\",\"reason\":\"Overdue invoice\"}}}",
                    i == 0 ? "" : ",", operation, url, customers[i]);
    }
    ok = ok && append(doc, size, &used, "],\"options\":{\"concurrency\":8}}");
    if (!ok) {
        free(doc);
        return NULL;
    }
    return doc;
}

/* Runs one batch with a progress bar, prints its envelope; 1 when every item succeeded. */
static int run(const char *operation, const char *url, char **customers, int count) {
    char *doc = batch_for(operation, url, customers, count);
    if (doc == NULL) {
        fprintf(stderr, "the batch could not be written\n");
        return 0;
    }
    char *answer = hostprov_batch_with_progress(doc, draw_progress, (void *)operation);
    free(doc);
    int failed = strstr(answer, "\"ok\":false") != NULL;
    printf("%s -> %s\n", operation, answer);
    hostprov_string_free(answer);
    return !failed;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s SANDBOX_URL CUSTOMER_ID...\n", argv[0]);
        return 2;
    }
    const char *url = argv[1];
    char **customers = argv + 2;
    int count = argc - 2;
    int ok = run("suspend", url, customers, count) && run("unsuspend", url, customers, count);
    return ok ? 0 : 1;
}
