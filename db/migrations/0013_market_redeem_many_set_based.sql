-- A batch of redeems, set-based. market_redeem_many ran market_redeem once per redeem: about twenty
-- statements each (the offer, the replay check, the grade, the limit count, the policy, the
-- settlement account, then ledger_apply's idempotency claim, counters, transfer, legs and open hold,
-- each leg insert firing the balance trigger, then the voucher). Under bench:market the batches
-- averaged dozens of redeems, and PostgreSQL's CPU per redemption was more than the app's.
--
-- Now a batch reads everything its redeems need in one query, after locking its wallets in id
-- order; decides each redeem in memory, in arrival order, with the same checks, refusals and
-- order of checks as market_redeem, counting what the batch itself has already issued (points
-- held per wallet, vouchers per offer and per driver and offer, request keys); places every hold
-- with one call of the ledger's own set-based path (ledger_apply_moves, the micro-batcher's); writes
-- every voucher with one INSERT; and takes its stock as before, at the very end, in one guarded
-- UPDATE after locking its offers in id order. Locks and their order are unchanged (migration
-- 0012). Anything unexpected (a hold the ledger refuses, stock another transaction took since the
-- read, MR409) raises, nothing of the batch is written, and the app runs its redeems one by one.
--
-- A request key seen twice in one batch: the second answers as a replay of the first's voucher
-- (or an idempotency conflict), as it did when the first's voucher was already written. The
-- ledger's rows are stamped with the latest `now` among the batch's vouchers; each voucher keeps
-- its own request's `now`.
CREATE OR REPLACE FUNCTION market_redeem_many(reqs jsonb, default_benefits jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  n integer := jsonb_array_length(reqs);
  answers jsonb[] := array_fill(NULL::jsonb, ARRAY[n]);
  replay_of integer[] := array_fill(NULL::integer, ARRAY[n]);
  q record;
  v_benefits jsonb;
  -- what this batch has issued so far
  spent jsonb := '{}';   -- wallet id -> points it holds
  taken jsonb := '{}';   -- offer id -> vouchers
  uses jsonb := '{}';    -- driver id:offer id -> vouchers
  issued jsonb := '{}';  -- request key -> the position of its voucher
  first_pos integer;
  use_key text;
  v_price numeric;
  v_id uuid;
  op jsonb;
  ops jsonb := '[]';
  ledger_now timestamptz;
  holds jsonb[];
  -- the vouchers to write, in issue order
  w_pos integer[] := '{}'; w_id uuid[] := '{}'; w_offer uuid[] := '{}'; w_driver uuid[] := '{}';
  w_partner uuid[] := '{}'; w_code text[] := '{}'; w_price numeric[] := '{}'; w_key text[] := '{}';
  w_hash text[] := '{}'; w_expires timestamptz[] := '{}'; w_created timestamptz[] := '{}';
  written integer[];
  written_json jsonb[];
  n_taken integer;
BEGIN
  PERFORM 1 FROM ledger_accounts a
   WHERE a.kind = 'driver_wallet' AND a.owner_id IN (SELECT (x->>'driverId')::uuid FROM jsonb_array_elements(reqs) x)
   ORDER BY a.id FOR NO KEY UPDATE;
  SELECT policy->'benefits' INTO v_benefits FROM rating_policy_versions
   WHERE effective_from <= now() ORDER BY effective_from DESC, version DESC LIMIT 1;
  v_benefits := coalesce(v_benefits, default_benefits);

  FOR q IN
    SELECT e.ord::integer AS pos, e.x AS req, (e.x->>'now')::timestamptz AS now_ts, r.driver_id, r.offer_id,
           w.id AS wallet_id, w.posted - w.debits_pending AS available,
           f.id AS found_offer, f.status, f.valid_from, f.valid_to, f.min_grade, f.per_driver_limit, f.limit_period,
           f.stock_left, f.price, f.title, f.partner_id, p.status AS partner_status,
           coalesce(g.grade, 'B') AS grade, s.id AS settlement_id, u.n AS used,
           (pr.d).id AS prior_id, (pr.d).request_hash AS prior_hash, pr.d AS prior
      FROM jsonb_array_elements(reqs) WITH ORDINALITY AS e(x, ord)
     CROSS JOIN LATERAL (SELECT (e.x->>'driverId')::uuid AS driver_id, (e.x->>'offerId')::uuid AS offer_id) r
      -- LIMIT 1 keeps each lookup a probe of its index: joined plainly, the planner (which guesses
      -- 100 requests) hashed whole tables, and redemptions grows with every voucher.
      LEFT JOIN LATERAL (SELECT a.id, a.posted, a.debits_pending FROM ledger_accounts a
                          WHERE a.kind = 'driver_wallet' AND a.owner_id = r.driver_id LIMIT 1) w ON true
      LEFT JOIN LATERAL (SELECT d FROM redemptions d WHERE d.request_key = e.x->>'requestKey' LIMIT 1) pr ON true
      LEFT JOIN LATERAL (SELECT o.* FROM offers o WHERE o.id = r.offer_id LIMIT 1) f ON true
      LEFT JOIN LATERAL (SELECT pa.status FROM partners pa WHERE pa.id = f.partner_id LIMIT 1) p ON true
      LEFT JOIN LATERAL (SELECT dr.grade FROM driver_ratings dr WHERE dr.driver_id = r.driver_id LIMIT 1) g ON true
      LEFT JOIN LATERAL (SELECT a.id FROM ledger_accounts a
                          WHERE a.kind = 'partner_settlement' AND a.owner_id = f.partner_id LIMIT 1) s ON true
      LEFT JOIN LATERAL (
        SELECT CASE f.limit_period WHEN 'day' THEN interval '1 day' WHEN 'week' THEN interval '7 days'
                                   WHEN 'month' THEN interval '30 days' WHEN 'year' THEN interval '365 days' END AS span
      ) lw ON true
      LEFT JOIN LATERAL (
        SELECT count(*)::integer AS n FROM redemptions d
         WHERE d.driver_id = r.driver_id AND d.offer_id = r.offer_id AND d.status IN ('held', 'confirmed')
           AND (lw.span IS NULL OR d.created_at >= (e.x->>'now')::timestamptz - lw.span)
      ) u ON f.id IS NOT NULL
     ORDER BY e.ord
  LOOP
    IF q.wallet_id IS NULL THEN
      answers[q.pos] := jsonb_build_object('refused', 'no_wallet');
      CONTINUE;
    END IF;
    -- a retry of a redeem written before this batch, or of one this batch issued
    IF q.prior_id IS NOT NULL THEN
      answers[q.pos] := CASE WHEN q.prior_hash <> q.req->>'requestHash' THEN jsonb_build_object('refused', 'idempotency_conflict')
                             ELSE market_redemption_json(q.prior, true) END;
      CONTINUE;
    END IF;
    first_pos := (issued->>(q.req->>'requestKey'))::integer;
    IF first_pos IS NOT NULL THEN
      IF reqs->(first_pos - 1)->>'requestHash' <> q.req->>'requestHash' THEN
        answers[q.pos] := jsonb_build_object('refused', 'idempotency_conflict');
      ELSE
        replay_of[q.pos] := first_pos;
      END IF;
      CONTINUE;
    END IF;

    IF q.found_offer IS NULL THEN
      answers[q.pos] := jsonb_build_object('refused', 'offer_not_found');
      CONTINUE;
    END IF;
    IF q.partner_status <> 'active' OR q.status <> 'active' OR q.valid_from > q.now_ts OR q.valid_to <= q.now_ts THEN
      answers[q.pos] := jsonb_build_object('refused', 'offer_not_active', 'status', q.status, 'partnerStatus', q.partner_status,
                                           'validFrom', q.valid_from, 'validTo', q.valid_to);
      CONTINUE;
    END IF;
    IF q.min_grade IS NOT NULL
       AND array_position(ARRAY['B', 'A', 'AA', 'AAA'], q.grade) < array_position(ARRAY['B', 'A', 'AA', 'AAA'], q.min_grade) THEN
      answers[q.pos] := jsonb_build_object('refused', 'grade_too_low', 'grade', q.grade, 'minGrade', q.min_grade);
      CONTINUE;
    END IF;
    use_key := q.driver_id || ':' || q.offer_id;
    IF q.used + coalesce((uses->>use_key)::integer, 0) >= q.per_driver_limit THEN
      answers[q.pos] := jsonb_build_object('refused', 'limit_reached', 'perDriverLimit', q.per_driver_limit, 'limitPeriod', q.limit_period);
      CONTINUE;
    END IF;
    IF q.stock_left - coalesce((taken->>q.offer_id::text)::integer, 0) <= 0 THEN
      answers[q.pos] := jsonb_build_object('refused', 'out_of_stock');
      CONTINUE;
    END IF;
    v_price := round(q.price * (1 - (v_benefits->q.grade->>'priceDiscount')::numeric), 2);
    IF q.available - coalesce((spent->>q.wallet_id::text)::numeric, 0) < v_price THEN
      answers[q.pos] := jsonb_build_object('refused', 'insufficient_funds', 'price', v_price::text);
      CONTINUE;
    END IF;
    IF q.settlement_id IS NULL THEN RAISE EXCEPTION 'partner % has no settlement account', q.partner_id; END IF;

    v_id := (q.req->>'id')::uuid;
    op := jsonb_build_object('op', 'hold', 'key', 'redeem:' || v_id, 'debit', q.wallet_id, 'credit', q.settlement_id,
                             'amount', v_price::text, 'expiresAt', q.req->>'expiresAt', 'code', 'redeem', 'reason', q.title,
                             'actorId', q.driver_id, 'refType', 'redemption', 'refId', v_id);
    ops := ops || jsonb_build_array(op || jsonb_build_object('hash', encode(sha256(convert_to(op::text, 'UTF8')), 'base64')));
    ledger_now := greatest(ledger_now, q.now_ts);
    spent := spent || jsonb_build_object(q.wallet_id::text, coalesce((spent->>q.wallet_id::text)::numeric, 0) + v_price);
    taken := taken || jsonb_build_object(q.offer_id::text, coalesce((taken->>q.offer_id::text)::integer, 0) + 1);
    uses := uses || jsonb_build_object(use_key, coalesce((uses->>use_key)::integer, 0) + 1);
    issued := issued || jsonb_build_object(q.req->>'requestKey', q.pos);
    w_pos := array_append(w_pos, q.pos);
    w_id := array_append(w_id, v_id);
    w_offer := array_append(w_offer, q.offer_id);
    w_driver := array_append(w_driver, q.driver_id);
    w_partner := array_append(w_partner, q.partner_id);
    w_code := array_append(w_code, q.req->>'code');
    w_price := array_append(w_price, v_price);
    w_key := array_append(w_key, q.req->>'requestKey');
    w_hash := array_append(w_hash, q.req->>'requestHash');
    w_expires := array_append(w_expires, (q.req->>'expiresAt')::timestamptz);
    w_created := array_append(w_created, q.now_ts);
  END LOOP;

  IF cardinality(w_id) > 0 THEN
    SELECT array_agg(h ORDER BY k) INTO holds FROM ledger_apply_moves(ops, ledger_now) WITH ORDINALITY AS l(h, k);
    IF EXISTS (SELECT 1 FROM unnest(holds) h WHERE NOT (h->>'ok')::boolean) THEN
      -- The wallets are locked and were checked: only a broken invariant gets here. Undo it all.
      RAISE EXCEPTION 'redeem hold refused: %', (SELECT h FROM unnest(holds) h WHERE NOT (h->>'ok')::boolean LIMIT 1);
    END IF;
    WITH v AS (
      INSERT INTO redemptions (id, offer_id, driver_id, partner_id, hold_id, code, price, status, request_key, request_hash,
                               expires_at, created_at)
      SELECT u.id, u.offer_id, u.driver_id, u.partner_id, (holds[u.k]->>'transferId')::uuid, u.code, u.price, 'held',
             u.request_key, u.request_hash, u.expires_at, u.created_at
        FROM unnest(w_id, w_offer, w_driver, w_partner, w_code, w_price, w_key, w_hash, w_expires, w_created)
             WITH ORDINALITY AS u(id, offer_id, driver_id, partner_id, code, price, request_key, request_hash, expires_at, created_at, k)
      RETURNING *
    )
    SELECT array_agg(w.pos), array_agg(market_redemption_json(v, false))
      INTO written, written_json
      FROM v JOIN unnest(w_id, w_pos) AS w(id, pos) ON w.id = v.id;
    FOR i IN 1..cardinality(written) LOOP
      answers[written[i]] := written_json[i];
    END LOOP;
    FOR i IN 1..n LOOP
      IF replay_of[i] IS NOT NULL THEN answers[i] := answers[replay_of[i]] || jsonb_build_object('replayed', true); END IF;
    END LOOP;
  END IF;

  PERFORM 1 FROM offers WHERE id IN (SELECT key::uuid FROM jsonb_each_text(taken)) ORDER BY id FOR NO KEY UPDATE;
  UPDATE offers f SET stock_left = f.stock_left - t.value::integer
    FROM jsonb_each_text(taken) t
   WHERE f.id = t.key::uuid AND f.status = 'active' AND f.stock_left >= t.value::integer;
  GET DIAGNOSTICS n_taken = ROW_COUNT;
  IF n_taken <> (SELECT count(*) FROM jsonb_object_keys(taken)) THEN
    RAISE EXCEPTION 'an offer of the batch ran out of stock or closed' USING ERRCODE = 'MR409';
  END IF;
  RETURN to_jsonb(answers);
END $$;
--> statement-breakpoint
-- The posting trigger's reference check (migration 0009), with each new leg's transfer and account
-- looked up by index. Written as NOT EXISTS, the planner joined a batch's few dozen legs to all of
-- ledger_transfers by hashing the whole table once it had grown (about 1 ms per batch of redeems in
-- bench:market, more as the ledger grows); a probe per leg costs the same at any size.
-- Same refusals, same messages.
CREATE OR REPLACE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT n.transfer_id, n.account_id INTO bad FROM new_postings n
    LEFT JOIN LATERAL (SELECT true AS found FROM ledger_transfers t WHERE t.id = n.transfer_id LIMIT 1) t ON true
    LEFT JOIN LATERAL (SELECT true AS found FROM ledger_accounts a WHERE a.id = n.account_id LIMIT 1) a ON true
   WHERE t.found IS NULL OR a.found IS NULL
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'a posting refers to a missing transfer % or account %', bad.transfer_id, bad.account_id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  SELECT n.transfer_id, n.pending, sum(n.amount) AS total INTO bad
    FROM new_postings n
   GROUP BY n.transfer_id, n.pending
  HAVING sum(n.amount) <> 0
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'transfer % is unbalanced: its % legs sum to %', bad.transfer_id,
      CASE WHEN bad.pending THEN 'pending' ELSE 'posted' END, bad.total
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
