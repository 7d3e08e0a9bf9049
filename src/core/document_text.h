/* The text of a document a person uploads (docs/policies.md "Extraction"): plain text (UTF-8,
 * with or without BOM, or GBK/GB18030, detected), HTML (libxml2's HTML parser; its charset
 * meta or the same detection), DOCX (libzip + libxml2: word/document.xml, paragraphs as lines)
 * and PDF (poppler-glib, pages in order). The result is UTF-8 with \n between paragraphs. */
#ifndef GUANBIAO_DOCUMENT_TEXT_H
#define GUANBIAO_DOCUMENT_TEXT_H
#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

enum {
    DOCUMENT_DOCX_MAX_XML = 64u << 20,   /* word/document.xml uncompressed: more is a zip bomb */
};

typedef enum document_format {
    DOCUMENT_TEXT, DOCUMENT_HTML, DOCUMENT_DOCX, DOCUMENT_PDF, DOCUMENT_UNKNOWN
} document_format_t;

/* The format of data, decided by its bytes (not its name): DOCUMENT_UNKNOWN for anything else
 * (an image, an executable, an old .doc). */
document_format_t document_format_detect(const void *data, size_t len);

/* "text", "html", "docx", "pdf" (policy_revisions.source_format), or "unknown". */
const char *document_format_name(document_format_t format);

/* Extracts the text of data (of the given format) into out (appended). False with an error
 * code of src/core/messages.c in *code: document_unreadable (damaged or encrypted),
 * document_no_text (a scanned PDF or an empty document: nothing to check),
 * document_unsupported (DOCUMENT_UNKNOWN), document_encoding (text neither UTF-8 nor GBK),
 * document_too_large (the text would pass out's cap). On failure out is as it was.
 * Thread-safe (libxml2 initialised first: core/xlsx.h xlsx_init). */
bool document_text_extract(document_format_t format, const void *data, size_t len, buf_t *out,
                           const char **code);

#endif
