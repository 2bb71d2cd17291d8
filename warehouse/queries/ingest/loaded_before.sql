-- The load an export was landed as before, if any: an export is known by its entity and checksum.
SELECT load_id FROM ops.loads WHERE entity = $entity AND checksum = $checksum
