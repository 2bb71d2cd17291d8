-- A line the policy approved that is in no complete item of its brief (an email subject without an approved
-- preheader) goes to review instead: it cannot be published alone. adcraft/copy/formats.py says which lines
-- and why ($reason, for the line $item_id). A person's decision is left alone.
UPDATE content.decisions
SET decision = 'needs_review', reasons = list_prepend('item: ' || $reason, reasons)
WHERE item_id = $item_id AND decided_by LIKE 'policy:%' AND decision = 'approved';
