/* The iCalendar writer of report/ical.h: one VEVENT in a VCALENDAR, escaped and folded as RFC
 * 5545 §3.3.11 and §3.1 ask. A content line is built whole (name, ':', escaped value), then
 * folded while it is appended. */
#include "report/ical.h"

#include "core/dates.h"

#include <string.h>

enum { ICAL_LINE_OCTETS = 75 };

/* Appends line[0..len) folded: at most 75 octets per physical line (the leading space of a
 * continuation counts), cut only before a UTF-8 lead byte; then CRLF. */
static void append_folded(buf_t *b, const char *line, size_t len)
{
    size_t at = 0, room = ICAL_LINE_OCTETS;
    while (len - at > room) {
        size_t cut = at + room;
        while (cut > at && ((unsigned char)line[cut] & 0xC0) == 0x80)
            cut--;              /* never inside a character */
        buf_append(b, line + at, cut - at);
        buf_append(b, "\r\n ", 3);
        at = cut;
        room = ICAL_LINE_OCTETS - 1;
    }
    buf_append(b, line + at, len - at);
    buf_append(b, "\r\n", 2);
}

/* NAME:value, the value as TEXT (escaped) when text is true, else as is. */
static void property(buf_t *b, const char *name, const char *value, bool text)
{
    buf_t line;
    buf_init(&line, 1u << 20);
    buf_puts(&line, name);
    buf_puts(&line, ":");
    for (const char *p = value; *p; p++) {
        if (!text) {
            buf_append(&line, p, 1);
        } else if (*p == '\\' || *p == ';' || *p == ',') {
            char esc[2] = {'\\', *p};
            buf_append(&line, esc, 2);
        } else if (*p == '\r') {
            if (p[1] != '\n')
                buf_puts(&line, "\\n");
        } else if (*p == '\n') {
            buf_puts(&line, "\\n");
        } else if ((unsigned char)*p < 0x20 && *p != '\t') {
            continue;           /* other controls are not allowed in TEXT */
        } else {
            buf_append(&line, p, 1);
        }
    }
    append_folded(b, line.data != NULL ? line.data : "", line.len);
    buf_free(&line);
}

/* 20261130T090000Z: the ISO time (core/dates.h) without its separators */
static void utc_time(int64_t t, char out[17])
{
    char iso[21];
    time_iso(t, iso);
    size_t n = 0;
    for (const char *p = iso; *p && n < 16; p++)
        if (*p != '-' && *p != ':')
            out[n++] = *p;
    out[n] = '\0';
}

void ical_write_event(buf_t *b, const ical_event_t *e)
{
    char stamp[17], start[17], end[17];
    utc_time(e->stamp, stamp);
    utc_time(e->starts_at, start);
    utc_time(e->ends_at, end);
    buf_puts(b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Guanbiao//Activities//ZH\r\n"
                "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nBEGIN:VEVENT\r\n");
    property(b, "UID", e->uid, false);
    property(b, "DTSTAMP", stamp, false);
    property(b, "DTSTART", start, false);
    property(b, "DTEND", end, false);
    property(b, "SUMMARY", e->summary, true);
    if (e->location != NULL && e->location[0])
        property(b, "LOCATION", e->location, true);
    if (e->url != NULL && e->url[0])
        property(b, "URL", e->url, false);
    if (e->description != NULL && e->description[0])
        property(b, "DESCRIPTION", e->description, true);
    property(b, "STATUS", e->cancelled ? "CANCELLED" : "CONFIRMED", false);
    buf_puts(b, "END:VEVENT\r\nEND:VCALENDAR\r\n");
}
