CREATE TABLE "admin_audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "admin_audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"actor_type" text NOT NULL,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"request_id" text,
	CONSTRAINT "admin_audit_log_actor_type_check" CHECK ("admin_audit_log"."actor_type" IN ('console_admin', 'cli', 'webhook', 'system'))
);
--> statement-breakpoint
CREATE TABLE "client_credentials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"api_key_digest" text,
	"api_key_prefix" text,
	"api_key_last4" text,
	"secret_sealed" text,
	"secret_key_id" text,
	"legacy" boolean DEFAULT false NOT NULL,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "client_credentials_kind_check" CHECK ("client_credentials"."kind" IN ('api_key', 'shared_secret')),
	CONSTRAINT "client_credentials_columns_check" CHECK (("client_credentials"."kind" = 'api_key'
        AND "client_credentials"."api_key_digest" IS NOT NULL AND "client_credentials"."api_key_prefix" IS NOT NULL AND "client_credentials"."api_key_last4" IS NOT NULL
        AND "client_credentials"."secret_sealed" IS NULL AND "client_credentials"."secret_key_id" IS NULL)
      OR ("client_credentials"."kind" = 'shared_secret'
        AND "client_credentials"."secret_sealed" IS NOT NULL AND "client_credentials"."secret_key_id" IS NOT NULL
        AND "client_credentials"."api_key_digest" IS NULL AND "client_credentials"."api_key_prefix" IS NULL AND "client_credentials"."api_key_last4" IS NULL)),
	CONSTRAINT "client_credentials_api_key_digest_check" CHECK ("client_credentials"."api_key_digest" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "client_credentials_api_key_last4_check" CHECK (char_length("client_credentials"."api_key_last4") = 4),
	CONSTRAINT "client_credentials_api_key_prefix_check" CHECK ("client_credentials"."legacy" OR "client_credentials"."api_key_prefix" <> ''),
	CONSTRAINT "client_credentials_secret_sealed_check" CHECK ("client_credentials"."secret_sealed" ~ '^v[0-9]+([.][A-Za-z0-9_-]*){4}$' AND split_part("client_credentials"."secret_sealed", '.', 2) = "client_credentials"."secret_key_id")
);
--> statement-breakpoint
CREATE TABLE "client_permissions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"route_id" uuid NOT NULL,
	"allowed_methods" text[] NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "client_permissions_client_id_route_id_key" UNIQUE("client_id","route_id"),
	CONSTRAINT "client_permissions_allowed_methods_check" CHECK (cardinality("client_permissions"."allowed_methods") > 0 AND array_ndims("client_permissions"."allowed_methods") = 1 AND "client_permissions"."allowed_methods" <@ ARRAY['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']::text[]),
	CONSTRAINT "client_permissions_version_check" CHECK ("client_permissions"."version" > 0)
);
--> statement-breakpoint
CREATE TABLE "clients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_name" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "clients_client_name_check" CHECK (btrim("clients"."client_name") <> ''),
	CONSTRAINT "clients_status_check" CHECK ("clients"."status" IN ('active', 'suspended', 'revoked')),
	CONSTRAINT "clients_version_check" CHECK ("clients"."version" > 0)
);
--> statement-breakpoint
CREATE TABLE "config_state" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "config_state_single_row_check" CHECK ("config_state"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "console_admins" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"aegis_user_id" text,
	"email" text NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "console_admins_aegis_user_id_key" UNIQUE("aegis_user_id"),
	CONSTRAINT "console_admins_email_key" UNIQUE("email"),
	CONSTRAINT "console_admins_email_check" CHECK ("console_admins"."email" = lower("console_admins"."email") AND "console_admins"."email" ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
	CONSTRAINT "console_admins_aegis_user_id_check" CHECK (btrim("console_admins"."aegis_user_id") <> ''),
	CONSTRAINT "console_admins_source_check" CHECK ("console_admins"."source" IN ('webhook', 'api', 'cli'))
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"client_id" uuid PRIMARY KEY NOT NULL,
	"requests_per_day" integer,
	"requests_per_minute" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rate_limits_requests_per_day_check" CHECK ("rate_limits"."requests_per_day" > 0),
	CONSTRAINT "rate_limits_requests_per_minute_check" CHECK ("rate_limits"."requests_per_minute" > 0),
	CONSTRAINT "rate_limits_some_limit_check" CHECK ("rate_limits"."requests_per_day" IS NOT NULL OR "rate_limits"."requests_per_minute" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "routes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"route_pattern" text NOT NULL,
	"domain" text NOT NULL,
	"service_name" text NOT NULL,
	"methods" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "routes_domain_route_pattern_key" UNIQUE("domain","route_pattern"),
	CONSTRAINT "routes_route_pattern_check" CHECK (("routes"."route_pattern" ~ '^/[^*]*$' OR "routes"."route_pattern" ~ '^/([^*]*/)?[*]$') AND "routes"."route_pattern" !~ '[[:space:][:cntrl:]?#]' AND char_length("routes"."route_pattern") <= 1024),
	CONSTRAINT "routes_domain_check" CHECK ("routes"."domain" = lower("routes"."domain") AND char_length("routes"."domain") <= 253 AND "routes"."domain" ~ '^([*]|([*][.])?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?([.][a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*)$'),
	CONSTRAINT "routes_service_name_check" CHECK (btrim("routes"."service_name") <> ''),
	CONSTRAINT "routes_methods_check" CHECK (jsonb_typeof("routes"."methods") = 'object' AND "routes"."methods" <> '{}'::jsonb AND ("routes"."methods" - ARRAY['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']::text[]) = '{}'::jsonb),
	CONSTRAINT "routes_version_check" CHECK ("routes"."version" > 0)
);
--> statement-breakpoint
ALTER TABLE "client_credentials" ADD CONSTRAINT "client_credentials_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_permissions" ADD CONSTRAINT "client_permissions_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_permissions" ADD CONSTRAINT "client_permissions_route_id_routes_id_fk" FOREIGN KEY ("route_id") REFERENCES "public"."routes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rate_limits" ADD CONSTRAINT "rate_limits_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "admin_audit_log_at_idx" ON "admin_audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "admin_audit_log_entity_idx" ON "admin_audit_log" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "admin_audit_log_actor_idx" ON "admin_audit_log" USING btree ("actor");--> statement-breakpoint
CREATE UNIQUE INDEX "client_credentials_api_key_digest_key" ON "client_credentials" USING btree ("api_key_digest") WHERE "client_credentials"."api_key_digest" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "client_credentials_current_key" ON "client_credentials" USING btree ("client_id","kind") WHERE "client_credentials"."expires_at" IS NULL;--> statement-breakpoint
CREATE INDEX "client_credentials_client_id_idx" ON "client_credentials" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "client_credentials_secret_key_id_idx" ON "client_credentials" USING btree ("secret_key_id") WHERE "client_credentials"."secret_key_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "client_permissions_route_id_idx" ON "client_permissions" USING btree ("route_id");