CREATE TABLE "config_change_sets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"actor_type" text NOT NULL,
	"creates" integer NOT NULL,
	"updates" integer NOT NULL,
	"deletes" integer NOT NULL,
	"config_version" bigint
);
--> statement-breakpoint
CREATE INDEX "config_change_sets_applied_at_idx" ON "config_change_sets" USING btree ("applied_at","id");--> statement-breakpoint
CREATE INDEX "admin_audit_log_request_id_idx" ON "admin_audit_log" USING btree ("request_id");--> statement-breakpoint
-- Batches: a transaction that sets gatekeeper.config_batch (SET LOCAL, to the change-set id) commits as ONE
-- config version with ONE notification, {"table":"*","op":"batch","id":<the setting>,"version":v}, however
-- many rows it changes. A listener cannot apply that by re-reading rows, so it reloads its snapshot; it then
-- goes from the version before the batch to the batch's version in one step and never holds part of it
-- (a per-row run of versions would expose every intermediate state to a listener applying them one by one).
-- An older listener that does not know the payload treats it as unreadable, which also means a full reload.
-- Row changes made in the same transaction outside the setting keep their own versions and notifications.
CREATE OR REPLACE FUNCTION gatekeeper_config_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  r jsonb;
  v bigint;
  batch text;
BEGIN
  batch := nullif(current_setting('gatekeeper.config_batch', true), '');
  v := nullif(current_setting('gatekeeper.config_version', true), '')::bigint;
  IF batch IS NOT NULL AND v IS NOT NULL
     AND v = nullif(current_setting('gatekeeper.config_batch_version', true), '')::bigint THEN
    -- this batch already has its version and its notification
    RETURN NULL;
  END IF;

  IF v IS NULL THEN
    SELECT cs.version INTO v FROM config_state cs WHERE cs.id = 1 FOR UPDATE;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'config_state row 1 is missing';
    END IF;
  END IF;
  v := v + 1;
  PERFORM set_config('gatekeeper.config_version', v::text, true);

  IF batch IS NOT NULL THEN
    PERFORM set_config('gatekeeper.config_batch_version', v::text, true);
    PERFORM pg_notify('gatekeeper_config', json_build_object(
      'table', '*',
      'op', 'batch',
      'id', batch,
      'client_id', NULL,
      'version', v
    )::text);
    RETURN NULL;
  END IF;

  IF TG_OP = 'DELETE' THEN
    r := to_jsonb(OLD);
  ELSE
    r := to_jsonb(NEW);
  END IF;
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
