/* Calendar dates "YYYY-MM-DD" (UTC) and times as Unix seconds: what certificates, history
 * entries and every later record carry. No rules of the domain here, only the calendar. */
#ifndef GUANBIAO_DATES_H
#define GUANBIAO_DATES_H
#include <stdbool.h>
#include <stdint.h>

enum { DATE_LEN = 10 };

bool date_valid(const char *s);
void date_today(char out[DATE_LEN + 1]);
void date_from_unix(int64_t t, char out[DATE_LEN + 1]);
/* The day before the same date `years` later: 2024-03-01 + 3 → 2027-02-28. */
bool date_add_years_minus_day(const char *s, int years, char out[DATE_LEN + 1]);
/* ISO 8601 UTC time "2026-11-25T09:05:25Z" of a Unix time. */
void time_iso(int64_t t, char out[21]);
/* Midnight UTC of a YYYY-MM-DD date, as Unix seconds; 0 when it is not a date. */
int64_t date_to_unix(const char *date);

#endif
