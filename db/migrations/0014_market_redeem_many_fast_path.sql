-- A batch of redeems without a loop, when no redeem of it can change another's answer.
--
-- Measured on one connection with nothing else running (market_redeem_many, 16 redeems a call,
-- pg_stat_statements with track = all): 9.4 ms of PostgreSQL per call, 0.56-0.71 ms of CPU per
-- redemption. Of each call, about 1.7 ms went to market_redeem_many's own loop (some forty PL/pgSQL
-- expressions per redeem, each jsonb accumulator copied on every change), 0.9 ms to
-- ledger_apply_moves's loop, 0.5 ms to the ledger's idempotency claim and its later UPDATE, 0.3 ms
-- to market_redemption_json's two lookups per voucher, and 0.13 ms to turning the holds into JSON and
-- back into arrays.
--
-- Decisions. A redeem is refused for one of two kinds of reason:
--   - its own (no wallet, an earlier voucher for its key, offer not found, not active, grade too
--     low), which nothing else in the batch changes;
--   - what the redeems before it took (the per-driver limit, the stock, the wallet's points).
-- If no redeem of a batch meets the second kind, counting every earlier redeem that passed the
-- first kind as issued, then each is issued exactly as the loop would issue it, so the whole
-- batch is decided by one query with running counts (window functions over arrival order). A
-- batch where some redeem runs short, or where one request key comes twice (and no voucher from
-- before answers it), is handed to the
-- loop (migration 0013's function, renamed market_redeem_many_in_order), which gives the running
-- refusals and the in-batch replays. Same answers, same order of checks, same locks in the same
-- order: test/market/redeem-batch-equivalence.test.ts runs both kinds of batch both ways.
--
-- Holds. ledger_hold_many places holds that the caller decided under its own locks, with one
-- statement per table and no loop: the accounts' counters by a guarded UPDATE (a debit may not
-- take a bounded account below zero, holds counted: it raises rather than overspend), the
-- transfers, the legs (each bounded account's line numbers in order), the open holds, and each
-- hold's idempotency record written with its result at once. It raises on anything the ledger
-- would refuse; a caller's batch then writes nothing and runs its requests one by one.
-- n time-ordered ids at once, as n calls of ledger_uuid7 would draw them (one clock read, one
-- setting written, instead of n of each: 16 µs an id inside a batch of holds).
CREATE FUNCTION ledger_uuid7_many(n integer) RETURNS uuid[] LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  e numeric := extract(epoch FROM clock_timestamp()) * 1000;
  ms bigint := floor(e);
  sub integer := floor((e - floor(e)) * 4096);
  prior text := current_setting('ledger.last_uuid7', true);
  prior_ms bigint;
  prior_sub integer;
BEGIN
  IF n < 1 THEN RETURN '{}'; END IF;
  IF prior IS NOT NULL AND prior <> '' THEN
    prior_ms := split_part(prior, ':', 1)::bigint;
    prior_sub := split_part(prior, ':', 2)::integer;
    IF ms < prior_ms OR (ms = prior_ms AND sub <= prior_sub) THEN
      ms := prior_ms;
      sub := prior_sub + 1;
    END IF;
  END IF;
  -- id k is (ms, sub + k), the sub-millisecond counter carrying into the milliseconds past 4095
  PERFORM set_config('ledger.last_uuid7', (ms + (sub + n - 1) / 4096) || ':' || (sub + n - 1) % 4096, false);
  RETURN ARRAY(
    SELECT encode(
             overlay(overlay(uuid_send(gen_random_uuid()) PLACING substring(int8send(ms + (sub + k) / 4096) FROM 3) FROM 1 FOR 6)
                     PLACING int2send((28672 + (sub + k) % 4096)::int2) FROM 7 FOR 2),
             'hex')::uuid
      FROM generate_series(0, n - 1) AS k ORDER BY k);
END $$;
--> statement-breakpoint
CREATE FUNCTION ledger_hold_many(
  keys text[], hashes text[], debits uuid[], credits uuid[], amounts numeric[], expiries timestamptz[],
  codes text[], reasons text[], actors uuid[], ref_types text[], ref_ids text[], now_ts timestamptz
) RETURNS uuid[] LANGUAGE plpgsql AS $$
DECLARE
  n integer := coalesce(cardinality(keys), 0);
  ids uuid[];
  bad record;
  n_bounded integer;
  acc_id uuid[];
  acc_before bigint[];
BEGIN
  IF n = 0 THEN RETURN '{}'; END IF;
  IF EXISTS (SELECT 1 FROM unnest(ARRAY[cardinality(hashes), cardinality(debits), cardinality(credits), cardinality(amounts),
                                        cardinality(expiries), cardinality(codes), cardinality(reasons), cardinality(actors),
                                        cardinality(ref_types), cardinality(ref_ids)]) AS c(len)
             WHERE c.len IS DISTINCT FROM n) THEN
    RAISE EXCEPTION 'ledger_hold_many: every array must have one element per hold';
  END IF;
  SELECT u.ord, u.k, u.amt, u.d, u.c, u.exp INTO bad
    FROM unnest(keys, hashes, debits, credits, amounts, expiries) WITH ORDINALITY AS u(k, h, d, c, amt, exp, ord)
   WHERE u.k IS NULL OR u.h IS NULL OR u.d IS NULL OR u.c IS NULL OR u.d = u.c
      OR u.amt IS NULL OR u.amt <= 0 OR u.amt <> round(u.amt, 2) OR u.amt >= 1e18
      OR u.exp <= now_ts
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'ledger_hold_many: hold % (key %) breaks a ledger rule: amount %, debit %, credit %, expiry %',
      bad.ord, bad.k, bad.amt, bad.d, bad.c, bad.exp USING ERRCODE = 'check_violation';
  END IF;

  -- Bounded accounts are locked in id order, as every ledger write locks them.
  SELECT count(*) INTO n_bounded FROM (
    SELECT 1 FROM ledger_accounts
     WHERE bounded AND id IN (SELECT unnest(debits) UNION SELECT unnest(credits))
     ORDER BY id FOR NO KEY UPDATE
  ) locked;
  WITH legs AS (
    SELECT u.a AS account, u.amt AS debit, 0::numeric AS credit FROM unnest(debits, amounts) AS u(a, amt)
    UNION ALL
    SELECT u.a, 0, u.amt FROM unnest(credits, amounts) AS u(a, amt)
  ), per AS (
    SELECT account, sum(debit) AS debit, sum(credit) AS credit, count(*) AS n FROM legs GROUP BY account
  ), updated AS (
    UPDATE ledger_accounts a
       SET debits_pending = a.debits_pending + p.debit, credits_pending = a.credits_pending + p.credit, entries = a.entries + p.n
      FROM per p
     WHERE a.id = p.account AND a.bounded AND a.posted - a.debits_pending >= p.debit
    RETURNING a.id, a.entries - p.n AS before
  )
  SELECT coalesce(array_agg(id), '{}'), coalesce(array_agg(before), '{}') INTO acc_id, acc_before FROM updated;
  IF cardinality(acc_id) <> n_bounded THEN
    RAISE EXCEPTION 'ledger_hold_many: an account has fewer points available than its holds' USING ERRCODE = 'check_violation';
  END IF;

  ids := ledger_uuid7_many(n);
  INSERT INTO ledger_transfers (id, type, code, amount, reason, actor_id, ref_type, ref_id, expires_at, created_at)
  SELECT u.id, 'pending', coalesce(u.code, 'hold'), u.amt, u.reason, u.actor, u.ref_type, u.ref_id, u.exp, now_ts
    FROM unnest(ids, codes, amounts, reasons, actors, ref_types, ref_ids, expiries)
         AS u(id, code, amt, reason, actor, ref_type, ref_id, exp);
  -- A bounded account's legs are numbered on from its count, in hold order, debit leg first.
  INSERT INTO ledger_postings (transfer_id, leg, account_id, amount, pending, balance_after, seq, created_at)
  SELECT l.id, l.leg, l.account, l.amount, true, NULL,
         b.before + row_number() OVER (PARTITION BY l.account ORDER BY l.ord, l.leg), now_ts
    FROM (SELECT u.ord, u.id, 0::smallint AS leg, u.a AS account, -u.amt AS amount
            FROM unnest(ids, debits, amounts) WITH ORDINALITY AS u(id, a, amt, ord)
          UNION ALL
          SELECT u.ord, u.id, 1::smallint, u.a, u.amt
            FROM unnest(ids, credits, amounts) WITH ORDINALITY AS u(id, a, amt, ord)) l
    LEFT JOIN unnest(acc_id, acc_before) AS b(id, before) ON b.id = l.account;
  INSERT INTO ledger_open_holds (hold_id, debit_account_id, expires_at)
  SELECT * FROM unnest(ids, debits, expiries);
  -- Fresh keys only: a key used before is a unique violation, and nothing of the call stays.
  INSERT INTO ledger_idempotency (key, request_hash, result, created_at)
  SELECT u.k, u.h,
         jsonb_build_object('ok', true, 'transferId', u.id, 'type', 'pending', 'amount', u.amt::numeric(20,2)::text, 'createdAt', now_ts),
         now_ts
    FROM unnest(keys, hashes, ids, amounts) AS u(k, h, id, amt);
  RETURN ids;
END $$;
--> statement-breakpoint
ALTER FUNCTION market_redeem_many(jsonb, jsonb) RENAME TO market_redeem_many_in_order;
--> statement-breakpoint
CREATE FUNCTION market_redeem_many(reqs jsonb, default_benefits jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_benefits jsonb;
  in_order boolean;
  refused_pos integer[];
  refused_answer jsonb[];
  -- the vouchers to write, in arrival order
  w_pos integer[]; w_id uuid[]; w_offer uuid[]; w_driver uuid[]; w_partner uuid[]; w_wallet uuid[]; w_settlement uuid[];
  w_code text[]; w_price numeric[]; w_key text[]; w_hash text[]; w_expires timestamptz[]; w_created timestamptz[];
  w_title text[]; w_face text[]; w_partner_name text[]; w_partner_address text[];
  w_missing_settlement uuid;
  holds uuid[];
  n_taken integer;
  n_offers integer;
BEGIN
  PERFORM 1 FROM ledger_accounts a
   WHERE a.kind = 'driver_wallet' AND a.owner_id IN (SELECT (x->>'driverId')::uuid FROM jsonb_array_elements(reqs) x)
   ORDER BY a.id FOR NO KEY UPDATE;
  SELECT policy->'benefits' INTO v_benefits FROM rating_policy_versions
   WHERE effective_from <= now() ORDER BY effective_from DESC, version DESC LIMIT 1;
  v_benefits := coalesce(v_benefits, default_benefits);

  WITH q AS (
    SELECT e.ord::integer AS pos, (e.x->>'now')::timestamptz AS now_ts, r.driver_id, r.offer_id,
           (e.x->>'id')::uuid AS id, e.x->>'code' AS code, e.x->>'requestKey' AS request_key,
           e.x->>'requestHash' AS request_hash, (e.x->>'expiresAt')::timestamptz AS expires_at,
           w.id AS wallet_id, w.posted - w.debits_pending AS available,
           f.id AS found_offer, f.status, f.valid_from, f.valid_to, f.min_grade, f.per_driver_limit, f.limit_period,
           f.stock_left, f.price, f.title, f.face_value, f.partner_id, p.status AS partner_status, p.name AS partner_name,
           p.address AS partner_address, coalesce(g.grade, 'B') AS grade, s.id AS settlement_id, u.n AS used,
           (pr.d).id AS prior_id, (pr.d).request_hash AS prior_hash, pr.d AS prior
      FROM jsonb_array_elements(reqs) WITH ORDINALITY AS e(x, ord)
     CROSS JOIN LATERAL (SELECT (e.x->>'driverId')::uuid AS driver_id, (e.x->>'offerId')::uuid AS offer_id) r
      -- Each lookup a probe of its index (LIMIT 1), as in migration 0013.
      LEFT JOIN LATERAL (SELECT a.id, a.posted, a.debits_pending FROM ledger_accounts a
                          WHERE a.kind = 'driver_wallet' AND a.owner_id = r.driver_id LIMIT 1) w ON true
      LEFT JOIN LATERAL (SELECT d FROM redemptions d WHERE d.request_key = e.x->>'requestKey' LIMIT 1) pr ON true
      LEFT JOIN LATERAL (SELECT o.* FROM offers o WHERE o.id = r.offer_id LIMIT 1) f ON true
      LEFT JOIN LATERAL (SELECT pa.status, pa.name, pa.address FROM partners pa WHERE pa.id = f.partner_id LIMIT 1) p ON true
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
  ), own AS (
    -- The refusals a redeem meets on its own, in market_redeem's order of checks. A key twice
    -- only matters where no earlier voucher answers it: those go to the loop.
    SELECT q.*, count(*) FILTER (WHERE q.wallet_id IS NOT NULL AND q.prior_id IS NULL) OVER (PARTITION BY q.request_key) AS key_count,
           round(q.price * (1 - (v_benefits->q.grade->>'priceDiscount')::numeric), 2) AS v_price,
           CASE
             WHEN q.wallet_id IS NULL THEN jsonb_build_object('refused', 'no_wallet')
             WHEN q.prior_id IS NOT NULL THEN
               CASE WHEN q.prior_hash <> q.request_hash THEN jsonb_build_object('refused', 'idempotency_conflict')
                    ELSE market_redemption_json(q.prior, true) END
             WHEN q.found_offer IS NULL THEN jsonb_build_object('refused', 'offer_not_found')
             WHEN q.partner_status <> 'active' OR q.status <> 'active' OR q.valid_from > q.now_ts OR q.valid_to <= q.now_ts THEN
               jsonb_build_object('refused', 'offer_not_active', 'status', q.status, 'partnerStatus', q.partner_status,
                                  'validFrom', q.valid_from, 'validTo', q.valid_to)
             WHEN q.min_grade IS NOT NULL
                  AND array_position(ARRAY['B', 'A', 'AA', 'AAA'], q.grade) < array_position(ARRAY['B', 'A', 'AA', 'AAA'], q.min_grade) THEN
               jsonb_build_object('refused', 'grade_too_low', 'grade', q.grade, 'minGrade', q.min_grade)
           END AS answer
      FROM q
  ), running AS (
    -- Every redeem that passed its own checks, counted as issued: does any run short?
    SELECT own.*,
           own.used + count(*) OVER (PARTITION BY own.driver_id, own.offer_id ORDER BY own.pos) > own.per_driver_limit
           OR count(*) OVER (PARTITION BY own.offer_id ORDER BY own.pos) > own.stock_left
           OR sum(own.v_price) OVER (PARTITION BY own.wallet_id ORDER BY own.pos) > own.available AS short
      FROM own WHERE own.answer IS NULL
  )
  SELECT coalesce((SELECT bool_or(key_count > 1) FROM own), false) OR coalesce((SELECT bool_or(short) FROM running), false),
         (SELECT array_agg(pos ORDER BY pos) FROM own WHERE answer IS NOT NULL),
         (SELECT array_agg(answer ORDER BY pos) FROM own WHERE answer IS NOT NULL),
         r.pos, r.id, r.offer, r.driver, r.partner, r.wallet, r.settlement, r.code, r.price, r.key, r.hash, r.expires,
         r.created, r.title, r.face, r.pname, r.paddress, r.missing
    INTO in_order, refused_pos, refused_answer, w_pos, w_id, w_offer, w_driver, w_partner, w_wallet, w_settlement,
         w_code, w_price, w_key, w_hash, w_expires, w_created, w_title, w_face, w_partner_name, w_partner_address,
         w_missing_settlement
    FROM (SELECT array_agg(pos ORDER BY pos) AS pos, array_agg(id ORDER BY pos) AS id, array_agg(offer_id ORDER BY pos) AS offer,
                 array_agg(driver_id ORDER BY pos) AS driver, array_agg(partner_id ORDER BY pos) AS partner,
                 array_agg(wallet_id ORDER BY pos) AS wallet, array_agg(settlement_id ORDER BY pos) AS settlement,
                 array_agg(code ORDER BY pos) AS code, array_agg(v_price ORDER BY pos) AS price,
                 array_agg(request_key ORDER BY pos) AS key, array_agg(request_hash ORDER BY pos) AS hash,
                 array_agg(expires_at ORDER BY pos) AS expires, array_agg(now_ts ORDER BY pos) AS created,
                 array_agg(title ORDER BY pos) AS title, array_agg(face_value ORDER BY pos) AS face,
                 array_agg(partner_name ORDER BY pos) AS pname, array_agg(partner_address ORDER BY pos) AS paddress,
                 (array_agg(partner_id) FILTER (WHERE settlement_id IS NULL))[1] AS missing
            FROM running) r;

  IF in_order THEN
    RETURN market_redeem_many_in_order(reqs, default_benefits);
  END IF;

  IF w_pos IS NOT NULL THEN
    IF w_missing_settlement IS NOT NULL THEN RAISE EXCEPTION 'partner % has no settlement account', w_missing_settlement; END IF;
    -- Every hold is stamped with the latest `now` among the batch's vouchers, as in migration 0013.
    holds := ledger_hold_many(
      ARRAY(SELECT 'redeem:' || i FROM unnest(w_id) i), w_hash, w_wallet, w_settlement, w_price, w_expires,
      array_fill('redeem'::text, ARRAY[cardinality(w_id)]), w_title, w_driver,
      array_fill('redemption'::text, ARRAY[cardinality(w_id)]), w_id::text[],
      (SELECT max(c) FROM unnest(w_created) c));
    INSERT INTO redemptions (id, offer_id, driver_id, partner_id, hold_id, code, price, status, request_key, request_hash,
                             expires_at, created_at)
    SELECT u.id, u.offer_id, u.driver_id, u.partner_id, u.hold_id, u.code, u.price, 'held', u.request_key, u.request_hash,
           u.expires_at, u.created_at
      FROM unnest(w_id, w_offer, w_driver, w_partner, holds, w_code, w_price, w_key, w_hash, w_expires, w_created)
           AS u(id, offer_id, driver_id, partner_id, hold_id, code, price, request_key, request_hash, expires_at, created_at);

    -- Stock last, for the whole batch at once, offers locked in id order (migration 0012).
    SELECT count(*) INTO n_offers FROM (SELECT DISTINCT o FROM unnest(w_offer) o) d;
    PERFORM 1 FROM offers WHERE id IN (SELECT unnest(w_offer)) ORDER BY id FOR NO KEY UPDATE;
    UPDATE offers f SET stock_left = f.stock_left - t.n
      FROM (SELECT o, count(*)::integer AS n FROM unnest(w_offer) o GROUP BY o) t
     WHERE f.id = t.o AND f.status = 'active' AND f.stock_left >= t.n;
    GET DIAGNOSTICS n_taken = ROW_COUNT;
    IF n_taken <> n_offers THEN
      RAISE EXCEPTION 'an offer of the batch ran out of stock or closed' USING ERRCODE = 'MR409';
    END IF;
  END IF;

  -- The vouchers' answers are made from what was just written, as market_redemption_json makes them.
  RETURN coalesce((
    SELECT jsonb_agg(a.answer ORDER BY a.pos) FROM (
      SELECT u.pos, u.answer FROM unnest(refused_pos, refused_answer) AS u(pos, answer)
      UNION ALL
      SELECT u.pos, jsonb_build_object(
               'replayed', false,
               'redemption', jsonb_build_object(
                 'id', u.id, 'offerId', u.offer_id, 'driverId', u.driver_id, 'partnerId', u.partner_id, 'holdId', u.hold_id,
                 'code', u.code, 'price', u.price::numeric(20,2)::text, 'captured', NULL::text, 'status', 'held',
                 'requestKey', u.request_key, 'requestHash', u.request_hash, 'expiresAt', u.expires_at, 'createdAt', u.created_at,
                 'resolvedAt', NULL::timestamptz, 'resolvedBy', NULL::uuid, 'settlementId', NULL::uuid),
               'offerTitle', u.title, 'faceValue', u.face_value, 'partnerName', u.partner_name, 'partnerAddress', u.partner_address)
        FROM unnest(w_pos, w_id, w_offer, w_driver, w_partner, holds, w_code, w_price, w_key, w_hash, w_expires, w_created,
                    w_title, w_face, w_partner_name, w_partner_address)
             AS u(pos, id, offer_id, driver_id, partner_id, hold_id, code, price, request_key, request_hash, expires_at,
                  created_at, title, face_value, partner_name, partner_address)
    ) a
  ), '[]');
END $$;
