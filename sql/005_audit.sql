-- PLACEHOLDER on branch h-notify so that migrations stay numbered without gaps; the real file from its own branch replaces this one at merge (take theirs).
SELECT 1;
