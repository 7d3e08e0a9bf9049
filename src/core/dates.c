/* Calendar dates (see dates.h). */
#include "core/dates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : d[m - 1];
}

static bool parse(const char *s, int *y, int *m, int *d)
{
    if (s == NULL || strlen(s) != DATE_LEN || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < DATE_LEN; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    *m = (s[5] - '0') * 10 + (s[6] - '0');
    *d = (s[8] - '0') * 10 + (s[9] - '0');
    return *y >= 1900 && *y <= 2200 && *m >= 1 && *m <= 12 && *d >= 1 && *d <= days_in(*y, *m);
}

bool date_valid(const char *s)
{
    int y, m, d;
    return parse(s, &y, &m, &d);
}

void date_from_unix(int64_t t, char out[DATE_LEN + 1])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, DATE_LEN + 1, "%Y-%m-%d", &tm);
}

void date_today(char out[DATE_LEN + 1])
{
    /* asked on every certificate answered: formatted once a day per thread */
    static _Thread_local int64_t day = -1;
    static _Thread_local char text[DATE_LEN + 1];
    int64_t now = (int64_t)time(NULL);
    if (now / 86400 != day) {
        date_from_unix(now, text);
        day = now / 86400;
    }
    memcpy(out, text, DATE_LEN + 1);
}

bool date_add_years_minus_day(const char *s, int years, char out[DATE_LEN + 1])
{
    int y, m, d;
    if (!parse(s, &y, &m, &d))
        return false;
    y += years;
    if (d > days_in(y, m)) {    /* 29 February in a common year: the same date is 1 March */
        m++;
        d = 1;
    }
    if (--d == 0) {
        if (--m == 0) {
            m = 12;
            y--;
        }
        d = days_in(y, m);
    }
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
    memcpy(out, tmp, DATE_LEN);
    out[DATE_LEN] = '\0';
    return true;
}

void time_iso(int64_t t, char out[21])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int64_t date_to_unix(const char *date)
{
    if (!date_valid(date))
        return 0;
    struct tm tm = {0};
    tm.tm_year = atoi(date) - 1900;
    tm.tm_mon = atoi(date + 5) - 1;
    tm.tm_mday = atoi(date + 8);
    return (int64_t)timegm(&tm);
}
