-- The posting trigger's balance check read back every leg of every transfer a statement touched,
-- from ledger_postings, to sum them. It only needs the statement's own new legs: postings are
-- append-only (UPDATE, DELETE and TRUNCATE are refused), so after a statement a transfer's legs
-- in one phase sum to what they summed to before plus the new legs' sum; every statement since
-- the first has been checked, so what they summed to before is zero, and the transfer is
-- balanced exactly when its new legs sum to zero. Same refusals, same messages; no index probe
-- per transfer (a 2,000-payment bulk issuance read 4,000 legs back to check them).
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
