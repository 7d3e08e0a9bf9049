/* The certificate of completion's PDF (see completion_pdf.h), made with report/pdf.h. */
#include "report/completion_pdf.h"

#include "core/arena.h"
#include "report/pdf.h"

bool completion_pdf(const completion_certificate_t *k, const char *verify_url, buf_t *out)
{
    arena_t a = {0};
    pdf_doc_t *d = pdf_new(&(pdf_options_t){
        .title = arena_printf(&a, "结业证书 %s", k->number),
        .footer = "知识产权管理体系学习平台 IP management system learning platform",
        .lang = LANG_ZH,
        .frame = true,
        .margin_mm = 22,
    });
    pdf_space(d, 8);
    pdf_text(d, "结业证书", &PDF_TITLE);
    pdf_text(d, "Certificate of Completion",
             &(pdf_style_t){.size = 12, .serif = true, .align = PDF_CENTER, .rgb = 0x444444, .space_after = 4});
    pdf_text(d, arena_printf(&a, "证书编号 Certificate No.：%s", k->number),
             &(pdf_style_t){.size = 11, .align = PDF_CENTER, .space_after = 8});
    pdf_text(d, "兹证明 This is to certify that", &(pdf_style_t){.size = 10.5, .align = PDF_CENTER, .space_after = 2});
    pdf_text(d, k->holder_name, &(pdf_style_t){.size = 18, .bold = true, .serif = true, .align = PDF_CENTER,
                                               .space_after = 2});
    pdf_text(d, "已完成下列课程的全部学习并通过测验 has completed every lesson of and passed the quiz of",
             &(pdf_style_t){.size = 10.5, .align = PDF_CENTER, .space_after = 2});
    pdf_text(d, k->course_title, &(pdf_style_t){.size = 16, .bold = true, .serif = true, .align = PDF_CENTER,
                                                .space_after = 8});
    const char *labels[] = {"学员 Learner", "课程 Course", "测验成绩 Score", "发证日期 Issued"};
    const char *values[] = {k->holder_name, k->course_title, arena_printf(&a, "%lld 分", k->score), k->issued};
    pdf_fields(d, labels, values, 4, 0.36, 9.5);
    pdf_space(d, 6);
    pdf_qr(d, verify_url, 30, PDF_CENTER);
    pdf_text(d, arena_printf(&a, "扫码或访问以下地址核验本证书 Scan or visit to verify:\n%s", verify_url),
             &(pdf_style_t){.size = 8, .align = PDF_CENTER, .rgb = 0x444444});
    bool ok = pdf_finish(d, out);
    pdf_free(d);
    arena_free(&a);
    return ok;
}
