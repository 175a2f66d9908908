-- The posting trigger's check that every new leg names an existing transfer and account was one
-- query, `NOT EXISTS (transfers) OR NOT EXISTS (accounts)`. PostgreSQL cannot run an OR of two
-- NOT EXISTS as anti-joins: it ran each as a hashed subplan, which reads every transfer id and
-- every account id into a hash table on every insert. So each transfer cost more the more
-- transfers there were (0.2 ms of checking on an empty ledger, 0.9 ms after a few thousand
-- transfers, and on without end). Two separate NOT EXISTS are two anti-joins, which probe the
-- primary keys for the handful of new legs. Same checks, same messages.
CREATE OR REPLACE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT n.transfer_id, n.account_id INTO bad FROM new_postings n
   WHERE NOT EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.id = n.transfer_id)
   LIMIT 1;
  IF NOT FOUND THEN
    SELECT n.transfer_id, n.account_id INTO bad FROM new_postings n
     WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.id = n.account_id)
     LIMIT 1;
  END IF;
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
