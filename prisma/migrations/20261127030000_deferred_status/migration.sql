-- A value added by ALTER TYPE ... ADD VALUE cannot be used in the transaction that adds it, and
-- each migration runs in a transaction of its own: the column and index using it come next.
ALTER TYPE "event_status" ADD VALUE 'deferred';
