/* iCalendar (RFC 5545) for one event: what GET /api/activities/{id}/ics answers so that a
 * learner adds an activity to a calendar. Text values are escaped (backslash, semicolon, comma,
 * line breaks as \n) and every content line is folded at 75 octets (CRLF then one space,
 * never inside a UTF-8 character); lines end with CRLF. Times are written in UTC (…Z). */
#ifndef GUANBIAO_ICAL_H
#define GUANBIAO_ICAL_H
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"

typedef struct ical_event {
    const char *uid;            /* globally unique, e.g. "activity-7@guanbiao" */
    int64_t stamp;              /* DTSTAMP: when the file is made (Unix seconds) */
    int64_t starts_at, ends_at; /* Unix seconds */
    const char *summary;        /* the title */
    const char *description;    /* plain text; may be NULL or "" (then left out) */
    const char *location;       /* may be NULL or "" (then left out) */
    const char *url;            /* may be NULL or "" (then left out) */
    bool cancelled;             /* STATUS:CANCELLED, else CONFIRMED */
} ical_event_t;

/* Appends a VCALENDAR holding the one VEVENT to b. */
void ical_write_event(buf_t *b, const ical_event_t *e);

#endif
