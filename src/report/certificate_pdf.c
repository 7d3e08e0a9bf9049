/* The certificate's PDF (see certificate_pdf.h), made with report/pdf.h. */
#include "report/certificate_pdf.h"

#include <string.h>

#include "core/arena.h"
#include "domain/certificate.h"
#include "report/pdf.h"

/* "a,b" → their Chinese labels joined with "、" (a code without a label is shown as is). */
static const char *labels(arena_t *a, const term_t *list, const char *codes)
{
    buf_t b;
    buf_init(&b, 4096);
    char *copy = arena_strdup(a, codes != NULL ? codes : "");
    char *save = NULL;
    for (char *code = strtok_r(copy, ",", &save); code != NULL; code = strtok_r(NULL, ",", &save)) {
        const term_t *t = term_find(list, code);
        if (b.len > 0)
            buf_puts(&b, "、");
        buf_puts(&b, t != NULL ? t->zh : code);
    }
    const char *s = arena_strdup(a, b.data != NULL ? b.data : "");
    buf_free(&b);
    return s;
}

bool certificate_pdf(const certificate_t *c, const char *verify_url, const char *today, buf_t *out)
{
    arena_t a = {0};
    cert_status_t shown = cert_effective_status(cert_status_parse(c->status), c->expires, today);
    const term_t *status = &cert_statuses()[shown >= CERT_VALID ? shown - CERT_VALID : 0];
    bool invalid = shown != CERT_VALID;
    const char *mark = invalid ? arena_printf(&a, "已%s %s", status->zh, status->en) : NULL;

    pdf_doc_t *d = pdf_new(&(pdf_options_t){
        .title = arena_printf(&a, "知识产权管理体系认证证书 %s", c->number),
        .footer = arena_printf(&a, "%s  批准号 %s", c->body_name, c->body_approval_number),
        .lang = LANG_ZH,
        .watermark = mark,
        .frame = true,
        .margin_mm = 22,
    });
    pdf_space(d, 4);
    pdf_text(d, "知识产权管理体系认证证书", &PDF_TITLE);
    pdf_text(d, "Intellectual Property Management System Certificate",
             &(pdf_style_t){.size = 12, .serif = true, .align = PDF_CENTER, .rgb = 0x444444, .space_after = 4});
    pdf_text(d, arena_printf(&a, "证书编号 Certificate No.：%s", c->number),
             &(pdf_style_t){.size = 11, .align = PDF_CENTER, .space_after = 6});
    if (invalid)
        pdf_text(d, arena_printf(&a, "本证书已%s，不再有效。This certificate is %s and no longer valid.", status->zh,
                                 status->code),
                 &(pdf_style_t){.size = 12, .bold = true, .align = PDF_CENTER, .rgb = 0xc62828, .space_after = 4});
    /* the issuing body's own standing (docs/registry.md): said under the number when not valid */
    const char *approval = c->body_approval_status ? c->body_approval_status : "valid";
    if (strcmp(approval, "valid") != 0) {
        bool withdrawn = strcmp(approval, "withdrawn") == 0;
        pdf_text(d, arena_printf(&a, "发证机构的批准已%s（自 %s 起）。The issuing body's approval is %s (since %s).",
                                 withdrawn ? "撤销" : "暂停", c->body_approval_since, approval, c->body_approval_since),
                 &(pdf_style_t){.size = 10.5, .bold = true, .align = PDF_CENTER, .rgb = 0xc62828, .space_after = 4});
    }
    pdf_text(d, "兹证明 This is to certify that",
             &(pdf_style_t){.size = 10.5, .align = PDF_CENTER, .space_after = 2});
    pdf_text(d, c->holder_name, &(pdf_style_t){.size = 18, .bold = true, .serif = true, .align = PDF_CENTER,
                                               .space_after = 2});
    pdf_text(d, "建立的知识产权管理体系符合下列标准要求 has established an IP management system conforming to",
             &(pdf_style_t){.size = 10.5, .align = PDF_CENTER, .space_after = 2});
    pdf_text(d, c->standard, &(pdf_style_t){.size = 16, .bold = true, .serif = true, .align = PDF_CENTER,
                                            .space_after = 6});

    const char *scope = arena_printf(&a, "%s\n涉及领域：%s\n涉及环节：%s", c->scope && *c->scope ? c->scope : "—",
                                     labels(&a, cert_scope_areas(), c->scope_areas),
                                     labels(&a, cert_scope_stages(), c->scope_stages));
    const char *field_labels[] = {"获证组织 Organisation", "统一社会信用代码 Credit code", "注册地址 Address",
                                  "认证依据 Standard", "认证范围 Scope", "发证日期 Issued", "有效期至 Valid until",
                                  "证书状态 Status", "发证机构 Issued by", "批准号 Approval No."};
    const char *field_values[] = {c->holder_name, c->holder_credit_code, c->holder_address, c->standard, scope,
                                  c->issued, c->expires, arena_printf(&a, "%s %s", status->zh, status->en),
                                  c->body_name, c->body_approval_number};
    pdf_fields(d, field_labels, field_values, 10, 0.36, 9.5);
    pdf_space(d, 4);
    pdf_qr(d, verify_url, 30, PDF_CENTER);
    pdf_text(d, arena_printf(&a, "扫码或访问以下地址核验本证书 Scan or visit to verify:\n%s", verify_url),
             &(pdf_style_t){.size = 8, .align = PDF_CENTER, .rgb = 0x444444});
    bool ok = pdf_finish(d, out);
    pdf_free(d);
    arena_free(&a);
    return ok;
}
