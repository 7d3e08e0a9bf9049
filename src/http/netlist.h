/* Lists of network addresses, for the operator's trust settings (--trusted-proxy,
 * --metrics-from): "ADDR[,ADDR…]" where each ADDR is an IPv4 or IPv6 address, optionally
 * with a /PREFIX ("10.0.0.0/8", "::1", "fd00::/8"). An IPv4-mapped IPv6 peer
 * (::ffff:10.1.2.3) matches the IPv4 entries. No allocation: a list holds at most
 * NETLIST_MAX entries. */
#ifndef GUANBIAO_NETLIST_H
#define GUANBIAO_NETLIST_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

enum { NETLIST_MAX = 32 };

typedef struct netlist {
    int n;
    struct {
        uint8_t addr[16];   /* IPv4 entries as IPv4-mapped IPv6 (::ffff:a.b.c.d) */
        int prefix;         /* bits of addr that must match, 0–128 */
    } entries[NETLIST_MAX];
} netlist_t;

/* Parses a comma-separated list (blanks around entries allowed; NULL or "" is the empty
 * list). False with the offending entry quoted in err. */
bool netlist_parse(netlist_t *list, const char *text, char *err, size_t errlen);

/* Is the address in the list? (A NULL list holds nothing.) */
bool netlist_has(const netlist_t *list, const struct sockaddr *sa, socklen_t len);
bool netlist_has_text(const netlist_t *list, const char *addr, size_t len);

/* 127.0.0.0/8, ::1 (and ::ffff:127.0.0.0/104). */
bool address_is_loopback(const struct sockaddr *sa, socklen_t len);

/* Parses a numeric IPv4 or IPv6 address (no brackets, no port) of len bytes into *ss. */
bool address_parse(const char *text, size_t len, struct sockaddr_storage *ss, socklen_t *sslen);

#endif
