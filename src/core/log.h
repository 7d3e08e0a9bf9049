/* Logging: human lines for events, one logfmt line per request for access. Both go to stderr
 * (or the access-log file) with a single write(2), so lines from threads never interleave. */
#ifndef GUANBIAO_LOG_H
#define GUANBIAO_LOG_H
#include <stdbool.h>
#include <stddef.h>

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* fd for access lines; -1 turns access logging off. Default: 2 (stderr). */
void log_set_access_fd(int fd);
bool log_access_enabled(void);
/* request_id may be NULL or "" (then "-"). */
void log_access(const char *method, size_t method_len, const char *route, int status,
                size_t bytes, long long micros, const char *request_id);

#endif
