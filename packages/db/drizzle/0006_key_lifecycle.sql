CREATE TABLE "client_usage" (
	"client_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "client_usage_pkey" PRIMARY KEY("client_id","hour","outcome","reason"),
	CONSTRAINT "client_usage_outcome_check" CHECK ("client_usage"."outcome" IN ('allowed', 'refused', 'rate_limited')),
	CONSTRAINT "client_usage_hour_check" CHECK (floor(extract(epoch from "client_usage"."hour"))::bigint % 3600 = 0),
	CONSTRAINT "client_usage_n_check" CHECK ("client_usage"."n" >= 0)
);
--> statement-breakpoint
ALTER TABLE "client_credentials" ADD COLUMN "ip_allowlist" text[];--> statement-breakpoint
ALTER TABLE "client_credentials" ADD COLUMN "last_used_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "metadata" jsonb;--> statement-breakpoint
ALTER TABLE "routes" ADD COLUMN "metadata_header" text;--> statement-breakpoint
CREATE INDEX "client_usage_hour_idx" ON "client_usage" USING btree ("hour");--> statement-breakpoint
ALTER TABLE "clients" ADD CONSTRAINT "clients_metadata_check" CHECK (jsonb_typeof("clients"."metadata") = 'object');--> statement-breakpoint
ALTER TABLE "routes" ADD CONSTRAINT "routes_metadata_header_check" CHECK ("routes"."metadata_header" ~ '^[Xx]-[A-Za-z0-9-]{1,62}$');--> statement-breakpoint

-- authz writes client_credentials.last_used_at in batches. Such an update changes nothing a decision reads, so
-- it must not announce a config change (every replica would re-read the rows, and the version bump would
-- serialise the flush behind config writers): updates fire the change trigger only when another column changed.
DROP TRIGGER "client_credentials_config_changed" ON "client_credentials";
--> statement-breakpoint
CREATE TRIGGER "client_credentials_config_changed" AFTER INSERT OR DELETE ON "client_credentials"
  FOR EACH ROW EXECUTE FUNCTION gatekeeper_config_changed();
--> statement-breakpoint
CREATE TRIGGER "client_credentials_config_updated" AFTER UPDATE ON "client_credentials"
  FOR EACH ROW WHEN ((to_jsonb(OLD) - 'last_used_at') IS DISTINCT FROM (to_jsonb(NEW) - 'last_used_at'))
  EXECUTE FUNCTION gatekeeper_config_changed();
