/* Address lists (see netlist.h). */
#include "http/netlist.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint8_t v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

/* The address as 16 bytes (IPv4 mapped into IPv6). False for other families. */
static bool as_v6(const struct sockaddr *sa, socklen_t len, uint8_t out[16])
{
    if (sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
        memcpy(out, v4_mapped, 12);
        memcpy(out + 12, &((const struct sockaddr_in *)sa)->sin_addr, 4);
        return true;
    }
    if (sa->sa_family == AF_INET6 && len >= (socklen_t)sizeof(struct sockaddr_in6)) {
        memcpy(out, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
        return true;
    }
    return false;
}

static bool prefix_matches(const uint8_t *a, const uint8_t *b, int bits)
{
    int bytes = bits / 8, rest = bits % 8;
    if (memcmp(a, b, (size_t)bytes) != 0)
        return false;
    if (rest == 0)
        return true;
    uint8_t mask = (uint8_t)(0xff << (8 - rest));
    return (a[bytes] & mask) == (b[bytes] & mask);
}

bool address_parse(const char *text, size_t len, struct sockaddr_storage *ss, socklen_t *sslen)
{
    char buf[INET6_ADDRSTRLEN + 1];
    if (len == 0 || len >= sizeof buf)
        return false;
    memcpy(buf, text, len);
    buf[len] = '\0';
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, buf, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        *sslen = sizeof *v4;
        return true;
    }
    if (inet_pton(AF_INET6, buf, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        *sslen = sizeof *v6;
        return true;
    }
    return false;
}

bool netlist_parse(netlist_t *list, const char *text, char *err, size_t errlen)
{
    memset(list, 0, sizeof *list);
    if (text == NULL)
        return true;
    const char *p = text;
    while (*p != '\0') {
        while (*p == ' ' || *p == '\t')
            p++;
        size_t n = strcspn(p, ",");
        size_t end = n;
        while (end > 0 && (p[end - 1] == ' ' || p[end - 1] == '\t'))
            end--;
        if (end > 0) {
            const char *slash = memchr(p, '/', end);
            size_t alen = slash ? (size_t)(slash - p) : end;
            struct sockaddr_storage ss;
            socklen_t sl;
            uint8_t addr[16];
            int max = 0, prefix = -1;
            if (address_parse(p, alen, &ss, &sl) && as_v6((struct sockaddr *)&ss, sl, addr))
                max = ss.ss_family == AF_INET ? 32 : 128;
            if (max > 0 && slash != NULL) {
                const char *d = slash + 1;
                size_t dlen = end - alen - 1;
                prefix = dlen > 0 && dlen <= 3 ? 0 : -1;
                for (size_t i = 0; prefix >= 0 && i < dlen; i++)
                    prefix = d[i] >= '0' && d[i] <= '9' ? prefix * 10 + (d[i] - '0') : -1;
                if (prefix > max)
                    prefix = -1;
            } else if (max > 0) {
                prefix = max;
            }
            if (prefix < 0) {
                snprintf(err, errlen, "'%.*s' is not an IP address or ADDRESS/PREFIX", (int)end, p);
                return false;
            }
            if (list->n == NETLIST_MAX) {
                snprintf(err, errlen, "more than %d addresses", NETLIST_MAX);
                return false;
            }
            memcpy(list->entries[list->n].addr, addr, 16);
            list->entries[list->n].prefix = ss.ss_family == AF_INET ? prefix + 96 : prefix;
            list->n++;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return true;
}

bool netlist_has(const netlist_t *list, const struct sockaddr *sa, socklen_t len)
{
    uint8_t addr[16];
    if (list == NULL || list->n == 0 || !as_v6(sa, len, addr))
        return false;
    for (int i = 0; i < list->n; i++)
        if (prefix_matches(addr, list->entries[i].addr, list->entries[i].prefix))
            return true;
    return false;
}

bool netlist_has_text(const netlist_t *list, const char *addr, size_t len)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    return address_parse(addr, len, &ss, &sl) && netlist_has(list, (struct sockaddr *)&ss, sl);
}

bool address_is_loopback(const struct sockaddr *sa, socklen_t len)
{
    static const uint8_t v6_loopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static const uint8_t v4_loopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 0};
    uint8_t addr[16];
    if (!as_v6(sa, len, addr))
        return false;
    return memcmp(addr, v6_loopback, 16) == 0 || prefix_matches(addr, v4_loopback, 104);
}
