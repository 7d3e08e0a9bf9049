/* libFuzzer harness for document text extraction (core/document_text.h): the input is taken as
 * an uploaded document, its format detected from the bytes, then extracted (HTML, DOCX, PDF
 * and text readers alike). Any input must be extracted or refused with one of the document_*
 * codes, never crash or leak; a refusal leaves the output as it was; an extraction keeps its
 * promises: valid UTF-8 without NUL, no carriage return, no empty line, no blank at either end of a line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/document_text.h"
#include "core/text.h"
#include "core/xlsx.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    xlsx_init();      /* libxml2, once, as main() does */
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    document_format_t format = document_format_detect(data, size);
    if (strcmp(document_format_name(format), "") == 0)
        abort();
    buf_t out;
    buf_init(&out, 4u << 20);
    const char *code = NULL;
    bool ok = document_text_extract(format, data, size, &out, &code);
    if (!ok) {
        static const char *const codes[] = {"document_unreadable", "document_no_text", "document_unsupported",
                                            "document_encoding", "document_too_large", NULL};
        bool known = false;
        for (int i = 0; codes[i] != NULL; i++)
            known |= code != NULL && strcmp(code, codes[i]) == 0;
        if (!known || out.len != 0)
            abort();
    } else {
        if (code != NULL || out.len == 0 || strlen(out.data) != out.len || !utf8_valid(out.data, out.len, NULL) ||
            memchr(out.data, '\r', out.len))
            abort();
        if (strstr(out.data, "\n\n") != NULL || out.data[0] == '\n' || out.data[out.len - 1] == '\n' ||
            out.data[0] == ' ' || strstr(out.data, " \n") != NULL || strstr(out.data, "\n ") != NULL)
            abort();
    }
    buf_free(&out);
    return 0;
}
