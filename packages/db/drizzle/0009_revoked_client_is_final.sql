-- Revocation is for good: a revoked client never becomes active or suspended again, through any path (the admin
-- API, the CLI, a config-as-code apply, an import), so a key known to be compromised cannot come back by an
-- edit. Its credentials, permissions and audit history stay for the record; a new client is the way back.
CREATE FUNCTION gatekeeper_revoked_client_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'revoked' AND NEW.status <> 'revoked' THEN
    RAISE EXCEPTION 'client % is revoked, and revocation is final', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'clients_revoked_is_final';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "clients_revoked_is_final" BEFORE UPDATE OF "status" ON "clients"
  FOR EACH ROW EXECUTE FUNCTION gatekeeper_revoked_client_is_final();
