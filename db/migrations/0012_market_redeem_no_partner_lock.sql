-- Redeems no longer lock the partner's settlement account. It is unbounded: the ledger keeps no
-- counters on it and never locks it (ledger_move and ledger_resolve lock bounded accounts only), so
-- the lock guarded nothing, and every redeem of a partner's offers waited on that one row, which
-- DESIGN §4 rules out ("must not become a hot row that serialises all traffic"). Under load the
-- redeem batches of two server processes queued on it: 7.7 s of 18.8 s spent in market_redeem_many
-- (pg_stat_statements, bench:market) was that first lock.
--
-- What a redeem locks now: its driver's wallet first (a driver's redeems serialise, so the
-- per-driver limit and the balance hold), and its offer's row last, when it takes one from stock.
-- A batch takes all its wallets in id order first, and takes its stock at the very end, every
-- offer's share in one guarded UPDATE after locking those offers in id order: two batches then
-- never take two offers in opposite orders, and an offer's row is held only from there to the
-- commit, not for the whole batch. Every other path that touches both takes the account first and
-- the offer last (cancel, reject, the voucher expiry sweep; confirm never takes the offer), so
-- none can deadlock with a redeem.
--
-- Inside a batch, market_redeem gets `stockTaken` (what earlier redeems of the batch took from
-- the offer and the batch has not yet written) and leaves the stock to the batch. If the final
-- UPDATE finds less stock than the batch took (another transaction took it since the batch read
-- it), or the offer closed, it raises MR409 and nothing of the batch is written: the app then runs
-- its redeems one by one, each with its own answer.
CREATE OR REPLACE FUNCTION market_redeem(req jsonb, now_ts timestamptz, default_benefits jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_driver uuid := (req->>'driverId')::uuid;
  v_offer uuid := (req->>'offerId')::uuid;
  v_id uuid := (req->>'id')::uuid;
  v_wallet uuid;
  v_available numeric;
  v_partner uuid;
  prior redemptions;
  o record;
  v_grade text;
  v_benefits jsonb;
  v_price numeric;
  v_used integer;
  v_window interval;
  v_settlement uuid;
  v_op jsonb;
  v_hold jsonb;
  created redemptions;
BEGIN
  -- The offer as it stands (not locked: the stock is taken with a guarded UPDATE at the end).
  SELECT f.*, p.status AS partner_status INTO o FROM offers f JOIN partners p ON p.id = f.partner_id WHERE f.id = v_offer;
  IF FOUND THEN v_partner := o.partner_id; END IF;
  -- The wallet, locked: a driver's redeems serialise here. The partner's settlement account is
  -- unbounded (no counters), so the hold only appends to it and nothing locks it.
  SELECT id, posted - debits_pending INTO v_wallet, v_available
    FROM ledger_accounts WHERE kind = 'driver_wallet' AND owner_id = v_driver FOR NO KEY UPDATE;
  IF NOT FOUND THEN RETURN jsonb_build_object('refused', 'no_wallet'); END IF;

  -- The wallet lock orders a driver's redeems: a retry that raced its first call finds it here,
  -- and answers with its voucher even if the offer has closed since.
  SELECT * INTO prior FROM redemptions WHERE request_key = req->>'requestKey';
  IF FOUND THEN
    IF prior.request_hash <> req->>'requestHash' THEN RETURN jsonb_build_object('refused', 'idempotency_conflict'); END IF;
    RETURN market_redemption_json(prior, true);
  END IF;

  IF v_partner IS NULL THEN RETURN jsonb_build_object('refused', 'offer_not_found'); END IF;
  IF o.partner_status <> 'active' OR o.status <> 'active' OR o.valid_from > now_ts OR o.valid_to <= now_ts THEN
    RETURN jsonb_build_object('refused', 'offer_not_active', 'status', o.status, 'partnerStatus', o.partner_status,
                              'validFrom', o.valid_from, 'validTo', o.valid_to);
  END IF;

  SELECT coalesce((SELECT grade FROM driver_ratings WHERE driver_id = v_driver), 'B') INTO v_grade;
  IF o.min_grade IS NOT NULL
     AND array_position(ARRAY['B', 'A', 'AA', 'AAA'], v_grade) < array_position(ARRAY['B', 'A', 'AA', 'AAA'], o.min_grade) THEN
    RETURN jsonb_build_object('refused', 'grade_too_low', 'grade', v_grade, 'minGrade', o.min_grade);
  END IF;

  v_window := CASE o.limit_period WHEN 'day' THEN interval '1 day' WHEN 'week' THEN interval '7 days'
                                  WHEN 'month' THEN interval '30 days' WHEN 'year' THEN interval '365 days' END;
  SELECT count(*) INTO v_used FROM redemptions
   WHERE driver_id = v_driver AND offer_id = v_offer AND status IN ('held', 'confirmed')
     AND (v_window IS NULL OR created_at >= now_ts - v_window);
  IF v_used >= o.per_driver_limit THEN
    RETURN jsonb_build_object('refused', 'limit_reached', 'perDriverLimit', o.per_driver_limit, 'limitPeriod', o.limit_period);
  END IF;
  IF o.stock_left - coalesce((req->>'stockTaken')::integer, 0) <= 0 THEN RETURN jsonb_build_object('refused', 'out_of_stock'); END IF;

  SELECT policy->'benefits' INTO v_benefits FROM rating_policy_versions
   WHERE effective_from <= now() ORDER BY effective_from DESC, version DESC LIMIT 1;
  v_price := round(o.price * (1 - (coalesce(v_benefits, default_benefits)->v_grade->>'priceDiscount')::numeric), 2);
  IF v_available < v_price THEN RETURN jsonb_build_object('refused', 'insufficient_funds', 'price', v_price::text); END IF;

  SELECT id INTO v_settlement FROM ledger_accounts WHERE kind = 'partner_settlement' AND owner_id = o.partner_id;
  IF NOT FOUND THEN RAISE EXCEPTION 'partner % has no settlement account', o.partner_id; END IF;

  v_op := jsonb_build_object('op', 'hold', 'key', 'redeem:' || v_id, 'debit', v_wallet, 'credit', v_settlement,
                             'amount', v_price::text, 'expiresAt', req->>'expiresAt', 'code', 'redeem', 'reason', o.title,
                             'actorId', v_driver, 'refType', 'redemption', 'refId', v_id);
  v_hold := ledger_apply(v_op || jsonb_build_object('hash', encode(sha256(convert_to(v_op::text, 'UTF8')), 'base64')), now_ts);
  IF NOT (v_hold->>'ok')::boolean THEN
    -- The wallet is locked and was checked: only a broken invariant gets here. Undo it all.
    RAISE EXCEPTION 'redeem hold refused: %', v_hold;
  END IF;
  -- Stock taken by a redeem that committed after our read: undo the hold with the statement.
  -- In a batch (`stockTaken` given), the batch takes the stock at its end.
  IF NOT req ? 'stockTaken' THEN
    UPDATE offers SET stock_left = stock_left - 1 WHERE id = v_offer AND status = 'active' AND stock_left > 0;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'offer % ran out of stock' , v_offer USING ERRCODE = 'MR409';
    END IF;
  END IF;

  INSERT INTO redemptions (id, offer_id, driver_id, partner_id, hold_id, code, price, status, request_key, request_hash,
                           expires_at, created_at)
  VALUES (v_id, v_offer, v_driver, o.partner_id, (v_hold->>'transferId')::uuid, req->>'code', v_price, 'held',
          req->>'requestKey', req->>'requestHash', (req->>'expiresAt')::timestamptz, now_ts)
  RETURNING * INTO created;
  RETURN market_redemption_json(created, false);
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION market_redeem_many(reqs jsonb, default_benefits jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  r jsonb;
  answer jsonb;
  offer_key text;
  before integer;
  taken jsonb := '{}';
  answers jsonb[] := '{}';
  n_taken integer;
BEGIN
  PERFORM 1 FROM ledger_accounts a
   WHERE a.kind = 'driver_wallet' AND a.owner_id IN (SELECT (x->>'driverId')::uuid FROM jsonb_array_elements(reqs) x)
   ORDER BY a.id FOR NO KEY UPDATE;
  FOR r IN SELECT value FROM jsonb_array_elements(reqs) WITH ORDINALITY AS e(value, n) ORDER BY n LOOP
    -- Counted by the uuid, not by how the request spelt it (upper or lower case).
    offer_key := (r->>'offerId')::uuid::text;
    before := coalesce((taken->>offer_key)::integer, 0);
    answer := market_redeem(r || jsonb_build_object('stockTaken', before), (r->>'now')::timestamptz, default_benefits);
    IF answer->>'refused' IS NULL AND NOT (answer->>'replayed')::boolean THEN
      taken := taken || jsonb_build_object(offer_key, before + 1);
    END IF;
    answers := answers || answer;
  END LOOP;
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
