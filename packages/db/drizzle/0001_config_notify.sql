-- Change feed for the authz snapshot cache, and database-side checks drizzle cannot declare.
-- Statements are split by breakpoints because the PGlite migrator runs each one as a single
-- extended-protocol query (one statement per query).

-- The single config_state row the triggers bump.
INSERT INTO "config_state" ("id", "version") VALUES (1, 0) ON CONFLICT ("id") DO NOTHING;
--> statement-breakpoint

-- Each method's rule in routes.methods must be {auth_required: boolean, auth_type: 'api_key'|'hmac'|null}
-- with auth_type null (or absent) exactly when auth_required is false. The keys themselves are checked by
-- routes_methods_check. Immutable and free of table access, so it is safe in a CHECK.
CREATE FUNCTION gatekeeper_valid_route_methods(methods jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT jsonb_typeof(methods) = 'object' AND NOT EXISTS (
    SELECT 1
    FROM jsonb_each(methods) AS m(method, rule)
    WHERE jsonb_typeof(rule) IS DISTINCT FROM 'object'
       OR jsonb_typeof(rule -> 'auth_required') IS DISTINCT FROM 'boolean'
       OR CASE WHEN (rule ->> 'auth_required')::boolean
            THEN (rule ->> 'auth_type') IS NULL OR (rule ->> 'auth_type') NOT IN ('api_key', 'hmac')
            ELSE coalesce(jsonb_typeof(rule -> 'auth_type'), 'null') <> 'null'
          END
  )
$$;
--> statement-breakpoint
ALTER TABLE "routes" ADD CONSTRAINT "routes_methods_rules_check" CHECK (gatekeeper_valid_route_methods("methods"));
--> statement-breakpoint

-- Row trigger on every watched table: give the change the next config version and announce it on
-- the gatekeeper_config channel (delivered to listeners when, and only if, the transaction commits).
--
-- Ordering: the first change in a transaction locks the config_state row (SELECT ... FOR UPDATE) and
-- holds the lock until commit. This deliberately serialises config writers, so version order == commit
-- order: a reader that loaded a snapshot at version N has seen every change numbered <= N and none
-- numbered above it. Every row change gets its own version (consecutive within the transaction, so a
-- listener can spot a gap), and config_state.version equals the last version notified once committed.
--
-- Why not `UPDATE config_state SET version = version + 1 ... RETURNING version` per row: updating one
-- row N times in one transaction builds an N-long chain of row versions that every later update walks,
-- so bulk writes go quadratic (20k rows: 4 s; an import of 100k clients: minutes). Instead the running
-- version lives in a transaction-local setting (reverted with its savepoint, like the notifications
-- queued inside it) and gatekeeper_config_version_flush() writes the row once, at commit.
-- (search_path is pinned at creation so a session with another search_path still finds config_state.)
CREATE FUNCTION gatekeeper_config_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  r jsonb;
  v bigint;
BEGIN
  IF TG_OP = 'DELETE' THEN
    r := to_jsonb(OLD);
  ELSE
    r := to_jsonb(NEW);
  END IF;

  v := nullif(current_setting('gatekeeper.config_version', true), '')::bigint;
  IF v IS NULL THEN
    SELECT cs.version INTO v FROM config_state cs WHERE cs.id = 1 FOR UPDATE;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'config_state row 1 is missing';
    END IF;
  END IF;
  v := v + 1;
  PERFORM set_config('gatekeeper.config_version', v::text, true);

  PERFORM pg_notify('gatekeeper_config', json_build_object(
    'table', TG_TABLE_NAME,
    'op', lower(TG_OP),
    -- rate_limits is keyed by client_id
    'id', coalesce(r ->> 'id', r ->> 'client_id'),
    'client_id', r ->> 'client_id',
    'version', v
  )::text);
  RETURN NULL;
END
$$;
--> statement-breakpoint

-- Deferred to commit: store the transaction's last version in config_state (once; later calls find it
-- already written). Runs under the row lock gatekeeper_config_changed() took.
CREATE FUNCTION gatekeeper_config_version_flush() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  v bigint;
BEGIN
  v := nullif(current_setting('gatekeeper.config_version', true), '')::bigint;
  IF v IS NOT NULL AND v IS DISTINCT FROM nullif(current_setting('gatekeeper.config_version_flushed', true), '')::bigint THEN
    UPDATE config_state SET version = v, updated_at = now() WHERE id = 1;
    PERFORM set_config('gatekeeper.config_version_flushed', v::text, true);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint

CREATE TRIGGER "routes_config_changed" AFTER INSERT OR UPDATE OR DELETE ON "routes"
  FOR EACH ROW EXECUTE FUNCTION gatekeeper_config_changed();
--> statement-breakpoint
CREATE TRIGGER "clients_config_changed" AFTER INSERT OR UPDATE OR DELETE ON "clients"
  FOR EACH ROW EXECUTE FUNCTION gatekeeper_config_changed();
--> statement-breakpoint
CREATE TRIGGER "client_credentials_config_changed" AFTER INSERT OR UPDATE OR DELETE ON "client_credentials"
  FOR EACH ROW EXECUTE FUNCTION gatekeeper_config_changed();
--> statement-breakpoint
CREATE TRIGGER "client_permissions_config_changed" AFTER INSERT OR UPDATE OR DELETE ON "client_permissions"
  FOR EACH ROW EXECUTE FUNCTION gatekeeper_config_changed();
--> statement-breakpoint
CREATE TRIGGER "rate_limits_config_changed" AFTER INSERT OR UPDATE OR DELETE ON "rate_limits"
  FOR EACH ROW EXECUTE FUNCTION gatekeeper_config_changed();
--> statement-breakpoint

CREATE CONSTRAINT TRIGGER "routes_config_version" AFTER INSERT OR UPDATE OR DELETE ON "routes"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION gatekeeper_config_version_flush();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "clients_config_version" AFTER INSERT OR UPDATE OR DELETE ON "clients"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION gatekeeper_config_version_flush();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "client_credentials_config_version" AFTER INSERT OR UPDATE OR DELETE ON "client_credentials"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION gatekeeper_config_version_flush();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "client_permissions_config_version" AFTER INSERT OR UPDATE OR DELETE ON "client_permissions"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION gatekeeper_config_version_flush();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "rate_limits_config_version" AFTER INSERT OR UPDATE OR DELETE ON "rate_limits"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION gatekeeper_config_version_flush();
