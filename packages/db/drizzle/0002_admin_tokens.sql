CREATE TABLE "admin_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"scope" text NOT NULL,
	"token_digest" text NOT NULL,
	"token_prefix" text NOT NULL,
	"token_last4" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "admin_tokens_kind_check" CHECK ("admin_tokens"."kind" IN ('api', 'local_session')),
	CONSTRAINT "admin_tokens_scope_check" CHECK ("admin_tokens"."scope" IN ('read', 'write')),
	CONSTRAINT "admin_tokens_name_check" CHECK ("admin_tokens"."name" ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
	CONSTRAINT "admin_tokens_digest_check" CHECK ("admin_tokens"."token_digest" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "local_sign_in_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code_digest" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	CONSTRAINT "local_sign_in_codes_digest_check" CHECK ("local_sign_in_codes"."code_digest" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
ALTER TABLE "admin_audit_log" DROP CONSTRAINT "admin_audit_log_actor_type_check";--> statement-breakpoint
CREATE UNIQUE INDEX "admin_tokens_token_digest_key" ON "admin_tokens" USING btree ("token_digest");--> statement-breakpoint
CREATE UNIQUE INDEX "admin_tokens_live_name_key" ON "admin_tokens" USING btree ("name") WHERE "admin_tokens"."kind" = 'api' AND "admin_tokens"."revoked_at" IS NULL;--> statement-breakpoint
CREATE INDEX "admin_tokens_kind_created_idx" ON "admin_tokens" USING btree ("kind","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "local_sign_in_codes_code_digest_key" ON "local_sign_in_codes" USING btree ("code_digest");--> statement-breakpoint
ALTER TABLE "admin_audit_log" ADD CONSTRAINT "admin_audit_log_actor_type_check" CHECK ("admin_audit_log"."actor_type" IN ('console_admin', 'cli', 'webhook', 'system', 'admin_token', 'local_admin'));