/* Demo data of the marketplace (seed_internal.h: seed_market): every body's service
 * commitments (some with a second version, one withdrawn), the engagement behind every seeded
 * certificate (application, stage 1, stage 2, decision, within or beyond the committed lead
 * time), open engagements in every status, verified feedback (some edited, replied to, hidden
 * by a regulator), complaints in every status and one consulting tie. Rows are written with
 * plain INSERTs, each once: at scale 40 a per-row update of a shared row would be quadratic on
 * PostgreSQL. Each body has a fixed service quality and punctuality, so that the ranking
 * computed from these rows differs between bodies for reasons a reader can see. */
#include <math.h>
#include <string.h>

#include "api/api.h"
#include "core/dates.h"
#include "core/text.h"
#include "seed_internal.h"

enum { DAY = 86400, MAX_BODIES = 64 };

#define ALL_AREAS "acquisition,maintenance,exploitation,protection,contracts,confidentiality"
#define ALL_STAGES "research,procurement,production,sales"
#define COI_STATEMENT "本机构确认：未向该企业提供知识产权管理体系咨询、代理或培训服务，与该企业无利益冲突。"

/* What the seed knows of one body's offer and conduct. */
typedef struct seeded_body {
    int64_t id;
    int64_t commitment_id;      /* its main commitment */
    int64_t version2_at;        /* when version 2 of it was published; 0: it has one version */
    int lead_days[2];           /* committed lead time of versions 1 and 2 */
    double quality;             /* mean of its ratings, 1–5 */
    int punctual_percent;       /* share of its engagements decided within the committed time */
    int64_t staff_id;           /* a user who speaks for it (the demo body's account), or 0 */
} seeded_body_t;

static int64_t day_of(const char *date) { return date_to_unix(date); }

static void date_plus(const char *date, int days, char out[DATE_LEN + 1])
{
    date_from_unix(date_to_unix(date) + (int64_t)days * DAY, out);
}

/* One published version of a commitment; false on a database error. */
typedef struct version_spec {
    const char *title, *edition, *areas, *stages, *regions, *industries, *coverage, *method;
    double man_days[4];         /* large, medium, small, micro */
    int64_t price_min, price_max, lead_days, response_hours;
    const char *surveillance, *channel, *change_note;
    int64_t published_at;
} version_spec_t;

static bool insert_version(db_t *db, int64_t commitment_id, int64_t version, int64_t body_id, const version_spec_t *v)
{
    return db_run(db,
                  "INSERT INTO commitment_versions (commitment_id, version, body_id, title, edition, areas, stages, "
                  "regions, industries, effectiveness_coverage, effectiveness_method, man_days_large, "
                  "man_days_medium, man_days_small, man_days_micro, price_min, price_max, lead_time_days, "
                  "response_hours, surveillance_terms, complaint_channel, change_note, published_at) VALUES ($1, $2, "
                  "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)",
                  "IIIttttttttddddIIIItttI", commitment_id, version, body_id, v->title, v->edition, v->areas, v->stages,
                  v->regions, v->industries, v->coverage, v->method, v->man_days[0], v->man_days[1], v->man_days[2],
                  v->man_days[3], v->price_min, v->price_max, v->lead_days, v->response_hours, v->surveillance,
                  v->channel, v->change_note, v->published_at) == 1;
}

static int64_t insert_commitment(db_t *db, int64_t body_id, int64_t version, const char *status, int64_t at)
{
    stmt_t *st = db_query(db,
                          "INSERT INTO commitments (body_id, version, status, created_at, updated_at) "
                          "VALUES ($1, $2, $3, $4, $5) RETURNING id",
                          "IItII", body_id, version, status, at, at);
    return st == NULL ? -1 : stmt_insert_id(st);
}

static bool seed_commitments(db_t *db, seeded_body_t *bodies, int n)
{
    static const char *const industries[] = {"", "C", "C,I,M", "C,F,G"};
    static const char *const coverage[] = {"quality,benefit,management", "quality,management", "quality,benefit"};
    static const int64_t response[] = {24, 48, 4, 12};
    for (int i = 0; i < n; i++) {
        seeded_body_t *b = &bodies[i];
        char regions[256] = "", channel[160];
        stmt_t *st = db_query(db, "SELECT regions FROM bodies WHERE id = $1", "I", b->id);
        if (st == NULL)
            return false;
        if (stmt_step(st) == STORE_ROW)
            snprintf(regions, sizeof regions, "%s", stmt_text(st, 0));
        stmt_done(st);
        snprintf(channel, sizeof channel, "投诉电话 400-810-%04d（工作日 9:00–17:00）；投诉邮箱 complaint%02d@example.cn", 1000 + i * 17, i);
        int64_t first_at = day_of("2025-01-10") + (int64_t)i * DAY;
        version_spec_t v = {
            .title = "知识产权合规管理体系认证（GB/T 29490-2023）",
            .edition = "GB/T 29490-2023",
            .areas = ALL_AREAS,
            .stages = ALL_STAGES,
            .regions = regions,
            .industries = industries[i % 4],
            .coverage = coverage[i % 3],
            .method = "对照认证前三年与认证后各年的专利质量、效益和管理指标，抽查原始凭证，在审核报告中逐项说明变化及原因。",
            .man_days = {12 + i % 4, 8 + 0.5 * (i % 3), 5 + 0.5 * (i % 2), 3},
            .price_min = 30000 + 1000 * (i % 7),
            .lead_days = 45 + 5 * (i % 8),
            .response_hours = response[i % 4],
            .surveillance = "每年一次监督审核，首次监督在认证决定后 12 个月内；监督审核按人日计费，不另收年费。",
            .channel = channel,
            .change_note = "",
            .published_at = first_at,
        };
        v.price_max = v.price_min + 20000 + 1000 * (i % 5);
        bool two_versions = i % 4 == 1;
        b->lead_days[0] = (int)v.lead_days;
        b->commitment_id = insert_commitment(db, b->id, two_versions ? 2 : 1, "published", first_at);
        if (b->commitment_id <= 0 || !insert_version(db, b->commitment_id, 1, b->id, &v))
            return false;
        if (two_versions) {      /* a second version: shorter lead time, a wider effectiveness check */
            v.lead_days -= 10;
            v.coverage = "quality,benefit,management";
            v.price_max += 5000;
            v.change_note = "决定周期缩短 10 天；效果核查增加效益指标；价格上限随之调整。";
            v.published_at = b->version2_at = day_of("2026-06-01") + (int64_t)i * DAY;
            b->lead_days[1] = (int)v.lead_days;
            if (!insert_version(db, b->commitment_id, 2, b->id, &v))
                return false;
        }
        if (i % 3 == 0) {        /* a second offer for small enterprises; one body withdrew its own */
            version_spec_t small = v;
            small.title = i % 2 == 0 ? "中小微企业知识产权管理体系认证快捷服务" : "知识产权管理体系认证（GB/T 29490-2013）转换审核";
            small.edition = i % 2 == 0 ? "GB/T 29490-2023" : "GB/T 29490-2013";
            small.areas = "acquisition,maintenance,protection";
            small.stages = "research,sales";
            small.man_days[0] = 10, small.man_days[1] = 6, small.man_days[2] = 4, small.man_days[3] = 2;
            small.price_min = 18000 + 500 * (i % 5), small.price_max = small.price_min + 12000;
            small.lead_days = 35 + 5 * (i % 3);
            small.change_note = "";
            small.published_at = first_at + 30 * DAY;
            int64_t id = insert_commitment(db, b->id, 1, i == 9 ? "withdrawn" : "published", small.published_at);
            if (id <= 0 || !insert_version(db, id, 1, b->id, &small))
                return false;
        }
    }
    return true;
}

static seeded_body_t *body_of(seeded_body_t *bodies, int n, int64_t id)
{
    for (int i = 0; i < n; i++)
        if (bodies[i].id == id)
            return &bodies[i];
    return NULL;
}

/* One engagement with its stage rows; status and the dates decide what it holds. lead is the
 * days from application to decision (0 when undecided). Returns its id, or -1. */
typedef struct engagement_spec {
    int64_t enterprise_id;
    const seeded_body_t *body;
    const char *status, *stage, *decision;
    char application[DATE_LEN + 1];
    int lead;                       /* days to the decision (decided), or to the last stage reached */
    int64_t certificate_id;         /* 0: none */
    const char *note, *decline_reason;
} engagement_spec_t;

static int64_t insert_engagement(db_t *db, const engagement_spec_t *e)
{
    const seeded_body_t *b = e->body;
    int64_t applied = day_of(e->application);
    bool on_v2 = b->version2_at != 0 && applied >= b->version2_at;
    int64_t committed = b->lead_days[on_v2 ? 1 : 0];
    bool responded = strcmp(e->status, "requested") != 0 && strcmp(e->status, "cancelled") != 0;
    bool accepted = strcmp(e->status, "active") == 0 || strcmp(e->status, "decided") == 0;
    bool decided = strcmp(e->status, "decided") == 0;
    char decision_date[DATE_LEN + 1] = "";
    if (decided)
        date_plus(e->application, e->lead, decision_date);
    int64_t requested_at = applied + 9 * 3600, responded_at = requested_at + 2 * DAY, now = now_seconds();
    stmt_t *st = db_query(
        db,
        "INSERT INTO engagements (enterprise_id, body_id, commitment_id, commitment_version, committed_lead_days, "
        "status, stage, request_note, requested_at, application_date, responded_by, responded_at, decline_reason, "
        "coi_statement, coi_declared_by, coi_declared_at, decision, decision_date, lead_days, within_commitment, "
        "certificate_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULLIF($11, 0), "
        "$12, $13, $14, NULLIF($15, 0), $16, $17, $18, CASE WHEN $6 = 'decided' THEN CAST($19 AS BIGINT) END, "
        "CASE WHEN $6 = 'decided' THEN CAST($20 AS BIGINT) END, NULLIF($21, 0), $22, $23) RETURNING id",
        "IIIIItttItIIttIIttIIIII", e->enterprise_id, b->id, b->commitment_id, (int64_t)(on_v2 ? 2 : 1), committed,
        e->status, e->stage, e->note ? e->note : "", requested_at, e->application, responded ? b->staff_id : 0,
        responded ? responded_at : 0, e->decline_reason ? e->decline_reason : "", accepted ? COI_STATEMENT : "",
        accepted ? b->staff_id : 0, accepted ? responded_at : 0, decided ? e->decision : "", decision_date,
        decided ? (int64_t)e->lead : 0, decided ? (int64_t)(e->lead <= committed) : 0, e->certificate_id,
        requested_at, decided ? day_of(decision_date) + 10 * 3600 : responded ? responded_at : requested_at);
    int64_t id = st == NULL ? -1 : stmt_insert_id(st);
    if (id <= 0)
        return -1;
    if (responded_at > now || requested_at > now)
        return id;
    /* the stages reached, at 0 %, 30 %, 70 % and 100 % of the way to the decision */
    static const char *const stages[] = {"application", "stage1", "stage2", "decision"};
    static const int share[] = {0, 30, 70, 100};
    /* one statement for all the stages reached (a round trip each would dominate the seed on
     * PostgreSQL at scale 40): $1 the engagement, $2 the recorder, then stage, date, at per row */
    static const char *const inserts[] = {
        "INSERT INTO engagement_stages (engagement_id, stage, date, recorded_by, at) VALUES ($1, $3, $4, NULLIF(CAST($2 AS BIGINT), CAST($2 AS BIGINT)), $5)",
        "INSERT INTO engagement_stages (engagement_id, stage, date, recorded_by, at) VALUES ($1, $3, $4, NULLIF(CAST($2 AS BIGINT), CAST($2 AS BIGINT)), $5), "
        "($1, $6, $7, NULLIF($2, 0), $8)",
        "INSERT INTO engagement_stages (engagement_id, stage, date, recorded_by, at) VALUES ($1, $3, $4, NULLIF(CAST($2 AS BIGINT), CAST($2 AS BIGINT)), $5), "
        "($1, $6, $7, NULLIF($2, 0), $8), ($1, $9, $10, NULLIF($2, 0), $11)",
        "INSERT INTO engagement_stages (engagement_id, stage, date, recorded_by, at) VALUES ($1, $3, $4, NULLIF(CAST($2 AS BIGINT), CAST($2 AS BIGINT)), $5), "
        "($1, $6, $7, NULLIF($2, 0), $8), ($1, $9, $10, NULLIF($2, 0), $11), ($1, $12, $13, NULLIF($2, 0), $14)",
    };
    int reached = 1;
    while (reached < 4 && strcmp(stages[reached - 1], e->stage) != 0)
        reached++;
    stmt_t *ins = db_prepare(db, inserts[reached - 1]);
    if (ins == NULL)
        return -1;
    stmt_bind_int(ins, 1, id);
    stmt_bind_int(ins, 2, b->staff_id);
    for (int k = 0; k < reached; k++) {
        char date[DATE_LEN + 1];
        date_plus(e->application, e->lead * share[k] / 100, date);
        stmt_bind_text(ins, 3 + 3 * k, stages[k], strlen(stages[k]));
        stmt_bind_text(ins, 4 + 3 * k, date, strlen(date));
        stmt_bind_int(ins, 5 + 3 * k, day_of(date) + 12 * 3600);
    }
    int rc = stmt_step(ins);
    stmt_done(ins);
    if (rc != STORE_DONE)
        return -1;
    return id;
}

/* A review of a decided engagement, rated around the body's quality; some edited once. */
static const char *const comments_good[] = {
    "审核员专业，对研发立项和合同管理条款的提问切中要害，整改建议可操作。",
    "效果核查认真，逐项比对了认证前后的专利和许可数据，报告写得清楚。",
    "响应及时，审核安排提前沟通，承诺的周期内完成认证决定。",
    "对中小企业比较耐心，解释条款清晰，帮助我们理解体系要求而不是走形式。",
};
static const char *const comments_poor[] = {
    "审核时间一再推迟，超出了服务承诺的周期。",
    "效果核查只看了文件，没有核对实际数据，感觉流于形式。",
    "沟通不够及时，问题反馈后一周才回复。",
};
static const char *const replies[] = {
    "感谢贵公司的评价，我们将继续保持审核质量，并在监督审核中跟进效果核查。",
    "对周期延误深表歉意：原因是现场审核人员调整，已完善排期机制，欢迎继续监督。",
};

static int rating_around(double quality)
{
    int r = (int)lround(quality + ((double)seed_pick(21) - 10.0) / 10.0);
    return r < 1 ? 1 : r > 5 ? 5 : r;
}

static int64_t insert_feedback(db_t *db, int64_t engagement_id, const seeded_body_t *b, int64_t enterprise_id,
                               int64_t at, int64_t author_id)
{
    int r[4];
    for (int k = 0; k < 4; k++)
        r[k] = rating_around(b->quality);
    double mean = (r[0] + r[1] + r[2] + r[3]) / 4.0;
    const char *comment = mean >= 3.5 ? comments_good[seed_pick(4)] : comments_poor[seed_pick(3)];
    stmt_t *st = db_query(db,
                          "INSERT INTO feedback (engagement_id, body_id, enterprise_id, author_id, professionalism, "
                          "effectiveness, timeliness, commitment, comment, created_at, updated_at, editable_until) "
                          "VALUES ($1, $2, $3, NULLIF($4, 0), $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
                          "IIIIIIIItIII", engagement_id, b->id, enterprise_id, author_id, (int64_t)r[0], (int64_t)r[1],
                          (int64_t)r[2], (int64_t)r[3], comment, at, at, at + 90 * (int64_t)DAY);
    return st == NULL ? -1 : stmt_insert_id(st);
}

/* An edit within the 90 days: the first version kept, the review raised by one on timeliness. */
static bool edit_feedback(db_t *db, int64_t feedback_id, int64_t at)
{
    return db_run(db,
                  "INSERT INTO feedback_versions (feedback_id, version, professionalism, effectiveness, timeliness, "
                  "commitment, comment, user_id, at) SELECT id, 1, professionalism, effectiveness, timeliness, "
                  "commitment, comment, author_id, created_at FROM feedback WHERE id = $1",
                  "I", feedback_id) == 1 &&
           db_run(db,
                  "UPDATE feedback SET version = 2, timeliness = CASE WHEN timeliness < 5 THEN timeliness + 1 ELSE 5 "
                  "END, comment = comment || '（补充：整改复核很及时，调整评分。）', updated_at = $2 WHERE id = $1",
                  "II", feedback_id, at) == 1;
}

static bool insert_complaint(db_t *db, int64_t engagement_id, int64_t feedback_id, int64_t enterprise_id,
                             int64_t body_id, const char *text, const char *status, int64_t at, int64_t by,
                             int64_t regulator_id)
{
    bool closed = strcmp(status, "upheld") == 0 || strcmp(status, "dismissed") == 0;
    const char *resolution = strcmp(status, "upheld") == 0      ? "经核实，投诉属实：已责令机构整改并在下次监督中复核。"
                             : strcmp(status, "dismissed") == 0 ? "经核实，审核周期延长系企业补充材料所致，投诉不成立。"
                                                                : "";
    stmt_t *st = db_query(db,
                          "INSERT INTO complaints (engagement_id, feedback_id, enterprise_id, body_id, text, status, "
                          "resolution, created_by, created_at, updated_at) VALUES ($1, NULLIF($2, 0), $3, $4, $5, $6, "
                          "$7, NULLIF($8, 0), $9, $10) RETURNING id",
                          "IIIItttIII", engagement_id, feedback_id, enterprise_id, body_id, text, status, resolution,
                          by, at, closed || strcmp(status, "under_review") == 0 ? at + 5 * DAY : at);
    int64_t id = st == NULL ? -1 : stmt_insert_id(st);
    if (id <= 0)
        return false;
    if (db_run(db, "INSERT INTO complaint_events (complaint_id, from_status, to_status, user_id, at) "
                   "VALUES ($1, '', 'received', NULLIF($2, 0), $3)",
               "III", id, by, at) != 1)
        return false;
    if (strcmp(status, "received") == 0)
        return true;
    if (db_run(db, "INSERT INTO complaint_events (complaint_id, from_status, to_status, note, user_id, at) "
                   "VALUES ($1, 'received', 'under_review', '已受理，正在调查核实。', NULLIF($2, 0), $3)",
               "III", id, regulator_id, at + 2 * DAY) != 1)
        return false;
    return !closed || db_run(db,
                             "INSERT INTO complaint_events (complaint_id, from_status, to_status, note, user_id, at) "
                             "VALUES ($1, 'under_review', $2, $3, NULLIF($4, 0), $5)",
                             "IttII", id, status, resolution, regulator_id, at + 5 * DAY) == 1;
}

/* The engagement behind each of the first HISTORY_MAX certificates (all of them up to scale
 * 4), decided on its issue date; feedback on about half of those decided at least a month ago.
 * The certificates beyond stand for those registered from CNCA's records without an engagement
 * on the platform; seeding an engagement for each of them would triple the seed's time on
 * PostgreSQL at scale 40 and add nothing a page shows. */
static bool seed_certified(db_t *db, seeded_body_t *bodies, int n, const seed_market_context_t *ctx,
                           int64_t enterprise_author, FILE *log)
{
    enum { HISTORY_MAX = 20000 };
    stmt_t *st = db_query(db, "SELECT COUNT(*) FROM certificates", "");
    long total = st != NULL && stmt_step(st) == STORE_ROW ? (long)stmt_int(st, 0) : 0;
    stmt_done(st);
    if (total > HISTORY_MAX)
        total = HISTORY_MAX;
    int64_t now = now_seconds(), last = 0;
    long done = 0, demo_seen = 0;
    for (;;) {      /* in batches by id, so no statement stays open across the inserts */
        enum { BATCH = 500 };
        int64_t ids[BATCH], enterprises[BATCH], body_ids[BATCH];
        char issued[BATCH][DATE_LEN + 1];
        int got = 0;
        st = db_query(db, "SELECT id, enterprise_id, body_id, issued FROM certificates WHERE id > $1 ORDER BY id LIMIT 500",
                      "I", last);
        if (st == NULL)
            return false;
        while (got < BATCH && stmt_step(st) == STORE_ROW) {
            ids[got] = stmt_int(st, 0), enterprises[got] = stmt_int(st, 1), body_ids[got] = stmt_int(st, 2);
            snprintf(issued[got], sizeof issued[got], "%s", stmt_text(st, 3));
            got++;
        }
        stmt_done(st);
        if (got == 0 || done >= total)
            break;
        for (int k = 0; k < got && done < total; k++) {
            last = ids[k];
            seeded_body_t *b = body_of(bodies, n, body_ids[k]);
            if (b == NULL)
                continue;
            bool punctual = seed_pick(100) < b->punctual_percent;
            int committed = b->lead_days[b->version2_at != 0 && day_of(issued[k]) - 60 * DAY >= b->version2_at];
            int lead = punctual ? committed * (60 + seed_pick(41)) / 100 : committed * (105 + seed_pick(46)) / 100;
            engagement_spec_t e = {.enterprise_id = enterprises[k], .body = b, .status = "decided", .stage = "decision",
                                   .decision = "certified", .lead = lead, .certificate_id = ids[k]};
            date_plus(issued[k], -lead, e.application);
            int64_t engagement = insert_engagement(db, &e);
            if (engagement <= 0)
                return false;
            int64_t decided_at = day_of(issued[k]);
            bool demo = enterprises[k] == ctx->demo_enterprise_id;
            /* the demo enterprise reviewed its oldest engagement only, so it has two to review */
            bool review = demo ? demo_seen++ == 0 : seed_pick(100) < 55;
            if (review && decided_at + 30 * DAY < now) {
                int64_t at = decided_at + (10 + seed_pick(50)) * (int64_t)DAY;
                int64_t fb = insert_feedback(db, engagement, b, enterprises[k], at, demo ? enterprise_author : 0);
                if (fb <= 0)
                    return false;
                int roll = seed_pick(100);
                if (roll < 8 && !edit_feedback(db, fb, at + 20 * DAY))
                    return false;
                if ((roll % 4 == 0 || demo) &&
                    db_run(db, "UPDATE feedback SET reply = $2, reply_by = NULLIF($3, 0), reply_at = $4 WHERE id = $1",
                           "ItII", fb, replies[seed_pick(2)], b->staff_id, at + 3 * DAY) != 1)
                    return false;
            }
            seed_progress(log, "engagements", ++done, total);
        }
    }
    return true;
}

/* The seeded certificates' later lifecycle as stages of their engagements (what
 * engagement_follow_certificate does for each new one): the surveillance audits recorded by the
 * certificate seed, and the renewal. Four statements whatever the scale. */
static bool seed_followed_stages(db_t *db)
{
    return db_run(db,
                  "INSERT INTO engagement_stages (engagement_id, stage, date, at) SELECT e.id, CASE WHEN s.seq = 1 "
                  "THEN 'surveillance1' ELSE 'surveillance2' END, s.audit_date, s.at FROM certificate_surveillances s "
                  "JOIN engagements e ON e.certificate_id = s.certificate_id",
                  "") >= 0 &&
           db_run(db,
                  "UPDATE engagements SET stage = (SELECT CASE WHEN MAX(s.seq) = 1 THEN 'surveillance1' ELSE "
                  "'surveillance2' END FROM certificate_surveillances s WHERE s.certificate_id = engagements.certificate_id) "
                  "WHERE certificate_id IN (SELECT certificate_id FROM certificate_surveillances)",
                  "") >= 0 &&
           db_run(db,
                  "INSERT INTO engagement_stages (engagement_id, stage, date, at) SELECT e.id, 'recertification', "
                  "n.decision_date, n.created_at FROM certificates n JOIN engagements e ON e.certificate_id = n.previous_id",
                  "") >= 0 &&
           db_run(db,
                  "UPDATE engagements SET stage = 'recertification' WHERE certificate_id IN (SELECT previous_id FROM "
                  "certificates WHERE previous_id IS NOT NULL)",
                  "") >= 0;
}

/* Engagements not (or not yet) certified: requested, active at stage 1 or 2, declined,
 * cancelled, decided not to certify. The demo enterprise has one of each with other bodies,
 * and the demo body receives several. */
static bool seed_open(db_t *db, seeded_body_t *bodies, int n, const seed_market_context_t *ctx)
{
    static const char *const statuses[][2] = {{"requested", "application"}, {"active", "stage1"}, {"active", "stage2"},
                                              {"declined", "application"},  {"cancelled", "application"},
                                              {"decided", "decision"}};
    char today[DATE_LEN + 1];
    date_today(today);
    /* enterprises without a certificate, in id order, for the open requests */
    enum { OPEN_MAX = 400 };
    int64_t enterprises[OPEN_MAX];
    int nent = 0, want = 36 * ctx->scale < OPEN_MAX ? 36 * ctx->scale : OPEN_MAX;
    stmt_t *st = db_query(db,
                          "SELECT e.id FROM enterprises e WHERE e.status = 'approved' AND NOT EXISTS (SELECT 1 FROM "
                          "certificates c WHERE c.enterprise_id = e.id) ORDER BY e.id LIMIT $1",
                          "I", (int64_t)want);
    if (st == NULL)
        return false;
    while (nent < want && stmt_step(st) == STORE_ROW)
        enterprises[nent++] = stmt_int(st, 0);
    stmt_done(st);
    for (int k = 0; k < 6 + nent; k++) {
        bool demo = k < 6;
        int s = k % 6;
        /* the demo enterprise's with bodies 1–5 (and 7 for the sixth: 6 has a consulting tie
         * with it); the others alternate between the demo body and the rest */
        const seeded_body_t *b = demo ? &bodies[s == 5 ? 7 : 1 + s] : &bodies[k % 3 == 0 ? 0 : 1 + k % (n - 1)];
        int days_ago = s == 0 ? 3 + k % 5 : s == 5 ? 120 + k % 30 : 20 + k % 40;
        engagement_spec_t e = {.enterprise_id = demo ? ctx->demo_enterprise_id : enterprises[k - 6], .body = b,
                               .status = statuses[s][0], .stage = statuses[s][1], .decision = "not_certified",
                               .note = "我司体系已运行六个月，完成一次内审和管理评审，申请认证。"};
        date_plus(today, -days_ago, e.application);
        int committed = b->lead_days[b->version2_at != 0 && day_of(e.application) >= b->version2_at];
        e.lead = s == 5 ? committed + 8 : s == 2 ? days_ago * 3 / 4 : days_ago / 3;
        if (s == 3)
            e.decline_reason = "申请范围超出本机构认可业务范围，建议选择覆盖该行业的机构。";
        if (insert_engagement(db, &e) <= 0)
            return false;
    }
    return true;
}

/* The ranking, computed once from the rows above by the job's own code (api/rankings.c), so
 * that a freshly seeded platform shows it at once; the hourly job keeps it current. */
static bool seed_ranking(db_t *db, FILE *log)
{
    char err[256];
    if (ranking_refresh_run(db, now_seconds(), err, sizeof err))
        return true;
    fprintf(log, "ranking: %s\n", err);
    return false;
}

/* The demo body's engagements under way (docs/marketplace.md): one active at stage 1 and one at
 * stage 2 (ready for a decision), from enterprises with no certificate and nothing with it yet,
 * so that its pages show every step. */
static bool seed_engagements_under_way(db_t *db, const seeded_body_t *demo_body, const seed_market_context_t *ctx)
{
    int64_t enterprises[2];
    int got = 0;
    stmt_t *st = db_query(db,
                          "SELECT e.id FROM enterprises e WHERE e.status = 'approved' AND e.id <> $2 AND NOT EXISTS "
                          "(SELECT 1 FROM certificates c WHERE c.enterprise_id = e.id) AND NOT EXISTS (SELECT 1 FROM "
                          "engagements g WHERE g.enterprise_id = e.id AND g.body_id = $1) ORDER BY e.id LIMIT 2",
                          "II", demo_body->id, ctx->demo_enterprise_id);
    if (st == NULL)
        return false;
    while (got < 2 && stmt_step(st) == STORE_ROW)
        enterprises[got++] = stmt_int(st, 0);
    stmt_done(st);
    char today[DATE_LEN + 1];
    date_today(today);
    for (int k = 0; k < got; k++) {
        engagement_spec_t e = {.enterprise_id = enterprises[k], .body = demo_body, .status = "active",
                               .stage = k == 0 ? "stage1" : "stage2", .lead = k == 0 ? 10 : 24,
                               .note = "我司已完成内审和管理评审，申请知识产权管理体系认证。"};
        date_plus(today, k == 0 ? -21 : -32, e.application);
        if (insert_engagement(db, &e) <= 0)
            return false;
    }
    return true;
}

bool seed_market(db_t *db, const seed_market_context_t *ctx, FILE *log)
{
    int n = ctx->nbodies < MAX_BODIES ? ctx->nbodies : MAX_BODIES;
    seeded_body_t bodies[MAX_BODIES] = {0};
    int64_t demo_staff = seed_find_id(db, "SELECT id FROM users WHERE login = $1", "body");
    int64_t enterprise_author = seed_find_id(db, "SELECT id FROM users WHERE login = $1", "enterprise");
    int64_t regulator = seed_find_id(db, "SELECT id FROM users WHERE login = $1", "regulator");
    for (int i = 0; i < n; i++) {
        bodies[i].id = ctx->body_ids[i];
        bodies[i].quality = 3.0 + (double)((i * 7) % 18) / 10.0;       /* 3.0 … 4.7 */
        bodies[i].punctual_percent = 50 + (i * 11) % 50;                /* 50 … 99 % */
        bodies[i].staff_id = i == 0 ? demo_staff : 0;
    }
    bodies[0].quality = 4.3, bodies[0].punctual_percent = 85;
    if (!seed_commitments(db, bodies, n) || !seed_certified(db, bodies, n, ctx, enterprise_author, log) || !seed_followed_stages(db) ||
        !seed_open(db, bodies, n, ctx) || !seed_engagements_under_way(db, &bodies[0], ctx))
        return false;
    /* the demo enterprise once had consulting from body 6's affiliate: it may not engage or rate it */
    int64_t now = now_seconds();
    if (db_run(db, "INSERT INTO consulting_ties (enterprise_id, body_id, source, note, recorded_by, at) "
                   "VALUES ($1, $2, 'enterprise', '2023 年曾接受该机构关联咨询公司的贯标咨询服务。', NULLIF($3, 0), $4)",
               "IIII", ctx->demo_enterprise_id, bodies[6].id, enterprise_author, now - 200 * (int64_t)DAY) != 1)
        return false;
    /* a hidden review, and complaints in every status (the demo body has two) */
    if (db_run(db,
               "UPDATE feedback SET hidden = 1, hidden_reason = '评论含有与认证服务无关的人身攻击内容，依审核政策隐藏。', "
               "hidden_by = NULLIF($2, 0), hidden_at = updated_at + 86400 WHERE id = (SELECT MIN(id) FROM feedback "
               "WHERE body_id = $1 AND reply IS NULL)",
               "II", bodies[3].id, regulator) < 0)
        return false;
    static const char *const states[] = {"received", "under_review", "upheld", "dismissed"};
    static const char *const texts[] = {
        "机构承诺 60 天内作出认证决定，实际用了 95 天，且未说明原因。",
        "现场审核只用了半天，与承诺的人日数不符。",
        "审核员在审核期间推荐其关联公司的咨询服务。",
        "效果核查只看了我们自己填报的数字，没有核对任何证据。",
    };
    for (int k = 0; k < 8; k++) {
        int64_t body = k < 2 ? bodies[0].id : bodies[2 + k].id;
        stmt_t *st = db_query(db,
                              "SELECT e.id, e.enterprise_id, f.id, e.decision_date FROM engagements e LEFT JOIN "
                              "feedback f ON f.engagement_id = e.id WHERE e.body_id = $1 AND e.status = 'decided' "
                              "ORDER BY e.id LIMIT 1 OFFSET $2",
                              "II", body, (int64_t)(k % 2 + 1));
        if (st == NULL)
            return false;
        if (stmt_step(st) != STORE_ROW) {
            stmt_done(st);
            continue;
        }
        int64_t engagement = stmt_int(st, 0), enterprise = stmt_int(st, 1);
        int64_t feedback = stmt_is_null(st, 2) ? 0 : stmt_int(st, 2);
        int64_t at = day_of(stmt_text(st, 3)) + 40 * (int64_t)DAY;
        stmt_done(st);
        if (at > now - 10 * DAY)
            at = now - 10 * DAY;
        if (!insert_complaint(db, engagement, feedback, enterprise, body, texts[k % 4], states[k % 4], at, 0, regulator))
            return false;
    }
    /* complaints over the last year about the other bodies, for the regulators' statistics
       (docs/statistics.md "Feedback"): one on every second decided engagement without one, 20 ×
       scale of them, a fortnight or so apart; the older ones closed, the recent ones open */
    stmt_t *spread = db_query(db,
                              "SELECT e.id, e.enterprise_id, e.body_id, COALESCE(f.id, 0) FROM engagements e "
                              "LEFT JOIN feedback f ON f.engagement_id = e.id WHERE e.status = 'decided' "
                              "AND e.body_id NOT IN ($1, $2) AND NOT EXISTS (SELECT 1 FROM complaints c "
                              "WHERE c.engagement_id = e.id) ORDER BY e.id LIMIT $3",
                              "III", bodies[0].id, bodies[1].id, (int64_t)(40 * ctx->scale));
    if (spread == NULL)
        return false;
    int64_t picked[160][4];   /* engagement, enterprise, body, review (0: none) */
    int npicked = 0;
    for (int row = 0; stmt_step(spread) == STORE_ROW; row++) {
        if (row % 2 != 0 || npicked == (int)(sizeof picked / sizeof picked[0]))
            continue;
        for (int col = 0; col < 4; col++)
            picked[npicked][col] = stmt_int(spread, col);
        npicked++;
    }
    stmt_done(spread);
    for (int k = 0; k < npicked; k++) {
        int64_t at = now - (int64_t)(10 + (k * 347 / (npicked > 1 ? npicked - 1 : 1))) * DAY;
        const char *status = at > now - 45 * DAY ? states[k % 2] : states[2 + k % 2];
        if (!insert_complaint(db, picked[k][0], picked[k][3], picked[k][1], picked[k][2], texts[k % 4], status, at, 0,
                              regulator))
            return false;
    }
    /* the demo enterprise's own complaint about the demo body, under review */
    stmt_t *st = db_query(db,
                          "SELECT id, decision_date FROM engagements WHERE enterprise_id = $1 AND body_id = $2 AND "
                          "decision = 'certified' ORDER BY id LIMIT 1 OFFSET 1",
                          "II", ctx->demo_enterprise_id, bodies[0].id);
    if (st == NULL)
        return false;
    int64_t engagement = stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : 0;
    stmt_done(st);
    if (engagement != 0 &&
        !insert_complaint(db, engagement, 0, ctx->demo_enterprise_id, bodies[0].id,
                          "监督审核期间机构更换了审核组长，且未提前通知我司，影响了审核准备。", "under_review",
                          now - 12 * (int64_t)DAY, enterprise_author, regulator))
        return false;
    return seed_ranking(db, log);
}
