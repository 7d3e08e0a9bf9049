/* Covers http/netlist: the address lists of --trusted-proxy and --metrics-from. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "http/netlist.h"

#define UNUSED (void)state

static bool has(const netlist_t *l, const char *addr)
{
    return netlist_has_text(l, addr, strlen(addr));
}

static void single_addresses(void **state)
{
    UNUSED;
    netlist_t l;
    char err[128];
    assert_true(netlist_parse(&l, "127.0.0.1, ::1 ,192.0.2.10", err, sizeof err));
    assert_int_equal(l.n, 3);
    assert_true(has(&l, "127.0.0.1"));
    assert_true(has(&l, "192.0.2.10"));
    assert_true(has(&l, "::1"));
    assert_false(has(&l, "127.0.0.2"));
    assert_false(has(&l, "192.0.2.1"));
    assert_false(has(&l, "::2"));
    /* an IPv4-mapped IPv6 peer is the IPv4 address */
    assert_true(has(&l, "::ffff:192.0.2.10"));
    assert_false(has(&l, "not an address"));
    assert_false(has(&l, ""));
}

static void cidr_blocks(void **state)
{
    UNUSED;
    netlist_t l;
    char err[128];
    assert_true(netlist_parse(&l, "10.0.0.0/8,172.16.0.0/12,fd00::/8,198.51.100.7/32,0.0.0.0/0", err, sizeof err));
    assert_true(has(&l, "10.255.1.2"));
    assert_true(has(&l, "172.31.255.255"));
    assert_true(has(&l, "fd12:3456::1"));
    assert_true(has(&l, "198.51.100.7"));
    assert_true(has(&l, "8.8.8.8"));            /* 0.0.0.0/0: every IPv4 address … */
    assert_false(has(&l, "2001:db8::1"));       /* … but no IPv6 one */
    assert_true(netlist_parse(&l, "172.16.0.0/12", err, sizeof err));
    assert_false(has(&l, "172.32.0.1"));
    assert_false(has(&l, "172.15.255.255"));
    assert_true(netlist_parse(&l, "192.0.2.128/25", err, sizeof err));
    assert_true(has(&l, "192.0.2.200"));
    assert_false(has(&l, "192.0.2.127"));
}

static void empty_and_bad_lists(void **state)
{
    UNUSED;
    netlist_t l;
    char err[128];
    assert_true(netlist_parse(&l, NULL, err, sizeof err));
    assert_int_equal(l.n, 0);
    assert_false(has(&l, "127.0.0.1"));
    assert_false(netlist_has_text(NULL, "127.0.0.1", 9));
    assert_true(netlist_parse(&l, " , ,", err, sizeof err));
    assert_int_equal(l.n, 0);
    static const char *const bad[] = {"localhost", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x",
                                      "10.0.0.0/8/8", "1.2.3", "10.0.0.0/0008", "[::1]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_false(netlist_parse(&l, bad[i], err, sizeof err));
        assert_non_null(strstr(err, "is not an IP address"));
    }
    /* the offending entry is named */
    assert_false(netlist_parse(&l, "127.0.0.1,proxy.example", err, sizeof err));
    assert_non_null(strstr(err, "'proxy.example'"));
    char many[40 * 12] = "";
    for (int i = 0; i < NETLIST_MAX + 1; i++)
        strcat(many, "10.0.0.1,");
    assert_false(netlist_parse(&l, many, err, sizeof err));
    assert_non_null(strstr(err, "more than"));
}

static void loopback(void **state)
{
    UNUSED;
    struct sockaddr_storage ss;
    socklen_t sl;
    static const char *const yes[] = {"127.0.0.1", "127.9.9.9", "::1", "::ffff:127.0.0.1"};
    static const char *const no[] = {"128.0.0.1", "10.0.0.1", "::2", "::ffff:10.0.0.1", "fe80::1"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        assert_true(address_parse(yes[i], strlen(yes[i]), &ss, &sl));
        assert_true(address_is_loopback((struct sockaddr *)&ss, sl));
    }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        assert_true(address_parse(no[i], strlen(no[i]), &ss, &sl));
        assert_false(address_is_loopback((struct sockaddr *)&ss, sl));
    }
    assert_false(address_parse("127.0.0.1:80", 12, &ss, &sl));
    assert_false(address_parse("", 0, &ss, &sl));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(single_addresses),
        cmocka_unit_test(cidr_blocks),
        cmocka_unit_test(empty_and_bad_lists),
        cmocka_unit_test(loopback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
