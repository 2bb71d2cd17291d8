-- A line the policy approved that is in no complete item of its brief (an email subject without an approved
-- preheader) goes to review instead: it cannot be published alone. adcraft/copy_formats.py says which lines
-- and why (? 1: the reason, ? 2: the line's item_id). A person's decision is left alone.
UPDATE content.decisions
SET decision = 'needs_review', reasons = list_prepend('item: ' || ?, reasons)
WHERE item_id = ? AND decided_by LIKE 'policy:%' AND decision = 'approved';
