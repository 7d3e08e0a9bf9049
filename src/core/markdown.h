/* Markdown to HTML for lessons, announcements and forum posts (issue 11; docs/learning.md):
 * CommonMark by libcmark in its safe mode, so raw HTML is dropped (a comment stands in its
 * place) and links or images whose URL is javascript:, vbscript:, file: or a data: other than an
 * image are emptied. What comes out may be shown as HTML; the Content-Security-Policy stops
 * inline script besides. */
#ifndef GUANBIAO_MARKDOWN_H
#define GUANBIAO_MARKDOWN_H
#include <stddef.h>

#include "core/arena.h"

/* The HTML of markdown[0..len), in a; NULL when out of memory. */
char *markdown_html(arena_t *a, const char *markdown, size_t len);

#endif
