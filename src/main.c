/* The command line: serve, migrate, seed, import, export, backup, user, --version. Every command takes --db (or
 * GUANBIAO_DB): sqlite:PATH (default sqlite:guanbiao.db) or a postgres:// URL. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "api/policy_checks.h"
#include "api/schemas.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/dates.h"
#include "core/document_text.h"
#include "core/messages.h"
#include "core/xlsx.h"
#include "domain/account.h"
#include "domain/clauses.h"
#include "domain/scope.h"
#include "http/cache.h"
#include "http/server.h"
#include "report/certificates_csv.h"
#include "report/indicators_export.h"
#include "report/indicators_import.h"
#include "report/email.h"
#include "report/notices.h"
#include "seed.h"
#include "store/audit.h"
#include "store/changes.h"
#include "store/clauses.h"
#include "store/indicators.h"
#include "store/migrate.h"
#include "store/policy_rules.h"
#include "store/search.h"
#include "store/users.h"

typedef struct options {
    const char *db, *listen, *web, *access_log, *trusted_proxy, *metrics_from;
    const char *smtp, *smtp_from, *public_url, *date;   /* email notifications; reminders' day */
    int threads, workers, scale;
    int cache_mb;            /* the answer cache's bound in MiB (0: off) */
    int jobs_tick_ms, jobs_backoff, jobs_concurrency, jobs_lease;   /* 0: the runner's defaults */
    bool demo;
    bool dry_run;            /* import indicators --dry-run */
    bool text_only;          /* policy-check --text: print the extracted text */
    const char *role, *name, *region, *file;
    const char *edition, *format;   /* import/export clauses */
    long long enterprise_id, body_id;
} options_t;

static void usage(FILE *f)
{
    fputs("usage: guanbiao COMMAND [options]\n"
          "\n"
          "commands:\n"
          "  serve                    start the platform (HTTP)\n"
          "  migrate                  apply pending schema migrations\n"
          "  seed --demo [--scale N]  load demo data and the demo accounts\n"
          "  import certificates FILE import certificates from CSV; prints a JSON report\n"
          "  export certificates      print every certificate as CSV\n"
          "  export indicators        print every indicator value as CSV (credit_code,year,indicator,value)\n"
          "  export enterprises       print every enterprise as CSV (credit_code,name,industry,size,region,status)\n"
          "  import indicators FILE [--dry-run]  import yearly indicator values (CSV in UTF-8 or\n"
          "                           GBK, or XLSX; long or wide layout); prints a JSON report\n"
          "  import clauses FILE [--edition E]  import a clause catalogue (.json, or .csv with\n"
          "                           --edition 2013|2023) as the edition's next version\n"
          "  export clauses --edition E [--format json|csv]  print the current clause catalogue\n"
          "  backup FILE              copy the SQLite database (with its files) to FILE, also while\n"
          "                           the server runs; on PostgreSQL use pg_dump\n"
          "  user add LOGIN --role ROLE --name NAME [--region CODE] [--enterprise ID] [--body ID]\n"
          "                           create an account; the password is read from standard input\n"
          "                           (at least 10 characters, not all blank, not the login)\n"
          "  user passwd LOGIN        set an account's password, read from standard input\n"
          "  reminders [--date DAY]   send the certificate expiry reminders due on DAY (default today)\n"
          "                           now, as the daily certificate_reminders job does (with --smtp:\n"
          "                           their emails are queued for the servers' job runners)\n"
          "  audit verify             check the audit log's hash chain: exit 0 with the count, or\n"
          "                           exit 1 naming the first broken entry (docs/audit.md)\n"
          "  audit verify --file FILE check an exported audit log, without a database\n"
          "  audit export FILE        write the audit log as JSON lines (\"-\": standard output)\n"
          "  effectiveness refresh    compute every certified enterprise's effectiveness index now\n"
          "  search reindex           rebuild the search index from the searchable texts\n"
          "                           (method v1), as the effectiveness_refresh job does; prints\n"
          "                           {\"evaluated\":N,\"duration_ms\":N}\n"
          "  policy-check FILE [--text]  check a local policy document (text, HTML, DOCX or PDF;\n"
          "                           \"-\": standard input) with the current fair-policy rules;\n"
          "                           prints the JSON of POST /api/policy-checks (--text: the\n"
          "                           extracted text instead)\n"
          "  --version                print the version\n"
          "\n"
          "options:\n"
          "  --db URL        sqlite:PATH (default sqlite:guanbiao.db) or postgres://…  [GUANBIAO_DB]\n"
          "  --listen ADDR   HOST:PORT to listen on (default 127.0.0.1:8080)         [GUANBIAO_LISTEN]\n"
          "  --threads N     event loops (default: the number of cores)\n"
          "  --workers N     worker threads for slow work (default: 4 per loop)\n"
          "  --cache-mb N    memory for cached public answers (default 32; 0 turns the cache off;\n"
          "                  docs/cache.md)\n"
          "  --web DIR       serve a built web application from DIR (development); by\n"
          "                  default the one built into this binary               [GUANBIAO_WEB]\n"
          "  --access-log X  stderr (default), off, or a file to append to\n"
          "  --trusted-proxy ADDR[,ADDR…]  reverse proxies (addresses or CIDRs) whose\n"
          "                  X-Forwarded-For and X-Forwarded-Proto are believed\n"
          "  --metrics-from ADDR[,ADDR…]   who may read /metrics besides loopback\n"
          "  --public-url URL  the platform's address as the public sees it, for the links and\n"
          "                  QR codes in documents and emails (default http:// + --listen)    [GUANBIAO_PUBLIC_URL]\n"
          "  --jobs-tick MS          how often background jobs are looked for (default 1000)\n"
          "  --jobs-backoff SECONDS  a failed job's first retry delay, doubled each time (default 30)\n"
          "  --jobs-concurrency N    background jobs running at once (default: a quarter of the workers)\n"
          "  --jobs-lease SECONDS    a job running this long on a silent node runs again (default 600)\n"
          "  --smtp URL              email notifications through this SMTP server, e.g.\n"
          "                          smtp://127.0.0.1:25 (default: no email)          [GUANBIAO_SMTP]\n"
          "  --smtp-from ADDRESS     the sender of those emails (default guanbiao@localhost)\n",
          f);
}

static const char *env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

static long parse_number(const char *s, const char *what, long min, long max)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || *s == '\0' || *end != '\0' || v < min || v > max) {
        fprintf(stderr, "guanbiao: %s must be a number from %ld to %ld\n", what, min, max);
        exit(2);
    }
    return v;
}

/* Opens the store, connects and migrates. NULL after printing why. */
static db_t *open_database(const options_t *o, store_t **store)
{
    char err[512];
    *store = store_open(o->db, err, sizeof err);
    if (*store == NULL) {
        fprintf(stderr, "guanbiao: %s\n", err);
        return NULL;
    }
    db_t *db = db_connect(*store, err, sizeof err);
    if (db == NULL) {
        fprintf(stderr, "guanbiao: %s\n", err);
        store_close(*store);
        return NULL;
    }
    int applied = migrate_apply(db, err, sizeof err);
    if (applied < 0) {
        fprintf(stderr, "guanbiao: %s\n", err);
        db_close(db);
        store_close(*store);
        return NULL;
    }
    if (applied > 0)
        log_info("applied %d migration(s); schema version %d", applied, migrate_current(db));
    /* the platform's first clause catalogue of each edition (data/clauses-*.json), once */
    int loaded = clause_catalogues_ensure(db);
    if (loaded < 0) {
        fprintf(stderr, "guanbiao: cannot load the clause catalogues: %s\n", db_error(db));
        db_close(db);
        store_close(*store);
        return NULL;
    }
    if (loaded > 0)
        log_info("loaded %d clause catalogue(s)", loaded);
    /* the platform's indicator catalogue (data/indicators.json), once */
    loaded = indicators_ensure(db);
    if (loaded < 0) {
        fprintf(stderr, "guanbiao: cannot load the indicator catalogue: %s\n", db_error(db));
        db_close(db);
        store_close(*store);
        return NULL;
    }
    if (loaded > 0)
        log_info("loaded %d indicator(s)", loaded);
    /* issue 12: the fair-policy checker's first rule set (data/policy-rules.json), once; the
     * first check would load it too, but then inside whatever transaction it runs in */
    loaded = policy_rulesets_ensure(db);
    if (loaded < 0) {
        fprintf(stderr, "guanbiao: cannot load the fair-policy rules: %s\n", db_error(db));
        db_close(db);
        store_close(*store);
        return NULL;
    }
    if (loaded > 0)
        log_info("loaded the fair-policy rules");
    return db;
}

/* One line from standard input, without echo on a terminal. */
static bool read_password(const char *prompt, char *out, size_t n)
{
    bool tty = isatty(0);
    struct termios old, quiet;
    if (tty) {
        fprintf(stderr, "%s", prompt);
        tcgetattr(0, &old);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(0, TCSANOW, &quiet);
    }
    bool ok = fgets(out, (int)n, stdin) != NULL;
    if (tty) {
        tcsetattr(0, TCSANOW, &old);
        fputc('\n', stderr);
    }
    if (!ok)
        return false;
    out[strcspn(out, "\r\n")] = '\0';
    return true;
}

/* The purge of expired sessions and forgotten throttle rows (store_purge_expired) at start;
 * while the server runs, the `purge` job does it (src/api/jobs.c). */
static void purge(db_t *db)
{
    int64_t n = store_purge_expired(db, now_seconds());
    if (n < 0)
        log_error("purge of expired sessions and throttle rows failed: %s", db_error(db));
    else if (n > 0)
        log_info("purged %lld expired session and throttle rows", (long long)n);
}

/* api_config.public_url from --public-url (http(s)://…, a trailing "/" dropped), else
 * http:// + the listen address. False after saying why. */
static bool set_public_url(const options_t *o)
{
    static char url[512];
    const char *given = o->public_url && *o->public_url ? o->public_url : NULL;
    if (given != NULL && strncmp(given, "http://", 7) != 0 && strncmp(given, "https://", 8) != 0) {
        fprintf(stderr, "guanbiao: --public-url must start with http:// or https://\n");
        return false;
    }
    int n = snprintf(url, sizeof url, "%s%s", given ? "" : "http://", given ? given : o->listen);
    if (n < 0 || (size_t)n >= sizeof url) {
        fprintf(stderr, "guanbiao: --public-url is too long\n");
        return false;
    }
    while (n > 0 && url[n - 1] == '/')
        url[--n] = '\0';
    api_config.public_url = url;
    return true;
}

static int cmd_serve(options_t *o)
{
    const char *every = getenv("GUANBIAO_PURGE_SECONDS");
    int purge_interval = every && *every ? (int)parse_number(every, "GUANBIAO_PURGE_SECONDS", 1, 86400) : 0;
    static netlist_t trusted, metrics_from;
    char err[256];
    if (!api_schemas_check(api_routes, api_routes_count, err, sizeof err)) {
        fprintf(stderr, "guanbiao: API schemas: %s\n", err);
        return 1;
    }
    if (!netlist_parse(&trusted, o->trusted_proxy, err, sizeof err)) {
        fprintf(stderr, "guanbiao: --trusted-proxy: %s\n", err);
        return 2;
    }
    if (!netlist_parse(&metrics_from, o->metrics_from, err, sizeof err)) {
        fprintf(stderr, "guanbiao: --metrics-from: %s\n", err);
        return 2;
    }
    if (!set_public_url(o))
        return 2;
    store_t *store;
    db_t *db = open_database(o, &store);
    if (db == NULL)
        return 1;
    purge(db);
    db_close(db);
    email_configure(o->smtp, o->smtp_from, api_config.public_url);
    if (o->smtp && *o->smtp)
        log_info("email notifications through %s", o->smtp);
    if (strcmp(o->access_log, "off") == 0) {
        log_set_access_fd(-1);
    } else if (strcmp(o->access_log, "stderr") != 0) {
        FILE *f = fopen(o->access_log, "a");
        if (f == NULL) {
            fprintf(stderr, "guanbiao: cannot open access log %s: %s\n", o->access_log, strerror(errno));
            return 1;
        }
        log_set_access_fd(fileno(f));
    }
    /* the schedules, with GUANBIAO_PURGE_SECONDS as the purge's interval when set */
    int nschedules = api_job_schedules_count;
    job_schedule_t *schedules = calloc((size_t)nschedules, sizeof *schedules);
    if (schedules == NULL) {
        fputs("guanbiao: out of memory\n", stderr);
        store_close(store);
        return 1;
    }
    for (int i = 0; i < nschedules; i++) {
        schedules[i] = api_job_schedules[i];
        if (purge_interval > 0 && strcmp(schedules[i].name, "purge") == 0)
            schedules[i].interval = purge_interval;
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    server_options_t so = {
        .listen = o->listen,
        .threads = o->threads > 0 ? o->threads : (int)(cores > 0 ? cores : 1),
        .web_dir = o->web,      /* NULL: the web application embedded at build time */
        .store = store,
        .routes = api_routes,
        .nroutes = api_routes_count,
        .cache_bytes = (size_t)o->cache_mb << 20,
        .trusted_proxies = &trusted,
        .metrics_from = &metrics_from,
        .jobs = {.kinds = api_job_kinds, .nkinds = api_job_kinds_count, .schedules = schedules,
                 .nschedules = nschedules, .tick_ms = o->jobs_tick_ms, .backoff = o->jobs_backoff,
                 .concurrency = o->jobs_concurrency, .lease = o->jobs_lease},
    };
    so.workers = o->workers > 0 ? o->workers : 4 * so.threads;
    int rc = server_run(&so);
    free(schedules);
    store_close(store);
    return rc;
}

/* The expiry reminders due on --date (default today), at once (report/notices.h). */
static int cmd_reminders(options_t *o)
{
    char today[DATE_LEN + 1];
    date_today(today);
    const char *day = o->date ? o->date : today;
    if (!date_valid(day)) {
        fprintf(stderr, "guanbiao: --date must be YYYY-MM-DD\n");
        return 2;
    }
    store_t *store;
    db_t *db = open_database(o, &store);
    if (db == NULL)
        return 1;
    if (!set_public_url(o))
        return 2;
    email_configure(o->smtp, o->smtp_from, api_config.public_url);   /* with --smtp: their emails are queued too */
    int64_t n = certificate_reminders_send(db, day);
    if (n < 0)
        fprintf(stderr, "guanbiao: reminders failed: %s\n", db_error(db));
    else
        printf("%lld certificate(s) reminded of on %s\n", (long long)n, day);
    db_close(db);
    store_close(store);
    return n < 0 ? 1 : 0;
}

static int cmd_migrate(options_t *o)
{
    store_t *store;
    db_t *db = open_database(o, &store);
    if (db == NULL)
        return 1;
    printf("schema version %d (%s)\n", migrate_current(db), store_kind_name(store));
    db_close(db);
    store_close(store);
    return 0;
}

static int cmd_seed(options_t *o)
{
    if (!o->demo) {
        fputs("guanbiao: seed needs --demo (demo data and accounts are never created otherwise)\n", stderr);
        return 2;
    }
    store_t *store;
    db_t *db = open_database(o, &store);
    if (db == NULL)
        return 1;
    int rc = seed_demo(db, o->scale, stdout);
    db_close(db);
    store_close(store);
    return rc;
}

/* Messages of the command line follow GUANBIAO_LANG or LANG: English when it starts with "en". */
static lang_t cli_lang(void)
{
    const char *v = getenv("GUANBIAO_LANG");
    if (v == NULL || *v == '\0')
        v = getenv("LANG");
    return v != NULL && strncmp(v, "en", 2) == 0 ? LANG_EN : LANG_ZH;
}

/* ---- import | export clauses (docs/compliance.md "The standard as data") ---- */

static void print_problem(void *ctx, const char *field, const char *zh, const char *en)
{
    (void)ctx;
    fprintf(stderr, "%s: %s\n", field, cli_lang() == LANG_EN ? en : zh);
}

/* `import clauses FILE`: a .json document, or a CSV with --edition; checked as the API checks
 * it, every problem printed and nothing written on any (exit 1). */
static int import_clauses(options_t *o, const char *path, const buf_t *data)
{
    arena_t a = {0};
    size_t plen = strlen(path);
    bool csv = !(plen > 5 && strcasecmp(path + plen - 5, ".json") == 0);
    int *where = NULL, rc = 1;
    json_t *doc = NULL;
    if (csv) {
        clause_csv_status_t status;
        const char *detail;
        doc = clause_csv_document(&a, data->data ? data->data : "", data->len, &where, &status, &detail);
        if (doc == NULL)
            fprintf(stderr, "guanbiao: %s: %s %s\n", path,
                    status == CLAUSE_CSV_COLUMN_MISSING ? "the header row lacks the column"
                    : status == CLAUSE_CSV_MALFORMED  ? "malformed CSV at line"
                    : status == CLAUSE_CSV_TOO_MANY   ? "more than 2,000 clauses"
                                                      : "empty file",
                    detail);
        else
            json_object_set_new(doc, "edition", json_string(o->edition ? o->edition : ""));
    } else {
        json_error_t err;
        doc = json_loadb(data->data ? data->data : "", data->len, 0, &err);
        if (!json_is_object(doc) || !json_is_array(json_object_get(doc, "clauses"))) {
            fprintf(stderr, "guanbiao: %s: not a catalogue document (%s)\n", path, doc ? "no clauses" : err.text);
            json_decref(doc);
            doc = NULL;
        } else {
            size_t n = json_array_size(json_object_get(doc, "clauses"));
            where = arena_alloc(&a, (n + 1) * sizeof *where);
            for (size_t i = 0; i < n; i++)
                where[i] = (int)i;
            if (o->edition != NULL)
                json_object_set_new(doc, "edition", json_string(o->edition));
        }
    }
    if (doc != NULL && json_object_get(doc, "note") == NULL)
        json_object_set_new(doc, "note", json_string(arena_printf(&a, "guanbiao import clauses %s", path)));
    if (doc != NULL && clause_catalogue_check(&a, doc, csv, where, print_problem, NULL)) {
        store_t *store;
        db_t *db = open_database(o, &store);
        if (db != NULL) {
            audit_actor_t actor = audit_actor_cli();
            int64_t id = clause_catalogue_import(db, doc, &actor);
            int64_t version = 0;
            if (id > 0 && clause_catalogue_current(db, json_string_value(json_object_get(doc, "edition")), NULL,
                                                   &version) == 1) {
                printf("imported the %s clause catalogue as version %lld (%zu clauses)\n",
                       json_string_value(json_object_get(doc, "edition")), (long long)version,
                       json_array_size(json_object_get(doc, "clauses")));
                rc = 0;
            } else {
                fprintf(stderr, "guanbiao: import failed: %s\n", db_error(db));
            }
            db_close(db);
            store_close(store);
        }
    }
    json_decref(doc);
    arena_free(&a);
    return rc;
}

/* `export clauses --edition E [--format json|csv]`: the edition's current catalogue. */
static int export_clauses(options_t *o)
{
    const char *format = o->format ? o->format : "json";
    if (!clause_edition_known(o->edition) || (strcmp(format, "json") != 0 && strcmp(format, "csv") != 0)) {
        fputs("usage: guanbiao export clauses --edition 2013|2023 [--format json|csv] > FILE\n", stderr);
        return 2;
    }
    store_t *store;
    db_t *db = open_database(o, &store);
    if (db == NULL)
        return 1;
    int64_t id = 0;
    json_t *doc = NULL;
    int rc = clause_catalogue_current(db, o->edition, &id, NULL);
    if (rc == 1)
        rc = clause_catalogue_document(db, id, &doc);
    if (rc == 1) {
        buf_t out;
        buf_init(&out, 64u << 20);
        if (strcmp(format, "csv") == 0) {
            clause_catalogue_csv(doc, &out);
        } else {
            char *text = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
            buf_puts(&out, text ? text : "");
            buf_puts(&out, "\n");
            free(text);
        }
        fwrite(out.data ? out.data : "", 1, out.len, stdout);
        buf_free(&out);
        json_decref(doc);
    } else {
        fprintf(stderr, "guanbiao: cannot read the %s clause catalogue: %s\n", o->edition, rc == 0 ? "none" : db_error(db));
    }
    db_close(db);
    store_close(store);
    return rc == 1 ? 0 : 1;
}

/* The progress bar of `import indicators` on a terminal (stderr): redrawn at each whole percent. */
static void import_progress(void *ctx, int64_t done, int64_t total)
{
    int *last = ctx;
    int percent = total > 0 ? (int)(done * 100 / total) : 100;
    if (percent == *last)
        return;
    *last = percent;
    char bar[41];
    for (int i = 0; i < 40; i++)
        bar[i] = i < percent * 40 / 100 ? '#' : '.';
    bar[40] = '\0';
    fprintf(stderr, "\r[%s] %3d%% %lld/%lld values", bar, percent, (long long)done, (long long)total);
    if (done >= total)
        fputc('\n', stderr);
}

/* `import indicators FILE [--dry-run]` (docs/effectiveness.md "Imports"): the JSON summary
 * {"accepted","unchanged","rejected"} on stdout; exit 1 when the file cannot be read at all. */
static int import_indicators(options_t *o, const char *path, const buf_t *data)
{
    store_t *store;
    db_t *db = open_database(o, &store);
    if (db == NULL)
        return 1;
    audit_actor_t actor = audit_actor_cli();
    const char *slash = strrchr(path, '/');
    int rc = 1;
    int64_t import_id = indicator_import_create(db, &actor, slash ? slash + 1 : path, "", o->dry_run, false);
    if (import_id <= 0) {
        fprintf(stderr, "guanbiao: import failed: %s\n", db_error(db));
    } else {
        int last = -1;
        indicator_import_options_t io = {.lang = cli_lang(), .actor = &actor, .dry_run = o->dry_run,
                                         .import_id = import_id, .progress = isatty(2) ? import_progress : NULL,
                                         .progress_ctx = &last};
        indicator_import_report_t r;
        const char *problem;
        rc = indicators_import(db, data->data ? data->data : "", data->len, &io, &r, &problem);
        if (rc == 0) {
            json_t *summary = json_pack("{s:I, s:I, s:O}", "accepted", (json_int_t)r.accepted, "unchanged",
                                        (json_int_t)r.unchanged, "rejected", r.rejected);
            char *text = json_dumps(summary, JSON_COMPACT);
            printf("%s\n", text ? text : "{}");
            free(text);
            json_decref(summary);
            json_decref(r.rejected);
        } else if (rc == 1) {
            fprintf(stderr, "guanbiao: %s\n", message_text(message_find(problem), cli_lang()));
        } else {
            fprintf(stderr, "guanbiao: import failed: %s\n", db_error(db));
        }
        rc = rc == 0 ? 0 : 1;
    }
    db_close(db);
    store_close(store);
    return rc;
}

static int cmd_import(options_t *o, int argc, char **argv)
{
    bool clauses = argc == 2 && strcmp(argv[0], "clauses") == 0;
    bool indicators = argc == 2 && strcmp(argv[0], "indicators") == 0;
    if (argc != 2 || (strcmp(argv[0], "certificates") != 0 && !clauses && !indicators)) {
        fputs("usage: guanbiao import certificates FILE.csv\n"
              "       guanbiao import clauses FILE.json | FILE.csv --edition 2013|2023\n"
              "       guanbiao import indicators FILE.csv|FILE.xlsx [--dry-run]\n", stderr);
        return 2;
    }
    buf_t data;
    buf_init(&data, 512u << 20);
    if (!buf_read_file(&data, argv[1])) {
        fprintf(stderr, "guanbiao: cannot read %s: %s\n", argv[1],
                errno == EFBIG ? "larger than 512 MiB" : strerror(errno));
        buf_free(&data);
        return 1;
    }
    if (indicators) {
        int rc = import_indicators(o, argv[1], &data);
        buf_free(&data);
        return rc;
    }
    if (!utf8_valid(data.data ? data.data : "", data.len, NULL)) {
        fputs("guanbiao: the file is not UTF-8 (save it as CSV UTF-8)\n", stderr);
        buf_free(&data);
        return 1;
    }
    if (clauses) {
        int rc = import_clauses(o, argv[1], &data);
        buf_free(&data);
        return rc;
    }
    store_t *store;
    db_t *db = open_database(o, &store);
    int rc = 1;
    if (db != NULL) {
        audit_actor_t actor = audit_actor_cli();
        rc = certificates_import(db, data.data ? data.data : "", data.len, cli_lang(), &actor, stdout);
        db_close(db);
        store_close(store);
    }
    buf_free(&data);
    return rc;
}

/* A consistent copy of a running SQLite database (store.h: db_backup). Exit 2 on PostgreSQL,
 * whose own tool does this (docs/operations.md). */
static int cmd_backup(options_t *o, int argc, char **argv)
{
    if (argc != 1) {
        fputs("usage: guanbiao backup FILE\n", stderr);
        return 2;
    }
    char err[512];
    store_t *store = store_open(o->db, err, sizeof err);
    if (store == NULL) {
        fprintf(stderr, "guanbiao: %s\n", err);
        return 1;
    }
    if (store_kind(store) == STORE_POSTGRES) {
        fputs("guanbiao: backup copies a SQLite database; for PostgreSQL use pg_dump, e.g.\n"
              "  pg_dump --format=custom --file=guanbiao.dump \"$GUANBIAO_DB\"\n",
              stderr);
        store_close(store);
        return 2;
    }
    db_t *db = db_connect(store, err, sizeof err);
    int rc = 1;
    if (db == NULL) {
        fprintf(stderr, "guanbiao: %s\n", err);
    } else {
        rc = db_backup(db, argv[0], err, sizeof err);
        if (rc == 0)
            printf("backed up %s to %s\n", o->db, argv[0]);
        else
            fprintf(stderr, "guanbiao: %s\n", err);
        db_close(db);
    }
    store_close(store);
    return rc;
}

static int cmd_export(options_t *o, int argc, char **argv)
{
    if (argc == 1 && strcmp(argv[0], "clauses") == 0)
        return export_clauses(o);
    /* issue 10: export indicators | enterprises (report/indicators_export.h) */
    bool indicators = argc == 1 && strcmp(argv[0], "indicators") == 0;
    bool enterprises = argc == 1 && strcmp(argv[0], "enterprises") == 0;
    if (argc != 1 || (strcmp(argv[0], "certificates") != 0 && !indicators && !enterprises)) {
        fputs("usage: guanbiao export certificates > FILE.csv\n"
              "       guanbiao export clauses --edition 2013|2023 [--format json|csv] > FILE\n"
              "       guanbiao export indicators > FILE.csv\n"
              "       guanbiao export enterprises > FILE.csv\n", stderr);
        return 2;
    }
    store_t *store;
    db_t *db = open_database(o, &store);
    if (db == NULL)
        return 1;
    int rc = indicators ? indicators_export(db, stdout)
             : enterprises ? enterprises_export(db, stdout)
                           : certificates_export(db, stdout);
    db_close(db);
    store_close(store);
    return rc;
}

static int cmd_user(options_t *o, int argc, char **argv)
{
    if (argc < 2 || (strcmp(argv[0], "add") != 0 && strcmp(argv[0], "passwd") != 0)) {
        fputs("usage: guanbiao user add LOGIN --role ROLE --name NAME [--region CODE] [--enterprise ID] [--body ID]\n"
              "       guanbiao user passwd LOGIN\n", stderr);
        return 2;
    }
    bool add = strcmp(argv[0], "add") == 0;
    const char *login = argv[1];
    role_t role = ROLE_NONE;
    if (add) {
        role = o->role ? role_parse(o->role) : ROLE_NONE;
        if (!login_valid(login)) {
            fputs("guanbiao: a login is 3–32 of a–z, 0–9, '.', '_', '-'\n", stderr);
            return 2;
        }
        if (role == ROLE_NONE || role == ROLE_PUBLIC || o->name == NULL || *o->name == '\0') {
            fputs("guanbiao: user add needs --role (enterprise, body, regulator, admin) and --name\n", stderr);
            return 2;
        }
        if (role == ROLE_REGULATOR && (o->region == NULL || o->region[0] == '\0' || !region_code_valid(o->region))) {
            fputs("guanbiao: --region must be a GB/T 2260 code such as 440000 (000000 = national)\n", stderr);
            return 2;
        }
        if ((role == ROLE_ENTERPRISE && o->enterprise_id <= 0) || (role == ROLE_BODY && o->body_id <= 0)) {
            fputs("guanbiao: an enterprise account needs --enterprise ID, a body account --body ID\n", stderr);
            return 2;
        }
    }
    char password[512];
    if (!read_password("password: ", password, sizeof password)) {
        fputs("guanbiao: no password on standard input\n", stderr);
        return 2;
    }
    if (!utf8_valid(password, strlen(password), NULL)) {
        fputs("guanbiao: the password is not UTF-8\n", stderr);
        return 2;
    }
    if (!password_acceptable(login, password)) {
        /* the API's message for the same rule */
        fprintf(stderr, "guanbiao: %s\n", message_text(message_find("weak_password"), cli_lang()));
        return 2;
    }
    char hash[PASSWORD_HASH_MAX];
    if (!password_hash(password, hash)) {
        fputs("guanbiao: out of memory while hashing\n", stderr);
        return 1;
    }
    store_t *store;
    db_t *db = open_database(o, &store);
    if (db == NULL)
        return 1;
    int rc = 0;
    audit_actor_t actor = audit_actor_cli();
    if (add) {
        new_user_t nu = {.login = login, .name = o->name, .password_hash = hash, .role = role,
                         .region = role == ROLE_REGULATOR ? o->region : "",
                         .enterprise_id = role == ROLE_ENTERPRISE ? o->enterprise_id : 0,
                         .body_id = role == ROLE_BODY ? o->body_id : 0};
        int64_t id = user_insert(db, &nu, &actor);
        if (id == 0) {
            fprintf(stderr, "guanbiao: login %s already exists\n", login);
            rc = 1;
        } else if (id < 0) {
            fprintf(stderr, "guanbiao: %s\n", db_error(db));
            rc = 1;
        } else {
            printf("created user %s (id %lld, %s)\n", login, (long long)id, role_name(role));
        }
    } else {
        arena_t a = {0};
        user_t u;
        int found = user_by_login(db, &a, login, &u, NULL);
        if (found != 1) {
            fprintf(stderr, "guanbiao: no active user %s\n", login);
            rc = 1;
        } else if (db_begin(db) != STORE_DONE || !user_set_password(db, u.id, hash, &actor) ||
                   !sessions_delete_for_user(db, u.id, NULL) || db_commit(db) != STORE_DONE) {
            db_rollback(db);
            fprintf(stderr, "guanbiao: %s\n", db_error(db));
            rc = 1;
        } else {
            printf("password changed for %s; their sessions are ended\n", login);
        }
        arena_free(&a);
    }
    db_close(db);
    store_close(store);
    return rc;
}

/* ---- audit verify | export ---- */

typedef struct audit_check {
    audit_verifier_t v;
    audit_break_t broken;
    int64_t broken_seq;
} audit_check_t;

static bool check_entry(const audit_entry_t *e, void *ctx)
{
    audit_check_t *k = ctx;
    k->broken = audit_verify_next(&k->v, e);
    if (k->broken == AUDIT_OK)
        return true;
    /* a gap names the first missing entry; anything else the entry at fault */
    k->broken_seq = k->broken == AUDIT_BAD_SEQUENCE ? k->v.next_seq : e->seq;
    return false;
}

static int report_check(const audit_check_t *k)
{
    if (k->broken != AUDIT_OK) {
        printf("audit log broken at entry %lld: %s\n", (long long)k->broken_seq, audit_break_text(k->broken));
        return 1;
    }
    printf("audit log intact: %lld entries\n", (long long)k->v.count);
    return 0;
}

static bool export_entry(const audit_entry_t *e, void *ctx)
{
    FILE *f = ctx;
    char *line = audit_line_format(e);
    bool ok = line != NULL && fprintf(f, "%s\n", line) > 0;
    free(line);
    return ok;
}

/* `audit verify --file`: the export read back (core/audit_chain.c) and walked like the log. */
static int verify_file(const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "guanbiao: cannot read %s: %s\n", path, strerror(errno));
        return 1;
    }
    audit_check_t k = {.broken = AUDIT_OK};
    audit_verifier_init(&k.v);
    long bad = audit_export_read(f, check_entry, &k, NULL);
    int rc;
    if (bad < 0) {
        fprintf(stderr, "guanbiao: cannot read %s: %s\n", path, strerror(errno));
        rc = 1;
    } else if (bad > 0) {
        printf("audit export unreadable at line %ld: not an entry\n", bad);
        rc = 1;
    } else {
        rc = report_check(&k);
    }
    if (f != stdin)
        fclose(f);
    return rc;
}

/* guanbiao effectiveness refresh: one run of the effectiveness job, in this process (operators,
 * the benchmark bench/effectiveness/run.sh). */
static int cmd_effectiveness(options_t *o, int argc, char **argv)
{
    if (argc != 1 || strcmp(argv[0], "refresh") != 0) {
        fputs("usage: guanbiao effectiveness refresh\n", stderr);
        return 2;
    }
    store_t *store;
    db_t *db = open_database(o, &store);
    if (db == NULL)
        return 1;
    char err[512];
    size_t evaluated = 0;
    int64_t duration_ms = 0;
    bool ok = effectiveness_refresh_run_counted(db, now_seconds(), &evaluated, &duration_ms, err, sizeof err);
    if (ok)
        printf("{\"evaluated\":%zu,\"duration_ms\":%lld}\n", evaluated, (long long)duration_ms);
    else
        fprintf(stderr, "guanbiao: %s\n", err);
    db_close(db);
    store_close(store);
    return ok ? 0 : 1;
}

/* guanbiao search reindex: the published commitments put in the searchable texts and the whole
 * search index rebuilt from them (store/search.h search_reindex; docs/learning.md "Search"). */
static int cmd_search(options_t *o, int argc, char **argv)
{
    if (argc != 1 || strcmp(argv[0], "reindex") != 0) {
        fputs("usage: guanbiao search reindex\n", stderr);
        return 2;
    }
    store_t *store;
    db_t *db = open_database(o, &store);
    if (db == NULL)
        return 1;
    int64_t t0 = now_seconds();
    int64_t n = search_reindex(db);
    if (n >= 0)
        printf("{\"documents\":%lld,\"seconds\":%lld}\n", (long long)n, (long long)(now_seconds() - t0));
    else
        fprintf(stderr, "guanbiao: search reindex: %s\n", db_error(db));
    db_close(db);
    store_close(store);
    return n >= 0 ? 0 : 1;
}

static int cmd_audit(options_t *o, int argc, char **argv)
{
    bool verify = argc == 1 && strcmp(argv[0], "verify") == 0;
    bool export = argc == 2 && strcmp(argv[0], "export") == 0 && o->file == NULL;
    if (!verify && !export) {
        fputs("usage: guanbiao audit verify [--file FILE]\n"
              "       guanbiao audit export FILE\n", stderr);
        return 2;
    }
    if (verify && o->file != NULL)
        return verify_file(o->file);
    store_t *store;
    db_t *db = open_database(o, &store);
    if (db == NULL)
        return 1;
    int rc = 1;
    if (verify) {
        audit_check_t k = {.broken = AUDIT_OK};
        audit_verifier_init(&k.v);
        int walked = audit_walk(db, check_entry, &k);
        if (walked < 0) {
            fprintf(stderr, "guanbiao: %s\n", db_error(db));
        } else if (walked == 0) {
            rc = report_check(&k);
        } else if (store_kind(store) != STORE_POSTGRES) {
            rc = report_check(&k);       /* SQLite keeps no head row: the last entry is the head */
        } else {
            /* the chain's head must be its last entry: entries deleted from the end break this */
            stmt_t *st = db_query(db, "SELECT seq, hash FROM audit_head WHERE id = 1", "");
            if (st == NULL || stmt_step(st) != STORE_ROW) {
                fprintf(stderr, "guanbiao: %s\n", db_error(db));
            } else if (stmt_int(st, 0) != k.v.count || strcmp(stmt_text(st, 1), k.v.prev_hash) != 0) {
                printf("audit log broken at entry %lld: the head names entry %lld; entries at the end are missing\n",
                       (long long)k.v.next_seq, (long long)stmt_int(st, 0));
            } else {
                rc = report_check(&k);
            }
            stmt_done(st);
        }
    } else {
        FILE *f = strcmp(argv[1], "-") == 0 ? stdout : fopen(argv[1], "w");
        if (f == NULL) {
            fprintf(stderr, "guanbiao: cannot write %s: %s\n", argv[1], strerror(errno));
        } else {
            int walked = audit_walk(db, export_entry, f);
            if (f != stdout && fclose(f) != 0)
                walked = -1;
            if (walked == 1)
                rc = 0;
            else
                fprintf(stderr, "guanbiao: export failed: %s\n", walked < 0 ? db_error(db) : strerror(errno));
        }
    }
    db_close(db);
    store_close(store);
    return rc;
}

/* ---- issue 12: guanbiao policy-check FILE [--text] (docs/policies.md "Extraction") ---- */

/* FILE's text (any format of core/document_text.h) checked with the database's current rule
 * set: the contract's JSON on one line, exit 0; --text prints the text instead (no database).
 * A file that cannot be read, is not a supported document or holds no text: exit 1. */
static int cmd_policy_check(options_t *o, int argc, char **argv)
{
    if (argc != 1) {
        fputs("usage: guanbiao policy-check FILE [--text]   (FILE: text, HTML, DOCX or PDF; \"-\": standard input)\n",
              stderr);
        return 2;
    }
    const char *path = argv[0];
    buf_t data, text;
    buf_init(&data, 256u << 20);
    if (!buf_read_file(&data, path)) {
        fprintf(stderr, "guanbiao: cannot read %s: %s\n", path, errno == EFBIG ? "larger than 256 MiB" : strerror(errno));
        buf_free(&data);
        return 1;
    }
    buf_init(&text, 64u << 20);
    const char *code = NULL;
    document_format_t format = document_format_detect(data.data, data.len);
    bool ok = document_text_extract(format, data.data, data.len, &text, &code);
    buf_free(&data);
    if (!ok) {
        fprintf(stderr, "guanbiao: %s: %s\n", path, message_text(message_find(code), cli_lang()));
        buf_free(&text);
        return 1;
    }
    if (o->text_only) {
        fwrite(text.data, 1, text.len, stdout);
        fputc('\n', stdout);
        buf_free(&text);
        return 0;
    }
    store_t *store;
    db_t *db = open_database(o, &store);
    if (db == NULL) {
        buf_free(&text);
        return 1;
    }
    int rc = 1;
    int64_t version = 0;
    const policy_ruleset_t *rs = policy_ruleset_current(db, &version);
    json_t *answer = rs != NULL ? policy_check_text(rs, text.data, text.len, cli_lang() == LANG_EN ? "en" : "zh") : NULL;
    char *json = answer != NULL ? json_dumps(answer, JSON_COMPACT) : NULL;
    if (json != NULL) {
        printf("%s\n", json);
        rc = 0;
    } else {
        fprintf(stderr, "guanbiao: cannot check %s: %s\n", path, rs == NULL ? db_error(db) : "out of memory");
    }
    free(json);
    json_decref(answer);
    db_close(db);
    store_close(store);
    buf_free(&text);
    return rc;
}

int main(int argc, char **argv)
{
    /* first: session tokens and password hashes need libsodium, and nothing runs without it */
    if (!account_init()) {
        fputs("guanbiao: cannot initialise libsodium (its random source is unavailable); not starting\n", stderr);
        return 1;
    }
    audit_read_benchmark_switch();
    xlsx_init();     /* before any thread may read an uploaded workbook */
    options_t o = {
        .db = env_or("GUANBIAO_DB", "sqlite:guanbiao.db"),
        .listen = env_or("GUANBIAO_LISTEN", "127.0.0.1:8080"),
        .web = env_or("GUANBIAO_WEB", NULL),
        .public_url = getenv("GUANBIAO_PUBLIC_URL"),
        .access_log = "stderr",
        .scale = 1,
        .cache_mb = 32,
        .smtp = getenv("GUANBIAO_SMTP"),
    };
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},      {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 't'}, {"workers", required_argument, NULL, 'w'},
        {"web", required_argument, NULL, 'W'},     {"access-log", required_argument, NULL, 'a'},
        {"demo", no_argument, NULL, 'D'},          {"scale", required_argument, NULL, 's'},
        {"role", required_argument, NULL, 'r'},    {"name", required_argument, NULL, 'n'},
        {"region", required_argument, NULL, 'g'},  {"enterprise", required_argument, NULL, 'e'},
        {"body", required_argument, NULL, 'b'},    {"version", no_argument, NULL, 'V'},
        {"help", no_argument, NULL, 'h'},          {"trusted-proxy", required_argument, NULL, 'T'},
        {"metrics-from", required_argument, NULL, 'M'}, {"public-url", required_argument, NULL, 'P'},
        {"jobs-tick", required_argument, NULL, 1001},
        {"jobs-backoff", required_argument, NULL, 1002}, {"jobs-concurrency", required_argument, NULL, 1003},
        {"jobs-lease", required_argument, NULL, 1004}, {"smtp", required_argument, NULL, 1101},
        {"smtp-from", required_argument, NULL, 1102},
        {"date", required_argument, NULL, 1104}, {"cache-mb", required_argument, NULL, 1105}, {"file", required_argument, NULL, 'F'},
        {"edition", required_argument, NULL, 1106}, {"format", required_argument, NULL, 1107},
        {"dry-run", no_argument, NULL, 1108},
        {"text", no_argument, NULL, 1201},
        {NULL, 0, NULL, 0},
    };
    int ch;
    /* GNU getopt permutes: options may come before or after the command's words */
    while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'd': o.db = optarg; break;
        case 'l': o.listen = optarg; break;
        case 't': o.threads = (int)parse_number(optarg, "--threads", 1, 256); break;
        case 'w': o.workers = (int)parse_number(optarg, "--workers", 1, 1024); break;
        case 'W': o.web = optarg; break;
        case 'a': o.access_log = optarg; break;
        case 'T': o.trusted_proxy = optarg; break;
        case 'M': o.metrics_from = optarg; break;
        case 'P': o.public_url = optarg; break;
        case 'F': o.file = optarg; break;
        case 'D': o.demo = true; break;
        case 's': o.scale = (int)parse_number(optarg, "--scale", 1, 1000); break;
        case 'r': o.role = optarg; break;
        case 'n': o.name = optarg; break;
        case 'g': o.region = optarg; break;
        case 'e': o.enterprise_id = parse_number(optarg, "--enterprise", 1, LONG_MAX); break;
        case 'b': o.body_id = parse_number(optarg, "--body", 1, LONG_MAX); break;
        case 1001: o.jobs_tick_ms = (int)parse_number(optarg, "--jobs-tick", 10, 3600000); break;
        case 1002: o.jobs_backoff = (int)parse_number(optarg, "--jobs-backoff", 1, 86400); break;
        case 1003: o.jobs_concurrency = (int)parse_number(optarg, "--jobs-concurrency", 1, 1024); break;
        case 1004: o.jobs_lease = (int)parse_number(optarg, "--jobs-lease", 1, 86400); break;
        case 1101: o.smtp = optarg; break;
        case 1102: o.smtp_from = optarg; break;
        case 1104: o.date = optarg; break;
        case 1106: o.edition = optarg; break;
        case 1107: o.format = optarg; break;
        case 1108: o.dry_run = true; break;
        case 1201: o.text_only = true; break;
        case 1105: o.cache_mb = (int)parse_number(optarg, "--cache-mb", 0, 65536); break;
        case 'V': printf("guanbiao %s\n", GUANBIAO_VERSION); return 0;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[optind];
    cache_watch(api_routes, api_routes_count);    /* this process's writes reach the servers' caches */
    if (strcmp(cmd, "serve") != 0)
        changes_other_process();
    if (strcmp(cmd, "serve") == 0)
        return cmd_serve(&o);
    if (strcmp(cmd, "migrate") == 0)
        return cmd_migrate(&o);
    if (strcmp(cmd, "seed") == 0)
        return cmd_seed(&o);
    if (strcmp(cmd, "import") == 0)
        return cmd_import(&o, argc - optind - 1, argv + optind + 1);
    if (strcmp(cmd, "export") == 0)
        return cmd_export(&o, argc - optind - 1, argv + optind + 1);
    if (strcmp(cmd, "backup") == 0)
        return cmd_backup(&o, argc - optind - 1, argv + optind + 1);
    if (strcmp(cmd, "reminders") == 0)
        return cmd_reminders(&o);
    if (strcmp(cmd, "user") == 0)
        return cmd_user(&o, argc - optind - 1, argv + optind + 1);
    if (strcmp(cmd, "audit") == 0)
        return cmd_audit(&o, argc - optind - 1, argv + optind + 1);
    if (strcmp(cmd, "effectiveness") == 0)
        return cmd_effectiveness(&o, argc - optind - 1, argv + optind + 1);
    if (strcmp(cmd, "search") == 0)
        return cmd_search(&o, argc - optind - 1, argv + optind + 1);
    if (strcmp(cmd, "policy-check") == 0)
        return cmd_policy_check(&o, argc - optind - 1, argv + optind + 1);
    fprintf(stderr, "guanbiao: unknown command '%s'\n\n", cmd);
    usage(stderr);
    return 2;
}
