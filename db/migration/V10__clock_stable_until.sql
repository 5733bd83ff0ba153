-- A segment whose query compares values with a bound that moves with the clock (a 30-day
-- window, a renewal date coming up) changes with time alone only when the bound sweeps past
-- some value. Its evaluation records the latest instant up to which no value can be swept
-- past, so that a run before it, with no dependency changed, skips the segment without
-- compiling its query. NULL: unknown, or the query does not read the clock; the segment is
-- evaluated as before.
ALTER TABLE segment ADD COLUMN clock_stable_until timestamptz;
