/* Demo activities (issue 11, docs/learning.md "Activities"): three upcoming published ones (two
 * online, one on site and full), one past one the demo enterprise attended, and a draft; the demo
 * enterprise's user is registered for each published one but the second online one, which is left
 * for a visitor to register for. Times are whole days from
 * the seed's day at fixed hours (UTC), so a seed made on a given day is the same everywhere. */
#include <stdio.h>

#include "seed_internal.h"
#include "core/text.h"
#include "store/audit.h"

typedef struct seed_activity {
    const char *title, *description, *mode, *place, *link, *status, *code;
    int day;                  /* from the seed's day */
    int hour, hours;          /* UTC start hour, length */
    int64_t capacity;
    const char *const *registrants;   /* logins, in registration order; NULL-terminated */
    bool attended;            /* the registrants checked in */
} seed_activity_t;

static const char *const demo_enterprise_only[] = {"enterprise", NULL};
static const char *const enterprise_and_body[] = {"enterprise", "body", NULL};

static const seed_activity_t activities[] = {
    {"贯标政策解读线上宣讲会", "国家知识产权局相关司局解读《企业知识产权合规管理体系要求》（GB/T 29490—2023）"
     "贯标工作通知要点：\n\n- 贯标认证的自愿原则\n- 新版标准的主要变化\n- 认证机构选择与监督\n\n会后答疑 30 分钟。",
     "online", "", "https://meeting.example.cn/j/29490", "published", "301928", 7, 2, 2, 500, demo_enterprise_only,
     false},
    {"企业知识产权内审员实务交流会（深圳）", "面向企业内审员的线下交流：内审计划、不符合项的整改与验证、管理评审输入。"
     "请携带本企业近一次内审报告（脱敏）。", "onsite", "深圳市南山区科技园会议中心 3 楼报告厅", "", "published",
     "775120", 14, 1, 3, 2, enterprise_and_body, false},
    {"专利导航与知识产权运营线上沙龙", "邀请已通过认证的企业分享专利导航成果如何进入研发立项和知识产权运营，"
     "并交流认证后一年内的指标变化。", "online", "", "https://meeting.example.cn/j/navigation", "published", "552093",
     21, 6, 2, 200, NULL, false},
    {"GB/T 29490—2023 新版标准解读交流", "逐章讲解新版标准与 2013 版的差异，并交流企业过渡安排。", "online", "",
     "https://meeting.example.cn/j/2023", "published", "118406", -30, 6, 2, 300, demo_enterprise_only, true},
    {"2027 年度贯标工作推进会（筹备中）", "议程待定。", "onsite", "北京市海淀区蓟门桥西土城路 6 号", "", "draft",
     "640251", 60, 1, 4, 100, NULL, false},
};

bool seed_activities(db_t *db, FILE *log)
{
    int64_t now = now_seconds(), today = now - now % 86400;
    for (size_t i = 0; i < sizeof activities / sizeof activities[0]; i++) {
        const seed_activity_t *a = &activities[i];
        int64_t starts = today + (int64_t)a->day * 86400 + (int64_t)a->hour * 3600;
        int64_t ends = starts + (int64_t)a->hours * 3600;
        stmt_t *st = db_query(db,
                              "INSERT INTO activities (title, description, mode, starts_at, ends_at, place, link, "
                              "capacity, status, checkin_code, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, "
                              "$6, $7, $8, $9, $10, $11, $11) RETURNING id",
                              "tttIIttIttI", a->title, a->description, a->mode, starts, ends, a->place, a->link,
                              a->capacity, a->status, a->code, now);
        int64_t id = st ? stmt_insert_id(st) : -1;
        if (id <= 0 || !audit_record_id(db, &AUDIT_ACTOR_SEED, "activity.create", "activity", id, "", NULL,
                                        "{\"seed\":true}"))
            return false;
        int64_t seats = 0;
        for (int k = 0; a->registrants != NULL && a->registrants[k] != NULL; k++) {
            int64_t user_id = seed_find_id(db, "SELECT id FROM users WHERE login = $1", a->registrants[k]);
            if (user_id <= 0)
                continue;
            if (db_run(db,
                       "INSERT INTO activity_registrations (activity_id, user_id, status, created_at, updated_at) "
                       "VALUES ($1, $2, 'registered', $3, $3)",
                       "III", id, user_id, now - 86400 * 2) != 1)
                return false;
            if (a->attended && db_run(db, "UPDATE activity_registrations SET checked_in_at = $3 WHERE activity_id = "
                                          "$1 AND user_id = $2",
                                      "III", id, user_id, starts + 600) != 1)
                return false;
            seats++;
        }
        if (seats > 0 && db_run(db, "UPDATE activities SET registered = $2 WHERE id = $1", "II", id, seats) != 1)
            return false;
    }
    fprintf(log, "Activities seeded: %zu.\n", sizeof activities / sizeof activities[0]);
    return true;
}
