/* Parsing untrusted JSON bodies (see jsonin.h). */
#include "core/jsonin.h"

#include <stdio.h>
#include <string.h>

#include "core/text.h"

int jsonin_depth(const char *s, size_t len)
{
    int depth = 0, max = 0;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max)
                max = depth;
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    return max;
}

json_t *jsonin_parse_object(const char *data, size_t len, jsonin_error_t *err)
{
    memset(err, 0, sizeof *err);
    size_t bad;
    if (!utf8_valid(data, len, &bad)) {
        err->code = "invalid_utf8";
        err->offset = bad;
        return NULL;
    }
    if (jsonin_depth(data, len) > JSONIN_MAX_DEPTH) {
        err->code = "json_too_deep";
        return NULL;
    }
    json_error_t je;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
    if (root == NULL) {
        err->code = "invalid_json";
        err->line = je.line;
        err->column = je.column;
        err->offset = (size_t)(je.position < 0 ? 0 : je.position);
        snprintf(err->text, sizeof err->text, "%s", je.text);
        return NULL;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        err->code = "body_not_object";
        return NULL;
    }
    return root;
}
