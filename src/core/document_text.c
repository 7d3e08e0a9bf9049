/* Document text extraction: FOUNDATION STUB, replaced by the extraction slice (document_text.h). */
#include "core/document_text.h"

#include <string.h>

document_format_t document_format_detect(const void *data, size_t len)
{
    (void)data; (void)len;
    return DOCUMENT_TEXT;
}

const char *document_format_name(document_format_t format)
{
    static const char *names[] = {"text", "html", "docx", "pdf", "unknown"};
    return names[format];
}

bool document_text_extract(document_format_t format, const void *data, size_t len, buf_t *out,
                           const char **code)
{
    (void)format;
    *code = NULL;
    buf_append(out, data, len);
    return true;
}
