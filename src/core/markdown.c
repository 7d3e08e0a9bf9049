/* Markdown to HTML (core/markdown.h). */
#include "core/markdown.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

char *markdown_html(arena_t *a, const char *markdown, size_t len)
{
    /* CMARK_OPT_UNSAFE is not set: raw HTML and dangerous URLs are left out */
    char *html = cmark_markdown_to_html(markdown, len, CMARK_OPT_DEFAULT | CMARK_OPT_SMART);
    if (html == NULL)
        return NULL;
    char *copy = arena_strdup(a, html);
    free(html);
    return copy;
}
