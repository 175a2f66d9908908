-- A redemption in one round trip. Under load a redeem was thirteen round trips from the app
-- (begin, wallet lock, replay check, offer, limit count, stock, settlement account, hold, insert,
-- commit, details), and the app spent its time waiting on them with the wallet row locked. This
-- function runs the same steps in the same order, inside the caller's statement:
--
--   lock the driver's wallet (a driver's redeems serialise, so the per-driver limit holds)
--   -> a stored redemption under the same request key answers as a replay (or a conflict)
--   -> the offer must exist and be open, the driver's grade must meet its minimum, the driver
--      must be under the offer's limit, there must be stock and enough available points
--   -> place the ledger hold (ledger_apply), take one from stock (guarded), insert the voucher.
--
-- Locks are taken accounts first (the wallet and the partner's settlement account, in id
-- order, as the ledger takes them), the offer's row last: the order of every other path that touches both (cancel, confirm,
-- the expiry sweep: the voucher, its accounts, then the offer), so none of them can deadlock
-- with a redeem, nor with a batch of redeems that locks all its accounts up front.
--
-- Every refusal comes before the first write and returns {refused: code, ...what the message
-- needs}; the app words the problem. A failure after the first write raises, so the statement is
-- undone: stock taken by another redeem after our read raises `MR409`, which the app answers
-- as out of stock. Prices are the offer's price less the discount of the
-- driver's grade under the rating policy in force (`default_benefits` before any is stored),
-- rounded half-up to the cent, as priceFor() does.
CREATE FUNCTION market_redeem(req jsonb, now_ts timestamptz, default_benefits jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
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
  -- The wallet and the partner's settlement account, in id order, as the ledger takes them.
  PERFORM 1 FROM ledger_accounts
   WHERE (kind = 'driver_wallet' AND owner_id = v_driver) OR (kind = 'partner_settlement' AND owner_id = v_partner)
   ORDER BY id FOR NO KEY UPDATE;
  SELECT id, posted - debits_pending INTO v_wallet, v_available
    FROM ledger_accounts WHERE kind = 'driver_wallet' AND owner_id = v_driver;
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
  IF o.stock_left <= 0 THEN RETURN jsonb_build_object('refused', 'out_of_stock'); END IF;

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
    -- The wallet is locked and was checked: only a broken invariant gets here. Undo the stock.
    RAISE EXCEPTION 'redeem hold refused: %', v_hold;
  END IF;
  -- Stock taken by a redeem that committed after our read: undo the hold with the statement.
  UPDATE offers SET stock_left = stock_left - 1 WHERE id = v_offer AND status = 'active' AND stock_left > 0;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'offer % ran out of stock' , v_offer USING ERRCODE = 'MR409';
  END IF;

  INSERT INTO redemptions (id, offer_id, driver_id, partner_id, hold_id, code, price, status, request_key, request_hash,
                           expires_at, created_at)
  VALUES (v_id, v_offer, v_driver, o.partner_id, (v_hold->>'transferId')::uuid, req->>'code', v_price, 'held',
          req->>'requestKey', req->>'requestHash', (req->>'expiresAt')::timestamptz, now_ts)
  RETURNING * INTO created;
  RETURN market_redemption_json(created, false);
END $$;
--> statement-breakpoint
-- A redemption with what its voucher shows, as the app reads it: amounts as decimal strings.
CREATE FUNCTION market_redemption_json(r redemptions, replayed boolean) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'replayed', replayed,
    'redemption', jsonb_build_object(
      'id', r.id, 'offerId', r.offer_id, 'driverId', r.driver_id, 'partnerId', r.partner_id, 'holdId', r.hold_id,
      'code', r.code, 'price', r.price::text, 'captured', r.captured::text, 'status', r.status,
      'requestKey', r.request_key, 'requestHash', r.request_hash, 'expiresAt', r.expires_at, 'createdAt', r.created_at,
      'resolvedAt', r.resolved_at, 'resolvedBy', r.resolved_by, 'settlementId', r.settlement_id),
    'offerTitle', f.title, 'faceValue', f.face_value, 'partnerName', p.name, 'partnerAddress', p.address)
  FROM offers f, partners p WHERE f.id = r.offer_id AND p.id = r.partner_id
$$;
--> statement-breakpoint
-- Many redeems in one transaction and one commit, in the order given, each answered as
-- market_redeem answers it alone (each request carries its own `now`). A redeem refused here
-- wrote nothing; one that raises aborts the batch, and the app then runs them one by one.
-- Every account the batch can touch (the drivers' wallets, the offers' partners' settlement
-- accounts) is locked first, in id order, as the ledger locks accounts; offer rows come after.
CREATE FUNCTION market_redeem_many(reqs jsonb, default_benefits jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  r jsonb;
  answers jsonb[] := '{}';
BEGIN
  PERFORM 1 FROM ledger_accounts a
   WHERE (a.kind = 'driver_wallet' AND a.owner_id IN (SELECT (x->>'driverId')::uuid FROM jsonb_array_elements(reqs) x))
      OR (a.kind = 'partner_settlement'
          AND a.owner_id IN (SELECT f.partner_id FROM offers f
                              WHERE f.id IN (SELECT (x->>'offerId')::uuid FROM jsonb_array_elements(reqs) x)))
   ORDER BY a.id FOR NO KEY UPDATE;
  FOR r IN SELECT value FROM jsonb_array_elements(reqs) WITH ORDINALITY AS e(value, n) ORDER BY n LOOP
    answers := answers || market_redeem(r, (r->>'now')::timestamptz, default_benefits);
  END LOOP;
  RETURN to_jsonb(answers);
END $$;
