-- ledger_issue_many answered each operation whose key was taken earlier by joining the batch to
-- ledger_idempotency. PostgreSQL planned that join as a scan of every stored key (or a merge over
-- the whole key index when the batch's keys spread across it, as keys with UUIDs do), once per
-- call: every bulk issuance (an import chunk, a milestone batch) got slower as the ledger grew
-- (48 ms of a 2,000-payment call with 300,000 keys stored; 12.5 s of the 56 s catch-up milestone
-- pass in the earning benchmark). Now one index probe per operation whose key was not claimed in
-- this call, and none for the rest. Same answers.
CREATE OR REPLACE FUNCTION ledger_issue_many(ops jsonb, now_ts timestamptz) RETURNS SETOF jsonb LANGUAGE plpgsql AS $$
DECLARE
  w_ids uuid[];
BEGIN
  IF to_regclass('pg_temp.ledger_issue_batch') IS NULL THEN
    CREATE TEMP TABLE ledger_issue_batch (
      ord bigint PRIMARY KEY, key text, hash text, debit uuid, credit uuid, amount numeric, code text, reason text,
      actor uuid, ref_type text, ref_id text, first_ord bigint, transfer_id uuid, result jsonb
    ) ON COMMIT DELETE ROWS;
    CREATE TEMP TABLE ledger_issue_claimed (key text PRIMARY KEY) ON COMMIT DELETE ROWS;
  END IF;
  -- Empty at the start of every transaction (ON COMMIT DELETE ROWS); a second call in the same
  -- transaction clears its predecessor's rows. DELETE, not TRUNCATE: no new file per call.
  DELETE FROM ledger_issue_batch;
  DELETE FROM ledger_issue_claimed;

  INSERT INTO ledger_issue_batch (ord, key, hash, debit, credit, amount, code, reason, actor, ref_type, ref_id, first_ord,
                                  transfer_id, result)
  SELECT o.ord, o.key, o.hash, o.debit, o.credit, o.amount, o.code, o.reason, o.actor, o.ref_type, o.ref_id, o.first_ord,
         t.id, coalesce(o.refusal, jsonb_build_object('ok', true, 'transferId', t.id, 'type', 'posted',
                                                      'amount', o.amount::numeric(20,2)::text, 'createdAt', now_ts))
    FROM (SELECT e.ord, e.x->>'key' AS key, e.x->>'hash' AS hash, (e.x->>'debit')::uuid AS debit,
                 (e.x->>'credit')::uuid AS credit, (e.x->>'amount')::numeric AS amount, e.x->>'code' AS code,
                 e.x->>'reason' AS reason, (e.x->>'actorId')::uuid AS actor, e.x->>'refType' AS ref_type,
                 e.x->>'refId' AS ref_id, (e.x->>'transferId')::uuid AS transfer_id,
                 min(e.ord) OVER (PARTITION BY e.x->>'key') AS first_ord,
                 CASE
                   WHEN (e.x->>'amount')::numeric IS NULL OR (e.x->>'amount')::numeric <= 0
                        OR (e.x->>'amount')::numeric <> round((e.x->>'amount')::numeric, 2) OR (e.x->>'amount')::numeric >= 1e18
                     THEN ledger_fail('invalid_amount', 'amount must be positive, below 10^18, with at most 2 decimal places')
                   WHEN e.x->>'debit' = e.x->>'credit' THEN ledger_fail('same_account', 'debit and credit accounts must differ')
                   WHEN d.id IS NULL THEN ledger_fail('account_not_found', 'debit account ' || (e.x->>'debit') || ' does not exist')
                   WHEN c.id IS NULL THEN ledger_fail('account_not_found', 'credit account ' || (e.x->>'credit') || ' does not exist')
                   WHEN d.bounded THEN ledger_fail('not_supported', 'bulk issuance debits an unbounded programme account only')
                   WHEN NOT c.bounded THEN ledger_fail('not_supported', 'bulk issuance credits bounded accounts only')
                 END AS refusal
            FROM jsonb_array_elements(ops) WITH ORDINALITY AS e(x, ord)
            LEFT JOIN ledger_accounts d ON d.id = (e.x->>'debit')::uuid
            LEFT JOIN ledger_accounts c ON c.id = (e.x->>'credit')::uuid) o,
         -- transfer ids come minted by the caller (UUIDv7); the database mints any that do not
         LATERAL (SELECT CASE WHEN o.refusal IS NULL AND o.ord = o.first_ord
                              THEN coalesce(o.transfer_id, ledger_uuid7()) END AS id) t;
  -- Temporary tables have no statistics until told, and big batches need them for sane plans;
  -- the statistics stay for the session, so small batches skip the cost.
  IF jsonb_array_length(ops) >= 500 THEN ANALYZE ledger_issue_batch; END IF;
  IF EXISTS (SELECT 1 FROM ledger_issue_batch WHERE key IS NULL OR hash IS NULL) THEN
    RAISE EXCEPTION 'ledger operations need an idempotency key and request hash';
  END IF;

  WITH ins AS (
    INSERT INTO ledger_idempotency (key, request_hash, result, created_at)
    SELECT key, hash, result, now_ts FROM ledger_issue_batch WHERE ord = first_ord
    ON CONFLICT (key) DO NOTHING RETURNING key
  )
  INSERT INTO ledger_issue_claimed SELECT key FROM ins;
  IF jsonb_array_length(ops) >= 500 THEN ANALYZE ledger_issue_claimed; END IF;

  SELECT coalesce(array_agg(DISTINCT b.credit), '{}') INTO w_ids
    FROM ledger_issue_batch b JOIN ledger_issue_claimed k ON k.key = b.key WHERE b.transfer_id IS NOT NULL;
  PERFORM 1 FROM ledger_accounts WHERE id = ANY (w_ids) ORDER BY id FOR NO KEY UPDATE;

  INSERT INTO ledger_transfers (id, type, code, amount, reason, actor_id, ref_type, ref_id, created_at)
  SELECT b.transfer_id, 'posted', coalesce(b.code, 'transfer'), b.amount, b.reason, b.actor, b.ref_type, b.ref_id, now_ts
    FROM ledger_issue_batch b JOIN ledger_issue_claimed k ON k.key = b.key
   WHERE b.transfer_id IS NOT NULL ORDER BY b.ord;
  INSERT INTO ledger_postings (transfer_id, leg, account_id, amount, pending, balance_after, seq, created_at)
  SELECT n.transfer_id, l.leg, l.account_id, l.amount, false, l.balance_after, l.seq, now_ts
    FROM (SELECT b.transfer_id, b.debit, b.credit, b.amount,
                 a.posted + sum(b.amount) OVER w AS balance_after, a.entries + row_number() OVER w AS seq
            FROM ledger_issue_batch b
            JOIN ledger_issue_claimed k ON k.key = b.key
            JOIN ledger_accounts a ON a.id = b.credit
           WHERE b.transfer_id IS NOT NULL
          WINDOW w AS (PARTITION BY b.credit ORDER BY b.ord)) n,
         LATERAL (VALUES (0::smallint, n.debit, -n.amount, NULL::numeric, NULL::bigint),
                         (1::smallint, n.credit, n.amount, n.balance_after, n.seq)) AS l(leg, account_id, amount, balance_after, seq);
  UPDATE ledger_accounts a SET posted = a.posted + s.total, entries = a.entries + s.lines
    FROM (SELECT b.credit, sum(b.amount) AS total, count(*) AS lines
            FROM ledger_issue_batch b JOIN ledger_issue_claimed k ON k.key = b.key
           WHERE b.transfer_id IS NOT NULL GROUP BY b.credit) s
   WHERE a.id = s.credit;

  -- Keys taken earlier answer with what was stored (or a conflict for a different request); a key
  -- repeated within the batch answers like a retry of its first occurrence.
  RETURN QUERY
    SELECT CASE
             WHEN k.key IS NOT NULL AND b.ord = b.first_ord THEN b.result
             WHEN k.key IS NOT NULL THEN
               CASE WHEN b.hash = f.hash THEN f.result || '{"replayed": true}'
                    ELSE ledger_fail('idempotency_conflict', 'this idempotency key was already used for a different request') END
             WHEN i.request_hash = b.hash THEN i.result || '{"replayed": true}'
             ELSE ledger_fail('idempotency_conflict', 'this idempotency key was already used for a different request')
           END
      FROM ledger_issue_batch b
      JOIN ledger_issue_batch f ON f.ord = b.first_ord
      LEFT JOIN ledger_issue_claimed k ON k.key = b.key
      -- One key probe per unclaimed row. A plain join here was planned as a scan (or a merge
      -- over the key index) of every stored key, once per call.
      LEFT JOIN LATERAL (SELECT x.request_hash, x.result FROM ledger_idempotency x
                          WHERE k.key IS NULL AND x.key = b.key LIMIT 1) i ON true
     ORDER BY b.ord;
END $$;
