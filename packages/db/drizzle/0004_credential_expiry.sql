ALTER TABLE "client_credentials" ADD COLUMN "valid_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "expires_at" timestamp with time zone;