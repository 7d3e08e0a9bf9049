/* Covers report/ical.c: a whole VCALENDAR against hand-written text (CRLF line ends, UTC times,
 * TEXT escaping of backslash, semicolon, comma and line breaks), folding of a long ASCII line at
 * 75 octets, folding of Chinese text only between UTF-8 characters, and optional properties left
 * out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "report/ical.h"

#define UNUSED (void)state

static char *write_event(buf_t *b, const ical_event_t *e)
{
    buf_init(b, 1u << 20);
    ical_write_event(b, e);
    buf_append(b, "", 1);
    return b->data;
}

static void whole_calendar(void **state)
{
    UNUSED;
    ical_event_t e = {.uid = "activity-7@guanbiao", .stamp = 1796025600, .starts_at = 1796866200,
                      .ends_at = 1796871600, .summary = "Briefing; rules, and \\ more",
                      .description = "Line one\nLine two", .location = "Room 3, Beijing"};
    buf_t b;
    const char *expected = "BEGIN:VCALENDAR\r\n"
                           "VERSION:2.0\r\n"
                           "PRODID:-//Guanbiao//Activities//ZH\r\n"
                           "CALSCALE:GREGORIAN\r\n"
                           "METHOD:PUBLISH\r\n"
                           "BEGIN:VEVENT\r\n"
                           "UID:activity-7@guanbiao\r\n"
                           "DTSTAMP:20261130T080000Z\r\n"
                           "DTSTART:20261210T013000Z\r\n"
                           "DTEND:20261210T030000Z\r\n"
                           "SUMMARY:Briefing\\; rules\\, and \\\\ more\r\n"
                           "LOCATION:Room 3\\, Beijing\r\n"
                           "DESCRIPTION:Line one\\nLine two\r\n"
                           "STATUS:CONFIRMED\r\n"
                           "END:VEVENT\r\n"
                           "END:VCALENDAR\r\n";
    assert_string_equal(write_event(&b, &e), expected);
    buf_free(&b);
}

static void folds_ascii_at_75_octets(void **state)
{
    UNUSED;
    char summary[81];
    memset(summary, 'a', 80);
    summary[80] = '\0';
    ical_event_t e = {.uid = "u", .stamp = 0, .starts_at = 0, .ends_at = 3600, .summary = summary,
                      .url = "https://meeting.example.cn/j/123", .cancelled = true};
    buf_t b;
    const char *out = write_event(&b, &e);
    /* "SUMMARY:" + 67 a (75 octets), CRLF, space + 13 a */
    const char *expected = "SUMMARY:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
                           " aaaaaaaaaaaaa\r\n"
                           "URL:https://meeting.example.cn/j/123\r\n"
                           "STATUS:CANCELLED\r\n";
    assert_non_null(strstr(out, expected));
    assert_null(strstr(out, "LOCATION"));
    assert_null(strstr(out, "DESCRIPTION"));
    assert_non_null(strstr(out, "DTSTART:19700101T000000Z\r\nDTEND:19700101T010000Z\r\n"));
    buf_free(&b);
}

static void folds_chinese_between_characters(void **state)
{
    UNUSED;
    /* 30 characters of 3 octets: "SUMMARY:" + 22 characters is 74 octets (a 23rd would pass 75) */
    char summary[91] = "";
    for (int i = 0; i < 30; i++)
        strcat(summary, "知");
    ical_event_t e = {.uid = "u", .stamp = 0, .starts_at = 0, .ends_at = 60, .summary = summary};
    buf_t b;
    const char *out = write_event(&b, &e);
    const char *expected = "SUMMARY:知知知知知知知知知知知知知知知知知知知知知知\r\n"
                           " 知知知知知知知知\r\n";
    assert_non_null(strstr(out, expected));
    /* no physical line longer than 75 octets */
    for (const char *p = out; *p;) {
        const char *end = strstr(p, "\r\n");
        assert_non_null(end);
        assert_true(end - p <= 75);
        p = end + 2;
    }
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(whole_calendar),
        cmocka_unit_test(folds_ascii_at_75_octets),
        cmocka_unit_test(folds_chinese_between_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
