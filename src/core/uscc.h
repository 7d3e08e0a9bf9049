/* The unified social credit code (统一社会信用代码, GB 32100-2015): normalisation and the
 * check of every rule, each failure with its own reason so that the user learns what to fix.
 * Also the generator the demo data uses. */
#ifndef GUANBIAO_USCC_H
#define GUANBIAO_USCC_H
#include <stdbool.h>
#include <stddef.h>

#include "core/text.h"

enum { USCC_LEN = 18 };

typedef enum uscc_problem {
    USCC_OK = 0,
    USCC_LENGTH,          /* not 18 characters after trimming */
    USCC_CHARACTER,       /* a character outside 0-9 A-H J-N P-R T U W-Y (no I O S V Z) */
    USCC_DEPARTMENT,      /* position 1: not a registering department code */
    USCC_CATEGORY,        /* position 2: not a category of that department */
    USCC_REGION,          /* positions 3–8: not six digits of an existing province */
    USCC_ORG_CHECK,       /* positions 9–17: the organisation code's check character is wrong */
    USCC_CHECK,           /* position 18: the check character is wrong */
} uscc_problem_t;

typedef struct uscc_result {
    uscc_problem_t problem;
    char code[USCC_LEN + 1];   /* normalised: trimmed, upper case (when the length is right) */
    size_t length;             /* characters after trimming (USCC_LENGTH) */
    int position;              /* 1-based position of the bad character (USCC_CHARACTER) */
    char found, expected;      /* USCC_ORG_CHECK / USCC_CHECK: the character there and the right one */
} uscc_result_t;

/* Checks input (any case, surrounding blanks allowed). */
uscc_result_t uscc_check(const char *input);

/* Why a code failed, in the given language, into out. */
void uscc_describe(const uscc_result_t *r, lang_t lang, char *out, size_t outlen);

/* True when only the check characters (positions 17 and/or 18) are wrong: the early pilot
 * codes that an admin may register with an explicit override. */
bool uscc_only_check_failed(const uscc_result_t *r);

/* Completes a 16-character prefix (department, category, region, 8-character organisation
 * body) with both check characters into out (19 bytes). False when prefix is malformed. */
bool uscc_complete(const char *prefix16, char out[USCC_LEN + 1]);

#endif
