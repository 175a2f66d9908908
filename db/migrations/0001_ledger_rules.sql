-- Ledger rules that live in the database: append-only history, balanced transfers, and the
-- ledger operations themselves (one round trip per operation, one per micro-batch).
-- Amounts cross the jsonb boundary as decimal strings, never as JSON numbers.

-- Programme accounts: unbounded, no counters, balances derived from postings.
INSERT INTO ledger_accounts (id, kind, owner_id, bounded) VALUES
  ('00000000-0000-4000-8000-000000000001', 'issuance', NULL, false),
  ('00000000-0000-4000-8000-000000000002', 'settled', NULL, false),
  ('00000000-0000-4000-8000-000000000003', 'expired', NULL, false);
--> statement-breakpoint
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'integrity_constraint_violation';
END $$;
--> statement-breakpoint
CREATE TRIGGER ledger_transfers_append_only BEFORE UPDATE OR DELETE ON ledger_transfers
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
--> statement-breakpoint
CREATE TRIGGER ledger_transfers_no_truncate BEFORE TRUNCATE ON ledger_transfers
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
--> statement-breakpoint
CREATE TRIGGER ledger_postings_append_only BEFORE UPDATE OR DELETE ON ledger_postings
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
--> statement-breakpoint
CREATE TRIGGER ledger_postings_no_truncate BEFORE TRUNCATE ON ledger_postings
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
--> statement-breakpoint
-- Accounts are closed by policy, never deleted: their history must keep pointing somewhere.
CREATE TRIGGER ledger_accounts_no_delete BEFORE DELETE ON ledger_accounts
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
--> statement-breakpoint
CREATE TRIGGER ledger_accounts_no_truncate BEFORE TRUNCATE ON ledger_accounts
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
--> statement-breakpoint
-- Every INSERT into postings must name transfers and accounts that exist and leave each transfer
-- it touches balanced, per phase. Set-based: one check per statement, however many legs.
CREATE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT n.transfer_id, n.account_id INTO bad FROM new_postings n
   WHERE NOT EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.id = n.transfer_id)
      OR NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.id = n.account_id)
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'a posting refers to a missing transfer % or account %', bad.transfer_id, bad.account_id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  SELECT p.transfer_id, p.pending, sum(p.amount) AS total INTO bad
  FROM ledger_postings p
  WHERE p.transfer_id IN (SELECT DISTINCT n.transfer_id FROM new_postings n)
  GROUP BY p.transfer_id, p.pending
  HAVING sum(p.amount) <> 0
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'transfer % is unbalanced: its % legs sum to %', bad.transfer_id,
      CASE WHEN bad.pending THEN 'pending' ELSE 'posted' END, bad.total
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER ledger_postings_balanced AFTER INSERT ON ledger_postings
  REFERENCING NEW TABLE AS new_postings
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_check_balanced();
--> statement-breakpoint
-- A transfer without legs is refused at commit.
CREATE FUNCTION ledger_check_has_postings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM ledger_postings p WHERE p.transfer_id = NEW.id) THEN
    RAISE EXCEPTION 'transfer % has no postings', NEW.id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER ledger_transfers_have_postings AFTER INSERT ON ledger_transfers
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_has_postings();
--> statement-breakpoint
-- Transfer ids are UUIDv7 (RFC 9562) with the sub-millisecond fraction in rand_a, kept
-- monotonic within a session: ordering by id follows commit order on a wallet even when the
-- application clock gives two transfers the same timestamp (and where the server clock only has
-- millisecond resolution, as in PGlite). No sequence, so nothing to contend on.
CREATE FUNCTION ledger_uuid7() RETURNS uuid LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  e numeric := extract(epoch FROM clock_timestamp()) * 1000;
  ms bigint := floor(e);
  sub integer := floor((e - floor(e)) * 4096);
  prior text := current_setting('ledger.last_uuid7', true);
  prior_ms bigint;
  prior_sub integer;
BEGIN
  IF prior IS NOT NULL AND prior <> '' THEN
    prior_ms := split_part(prior, ':', 1)::bigint;
    prior_sub := split_part(prior, ':', 2)::integer;
    IF ms < prior_ms OR (ms = prior_ms AND sub <= prior_sub) THEN
      ms := prior_ms;
      sub := prior_sub + 1;
      IF sub > 4095 THEN ms := ms + 1; sub := 0; END IF;
    END IF;
  END IF;
  PERFORM set_config('ledger.last_uuid7', ms || ':' || sub, false);
  RETURN encode(
           overlay(overlay(uuid_send(gen_random_uuid()) PLACING substring(int8send(ms) FROM 3) FROM 1 FOR 6)
                   PLACING int2send((28672 + sub)::int2) FROM 7 FOR 2),
           'hex')::uuid;
END $$;
--> statement-breakpoint
CREATE FUNCTION ledger_fail(code text, detail text) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object('ok', false, 'code', code, 'detail', detail)
$$;
--> statement-breakpoint
-- A plain transfer (is_hold = false) or a hold (is_hold = true) from `debit` to `credit`.
-- The common cases (earn: issuance -> wallet; redeem: wallet -> partner) touch one bounded row,
-- which its guarded UPDATE locks; two wallets are locked up front in id order.
CREATE FUNCTION ledger_move(op jsonb, now_ts timestamptz, is_hold boolean) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_id uuid := ledger_uuid7();
  v_debit uuid := (op->>'debit')::uuid;
  v_credit uuid := (op->>'credit')::uuid;
  v_amount numeric := (op->>'amount')::numeric;
  v_expires timestamptz := (op->>'expiresAt')::timestamptz;
  d_bounded boolean;
  c_bounded boolean;
  d_after numeric;
  c_after numeric;
  d_seq bigint;
  c_seq bigint;
BEGIN
  IF v_amount IS NULL OR v_amount <= 0 OR v_amount <> round(v_amount, 2) OR v_amount >= 1e18 THEN
    RETURN ledger_fail('invalid_amount', 'amount must be positive, below 10^18, with at most 2 decimal places');
  END IF;
  IF v_debit = v_credit THEN
    RETURN ledger_fail('same_account', 'debit and credit accounts must differ');
  END IF;
  IF is_hold AND v_expires IS NOT NULL AND v_expires <= now_ts THEN
    RETURN ledger_fail('invalid_expiry', 'a hold must expire in the future');
  END IF;
  SELECT bool_or(bounded) FILTER (WHERE id = v_debit), bool_or(bounded) FILTER (WHERE id = v_credit)
    INTO d_bounded, c_bounded
    FROM ledger_accounts WHERE id IN (v_debit, v_credit);
  IF d_bounded IS NULL THEN RETURN ledger_fail('account_not_found', 'debit account ' || v_debit || ' does not exist'); END IF;
  IF c_bounded IS NULL THEN RETURN ledger_fail('account_not_found', 'credit account ' || v_credit || ' does not exist'); END IF;

  IF d_bounded AND c_bounded THEN
    PERFORM 1 FROM ledger_accounts WHERE id IN (v_debit, v_credit) ORDER BY id FOR NO KEY UPDATE;
  END IF;

  IF d_bounded THEN
    IF is_hold THEN
      UPDATE ledger_accounts SET debits_pending = debits_pending + v_amount, entries = entries + 1
       WHERE id = v_debit AND posted - debits_pending >= v_amount RETURNING posted, entries INTO d_after, d_seq;
    ELSE
      UPDATE ledger_accounts SET posted = posted - v_amount, entries = entries + 1
       WHERE id = v_debit AND posted - debits_pending >= v_amount RETURNING posted, entries INTO d_after, d_seq;
    END IF;
    IF NOT FOUND THEN
      RETURN ledger_fail('insufficient_funds', 'the account has less than ' || v_amount || ' available');
    END IF;
  END IF;
  IF c_bounded THEN
    IF is_hold THEN
      UPDATE ledger_accounts SET credits_pending = credits_pending + v_amount, entries = entries + 1
       WHERE id = v_credit RETURNING entries INTO c_seq;
    ELSE
      UPDATE ledger_accounts SET posted = posted + v_amount, entries = entries + 1
       WHERE id = v_credit RETURNING posted, entries INTO c_after, c_seq;
    END IF;
  END IF;

  WITH t AS (
    INSERT INTO ledger_transfers (id, type, code, amount, reason, actor_id, ref_type, ref_id, expires_at, created_at)
    VALUES (v_id, CASE WHEN is_hold THEN 'pending' ELSE 'posted' END,
            coalesce(op->>'code', CASE WHEN is_hold THEN 'hold' ELSE 'transfer' END), v_amount, op->>'reason',
            (op->>'actorId')::uuid, op->>'refType', op->>'refId', CASE WHEN is_hold THEN v_expires END, now_ts)
    RETURNING id
  )
  INSERT INTO ledger_postings (transfer_id, leg, account_id, amount, pending, balance_after, seq, created_at)
  SELECT t.id, l.leg, l.account_id, l.amount, is_hold, l.balance_after, l.seq, now_ts
    FROM t, (VALUES (0::smallint, v_debit, -v_amount, CASE WHEN NOT is_hold THEN d_after END, d_seq),
                    (1::smallint, v_credit, v_amount, CASE WHEN NOT is_hold THEN c_after END, c_seq))
         AS l(leg, account_id, amount, balance_after, seq);
  IF is_hold THEN
    INSERT INTO ledger_open_holds (hold_id, debit_account_id, expires_at) VALUES (v_id, v_debit, v_expires);
  END IF;
  RETURN jsonb_build_object('ok', true, 'transferId', v_id,
    'type', CASE WHEN is_hold THEN 'pending' ELSE 'posted' END,
    'amount', v_amount::numeric(20,2)::text, 'createdAt', now_ts);
END $$;
--> statement-breakpoint
-- Post (capture all or part of) or void a hold. The open-hold row is locked first, then the
-- resolving transfer is inserted under the unique pending_id, then the wallet rows.
CREATE FUNCTION ledger_resolve(op jsonb, now_ts timestamptz, is_post boolean) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_hold uuid := (op->>'holdId')::uuid;
  v_id uuid := ledger_uuid7();
  h record;
  v_debit uuid;
  v_credit uuid;
  d_bounded boolean;
  c_bounded boolean;
  v_capture numeric;
  d_after numeric;
  c_after numeric;
  d_seq bigint;
  c_seq bigint;
  n_legs integer := CASE WHEN is_post THEN 2 ELSE 1 END;
  resolved_as text;
BEGIN
  SELECT t.id, t.amount, t.code, t.expires_at INTO h FROM ledger_transfers t WHERE t.id = v_hold AND t.type = 'pending';
  IF NOT FOUND THEN RETURN ledger_fail('hold_not_found', 'no hold ' || v_hold); END IF;

  PERFORM 1 FROM ledger_open_holds WHERE hold_id = v_hold FOR UPDATE;
  IF NOT FOUND THEN
    SELECT CASE WHEN r.type = 'post_pending' THEN 'posted' ELSE 'voided' END INTO resolved_as
      FROM ledger_transfers r WHERE r.pending_id = v_hold;
    RETURN ledger_fail('hold_already_resolved', 'the hold was already ' || coalesce(resolved_as, 'resolved'));
  END IF;

  IF is_post THEN
    v_capture := coalesce((op->>'amount')::numeric, h.amount);
    IF v_capture <= 0 OR v_capture > h.amount OR v_capture <> round(v_capture, 2) THEN
      RETURN ledger_fail('invalid_amount', 'a capture must be between 0.01 and ' || h.amount);
    END IF;
    IF h.expires_at IS NOT NULL AND h.expires_at <= now_ts THEN
      RETURN ledger_fail('hold_expired', 'the hold expired at ' || h.expires_at);
    END IF;
  END IF;

  INSERT INTO ledger_transfers (id, type, code, amount, reason, actor_id, ref_type, ref_id, pending_id, created_at)
  VALUES (v_id, CASE WHEN is_post THEN 'post_pending' ELSE 'void_pending' END,
          coalesce(op->>'code', CASE WHEN is_post THEN h.code ELSE 'void' END),
          CASE WHEN is_post THEN v_capture ELSE h.amount END, op->>'reason', (op->>'actorId')::uuid,
          op->>'refType', op->>'refId', v_hold, now_ts)
  ON CONFLICT (pending_id) DO NOTHING;
  IF NOT FOUND THEN
    RETURN ledger_fail('hold_already_resolved', 'the hold was already resolved');
  END IF;

  SELECT p.account_id INTO v_debit FROM ledger_postings p WHERE p.transfer_id = v_hold AND p.amount < 0;
  SELECT p.account_id INTO v_credit FROM ledger_postings p WHERE p.transfer_id = v_hold AND p.amount > 0;
  SELECT bounded INTO d_bounded FROM ledger_accounts WHERE id = v_debit;
  SELECT bounded INTO c_bounded FROM ledger_accounts WHERE id = v_credit;
  PERFORM 1 FROM ledger_accounts WHERE id IN (v_debit, v_credit) AND bounded ORDER BY id FOR NO KEY UPDATE;

  -- Each bounded side gets one line releasing the hold and, for a post, one capturing it.
  IF d_bounded THEN
    UPDATE ledger_accounts
       SET debits_pending = debits_pending - h.amount,
           posted = posted - CASE WHEN is_post THEN v_capture ELSE 0 END,
           entries = entries + n_legs
     WHERE id = v_debit RETURNING posted, entries INTO d_after, d_seq;
  END IF;
  IF c_bounded THEN
    UPDATE ledger_accounts
       SET credits_pending = credits_pending - h.amount,
           posted = posted + CASE WHEN is_post THEN v_capture ELSE 0 END,
           entries = entries + n_legs
     WHERE id = v_credit RETURNING posted, entries INTO c_after, c_seq;
  END IF;

  INSERT INTO ledger_postings (transfer_id, leg, account_id, amount, pending, balance_after, seq, created_at)
  SELECT v_id, l.leg, l.account_id, l.amount, l.pending, l.balance_after, l.seq, now_ts
    FROM (VALUES (0::smallint, v_debit, h.amount, true, NULL::numeric, d_seq - n_legs + 1),
                 (1::smallint, v_credit, -h.amount, true, NULL::numeric, c_seq - n_legs + 1),
                 (2::smallint, v_debit, -v_capture, false, d_after, d_seq),
                 (3::smallint, v_credit, v_capture, false, c_after, c_seq))
         AS l(leg, account_id, amount, pending, balance_after, seq)
   WHERE l.leg < 2 OR is_post;
  DELETE FROM ledger_open_holds WHERE hold_id = v_hold;

  RETURN jsonb_build_object('ok', true, 'transferId', v_id, 'holdId', v_hold,
    'type', CASE WHEN is_post THEN 'post_pending' ELSE 'void_pending' END,
    'amount', (CASE WHEN is_post THEN v_capture ELSE h.amount END)::numeric(20,2)::text, 'createdAt', now_ts);
END $$;
--> statement-breakpoint
-- Reverse a posted transfer (or the captured part of a posted hold): mirror its posted legs.
CREATE FUNCTION ledger_reverse(op jsonb, now_ts timestamptz) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_orig uuid := (op->>'transferId')::uuid;
  v_id uuid := ledger_uuid7();
  t record;
BEGIN
  SELECT id, type, amount INTO t FROM ledger_transfers WHERE id = v_orig;
  IF NOT FOUND THEN RETURN ledger_fail('transfer_not_found', 'no transfer ' || v_orig); END IF;
  IF t.type NOT IN ('posted', 'post_pending') THEN
    RETURN ledger_fail('not_reversible', 'a ' || t.type || ' transfer has no posted effect to reverse; void a hold instead');
  END IF;
  IF EXISTS (SELECT 1 FROM ledger_transfers WHERE reverses_id = v_orig) THEN
    RETURN ledger_fail('already_reversed', 'transfer ' || v_orig || ' was already reversed');
  END IF;

  PERFORM 1 FROM ledger_accounts a
   WHERE a.bounded AND a.id IN (SELECT p.account_id FROM ledger_postings p WHERE p.transfer_id = v_orig AND NOT p.pending)
   ORDER BY a.id FOR NO KEY UPDATE;
  -- Every bounded account the reversal debits must afford it (checked under the locks).
  IF EXISTS (
    SELECT 1 FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
     WHERE p.transfer_id = v_orig AND NOT p.pending AND p.amount > 0 AND a.bounded
       AND a.posted - a.debits_pending < p.amount
  ) THEN
    RETURN ledger_fail('insufficient_funds', 'an account has already spent the points this transfer credited');
  END IF;

  INSERT INTO ledger_transfers (id, type, code, amount, reason, actor_id, ref_type, ref_id, reverses_id, created_at)
  VALUES (v_id, 'posted', coalesce(op->>'code', 'reversal'), t.amount, op->>'reason', (op->>'actorId')::uuid,
          op->>'refType', op->>'refId', v_orig, now_ts)
  ON CONFLICT (reverses_id) DO NOTHING;
  IF NOT FOUND THEN
    RETURN ledger_fail('already_reversed', 'transfer ' || v_orig || ' was already reversed');
  END IF;

  -- All legs in one statement: the balance trigger checks each INSERT statement as a whole.
  UPDATE ledger_accounts a SET posted = a.posted - p.amount, entries = a.entries + 1
    FROM ledger_postings p
   WHERE p.transfer_id = v_orig AND NOT p.pending AND p.account_id = a.id AND a.bounded;
  INSERT INTO ledger_postings (transfer_id, leg, account_id, amount, pending, balance_after, seq, created_at)
  SELECT v_id, (row_number() OVER (ORDER BY p.leg) - 1)::smallint, p.account_id, -p.amount, false,
         CASE WHEN a.bounded THEN a.posted END, CASE WHEN a.bounded THEN a.entries END, now_ts
    FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
   WHERE p.transfer_id = v_orig AND NOT p.pending;
  RETURN jsonb_build_object('ok', true, 'transferId', v_id, 'type', 'posted', 'reverses', v_orig,
    'amount', t.amount::numeric(20,2)::text, 'createdAt', now_ts);
END $$;
--> statement-breakpoint
-- One ledger operation under an idempotency key, in the caller's transaction. The key row is
-- claimed first (a concurrent duplicate waits on it), and the result — success or failure — is
-- stored with it, so a retry gets the first answer.
CREATE FUNCTION ledger_apply(op jsonb, now_ts timestamptz) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  k text := op->>'key';
  prior record;
  res jsonb;
BEGIN
  IF k IS NULL OR op->>'hash' IS NULL THEN
    RAISE EXCEPTION 'ledger operations need an idempotency key and request hash';
  END IF;
  INSERT INTO ledger_idempotency (key, request_hash, created_at) VALUES (k, op->>'hash', now_ts)
  ON CONFLICT (key) DO NOTHING;
  IF NOT FOUND THEN
    SELECT request_hash, result INTO prior FROM ledger_idempotency WHERE key = k;
    IF prior.request_hash <> op->>'hash' THEN
      RETURN ledger_fail('idempotency_conflict', 'this idempotency key was already used for a different request');
    END IF;
    RETURN prior.result || jsonb_build_object('replayed', true);
  END IF;

  res := CASE op->>'op'
    WHEN 'transfer' THEN ledger_move(op, now_ts, false)
    WHEN 'hold' THEN ledger_move(op, now_ts, true)
    WHEN 'post' THEN ledger_resolve(op, now_ts, true)
    WHEN 'void' THEN ledger_resolve(op, now_ts, false)
    WHEN 'reverse' THEN ledger_reverse(op, now_ts)
  END;
  IF res IS NULL THEN
    RAISE EXCEPTION 'unknown ledger operation %', op->>'op';
  END IF;
  UPDATE ledger_idempotency SET result = res WHERE key = k;
  RETURN res;
END $$;
--> statement-breakpoint
-- A batch of plain transfers and holds, set-based: claim every key in one INSERT, lock and load
-- every bounded account once (in id order), decide each operation in memory in submission order
-- (each keeps its own outcome, insufficient funds included), then write all transfers, all legs,
-- all holds, all account counters and all idempotency results with one statement each.
-- Same rules and messages as ledger_move.
CREATE FUNCTION ledger_apply_moves(ops jsonb, now_ts timestamptz) RETURNS SETOF jsonb LANGUAGE plpgsql AS $$
DECLARE
  n integer := jsonb_array_length(ops);
  keys text[]; hashes text[]; kinds text[]; debits uuid[]; credits uuid[]; amounts numeric[];
  expiries timestamptz[]; codes text[]; reasons text[]; actors uuid[]; ref_types text[]; ref_ids text[];
  results jsonb[] := array_fill(NULL::jsonb, ARRAY[n]);
  claimed text[];
  acc_id uuid[]; acc_bounded boolean[]; acc_posted numeric[]; acc_dpend numeric[]; acc_cpend numeric[];
  acc_entries bigint[]; acc_touched boolean[];
  t_id uuid[] := '{}'; t_type text[] := '{}'; t_code text[] := '{}'; t_amount numeric[] := '{}';
  t_reason text[] := '{}'; t_actor uuid[] := '{}'; t_ref_type text[] := '{}'; t_ref_id text[] := '{}';
  t_expires timestamptz[] := '{}';
  p_transfer uuid[] := '{}'; p_leg smallint[] := '{}'; p_account uuid[] := '{}'; p_amount numeric[] := '{}';
  p_pending boolean[] := '{}'; p_balance numeric[] := '{}'; p_seq bigint[] := '{}';
  h_id uuid[] := '{}'; h_debit uuid[] := '{}'; h_expires timestamptz[] := '{}';
  r_key text[] := '{}'; r_result jsonb[] := '{}';
  first_of integer[]; is_claimed boolean[]; d_pos integer[]; c_pos integer[];
  i integer; f integer; di integer; ci integer; v_id uuid; is_hold boolean; amt numeric; res jsonb; prior record;
BEGIN
  SELECT array_agg(x->>'key' ORDER BY ord), array_agg(x->>'hash' ORDER BY ord), array_agg(x->>'op' ORDER BY ord),
         array_agg((x->>'debit')::uuid ORDER BY ord), array_agg((x->>'credit')::uuid ORDER BY ord),
         array_agg((x->>'amount')::numeric ORDER BY ord), array_agg((x->>'expiresAt')::timestamptz ORDER BY ord),
         array_agg(x->>'code' ORDER BY ord), array_agg(x->>'reason' ORDER BY ord),
         array_agg((x->>'actorId')::uuid ORDER BY ord), array_agg(x->>'refType' ORDER BY ord),
         array_agg(x->>'refId' ORDER BY ord)
    INTO keys, hashes, kinds, debits, credits, amounts, expiries, codes, reasons, actors, ref_types, ref_ids
    FROM jsonb_array_elements(ops) WITH ORDINALITY AS e(x, ord);
  IF keys IS NULL OR array_position(keys, NULL) IS NOT NULL OR array_position(hashes, NULL) IS NOT NULL THEN
    RAISE EXCEPTION 'ledger operations need an idempotency key and request hash';
  END IF;

  WITH firsts AS (
    SELECT DISTINCT ON (k) k, h FROM unnest(keys, hashes) WITH ORDINALITY AS u(k, h, ord) ORDER BY k, ord
  ), ins AS (
    INSERT INTO ledger_idempotency (key, request_hash, created_at)
    SELECT k, h, now_ts FROM firsts ON CONFLICT (key) DO NOTHING RETURNING key
  )
  SELECT coalesce(array_agg(key), '{}') INTO claimed FROM ins;

  PERFORM 1 FROM ledger_accounts
   WHERE bounded AND id IN (SELECT unnest(debits) UNION SELECT unnest(credits))
   ORDER BY id FOR NO KEY UPDATE;
  SELECT coalesce(array_agg(id ORDER BY id), '{}'), array_agg(bounded ORDER BY id), array_agg(posted ORDER BY id),
         array_agg(debits_pending ORDER BY id), array_agg(credits_pending ORDER BY id), array_agg(entries ORDER BY id)
    INTO acc_id, acc_bounded, acc_posted, acc_dpend, acc_cpend, acc_entries
    FROM ledger_accounts WHERE id IN (SELECT unnest(debits) UNION SELECT unnest(credits));
  acc_touched := array_fill(false, ARRAY[coalesce(array_length(acc_id, 1), 0)]);
  -- Lookups for the loop, computed set-based: where each key first occurs, whether this batch
  -- claimed it, and where each operation's accounts sit in the account arrays.
  SELECT array_agg(w.first ORDER BY w.ord), array_agg(w.claimed ORDER BY w.ord),
         array_agg(w.dpos ORDER BY w.ord), array_agg(w.cpos ORDER BY w.ord)
    INTO first_of, is_claimed, d_pos, c_pos
    FROM (SELECT u.ord, min(u.ord) OVER (PARTITION BY u.k)::integer AS first, u.k = ANY (claimed) AS claimed,
                 da.pos::integer AS dpos, ca.pos::integer AS cpos
            FROM unnest(keys, debits, credits) WITH ORDINALITY AS u(k, d, c, ord)
            LEFT JOIN unnest(acc_id) WITH ORDINALITY AS da(id, pos) ON da.id = u.d
            LEFT JOIN unnest(acc_id) WITH ORDINALITY AS ca(id, pos) ON ca.id = u.c) w;

  FOR i IN 1..n LOOP
    IF NOT is_claimed[i] THEN
      -- a key from an earlier call: every occurrence is answered from what was stored
      SELECT request_hash, result INTO prior FROM ledger_idempotency WHERE key = keys[i];
      results[i] := CASE WHEN prior.request_hash = hashes[i] THEN prior.result || '{"replayed": true}'
                         ELSE ledger_fail('idempotency_conflict', 'this idempotency key was already used for a different request') END;
      CONTINUE;
    END IF;
    f := first_of[i];
    IF f < i THEN
      -- a key this batch claimed, seen again: answered like a retry of its first occurrence
      results[i] := CASE WHEN hashes[i] = hashes[f] THEN results[f] || '{"replayed": true}'
                         ELSE ledger_fail('idempotency_conflict', 'this idempotency key was already used for a different request') END;
      CONTINUE;
    END IF;

    is_hold := kinds[i] = 'hold';
    amt := amounts[i];
    di := d_pos[i];
    ci := c_pos[i];
    IF amt IS NULL OR amt <= 0 OR amt <> round(amt, 2) OR amt >= 1e18 THEN
      res := ledger_fail('invalid_amount', 'amount must be positive, below 10^18, with at most 2 decimal places');
    ELSIF debits[i] = credits[i] THEN
      res := ledger_fail('same_account', 'debit and credit accounts must differ');
    ELSIF is_hold AND expiries[i] IS NOT NULL AND expiries[i] <= now_ts THEN
      res := ledger_fail('invalid_expiry', 'a hold must expire in the future');
    ELSIF di IS NULL THEN
      res := ledger_fail('account_not_found', 'debit account ' || debits[i] || ' does not exist');
    ELSIF ci IS NULL THEN
      res := ledger_fail('account_not_found', 'credit account ' || credits[i] || ' does not exist');
    ELSIF acc_bounded[di] AND acc_posted[di] - acc_dpend[di] < amt THEN
      res := ledger_fail('insufficient_funds', 'the account has less than ' || amt || ' available');
    ELSE
      v_id := ledger_uuid7();
      IF acc_bounded[di] THEN
        IF is_hold THEN acc_dpend[di] := acc_dpend[di] + amt; ELSE acc_posted[di] := acc_posted[di] - amt; END IF;
        acc_entries[di] := acc_entries[di] + 1;
        acc_touched[di] := true;
      END IF;
      IF acc_bounded[ci] THEN
        IF is_hold THEN acc_cpend[ci] := acc_cpend[ci] + amt; ELSE acc_posted[ci] := acc_posted[ci] + amt; END IF;
        acc_entries[ci] := acc_entries[ci] + 1;
        acc_touched[ci] := true;
      END IF;
      t_id := array_append(t_id, v_id);
      t_type := array_append(t_type, CASE WHEN is_hold THEN 'pending' ELSE 'posted' END);
      t_code := array_append(t_code, coalesce(codes[i], CASE WHEN is_hold THEN 'hold' ELSE 'transfer' END));
      t_amount := array_append(t_amount, amt);
      t_reason := array_append(t_reason, reasons[i]);
      t_actor := array_append(t_actor, actors[i]);
      t_ref_type := array_append(t_ref_type, ref_types[i]);
      t_ref_id := array_append(t_ref_id, ref_ids[i]);
      t_expires := array_append(t_expires, CASE WHEN is_hold THEN expiries[i] END);
      -- one array_append per element: plpgsql appends to an expanded array in place
      p_transfer := array_append(p_transfer, v_id);
      p_transfer := array_append(p_transfer, v_id);
      p_leg := array_append(p_leg, 0::smallint);
      p_leg := array_append(p_leg, 1::smallint);
      p_account := array_append(p_account, debits[i]);
      p_account := array_append(p_account, credits[i]);
      p_amount := array_append(p_amount, -amt);
      p_amount := array_append(p_amount, amt);
      p_pending := array_append(p_pending, is_hold);
      p_pending := array_append(p_pending, is_hold);
      p_balance := array_append(p_balance, CASE WHEN acc_bounded[di] AND NOT is_hold THEN acc_posted[di] END);
      p_balance := array_append(p_balance, CASE WHEN acc_bounded[ci] AND NOT is_hold THEN acc_posted[ci] END);
      p_seq := array_append(p_seq, CASE WHEN acc_bounded[di] THEN acc_entries[di] END);
      p_seq := array_append(p_seq, CASE WHEN acc_bounded[ci] THEN acc_entries[ci] END);
      IF is_hold THEN
        h_id := array_append(h_id, v_id);
        h_debit := array_append(h_debit, debits[i]);
        h_expires := array_append(h_expires, expiries[i]);
      END IF;
      res := jsonb_build_object('ok', true, 'transferId', v_id, 'type', CASE WHEN is_hold THEN 'pending' ELSE 'posted' END,
                                'amount', amt::numeric(20,2)::text, 'createdAt', now_ts);
    END IF;
    results[i] := res;
    r_key := array_append(r_key, keys[i]);
    r_result := array_append(r_result, res);
  END LOOP;

  INSERT INTO ledger_transfers (id, type, code, amount, reason, actor_id, ref_type, ref_id, expires_at, created_at)
  SELECT u.id, u.type, u.code, u.amount, u.reason, u.actor, u.ref_type, u.ref_id, u.expires, now_ts
    FROM unnest(t_id, t_type, t_code, t_amount, t_reason, t_actor, t_ref_type, t_ref_id, t_expires)
         AS u(id, type, code, amount, reason, actor, ref_type, ref_id, expires);
  INSERT INTO ledger_postings (transfer_id, leg, account_id, amount, pending, balance_after, seq, created_at)
  SELECT u.transfer_id, u.leg, u.account_id, u.amount, u.pending, u.balance, u.seq, now_ts
    FROM unnest(p_transfer, p_leg, p_account, p_amount, p_pending, p_balance, p_seq)
         AS u(transfer_id, leg, account_id, amount, pending, balance, seq);
  INSERT INTO ledger_open_holds (hold_id, debit_account_id, expires_at)
  SELECT * FROM unnest(h_id, h_debit, h_expires);
  UPDATE ledger_accounts a
     SET posted = u.posted, debits_pending = u.dpend, credits_pending = u.cpend, entries = u.entries
    FROM unnest(acc_id, acc_posted, acc_dpend, acc_cpend, acc_entries, acc_touched)
         AS u(id, posted, dpend, cpend, entries, touched)
   WHERE a.id = u.id AND u.touched;
  UPDATE ledger_idempotency i SET result = u.result
    FROM unnest(r_key, r_result) AS u(key, result) WHERE i.key = u.key;

  RETURN QUERY SELECT r FROM unnest(results) WITH ORDINALITY AS u(r, ord) ORDER BY ord;
END $$;
--> statement-breakpoint
-- Many operations in one transaction (the micro-batcher's commit). Plain transfers and holds go
-- the set-based way; a batch with posts, voids or reversals runs them one by one, after locking
-- every bounded account involved in id order.
CREATE FUNCTION ledger_apply_batch(ops jsonb, now_ts timestamptz) RETURNS SETOF jsonb LANGUAGE plpgsql AS $$
DECLARE
  o jsonb;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM jsonb_array_elements(ops) x WHERE x->>'op' NOT IN ('transfer', 'hold')) THEN
    RETURN QUERY SELECT * FROM ledger_apply_moves(ops, now_ts);
    RETURN;
  END IF;
  PERFORM 1 FROM ledger_accounts a
   WHERE a.bounded AND a.id IN (
     SELECT (x->>'debit')::uuid FROM jsonb_array_elements(ops) x WHERE x ? 'debit'
     UNION SELECT (x->>'credit')::uuid FROM jsonb_array_elements(ops) x WHERE x ? 'credit'
     UNION SELECT p.account_id FROM jsonb_array_elements(ops) x
             JOIN ledger_postings p ON p.transfer_id = (x->>'holdId')::uuid
            WHERE x ? 'holdId')
   ORDER BY a.id FOR NO KEY UPDATE;
  FOR o IN SELECT value FROM jsonb_array_elements(ops) LOOP
    RETURN NEXT ledger_apply(o, now_ts);
  END LOOP;
END $$;
--> statement-breakpoint
-- The expiry job: void up to max_count holds that expired by now_ts. SKIP LOCKED lets several
-- server processes run it at once without doing the same work twice.
CREATE FUNCTION ledger_expire_holds(now_ts timestamptz, max_count integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  claimed uuid[];
  h uuid;
  res jsonb;
  n integer := 0;
BEGIN
  SELECT coalesce(array_agg(hold_id), '{}') INTO claimed FROM (
    SELECT hold_id FROM ledger_open_holds WHERE expires_at <= now_ts
     ORDER BY expires_at LIMIT max_count FOR UPDATE SKIP LOCKED) due;
  -- Then every bounded account those holds touch, in id order, before voiding any of them:
  -- two sweeps (or a sweep and a transfer) then never take two wallets in opposite orders.
  PERFORM 1 FROM ledger_accounts a
   WHERE a.bounded AND a.id IN (SELECT p.account_id FROM ledger_postings p WHERE p.transfer_id = ANY (claimed))
   ORDER BY a.id FOR NO KEY UPDATE;
  FOREACH h IN ARRAY claimed LOOP
    res := ledger_apply(jsonb_build_object('op', 'void', 'key', 'hold-expiry:' || h, 'hash', 'hold-expiry',
      'holdId', h, 'code', 'hold_expired', 'reason', 'hold expired'), now_ts);
    IF (res->>'ok')::boolean THEN n := n + 1; END IF;
  END LOOP;
  RETURN n;
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
