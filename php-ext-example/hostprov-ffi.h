#define FFI_SCOPE "hostprov"
#define FFI_LIB "libhostprov.so"

/* The declarations of include/hostprov.h, for FFI::load() from preload.php (PHP-FPM).
 * FFI_LIB is handed to the dynamic loader as written: install libhostprov.so where it looks
 * (e.g. /usr/local/lib, then run ldconfig), set LD_LIBRARY_PATH for the PHP-FPM master, or
 * write an absolute path above. The tests fail when these declarations differ from
 * include/hostprov.h, so copy them again after every ABI change. */

char *hostprov_create(const char *request_json);
char *hostprov_suspend(const char *request_json);
char *hostprov_unsuspend(const char *request_json);
char *hostprov_terminate(const char *request_json);
char *hostprov_renew(const char *request_json);
char *hostprov_change_package(const char *request_json);
char *hostprov_client_area_url(const char *request_json);
char *hostprov_details(const char *request_json);
char *hostprov_plans(const char *request_json);
char *hostprov_test_connection(const char *request_json);
char *hostprov_catalog(void);
char *hostprov_call(const char *operation, const char *request_json);
char *hostprov_batch(const char *batch_json);
char *hostprov_batch_with_progress(const char *batch_json,
                                   void (*progress)(uint32_t done, uint32_t total, void *user),
                                   void *user);
void hostprov_string_free(char *s);
const char *hostprov_version(void);
uint32_t hostprov_abi_version(void);
