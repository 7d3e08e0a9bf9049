/* Demo data (see seed.h): deterministic (a fixed pseudo-random sequence), realistic enough to
 * try every page: 2,000 enterprises across provinces, industries and sizes with valid credit
 * codes (a few pending review in Guangdong), 30 certification bodies, 5,000 certificates in
 * every status with their history, at scale 1; N times as many at scale N; the demo
 * enterprise's business licence (a PDF specimen). */
#include "seed.h"
#include "seed_internal.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/regions.h"
#include "core/text.h"
#include "api/api.h"
#include "core/uscc.h"
#include "domain/certificate.h"
#include "domain/account.h"
#include "core/buf.h"
#include "http/auth.h"
#include "store/api_tokens.h"
#include "store/clauses.h"
#include "store/indicators.h"
#include "store/files.h"
#include "report/notices.h"
#include "store/ranking.h"
#include "store/registry.h"
#include "store/search.h"
#include "store/users.h"

enum { ENTERPRISES_PER_SCALE = 2000, CERTIFICATES_PER_SCALE = 5000, BODIES = 30, PENDING = 12 };

typedef struct demo_account {
    const char *login, *name, *role, *region;
} demo_account_t;

static const demo_account_t accounts[] = {
    {"admin", "平台管理员", "admin", ""},
    {"regulator", "国家知识产权局运营促进司", "regulator", "000000"},
    {"regulator-gd", "广东省知识产权局", "regulator", "440000"},
    {"enterprise", "深圳市示范科技有限公司 · 知识产权专员", "enterprise", ""},
    {"body", "中知认证有限公司 · 审核员", "body", ""},
};

/* The demo accounts' organisations: the first enterprise and the first body. */
static const char *const demo_enterprise_name = "深圳市示范科技有限公司";
static const char *const demo_enterprise_code = "914403001922038216";
static const char *const demo_body_code = "91110000600037341L";

static const char *const body_names[BODIES] = {
    "中知认证有限公司", "中规(北京)认证有限公司", "华智知识产权认证有限公司", "知信认证中心有限公司",
    "国知联合认证有限公司", "中认英泰检测认证有限公司", "泰和知识产权认证有限公司", "鹏程认证服务有限公司",
    "长城知识产权认证有限公司", "华夏认证中心有限公司", "东方知识产权认证有限公司", "南粤认证有限公司",
    "江南知识产权认证中心有限公司", "齐鲁认证服务有限公司", "中原知识产权认证有限公司", "巴蜀认证有限公司",
    "三秦知识产权认证有限公司", "闽台认证服务有限公司", "荆楚知识产权认证有限公司", "湖湘认证有限公司",
    "燕赵知识产权认证有限公司", "津门认证中心有限公司", "海河知识产权认证有限公司", "浙里认证服务有限公司",
    "苏科知识产权认证有限公司", "皖江认证有限公司", "赣鄱知识产权认证有限公司", "北国认证中心有限公司",
    "西部知识产权认证有限公司", "深港认证服务有限公司",
};

static const char *const brands[] = {"华信", "中科", "恒达", "金桥", "瑞丰", "天成", "博远", "新航", "宏图", "智联",
                                     "永盛", "海纳", "立德", "创维", "鼎新", "卓越", "星辰", "领航", "众合", "启明",
                                     "鸿运", "同创", "嘉和", "睿思", "精工", "远景", "普惠", "凯旋", "东升", "云帆"};
static const char *const trades[] = {"科技", "电子", "智能制造", "生物医药", "新材料", "信息技术", "机械", "化工",
                                     "软件", "光电", "环保科技", "汽车零部件", "精密仪器", "食品", "新能源"};
static const char *const divisions[] = {"39", "34", "35", "38", "26", "27", "40", "65", "64", "73", "74", "36",
                                        "29", "33", "30", "14", "13", "17", "51", "75", "44", "47", "72", "32"};
static const char *const sizes[] = {"large", "medium", "medium", "small", "small", "small", "small", "micro", "micro", "medium"};
static const char size_letter[] = {'L', 'M', 'M', 'S', 'S', 'S', 'S', 'W', 'W', 'M'};

/* xorshift64*: the same sequence on every machine, so the demo is the same everywhere. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
uint64_t seed_next(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}
int seed_pick(int n) { return (int)(seed_next() % (uint64_t)n); }

void seed_progress(FILE *out, const char *what, long done, long total)
{
    if (!isatty(fileno(out)) || total == 0)
        return;
    if (done != total && done % 500 != 0)
        return;
    int width = 30, filled = (int)(width * done / total);
    fprintf(out, "\r  %-14s [%.*s%*s] %3ld%%", what, filled, "##############################", width - filled, "",
            100 * done / total);
    if (done == total)
        fputc('\n', out);
    fflush(out);
}

/* County-level regions (and prefecture ones with no counties), for enterprise addresses. */
static const region_t **places;
static size_t nplaces;

static void collect_places(void)
{
    places = calloc(regions_count(), sizeof *places);
    for (size_t i = 0; i < regions_count(); i++) {
        const region_t *r = region_at(i);
        if (r->level == 3 && strcmp(r->name, "市辖区") != 0)
            places[nplaces++] = r;
    }
}

static bool already_seeded(db_t *db)
{
    stmt_t *st = db_query(db, "SELECT value FROM settings WHERE key = 'demo_scale'", "");
    bool yes = st != NULL && stmt_step(st) == STORE_ROW;
    stmt_done(st);
    return yes;
}

int64_t seed_find_id(db_t *db, const char *sql, const char *code)
{
    stmt_t *st = db_query(db, sql, "t", code);
    int64_t id = st != NULL && stmt_step(st) == STORE_ROW ? stmt_int(st, 0) : 0;
    stmt_done(st);
    return id;
}

static bool seed_bodies(db_t *db, int64_t *ids, char codes[][4])
{
    static const char *const served[] = {"", "", "", "440000,450000,460000", "110000,120000,130000", "310000,320000,330000",
                                         "", "370000", "510000,500000", "420000,430000"};
    for (int i = 0; i < BODIES; i++) {
        /* founded (and issued below) have room for any int: -O0 + UBSan builds fail -Wformat-truncation */
        char code[USCC_LEN + 1], prefix[32], founded[40], approval[32], cnas[24];
        snprintf(codes[i], 4, "%03d", 840 + i);
        if (i == 0) {
            snprintf(code, sizeof code, "%s", demo_body_code);
        } else {
            snprintf(prefix, sizeof prefix, "91110000%08d", 71000000 + i * 37);
            uscc_complete(prefix, code);
        }
        snprintf(founded, sizeof founded, "%04d-%02d-%02d", 2004 + seed_pick(18), 1 + seed_pick(12), 1 + seed_pick(28));
        snprintf(approval, sizeof approval, "CNCA-R-%04d-%03d", 2014 + seed_pick(8), 100 + i * 7);
        snprintf(cnas, sizeof cnas, "CNAS C%03d-M", 150 + i * 3);
        body_t b = {.name = body_names[i], .credit_code = code, .code = codes[i], .approval_number = approval,
                    .cnas_number = cnas, .founded = founded, .address = "北京市海淀区知春路 1 号",
                    .contact_phone = "010-8888 6000", .website = "", .regions = served[i % 10]};
        /* only the demo account's body may exist already (an earlier seed made it) */
        int64_t id = i == 0 ? seed_find_id(db, "SELECT id FROM bodies WHERE credit_code = $1", code) : 0;
        if (id > 0) {      /* fill in what it lacks */
            if (db_run(db, "UPDATE bodies SET code = $1, approval_number = $2, cnas_number = $3, founded = $4, "
                           "address = $5, contact_phone = $6 WHERE id = $7",
                       "ttttttI", b.code, b.approval_number, b.cnas_number, b.founded, b.address, b.contact_phone, id) < 0)
                return false;
            audit_diff_t d;
            audit_diff_init(&d);
            const char *filled[][2] = {{"code", b.code}, {"approval_number", b.approval_number},
                                       {"cnas_number", b.cnas_number}, {"founded", b.founded},
                                       {"address", b.address}, {"contact_phone", b.contact_phone}};
            for (size_t k = 0; k < sizeof filled / sizeof filled[0]; k++)
                audit_diff_str(&d, filled[k][0], NULL, filled[k][1]);
            bool ok = audit_record_id(db, &AUDIT_ACTOR_SEED, "body.update", "body", id, "", "", audit_diff_after(&d));
            audit_diff_free(&d);
            if (!ok)
                return false;
        } else if ((id = body_insert(db, &b, &AUDIT_ACTOR_SEED)) <= 0) {
            return false;
        }
        ids[i] = id;
    }
    return true;
}

typedef struct seeded_enterprise {
    int64_t id;
    char size_letter;
} seeded_enterprise_t;

static bool seed_enterprises(db_t *db, long n, seeded_enterprise_t *out, FILE *log)
{
    for (long i = 0; i < n; i++) {
        char code[USCC_LEN + 1], prefix[32], name[160];
        int s = seed_pick(10);
        const region_t *place = places[seed_pick((int)nplaces)];
        bool pending = i > 0 && i <= PENDING;
        if (pending)                       /* pending reviews for the Guangdong regulator */
            place = region_find(i % 2 ? "440305" : "440106");
        if (i == 0)
            place = region_find("440304");
        const region_t *city = region_find(place->parent);
        const char *city_name = city && strcmp(city->name, "市辖区") != 0 ? city->name : place->name;
        enterprise_t e = {.size = sizes[s], .industry = divisions[seed_pick(24)], .status = pending ? "pending" : "approved",
                          .address = "", .contact_name = "知识产权部", .contact_phone = "0755-2600 0000",
                          .contact_email = ""};
        if (i == 0) {
            snprintf(code, sizeof code, "%s", demo_enterprise_code);
            snprintf(name, sizeof name, "%s", demo_enterprise_name);
            e.region = "440300";
            e.industry = "39";
            e.size = "medium";
            s = 1;
        } else {
            snprintf(prefix, sizeof prefix, "91%s%08ld", place->code, 30000000 + i * 13);
            uscc_complete(prefix, code);
            snprintf(name, sizeof name, "%.*s%s%s有限公司", (int)(strlen(city_name) >= 6 ? strlen(city_name) - 3 : strlen(city_name)),
                     city_name, brands[seed_pick(30)], trades[seed_pick(15)]);
            e.region = place->code;
        }
        e.name = name;
        e.credit_code = code;
        char address[200];
        snprintf(address, sizeof address, "%s%s科技园 %d 号", city_name, place->name, 1 + seed_pick(300));
        e.address = address;
        /* likewise the demo account's enterprise; the generated ones are new in a fresh seed */
        int64_t id = i == 0 ? seed_find_id(db, "SELECT id FROM enterprises WHERE credit_code = $1", code) : 0;
        if (id > 0) {
            if (db_run(db, "UPDATE enterprises SET industry = $1, size = $2, address = $3, contact_name = $4, "
                           "contact_phone = $5 WHERE id = $6",
                       "tttttI", e.industry, e.size, e.address, e.contact_name, e.contact_phone, id) < 0)
                return false;
            audit_diff_t d;
            audit_diff_init(&d);
            const char *filled[][2] = {{"industry", e.industry}, {"size", e.size}, {"address", e.address},
                                       {"contact_name", e.contact_name}, {"contact_phone", e.contact_phone}};
            for (size_t k = 0; k < sizeof filled / sizeof filled[0]; k++)
                audit_diff_str(&d, filled[k][0], NULL, filled[k][1]);
            bool ok = audit_record_id(db, &AUDIT_ACTOR_SEED, "enterprise.update", "enterprise", id, e.region, "",
                                      audit_diff_after(&d));
            audit_diff_free(&d);
            if (!ok)
                return false;
        } else if ((id = enterprise_insert(db, &e, &AUDIT_ACTOR_SEED)) <= 0) {
            return false;
        }
        out[i].id = pending ? 0 : id;      /* pending enterprises hold no certificates */
        out[i].size_letter = size_letter[s];
        seed_progress(log, "enterprises", i + 1, n);
    }
    return true;
}

/* Records, on certificate id (issued = decided on `issued`), each surveillance whose due date
 * is not after today, as maintained `early` days before it, at its time. */
static bool seed_surveillances(db_t *db, int64_t id, const char *issued, const char *expires, const char *today,
                               int early)
{
    char from[DATE_LEN + 1], due[DATE_LEN + 1], audit[DATE_LEN + 1], next[DATE_LEN + 1];
    snprintf(from, sizeof from, "%.10s", issued);
    for (int done = 0; done < CERT_SURVEILLANCES; done++) {
        if (!cert_surveillance_due(from, expires, done, due) || *due == '\0' || strcmp(due, today) > 0)
            return true;
        int64_t t = date_to_unix(due) - (int64_t)early * 86400;
        date_from_unix(t, audit);
        cert_surveillance_due(audit, expires, done + 1, next);
        surveillance_t s = {.certificate_id = id, .seq = done + 1, .audit_date = audit, .outcome = "maintained",
                            .reason = "", .next_due = next, .at = t + 10 * 3600};
        if (certificate_surveillance_record(db, &s, &AUDIT_ACTOR_SEED) != 1)
            return false;
        memcpy(from, audit, sizeof from);
    }
    return true;
}

/* One renewed chain: the first open certificate (after the demo enterprise's) within its last
 * year is renewed by its body on `today`, into cycle 1 (R count + 1). */
static bool seed_renewal(db_t *db)
{
    char today[DATE_LEN + 1];
    date_today(today);
    arena_t a = {0};
    stmt_t *st = db_query(db, "SELECT c.number FROM certificates c WHERE c.status = 'valid' AND c.expires >= $1 "
                              "AND c.id > 3 ORDER BY c.expires, c.id LIMIT 20", "t", today);
    int n = 0;
    const char *numbers[20];
    while (st != NULL && n < 20 && stmt_step(st) == STORE_ROW)
        numbers[n++] = arena_strdup(&a, stmt_text(st, 0));
    stmt_done(st);
    bool done = false;
    for (int i = 0; i < n && !done; i++) {
        certificate_t old;
        char number[CERT_NUMBER_MAX + 1], expires[DATE_LEN + 1], due[DATE_LEN + 1];
        if (certificate_by_number(db, &a, numbers[i], &old) != 1 || !cert_number_renewal(old.number, number) ||
            !cert_renewal_allowed(CERT_VALID, old.expires, today))
            continue;
        date_add_years_minus_day(today, 3, expires);
        cert_surveillance_due(today, expires, 0, due);
        certificate_t next = old;
        next.number = number;
        next.issued = next.decision_date = next.status_changed = today;
        next.expires = expires;
        next.status = "valid";
        next.cycle = old.cycle + 1;
        next.previous_id = old.id;
        next.surveillance_due = due;
        done = certificate_renew(db, &old, &next, &AUDIT_ACTOR_SEED) > 0;
    }
    arena_free(&a);
    return done || n == 0;
}

static bool seed_certificates(db_t *db, long n, const seeded_enterprise_t *ents, long nents, const int64_t *bodies,
                              char codes[][4], FILE *log)
{
    static const char *const reasons_suspend[] = {"监督审核发现严重不符合项，暂停证书", "未按期接受监督审核",
                                                  "企业申请暂停"};
    static const char *const reasons_withdraw[] = {"暂停期满未完成整改，撤销证书", "企业注销", "提供虚假材料"};
    static const char *const area_sets[] = {"acquisition,maintenance,exploitation,protection,contracts,confidentiality",
                                            "acquisition,maintenance,protection", "acquisition,maintenance,exploitation,protection"};
    static const char *const stage_sets[] = {"research,procurement,production,sales", "research,production,sales",
                                             "research,sales"};
    char today[DATE_LEN + 1];
    date_today(today);
    int64_t now = now_seconds();
    for (long i = 0; i < n; i++) {
        long k = i < 3 ? 0 : 1 + seed_pick((int)(nents - 1));     /* the demo enterprise holds the first three */
        while (ents[k].id == 0)
            k = (k + 1) % nents;
        int b = i < 3 ? 0 : seed_pick(BODIES);
        int year = 2014 + seed_pick(13);
        char issued[40], expires[DATE_LEN + 1], number[128];
        snprintf(issued, sizeof issued, "%04d-%02d-%02d", year, 1 + seed_pick(12), 1 + seed_pick(28));
        if (strcmp(issued, today) > 0)
            snprintf(issued, sizeof issued, "%.4s-01-15", today);
        date_add_years_minus_day(issued, 3, expires);
        snprintf(number, sizeof number, "%.3s%02dIP%07dR%d%c", codes[b], year % 100, (int)(1000000 + i % 8000000),
                 seed_pick(3), ents[k].size_letter);
        int roll = seed_pick(100);
        const char *status = "valid";
        if (i == 1 || (i > 3 && roll < 6))
            status = "suspended";
        else if (i == 2 || (i > 3 && roll < 11))
            status = "withdrawn";
        else if (i > 3 && roll < 14 && strcmp(expires, today) < 0)
            status = "expired";
        certificate_t c = {.number = number, .enterprise_id = ents[k].id, .body_id = bodies[b],
                           .standard = year >= 2024 ? "GB/T 29490-2023" : "GB/T 29490-2013",
                           .scope = "知识产权管理体系覆盖企业研发、采购、生产、销售及售后全过程",
                           .scope_areas = area_sets[seed_pick(3)], .scope_stages = stage_sets[seed_pick(3)], .issued = issued,
                           .expires = expires, .status = "valid", .status_changed = issued};
        if (i == 0) {          /* a current certificate for the demo enterprise */
            snprintf(issued, sizeof issued, "%.4s-03-01", today);
            date_add_years_minus_day(issued, 3, expires);
            snprintf(number, sizeof number, "84025IP%06ldR0M", 21017L);
            c.standard = "GB/T 29490-2023";
        }
        char due[DATE_LEN + 1];
        cert_surveillance_due(issued, expires, 0, due);      /* decided on the issue date */
        c.surveillance_due = due;
        int64_t id = certificate_insert(db, &c, &AUDIT_ACTOR_SEED, "初次认证，颁发证书");
        if (id <= 0)
            return false;
        if (strcmp(status, "valid") != 0) {
            const char *reason = strcmp(status, "suspended") == 0 ? reasons_suspend[seed_pick(3)]
                                 : strcmp(status, "withdrawn") == 0 ? reasons_withdraw[seed_pick(3)]
                                                                     : "证书到期";
            /* the change happened some time after issue, before today */
            int64_t from = date_to_unix(issued), span = now - from;
            int64_t at = span > 86400 ? from + 86400 + (int64_t)(seed_next() % (uint64_t)(span - 86400 + 1)) : now;
            if (strcmp(status, "expired") == 0)
                at = date_to_unix(expires) + 86400;
            else if (at > date_to_unix(expires))
                at = date_to_unix(expires);      /* suspended or withdrawn while it was still in force */
            if (at > now)
                at = now;
            if (certificate_set_status(db, id, "valid", status, reason, &AUDIT_ACTOR_SEED, at) != 1)
                return false;
        }
        /* the surveillances that fell due, maintained, a few days before each due date; one in
         * 23 open certificates is left overdue (no random draw: the rest of the demo is as before) */
        if (strcmp(status, "valid") == 0 && strcmp(expires, today) >= 0 && i % 23 != 7 &&
            !seed_surveillances(db, id, issued, expires, today, 5 + (int)(i % 40)))
            return false;
        seed_progress(log, "certificates", i + 1, n);
    }
    return true;
}

static bool seed_accounts(db_t *db, int64_t enterprise_id, int64_t body_id)
{
    for (size_t i = 0; i < sizeof accounts / sizeof accounts[0]; i++) {
        const demo_account_t *a = &accounts[i];
        if (seed_find_id(db, "SELECT id FROM users WHERE login = $1", a->login) > 0)
            continue;
        /* the demo password obeys the rule every account does */
        if (!password_acceptable(a->login, DEMO_PASSWORD)) {
            fprintf(stderr, "seed: the demo password does not meet the password rule for %s\n", a->login);
            return false;
        }
        char hash[PASSWORD_HASH_MAX];
        if (!password_hash(DEMO_PASSWORD, hash))
            return false;
        role_t role = role_parse(a->role);
        new_user_t nu = {.login = a->login, .name = a->name, .password_hash = hash, .role = role,
                         .region = a->region, .enterprise_id = role == ROLE_ENTERPRISE ? enterprise_id : 0,
                         .body_id = role == ROLE_BODY ? body_id : 0};
        if (user_insert(db, &nu, &AUDIT_ACTOR_SEED) <= 0)
            return false;
    }
    return true;
}

/* The demo body's API token, once (its hash is its key). */
static bool seed_api_token(db_t *db, int64_t body_id)
{
    char hash[TOKEN_HASH_CHARS + 1], prefix[API_TOKEN_PREFIX_CHARS + 1];
    token_hash(DEMO_API_TOKEN, strlen(DEMO_API_TOKEN), hash);
    if (seed_find_id(db, "SELECT id FROM api_tokens WHERE token_hash = $1", hash) > 0)
        return true;
    memcpy(prefix, DEMO_API_TOKEN, API_TOKEN_PREFIX_CHARS);   /* as api/tokens.c cuts it */
    prefix[API_TOKEN_PREFIX_CHARS] = '\0';
    return api_token_insert(db, body_id, "演示：ERP 证书推送", prefix, hash, &AUDIT_ACTOR_SEED) > 0;
}

/* seed_internal.h: a one-page PDF specimen (Helvetica, ASCII: no font to embed) whose page is
 * the content stream `content`, built byte for byte the same on every run, with its
 * cross-reference table. */
void seed_specimen_pdf(buf_t *b, const char *content)
{
    static const char *const objects[] = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        NULL,   /* the content stream, below */
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    };
    size_t offsets[5];
    buf_puts(b, "%PDF-1.4\n");
    for (int i = 0; i < 5; i++) {
        offsets[i] = b->len;
        char head[32];
        snprintf(head, sizeof head, "%d 0 obj\n", i + 1);
        buf_puts(b, head);
        if (objects[i] != NULL) {
            buf_puts(b, objects[i]);
        } else {
            char len[48];
            snprintf(len, sizeof len, "<< /Length %zu >>\nstream\n", strlen(content));
            buf_puts(b, len);
            buf_puts(b, content);
            buf_puts(b, "\nendstream");
        }
        buf_puts(b, "\nendobj\n");
    }
    size_t xref = b->len;
    buf_puts(b, "xref\n0 6\n0000000000 65535 f \n");
    for (int i = 0; i < 5; i++) {
        char line[24];
        snprintf(line, sizeof line, "%010zu 00000 n \n", offsets[i]);
        buf_puts(b, line);
    }
    char tail[96];
    snprintf(tail, sizeof tail, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
    buf_puts(b, tail);
}

/* The demo enterprise's business licence, attached by the seed, unless it has one. */
static bool seed_files(db_t *db, int64_t enterprise_id)
{
    stmt_t *st = attachments_of(db, FILE_OWNER_ENTERPRISE, enterprise_id);
    if (st == NULL)
        return false;
    int rc = stmt_step(st);
    stmt_done(st);
    if (rc != STORE_DONE)
        return rc == STORE_ROW;       /* it has its documents already */
    char region[8] = "";
    st = db_query(db, "SELECT region FROM enterprises WHERE id = $1", "I", enterprise_id);
    if (st == NULL || stmt_step(st) != STORE_ROW) {
        stmt_done(st);
        return false;
    }
    snprintf(region, sizeof region, "%s", stmt_text(st, 0));
    stmt_done(st);
    buf_t pdf;
    buf_init(&pdf, 1u << 20);
    seed_specimen_pdf(&pdf, "BT /F1 20 Tf 72 760 Td (Business licence - SPECIMEN) Tj "
                            "/F1 12 Tf 0 -32 Td (Shenzhen Demo Technology Co., Ltd.) Tj "
                            "0 -18 Td (Unified social credit code 914403001922038216) Tj "
                            "0 -18 Td (Guanbiao demo data: not a real document.) Tj ET");
    bool ok = !pdf.failed && file_attach(db, &AUDIT_ACTOR_SEED, FILE_OWNER_ENTERPRISE, enterprise_id, region,
                                         "营业执照（示例）.pdf", "application/pdf", pdf.data, pdf.len) > 0;
    buf_free(&pdf);
    return ok;
}

/* The demo accounts' first notifications, as the platform would have sent them: the demo
 * enterprise's approval (read); a status change of each of its certificates that is not valid
 * and of the first two the demo body suspended (to the holders' and the body's accounts; the
 * body's first one read); three pending registrations in Guangdong (to the regulators and the
 * admins; the first one read). */
static bool seed_notifications(db_t *db, int64_t enterprise_id, int64_t body_id)
{
    if (notice_enterprise_review(db, enterprise_id, true, "") < 0 ||
        db_run(db, "UPDATE notifications SET read_at = created_at WHERE type = 'enterprise_review'", "") < 0)
        return false;
    stmt_t *st = db_query(db,
        "SELECT id, status FROM certificates WHERE status <> 'valid' AND enterprise_id = $1 "
        "UNION SELECT id, status FROM (SELECT id, status FROM certificates WHERE status = 'suspended' AND body_id = $2 "
        "ORDER BY id LIMIT 2) s ORDER BY 1", "II", enterprise_id, body_id);
    int64_t ids[8];
    char statuses[8][16];
    int n = 0, rc = STORE_ERROR;
    while (st != NULL && (rc = stmt_step(st)) == STORE_ROW)
        if (n < 8) {
            ids[n] = stmt_int(st, 0);
            snprintf(statuses[n++], sizeof statuses[0], "%s", stmt_text(st, 1));
        }
    stmt_done(st);
    if (rc != STORE_DONE)
        return false;
    for (int i = 0; i < n; i++)
        if (notice_certificate_status(db, ids[i], statuses[i]) < 0)
            return false;
    /* the first three pending registrations in Guangdong, to its and the national regulators
     * and the admins (the oldest read) */
    st = db_query(db, "SELECT id, name, region FROM enterprises WHERE status = 'pending' AND region LIKE '44%' "
                      "ORDER BY id LIMIT 3", "");
    struct {
        int64_t id;
        char name[200], region[8];
    } pending[3];
    n = 0;
    while (st != NULL && (rc = stmt_step(st)) == STORE_ROW && n < 3) {
        pending[n].id = stmt_int(st, 0);
        snprintf(pending[n].name, sizeof pending[n].name, "%s", stmt_text(st, 1));
        snprintf(pending[n++].region, sizeof pending[0].region, "%s", stmt_text(st, 2));
    }
    stmt_done(st);
    if (rc == STORE_ERROR)
        return false;
    for (int i = 0; i < n; i++)
        if (notice_registration_pending(db, pending[i].id, pending[i].name, pending[i].region) < 0)
            return false;
    if (n > 0 && db_run(db, "UPDATE notifications SET read_at = created_at WHERE type = 'registration_pending' AND entity_id = $1",
                        "I", pending[0].id) < 0)
        return false;
    return db_run(db,
               "UPDATE notifications SET read_at = created_at WHERE id = (SELECT MIN(n.id) FROM notifications n "
               "JOIN users u ON u.id = n.user_id WHERE u.login = 'body')", "") >= 0;
}

/* A few background jobs for the admin page (docs/jobs.md): two done, and one dead with its
 * error (a daily expiry run given a date that does not exist), which an admin may retry. */
static bool seed_jobs(db_t *db)
{
    int64_t t = now_seconds();
    static const struct {
        const char *kind, *payload, *state, *error;
        int attempts, ago;
    } jobs[] = {
        {"purge", "{}", "done", "", 1, 7200},
        {"certificate_expiry", "{\"date\":\"2026-02-30\"}", "dead", "payload: date must be a date YYYY-MM-DD", 5, 5400},
        {"purge", "{}", "done", "", 1, 3600},
    };
    for (size_t i = 0; i < sizeof jobs / sizeof jobs[0]; i++)
        if (db_run(db,
                "INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_at, locked_by, last_error, "
                "created_at, finished_at) VALUES ($1, $2, $3, $4, 5, $5, 'demo', $6, $5, $7)",
                "tttiItI", jobs[i].kind, jobs[i].payload, jobs[i].state, jobs[i].attempts, t - jobs[i].ago,
                jobs[i].error, t - jobs[i].ago + 60) < 0)
            return false;
    return true;
}

/* A body's own standing (docs/registry.md): the last demo body's approval is suspended, after
 * its certificates were issued, so that verifying one of them shows the warning. */
static bool seed_standing(db_t *db, const int64_t *body_ids)
{
    body_standing_change_t ch = {.which = "approval", .status = "suspended", .from = "2026-10-15",
                                 .until = "2027-01-15", .reason = "监督检查发现不符合项，暂停批准三个月"};
    return body_standing_set(db, body_ids[BODIES - 1], &ch, &AUDIT_ACTOR_SEED) == 1;
}

/* seed_effectiveness with its time on out (docs/effectiveness.md quotes the seed's extra time). */
static bool seed_effectiveness_timed(db_t *db, int64_t enterprise_id, FILE *out)
{
    int64_t started = monotonic_micros();
    bool ok = seed_effectiveness(db, enterprise_id, out);
    if (ok)
        fprintf(out, "Indicator values seeded (%.2f s).\n", (double)(monotonic_micros() - started) / 1e6);
    return ok;
}

int seed_demo(db_t *db, int scale, FILE *out)
{
    long nents = (long)ENTERPRISES_PER_SCALE * scale, ncerts = (long)CERTIFICATES_PER_SCALE * scale;
    int64_t body_ids[BODIES];
    char codes[BODIES][4];
    seeded_enterprise_t *ents = calloc((size_t)nents, sizeof *ents);
    collect_places();
    int64_t started = monotonic_micros();
    bool fresh = !already_seeded(db);
    /* the compliance records are made against the clause catalogues (loaded at start by main.c;
     * a database opened otherwise, as the unit tests do, gets them here) */
    if (clause_catalogues_ensure(db) < 0 || indicators_ensure(db) < 0)
        goto failed;
    if (db_begin(db) != STORE_DONE)
        goto failed;
    if (fresh) {
        fprintf(out, "Seeding demo data at scale %d: %ld enterprises, %d bodies, %ld certificates\n", scale, nents,
                BODIES, ncerts);
        char scale_text[16];
        snprintf(scale_text, sizeof scale_text, "%d", scale);
        if (!seed_bodies(db, body_ids, codes) || !seed_enterprises(db, nents, ents, out) ||
            !seed_certificates(db, ncerts, ents, nents, body_ids, codes, out) || !seed_renewal(db) ||
            !seed_standing(db, body_ids) ||
            !seed_jobs(db) ||
            db_run(db, "INSERT INTO settings (key, value) VALUES ('demo_scale', $1)", "t", scale_text) < 0)
            goto failed;
    } else {
        fprintf(out, "Demo data already present; keeping it.\n");
    }
    int64_t enterprise_id = seed_find_id(db, "SELECT id FROM enterprises WHERE credit_code = $1", demo_enterprise_code);
    int64_t body_id = seed_find_id(db, "SELECT id FROM bodies WHERE credit_code = $1", demo_body_code);
    seed_market_context_t market = {.body_ids = body_ids, .nbodies = BODIES, .demo_enterprise_id = enterprise_id,
                                     .scale = scale};
    if (enterprise_id <= 0 || body_id <= 0 || !seed_accounts(db, enterprise_id, body_id) ||
        (fresh && !seed_market(db, &market, out)) ||
        (fresh && !seed_audits(db, enterprise_id, body_id)) ||
        (fresh && !seed_nonconformities(db, enterprise_id, body_id)) ||
        !seed_files(db, enterprise_id) || !seed_api_token(db, body_id) ||
        /* compliance records (seed_compliance.c): after seed_files, whose licence is attached only
         * to an enterprise without files */
        (fresh && !seed_compliance_assessment(db, enterprise_id, body_id, out)) ||
        (fresh && !seed_notifications(db, enterprise_id, body_id)) ||
        /* indicator values (seed_effectiveness.c), after the compliance records */
        (fresh && !seed_effectiveness_timed(db, enterprise_id, out)) ||
        /* learning content (seed_learning.c; issue 11) */
        (fresh && !seed_learning(db, out)) ||
        /* question banks and progress (seed_quiz.c): after the learning content's courses */
        (fresh && !seed_quiz(db, enterprise_id)) ||
        /* the exchange forum (seed_forum.c, issue 11) */
        (fresh && !seed_forum(db)) ||
        /* issue 11, activities (seed_activities.c), after the accounts */
        (fresh && !seed_activities(db, out)) ||
        /* issue 12, registry and review (seed_policies.c), after the accounts */
        (fresh && !seed_policies(db, scale, out)) ||
        /* statistics slice "learning" (seed_statistics_learning.c): learners over the year, after seed_quiz */
        (fresh && !seed_statistics_learning(db, scale, out)) ||
        /* search (issue 11): the index over every searchable text seeded so far, the market's
         * commitments (seeded by SQL) put in first; keep it the last seed step */
        (fresh && search_reindex(db) < 0) ||
        db_run(db, "INSERT INTO settings (key, value) VALUES ('demo', '1') ON CONFLICT (key) DO NOTHING", "") < 0 ||
        db_commit(db) != STORE_DONE)
        goto failed;
    if (fresh) {
        /* the effectiveness results of the values above, and the ranking with those outcomes */
        int64_t effectiveness_started = monotonic_micros();
        char err[512];
        /* the jobs the seed's writes queued (certificates issued, the outcomes changed) would
         * compute the same again at the server's start: computed here, they are dropped */
        if (!effectiveness_refresh_run(db, now_seconds(), err, sizeof err) ||
            !ranking_refresh_run(db, now_seconds(), err, sizeof err) ||
            (db_run(db, "DELETE FROM jobs WHERE kind IN ($1, $2) AND state = 'queued'", "tt", EFFECTIVENESS_JOB_KIND,
                    RANKING_JOB_KIND) < 0 && snprintf(err, sizeof err, "%s", db_error(db)) >= 0)) {
            fprintf(stderr, "seed failed: %s\n", err);
            free(ents);
            free(places);
            return 1;
        }
        fprintf(out, "Effectiveness results computed (%.2f s).\n",
                (double)(monotonic_micros() - effectiveness_started) / 1e6);
    }
    free(ents);
    free(places);
    fprintf(out, "Demo data ready (%.1f s). Demo accounts, each with password %s:\n",
            (double)(monotonic_micros() - started) / 1e6, DEMO_PASSWORD);
    for (size_t i = 0; i < sizeof accounts / sizeof accounts[0]; i++)
        fprintf(out, "  %-13s %-10s %s\n", accounts[i].login, accounts[i].role, accounts[i].name);
    fprintf(out, "The demo body's API token (Authorization: Bearer …): %s\n", DEMO_API_TOKEN);
    return 0;
failed:
    fprintf(stderr, "seed failed: %s\n", db_error(db));
    db_rollback(db);
    free(ents);
    free(places);
    return 1;
}
