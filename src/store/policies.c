/* Local policies (issue 12): store side, see policies.h. */
