/* Event and access logging (see log.h). */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int access_fd = 2;

static size_t timestamp(char *out, size_t n)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    size_t k = strftime(out, n, "%Y-%m-%dT%H:%M:%S", &tm);
    k += (size_t)snprintf(out + k, n - k, ".%03dZ", (int)(tv.tv_usec / 1000));
    return k;
}

static void vlog(const char *level, const char *fmt, va_list ap)
{
    char line[2048];
    size_t k = timestamp(line, sizeof line);
    k += (size_t)snprintf(line + k, sizeof line - k, " %s ", level);
    int n = vsnprintf(line + k, sizeof line - k, fmt, ap);
    k = n < 0 ? k : (k + (size_t)n >= sizeof line - 1 ? sizeof line - 2 : k + (size_t)n);
    line[k++] = '\n';
    ssize_t w = write(2, line, k);
    (void)w;
}

void log_info(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog("info", fmt, ap);
    va_end(ap);
}

void log_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog("error", fmt, ap);
    va_end(ap);
}

void log_set_access_fd(int fd)
{
    access_fd = fd;
}

bool log_access_enabled(void)
{
    return access_fd >= 0;
}

void log_access(const char *method, size_t method_len, const char *route, int status,
                size_t bytes, long long micros, const char *request_id)
{
    if (access_fd < 0)
        return;
    char line[512];
    size_t k = timestamp(line, sizeof line);
    int n = snprintf(line + k, sizeof line - k, " access method=%.*s route=%s status=%d bytes=%zu us=%lld request_id=%s\n",
                     (int)(method_len > 16 ? 16 : method_len), method, route, status, bytes, micros,
                     request_id && *request_id ? request_id : "-");
    if (n < 0)
        return;
    k += (size_t)n;
    if (k >= sizeof line) {
        k = sizeof line;
        line[k - 1] = '\n';
    }
    ssize_t w = write(access_fd, line, k);
    (void)w;
}
