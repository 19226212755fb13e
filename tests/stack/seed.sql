-- seed.sql - the sample app's database, as its Prisma migrations leave it.
--
-- Run by tests/stack/stack as the app's own role (`app`, owner of `shop`), so
-- the tables belong to the app as they would in production. The DDL is what
-- `prisma migrate` generates for:
--
--   model RequestLog {
--     id         Int      @id @default(autoincrement())
--     timestamp  DateTime @default(now())
--     duration   Int
--     statusCode Int
--     path       String
--     @@index([timestamp])
--   }
--
-- The rows cover the last six hours: one request every ~5 s, mostly 200s of
-- tens to hundreds of milliseconds, some 4xx, about 1.5 % 5xx and a long tail
-- of slow requests, so the last hour is healthy (error rate < 5 %, average
-- well under 1000 ms). random() is seeded so every stack gets the same mix.

\set ON_ERROR_STOP on
SET client_min_messages = warning;

-- Prisma's bookkeeping table, as `prisma migrate deploy` creates it.
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "RequestLog" (
    "id" SERIAL NOT NULL,
    "timestamp" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "duration" INTEGER NOT NULL,
    "statusCode" INTEGER NOT NULL,
    "path" TEXT NOT NULL,

    CONSTRAINT "RequestLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RequestLog_timestamp_idx" ON "RequestLog"("timestamp");

INSERT INTO "_prisma_migrations"
    ("id", "checksum", "finished_at", "migration_name", "started_at", "applied_steps_count")
VALUES
    ('3f1c2a9e-5b7d-4c1e-9a8f-2d6b4e0c7a11',
     'b5d1e0c8f4a2976e3c1d8b0a5f7e2c4d9a6b3e1f0c8d7a5b4e2f1c0d9b8a7e6f',
     now() - interval '30 days', '20240101000000_init', now() - interval '30 days', 1);

SELECT setseed(0.4242);

-- Timestamps are UTC wall-clock, as Prisma stores DateTime in a
-- TIMESTAMP(3) column; the stack's server runs with timezone = UTC.
INSERT INTO "RequestLog" ("timestamp", "duration", "statusCode", "path")
SELECT
    (now() AT TIME ZONE 'UTC') - make_interval(secs => g * 5 + r.jitter),
    CASE
        WHEN r.tail < 0.010 THEN 1500 + (r.d1 * 3500)::int         -- long tail: 1.5-5 s
        WHEN r.tail < 0.060 THEN 400 + (r.d1 * 600)::int           -- slowish: 0.4-1 s
        ELSE 12 + (power(r.d1, 2) * 260 + r.d2 * 40)::int          -- typical: tens to ~300 ms
    END,
    CASE
        WHEN r.st < 0.015 THEN (ARRAY[500, 500, 502, 503, 504])[1 + floor(r.d2 * 5)::int]
        WHEN r.st < 0.080 THEN (ARRAY[400, 401, 403, 404, 404, 404, 422, 429])[1 + floor(r.d2 * 8)::int]
        WHEN r.st < 0.095 THEN 304
        WHEN r.st < 0.110 THEN 201
        ELSE 200
    END,
    (ARRAY[
        '/', '/', '/products', '/products', '/products/[slug]',
        '/api/products', '/api/products', '/api/products/[id]', '/api/cart', '/api/cart',
        '/api/checkout', '/api/auth/session', '/api/auth/session', '/api/search', '/api/health',
        '/api/version', '/account/orders', '/login'
    ])[1 + floor(r.p * 18)::int]
FROM generate_series(1, 4320) AS g
CROSS JOIN LATERAL (
    SELECT random() AS tail, random() AS d1, random() AS d2, random() AS st,
           random() AS p, random() * 4 AS jitter
    -- referencing g keeps the planner from evaluating this once for all rows
    WHERE g IS NOT NULL
) AS r;

ANALYZE "RequestLog";
