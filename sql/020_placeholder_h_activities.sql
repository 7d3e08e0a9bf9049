-- PLACEHOLDER of branch h-activities only, so that 021 applies: the integrator DELETES this file
-- (the real 020 belongs to another slice of issue 11).
SELECT 1;
